/**
 * `-d in_asm,op,out_asm -D log` of tsemu-ppc64, tsemu-ppc64le and tsemu-arm (A32 and Thumb-2
 * builds) on the hello world guest program, checked against the cross binutils' objdump of main:
 * the log lists main's instructions (address and encoding, objdump's facts) up to its first branch,
 * each named by the frontend's decode table, followed by the block's IR and a compiled module; the
 * -d stats summary at exit counts the blocks and modules the log shows; -d exec,cpu trace main's
 * entry with argc (3) in the first argument register and the pc at main.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARM, ARM_BUILDS } from '../arm/targets';
import { buildGuestPrograms } from '../guest/build';
import { runProcess } from '../lib/run-process';
import { guestProgram, tsemuBinary, type GuestTarget } from '../lib/targets';
import { PPC64, PPC64LE } from '../ppc64/targets';
import { objdumpMain } from './objdump';

interface Case {
  readonly title: string;
  /** The build of the guest program; `binary` runs it. */
  readonly target: GuestTarget;
  readonly binary: string;
  /** The symbol objdump names main's code by (ELFv1's `main` is a function descriptor). */
  readonly mainSymbol: string;
  /** Mnemonics that may end a block (the block's last instruction). */
  readonly branch: RegExp;
  /** The register main's argc arrives in, as -d cpu names it. */
  readonly argReg: string;
}

const ARM_BRANCH = /^(b|bl|blx|bx|cbn?z|tb[bh]|pop|ldm|it|svc)/;
const PPC_BRANCH = /^(b|sc)/;

const CASES: readonly Case[] = [
  { title: 'ppc64', target: PPC64, binary: tsemuBinary(PPC64), mainSymbol: '.main', branch: PPC_BRANCH, argReg: 'R3' },
  { title: 'ppc64le', target: PPC64LE, binary: tsemuBinary(PPC64LE), mainSymbol: 'main', branch: PPC_BRANCH, argReg: 'R3' },
  ...ARM_BUILDS.slice(0, 2).map((b) => ({
    title: `arm ${b.title}`,
    target: b.target,
    binary: tsemuBinary(ARM),
    mainSymbol: 'main',
    branch: ARM_BRANCH,
    argReg: 'R0',
  })),
];

describe.each(CASES)('-d logs ($title user mode)', (c) => {
  const program = guestProgram(c.target, 'hello');
  beforeAll(async () => {
    await buildGuestPrograms(c.target);
  }, 600_000);

  it('logs the guest instructions of main up to its first branch, then its IR and compiled modules', async () => {
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-log-')), 'log');
    const run = await runProcess(c.binary, { args: ['-d', 'in_asm,op,out_asm,stats', '-D', logFile, program] });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('Hello, world!');
    const log = fs.readFileSync(logFile, 'utf8');
    const main = objdumpMain(c.target, program, c.mainSymbol);
    expect(main.length).toBeGreaterThan(2);
    const firstBranch = main.findIndex((i) => c.branch.test(i.mnemonic));
    const block = firstBranch < 0 ? main : main.slice(0, firstBranch + 1);
    for (const insn of block) {
      const line = log.split('\n').find((l) => l.startsWith(`0x${insn.addr.toString(16).padStart(8, '0')}:  ${insn.encoding}  `));
      // Every instruction is named by a decode table row, never left undecoded.
      expect(line, `${insn.addr.toString(16)} ${insn.encoding} ${insn.mnemonic}`).toMatch(/ {2}[A-Za-z]/);
      expect(line).not.toMatch(/\((undefined|invalid)\)/);
    }
    expect(log).toMatch(/^IR block 0x[0-9a-f]+\.\./m);
    expect(log).toMatch(/^OUT: wasm module, \d+ bytes/m);
    // stats at exit: one IR translation per in_asm block, one module per out_asm dump.
    const stat = (name: string): number => Number(new RegExp(`${name}: +(\\d+)`).exec(log)?.[1]);
    expect(stat('blocks translated to IR')).toBe(log.match(/^IN: $/gm)!.length);
    expect(Number(/ in (\d+) modules/.exec(log)?.[1])).toBe(log.match(/^OUT: wasm module/gm)!.length);
    expect(log).toMatch(/translation cache hit rate: +[\d.]+% of \d+ lookups/);
    expect(log).toMatch(/translation time: +[\d.]+ ms of [\d.]+ ms\n +execution time: +[\d.]+ ms/);
  });

  it('exec traces main and cpu shows argc and the pc at its entry', async () => {
    const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-log-')), 'log');
    const run = await runProcess(c.binary, { args: ['-d', 'exec,cpu', '-D', logFile, program, 'a', 'b'] });
    expect(run.status).toBe(0);
    const log = fs.readFileSync(logFile, 'utf8');
    const main = objdumpMain(c.target, program, c.mainSymbol)[0]!.addr;
    // The trace names the block's pc as the engine keys it (Thumb: address | 1).
    const trace = new RegExp(`^Trace 0: 0x0*(${main.toString(16)}|${(main | 1).toString(16)})$`, 'm').exec(log);
    expect(trace).not.toBeNull();
    const before = log.slice(0, trace!.index).split('Trace 0:').pop()!;
    expect(before).toMatch(new RegExp(`\\b${c.argReg}=0*3\\b`));
    expect(before).toMatch(new RegExp(`\\bPC=0*${main.toString(16)}\\b`));
  });
});
