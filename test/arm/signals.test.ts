/**
 * Signal delivery to 32-bit ARM guest handlers, against qemu-arm -cpu cortex-a15, for the three
 * builds (armhf ARM state, armhf Thumb state, armel). guest/frame.c checks the sigframe and
 * rt_sigframe layouts and that sigreturn/rt_sigreturn restore what the handler edited, with glibc's
 * restorers and with the kernel's sigreturn codes (no SA_RESTORER); the shared timers program
 * (test/signals/guest) checks timers, SA_RESTART restarts and EINTR; the shared guest programs
 * `signals` and `segv catch` check masks, sigaltstack, nesting and fault handlers.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildGuestPrograms } from '../guest/build';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth, type Ending } from '../lib/oracle';
import { guestProgram } from '../lib/targets';
import { ARM, ARM_BUILDS } from './targets';

const CPU = ['-cpu', 'cortex-a15'];
const OK: Ending = { status: 0 };
/** Sources built here, per build: name -> path. */
const SOURCES: Readonly<Record<string, string>> = {
  frame: path.join(__dirname, 'guest', 'frame.c'),
  timers: path.join(__dirname, '..', 'signals', 'guest', 'timers.c'),
};
/**
 * Linux's setup_frame puts 0x5ac3c35a in a plain sigframe's uc_flags ("a value which sc.trap_no
 * would never have"); QEMU 7.2 writes 0. tsemu follows Linux: QEMU's line is corrected before comparing.
 */
const QEMU_PLAIN_UC_FLAGS = 'uc_flags 00000000';
const LINUX_PLAIN_UC_FLAGS = 'uc_flags 5ac3c35a';
const THUMB = 'armhf -mthumb';

interface SignalCase {
  title: string;
  /** A program built here (SOURCES) or, with `shared`, one of the shared guest programs. */
  program: string;
  shared?: boolean;
  args?: string[];
  ending: Ending;
  /** Only this build runs it (the behaviour is in the syscall layer, the same for every build). */
  onlyBuild?: string;
}

const CASES: SignalCase[] = [
  { title: 'rt_sigframe (SA_SIGINFO, glibc restorer): siginfo, ucontext, VFP record; rt_sigreturn restores edits', program: 'frame', args: ['rt'], ending: OK },
  { title: 'rt_sigframe without SA_RESTORER: returns through the rt_sigreturn code', program: 'frame', args: ['rt-raw'], ending: OK },
  { title: 'timers: alarm, setitimer, SA_RESTART restart vs EINTR, pause, sigqueue', program: 'timers', args: ['run'], ending: OK, onlyBuild: THUMB },
  { title: 'timers: SIGALRM default action terminates pause()', program: 'timers', args: ['default'], ending: { signal: 'SIGALRM' }, onlyBuild: THUMB },
  { title: 'signals: handlers, masks, sigaltstack, nesting, EINTR', program: 'signals', shared: true, ending: OK, onlyBuild: THUMB },
  { title: 'segv: SIGSEGV handler sees si_code and si_addr, leaves by siglongjmp', program: 'segv', shared: true, args: ['catch'], ending: OK },
];

/** Plain sigframes: same as QEMU but for uc_flags. */
const PLAIN_CASES: SignalCase[] = [
  { title: 'sigframe (no SA_SIGINFO, glibc restorer): ucontext, VFP record; sigreturn restores edits', program: 'frame', args: ['plain'], ending: OK },
  { title: 'sigframe without SA_RESTORER: returns through the sigreturn code in the handler\'s state', program: 'frame', args: ['plain-raw'], ending: OK },
];

for (const build of ARM_BUILDS) {
  describe(`signal delivery, ${build.title}: tsemu-arm vs qemu-arm ${CPU.join(' ')}`, () => {
    let dir = '';
    const programPath = (c: SignalCase): string => (c.shared ? guestProgram(build.target, c.program) : path.join(dir, c.program));
    beforeAll(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'tsemu-arm-signals-'));
      for (const [name, source] of Object.entries(SOURCES)) {
        execFileSync(build.target.cc, [...build.target.cflags, '-o', path.join(dir, name), source]);
      }
      await buildGuestPrograms(build.target);
    }, 600_000);

    for (const c of CASES.filter((c) => !c.onlyBuild || c.onlyBuild === build.title)) {
      it(c.title, async () => {
        const results = await runUnderBoth(ARM, { program: programPath(c), args: c.args, emulatorArgs: CPU });
        expectOracleEnding(results.qemu, c.ending);
        expectSameBehaviour(results, !('signal' in c.ending));
      });
    }

    for (const c of PLAIN_CASES) {
      it(`${c.title} (uc_flags as Linux, where QEMU writes 0)`, async () => {
        const results = await runUnderBoth(ARM, { program: programPath(c), args: c.args, emulatorArgs: CPU });
        expectOracleEnding(results.qemu, c.ending);
        expect(results.qemu.stdout).toContain(QEMU_PLAIN_UC_FLAGS);
        const linux = { ...results.qemu, stdout: results.qemu.stdout.replace(QEMU_PLAIN_UC_FLAGS, LINUX_PLAIN_UC_FLAGS) };
        expectSameBehaviour({ ...results, qemu: linux }, true);
      });
    }
  });
}
