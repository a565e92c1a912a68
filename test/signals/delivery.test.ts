/**
 * Signal delivery to guest handlers on aarch64, against qemu-aarch64 as the oracle. Both run with
 * `-cpu cortex-a57` (no SVE, like tsemu's CPU): with SVE, Linux and QEMU add an sve_context record to
 * the frame. The programs in guest/ are built here with the Debian cross compiler; they check the
 * rt_sigframe layout and rt_sigreturn (frame.c), synchronous traps (traps.c), timers, restarts
 * and sigqueue (timers.c).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth, type Ending } from '../lib/oracle';
import { AARCH64, guestProgram } from '../lib/targets';

const SOURCES = path.join(__dirname, 'guest');
const NO_SVE = ['-cpu', 'cortex-a57'];
let buildDir = '';

function built(name: string): string {
  return path.join(buildDir, name);
}

beforeAll(() => {
  buildDir = mkdtempSync(path.join(tmpdir(), 'tsemu-signals-'));
  for (const name of ['frame', 'traps', 'timers']) {
    execFileSync(AARCH64.cc, [...AARCH64.cflags, '-o', built(name), path.join(SOURCES, `${name}.c`)]);
  }
});

interface SignalCase {
  title: string;
  program: string;
  args?: string[];
  ending: Ending;
  knownGap?: string;
}

const OK: Ending = { status: 0 };

const CASES: SignalCase[] = [
  { title: 'frame: siginfo, ucontext, regs/sp/pc/pstate, fpsimd record, frame record; sigreturn restores edits and mask', program: 'frame', ending: OK },
  { title: 'brk: SIGTRAP with TRAP_BRKPT, si_addr and pc at the brk; handler skips it', program: 'traps', args: ['brk'], ending: OK },
  {
    title: 'unaligned ldxr: SIGBUS with BUS_ADRALN and si_addr = the address',
    program: 'traps',
    args: ['bus'],
    ending: OK,
  },
  { title: 'a SIGSEGV while SIGSEGV is blocked kills the process', program: 'traps', args: ['blocked'], ending: { signal: 'SIGSEGV' } },
  { title: 'a SIGSEGV while SIGSEGV is ignored kills the process', program: 'traps', args: ['ignored'], ending: { signal: 'SIGSEGV' } },
  { title: 'timers: alarm, periodic setitimer, getitimer, SA_RESTART restart vs EINTR, sigqueue', program: 'timers', args: ['run'], ending: OK },
  {
    title: 'timers: SIGALRM interrupts a loop that makes no syscall',
    program: 'timers',
    args: ['spin'],
    ending: OK,
  },
  { title: 'timers: SIGALRM default action terminates a process blocked in pause()', program: 'timers', args: ['default'], ending: { signal: 'SIGALRM' } },
];

describe(`signal delivery on ${AARCH64.name}: tsemu vs ${AARCH64.qemu} ${NO_SVE.join(' ')}`, () => {
  for (const c of CASES) {
    const test = c.knownGap ? it.fails : it;
    test(c.knownGap ? `${c.title} (known gap: ${c.knownGap})` : c.title, async () => {
      const results = await runUnderBoth(AARCH64, { program: built(c.program), args: c.args, emulatorArgs: NO_SVE, timeoutMs: c.knownGap ? 5_000 : 30_000 });
      expectOracleEnding(results.qemu, c.ending);
      expectSameBehaviour(results, !('signal' in c.ending));
    });
  }

  it('SIGILL from an undefined instruction has si_code ILL_ILLOPC (Linux do_undefinstr; QEMU 7.2 says ILL_ILLOPN), all else as QEMU', async () => {
    const results = await runUnderBoth(AARCH64, { program: guestProgram(AARCH64, 'sigill'), args: ['catch'], emulatorArgs: NO_SVE });
    expectOracleEnding(results.qemu, OK);
    const ILL_ILLOPC = 1;
    const ILL_ILLOPN = 2;
    const linux = results.qemu.stdout.replace(`code ${ILL_ILLOPN} `, `code ${ILL_ILLOPC} `);
    expect(linux).not.toBe(results.qemu.stdout);
    expect(results.tsemu.stdout).toBe(linux);
    expect(results.tsemu.status).toBe(0);
  });
});
