/**
 * gdb-multiarch against `tsemu-aarch64 -g PORT`: the same command scripts run against
 * `qemu-aarch64 -g PORT` (the oracle) must print the same, apart from stack addresses (the two put
 * the stack at different places); where qemu cannot serve as oracle, facts of the program decide.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { AARCH64, tsemuBinary } from '../lib/targets';
import { WATCH_SCRIPT, buildDebuggee, expectWatchHits, hasGdb, normalise, runGdb, symbolAddress } from './gdb-harness';

const TSEMU = tsemuBinary(AARCH64);

describe('gdbstub (aarch64 user mode) with gdb-multiarch', () => {
  let program = '';
  beforeAll(() => {
    if (!hasGdb()) throw new Error('gdb-multiarch is missing (apt-get install gdb-multiarch; .ci/run installs it)');
    program = buildDebuggee();
  }, 60_000);

  it('breaks at main, reads registers, steps, prints locals and continues to exit like qemu', async () => {
    const script = [
      'break main',
      'continue',
      'info registers x0',
      'stepi',
      'info registers pc',
      'x/2i $pc',
      'break square',
      'continue',
      'continue',
      'continue',
      'continue',
      'print v',
      'up',
      'print total',
      'print i',
      'print counter',
      'delete',
      'continue',
    ];
    const [tsemu, qemu] = await Promise.all([
      runGdb(TSEMU, program, ['x', 'y'], script),
      runGdb(AARCH64.qemu, program, ['x', 'y'], script),
    ]);
    expect(normalise(tsemu.gdb)).toBe(normalise(qemu.gdb));
    // Facts of the program, independent of the oracle: argc (x0 at main) is 3, square's 4th call gets 3.
    expect(tsemu.gdb).toMatch(/^x0 +0x3 +3$/m);
    expect(tsemu.gdb).toContain('$1 = 3');
    expect(tsemu.gdb).toContain('$2 = 5');
    expect(tsemu.gdb).toContain('[Inferior 1 (process 1) exited with code 07]');
    expect(tsemu.guestStdout).toBe('total=30 counter=5\n');
    expect(tsemu.status).toBe(7);
  });

  it('stops where gdb put the breakpoint: the address nm gives for main plus its prologue', async () => {
    const main = symbolAddress(program, 'main');
    const run = await runGdb(TSEMU, program, [], ['break *main', 'continue', 'print/x $pc', 'kill']);
    expect(run.gdb).toContain(`$1 = 0x${main.toString(16)}`);
  });

  it('write, read and access watchpoints report the watched variable as the loop reads and writes it', async () => {
    // qemu-aarch64 7.2 refuses hardware watchpoints in user mode, so the program's own facts are the
    // oracle (gdb-harness.ts).
    const run = await runGdb(TSEMU, program, [], WATCH_SCRIPT);
    expectWatchHits(run.gdb);
  });

  it('serves auxv and the exec file: gdb finds the program by itself and reads AT_ENTRY', async () => {
    const entry = symbolAddress(program, '_start');
    const script = ['info auxv', 'kill'];
    const [tsemu, qemu] = await Promise.all([
      runGdb(TSEMU, program, [], script, { noProgramArgument: true }),
      runGdb(AARCH64.qemu, program, [], script, { noProgramArgument: true }),
    ]);
    const entryLine = (text: string): string | undefined => text.split('\n').find((l) => /AT_ENTRY/.test(l));
    expect(entryLine(tsemu.gdb)).toContain(`0x${entry.toString(16)}`);
    expect(entryLine(tsemu.gdb)).toBe(entryLine(qemu.gdb));
    expect(tsemu.gdb).toContain(`Reading symbols from ${program}`);
    expect(tsemu.gdb).toMatch(/0x[0-9a-f]+ in _start \(\)/);
  });

  it('writes to memory change what the program computes, as under qemu', async () => {
    const script = ['break square', 'continue', 'up', 'set var total = 100', 'print total', 'delete', 'continue'];
    const [tsemu, qemu] = await Promise.all([runGdb(TSEMU, program, [], script), runGdb(AARCH64.qemu, program, [], script)]);
    expect(normalise(tsemu.gdb)).toBe(normalise(qemu.gdb));
    expect(tsemu.guestStdout).toBe('total=130 counter=5\n');
    expect(tsemu.status).toBe(1);
  });

  it('a fault stops with SIGSEGV at the faulting store; passing it on kills the program, as under qemu', async () => {
    const script = ['continue', 'x/i $pc', 'continue'];
    const [tsemu, qemu] = await Promise.all([runGdb(TSEMU, program, ['crash'], script), runGdb(AARCH64.qemu, program, ['crash'], script)]);
    expect(normalise(tsemu.gdb)).toBe(normalise(qemu.gdb));
    expect(tsemu.gdb).toContain('Program received signal SIGSEGV');
    expect(tsemu.gdb).toContain('Program terminated with signal SIGSEGV');
    expect(tsemu.signal).toBe(qemu.signal);
  });

  it('detach lets the program run to its end on its own', async () => {
    const script = ['break square', 'continue', 'detach'];
    const [tsemu, qemu] = await Promise.all([runGdb(TSEMU, program, [], script), runGdb(AARCH64.qemu, program, [], script)]);
    expect(normalise(tsemu.gdb)).toBe(normalise(qemu.gdb));
    expect(tsemu.guestStdout).toBe(qemu.guestStdout);
    expect(tsemu.status).toBe(qemu.status);
  });

  it('with guest threads: lists them, reads another thread\'s registers (Hg) and runs to the end, as under qemu', async () => {
    const threaded = buildDebuggee(AARCH64, ['-pthread'], 'threaded.c');
    const script = ['break work', 'continue', 'print (long)arg', 'info threads', 'thread 1', 'bt', 'continue', 'print (long)arg', 'delete', 'continue'];
    const runs = await Promise.all([runGdb(TSEMU, threaded, [], script), runGdb(AARCH64.qemu, threaded, [], script)]);
    // Thread ids and the frames inside the C library differ between the two; the program's facts do not.
    for (const run of runs) {
      expect(run.gdb).toContain('$1 = 1');
      expect(run.gdb).toContain('$2 = 2');
      const threadLines = run.gdb.split('\n').filter((l) => /^\*? +\d+ +Thread /.test(l));
      expect(threadLines).toHaveLength(2);
      expect(run.gdb).toMatch(/^#\d+ +0x[0-9a-f]+ in main \(\) at .*threaded\.c:\d+$/m);
      expect(run.gdb).toContain('exited with code 03]');
      expect(run.guestStdout).toBe('done=3\n');
      expect(run.status).toBe(3);
    }
  });
});
