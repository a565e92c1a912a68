/**
 * gdb-multiarch against tsemu-ppc64, tsemu-ppc64le and tsemu-arm (Thumb-2 and ARM code) with
 * `-g PORT`: the same command script runs against qemu-<arch> -g (the oracle) and must print the
 * same, apart from the stack's place. Registers whose values depend on which glibc routines ran
 * (CR, XER, CPSR.GE, FP and vector registers: qemu advertises other hwcaps) are left out of the
 * comparison; `info registers` must list the registers qemu's standard gdb features list.
 * Watchpoints: qemu 7.2 refuses them in user mode, so the program's own facts decide (gdb-harness.ts).
 */
import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM } from '../arm/targets';
import type { GuestTarget } from '../lib/targets';
import { tsemuBinary } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';
import { WATCH_SCRIPT, buildDebuggee, expectWatchHits, hasGdb, normalise, runGdb } from './gdb-harness';

interface Case {
  readonly title: string;
  readonly target: GuestTarget;
  readonly flags: readonly string[];
  /** The register main's first argument (argc) arrives in. */
  readonly argReg: string;
  /** The last register `info registers` shows from gdb's standard features (qemu adds its own after it). */
  readonly lastStandard: string;
}

const CASES: readonly Case[] = [
  { title: 'ppc64', target: PPC64, flags: [], argReg: 'r3', lastStandard: 'vrsave' },
  { title: 'ppc64le', target: PPC64LE, flags: [], argReg: 'r3', lastStandard: 'vrsave' },
  { title: 'arm (Thumb-2)', target: ARM, flags: ['-mthumb'], argReg: 'r0', lastStandard: 'fpscr' },
  { title: 'arm (A32)', target: ARM, flags: ['-marm'], argReg: 'r0', lastStandard: 'fpscr' },
];

/** Register names in the first column of `info registers` output. */
function registerNames(text: string): string[] {
  return [...text.matchAll(/^([a-z][a-z0-9_]*) +0x[0-9a-f]+ /gim)].map((m) => m[1]!);
}

/** A symbol's st_value as readelf gives it (nm clears the Thumb bit). */
function elfSymbolValue(program: string, name: string, target: GuestTarget): number {
  const text = execFileSync(target.cc.replace(/gcc$/, 'readelf'), ['-sW', program], { encoding: 'utf8' });
  const line = text.split('\n').find((l) => l.trim().split(/\s+/)[7] === name);
  if (!line) throw new Error(`${name} not in ${program}`);
  return parseInt(line.trim().split(/\s+/)[1]!, 16);
}

describe.each(CASES)('gdbstub ($title user mode) with gdb-multiarch', ({ target, flags, argReg, lastStandard }) => {
  const tsemu = tsemuBinary(target);
  let program = '';
  beforeAll(() => {
    if (!hasGdb()) throw new Error('gdb-multiarch is missing (apt-get install gdb-multiarch; .ci/run installs it)');
    program = buildDebuggee(target, flags);
  }, 60_000);

  it('breaks at main, steps, breaks in a callee, prints locals and continues to the exit status like qemu', async () => {
    const script = [
      'break main',
      'continue',
      `info registers ${argReg}`,
      'info registers pc',
      'stepi',
      'stepi',
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
    const [ours, qemu] = await Promise.all([runGdb(tsemu, program, ['x', 'y'], script), runGdb(target.qemu, program, ['x', 'y'], script)]);
    expect(normalise(ours.gdb)).toBe(normalise(qemu.gdb));
    // Facts of the program: argc is 3, square's 4th call gets 3, the loop ran to 30 and main returns 7.
    expect(ours.gdb).toMatch(new RegExp(`^${argReg} +0x3 +3$`, 'm'));
    expect(ours.gdb).toContain('$1 = 3');
    expect(ours.gdb).toContain('$2 = 5');
    expect(ours.gdb).toContain('[Inferior 1 (process 1) exited with code 07]');
    expect(ours.guestStdout).toBe('total=30 counter=5\n');
    expect(ours.status).toBe(7);
  });

  it('break *main stops where qemu stops, CPSR.T tells Thumb code, info registers lists the standard registers', async () => {
    const thumbBit = argReg === 'r0' ? ['print/x $cpsr & 0x20'] : [];
    const script = ['break *main', 'continue', 'print/x $pc', ...thumbBit, 'info registers', 'kill'];
    const [ours, qemu] = await Promise.all([runGdb(tsemu, program, [], script), runGdb(target.qemu, program, [], script)]);
    // The register values differ (see the top); everything before them must not. Before main's
    // prologue gdb reads argc from a stack slot main has not written yet.
    const head = (text: string): string =>
      normalise(text)
        .split(/^(?:r0|x0) +0x/m)[0]!
        .replace(/argc=-?\d+/g, 'argc=<unwritten>');
    expect(head(ours.gdb)).toBe(head(qemu.gdb));
    const qemuNames = registerNames(qemu.gdb);
    expect(registerNames(ours.gdb)).toEqual(qemuNames.slice(0, qemuNames.indexOf(lastStandard) + 1));
    if (argReg === 'r0') {
      // The ELF symbol of a Thumb function has bit 0 set.
      const thumb = (elfSymbolValue(program, 'main', target) & 1) === 1;
      expect(ours.gdb).toContain(`$2 = ${thumb ? '0x20' : '0x0'}`);
      expect(thumb).toBe(flags.includes('-mthumb'));
    }
  });

  it('write, read and access watchpoints report the watched variable as the loop reads and writes it', async () => {
    const run = await runGdb(tsemu, program, [], WATCH_SCRIPT);
    expectWatchHits(run.gdb);
  });
});
