/**
 * When V8 optimises tsemu's own JavaScript. V8 compiles a function with TurboFan once it has spent
 * its interrupt budget a few times; with the default budget a start-up spends close to half of its
 * CPU time there (a static hello world: 0.12 of 0.29 s), on the main thread (user mode runs with
 * --no-concurrent-recompilation), for functions such as the decoders and the IR interpreter that
 * then deoptimise and are compiled again as the guest's start-up code gives them new types. A
 * budget about 15 times the default leaves short runs in V8's baseline tiers and still optimises
 * what a long run keeps calling (which then also deoptimises less: sqlite3, lua and xz under
 * tsemu took slightly less CPU time and memory with it; docs/performance.md). Since warm starts
 * take cold blocks' IR from the persistent cache, the IR interpreter is what a short run calls
 * most, and at 15 times the default V8 compiled it twice during Debian's /bin/true (40-50 ms
 * each, deoptimised both times): 60 times the default leaves it alone there.
 */
import v8 from 'node:v8';
import { atProcessStart } from '../process-start';

/** V8's --interrupt-budget for tsemu's JavaScript (V8 11.3's default: 66 KiB of bytecode). */
const INTERRUPT_BUDGET = 4_000_000;

/**
 * V8's --bytecode-size-allowance-per-tick for tsemu's JavaScript (V8 11.3's default: 150). V8 asks a
 * function for 3 + (bytecode length / this) spent budgets before it optimises it; with the large
 * budget above, the code generator's big functions (the lowering's per-instruction switch and
 * per-block loop, the A64 block translator, `encodeBatch`), a few KiB of bytecode each, stayed in
 * the baseline tier for a whole run of a program that compiles thousands of blocks (perl's modules,
 * sqlite3), where the same lowering runs about three times faster optimised. With this value every
 * function needs about 3 spent budgets, as small ones already did: perl -e 'use Debconf::Db' and
 * sqlite3 took 5 to 9 % less CPU time, start-ups are unchanged since they spend no budget that
 * often (docs/performance.md, "Lowering lukewarm code").
 */
const BYTECODE_SIZE_ALLOWANCE_PER_TICK = 100_000;

atProcessStart(() =>
  v8.setFlagsFromString(
    `--interrupt-budget=${INTERRUPT_BUDGET} --bytecode-size-allowance-per-tick=${BYTECODE_SIZE_ALLOWANCE_PER_TICK}`,
  ),
);

/** V8's default allowance: a machine keeps V8's tiering as measured for it (docs/system.md). */
const DEFAULT_ALLOWANCE_PER_TICK = 150;

/** V8's default budget. */
const LONG_RUN_INTERRUPT_BUDGET = 66 * 1024;

/**
 * For a machine (tsemu-system), which runs for tens of seconds and keeps translating new code all
 * along: V8's default budget. With the larger one the code generator's functions that run once per
 * module or block stayed in the baseline tier for much of a Linux boot (a ninth of its samples were
 * baseline code and its inline-cache stubs), and the boot took about 5% more CPU time
 * (docs/system.md); a budget four times smaller than the default cost more than it saved.
 */
export function tierUpForLongRuns(): void {
  v8.setFlagsFromString(`--interrupt-budget=${LONG_RUN_INTERRUPT_BUDGET} --bytecode-size-allowance-per-tick=${DEFAULT_ALLOWANCE_PER_TICK}`);
}
