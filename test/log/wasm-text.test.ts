/**
 * -d out_asm's module text against wabt's wasm2wat (Debian's wabt package) as the oracle: the
 * blocks of main of the hello world guest program of each frontend (A64, PowerPC big-endian,
 * Thumb-2) are translated and compiled as the engine does, and the printed instruction stream,
 * names and integer immediates, must be wasm2wat's, with nothing left undecoded.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { moduleText } from '../../src/log/wasm-text';
import { GuestMemory } from '../../src/memory/guest-memory';
import { aarch64Frontend } from '../../src/translate/aarch64/frontend';
import { armFrontend } from '../../src/translate/arm/frontend';
import { makeLoadCheck, makeSlowStore } from '../../src/translate/engine/slow-store';
import type { Frontend } from '../../src/translate/frontend';
import type { IRBlock } from '../../src/translate/ir/block';
import { ppc64Frontend } from '../../src/translate/ppc64/frontend';
import { compileBatch } from '../../src/translate/wasm/module';
import { ARM_BUILDS } from '../arm/targets';
import { buildGuestPrograms } from '../guest/build';
import { AARCH64, guestProgram, type GuestTarget } from '../lib/targets';
import { PPC64 } from '../ppc64/targets';
import { objdumpMain } from './objdump';

interface Case {
  readonly title: string;
  readonly target: GuestTarget;
  readonly frontend: Frontend;
  readonly littleEndian: boolean;
  readonly mainSymbol: string;
  /** Added to main's address to make the engine's pc (Thumb: bit 0). */
  readonly pcBit: number;
}

const THUMB = ARM_BUILDS[1]!.target;
const CASES: readonly Case[] = [
  { title: 'aarch64', target: AARCH64, frontend: aarch64Frontend, littleEndian: true, mainSymbol: 'main', pcBit: 0 },
  { title: 'ppc64', target: PPC64, frontend: ppc64Frontend, littleEndian: false, mainSymbol: '.main', pcBit: 0 },
  { title: 'arm Thumb-2', target: THUMB, frontend: armFrontend, littleEndian: true, mainSymbol: 'main', pcBit: 1 },
];

/** Integer immediates both printers write the same way. */
const INTEGER_IMMEDIATE = /^(local\.(get|set|tee)|i32\.const|i64\.const|br|br_if|call|return_call)$/;

/** The instruction lines of every function body: name, plus the integer immediate where it has one. */
function instructionStream(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    // wasm2wat closes a function on the line of its last instruction.
    const tokens = line.trim().replace(/\)+$/, '').split(/\s+/);
    const name = tokens[0] ?? '';
    if (!/^[a-z][a-z0-9_.]*$/.test(name) || name === 'module') continue;
    out.push(INTEGER_IMMEDIATE.test(name) ? `${name} ${tokens[1]}` : name);
  }
  return out;
}

/** main's blocks, translated from its code placed in a guest memory at its addresses. */
function translateMain(c: Case, program: string): IRBlock[] {
  const memory = new GuestMemory(c.littleEndian);
  const insns = objdumpMain(c.target, program, c.mainSymbol);
  for (const insn of insns) {
    const parts = insn.encoding.split(' ').map((h) => parseInt(h, 16));
    if (parts.length === 2) {
      memory.write16(insn.addr, parts[0]!);
      memory.write16(insn.addr + 2, parts[1]!);
    } else if (insn.encoding.length === 4) memory.write16(insn.addr, parts[0]!);
    else memory.write32(insn.addr, parts[0]!);
  }
  const first = insns[0]!.addr;
  const last = insns[insns.length - 1]!.addr;
  const inMain = (pc: number): boolean => pc >= first && pc <= last;
  const code = {
    fetch32: (pc: number) => (inMain(pc) ? memory.read32(pc) >>> 0 : undefined),
    fetch16: (pc: number) => (inMain(pc) ? memory.read16(pc) : undefined),
  };
  const blocks: IRBlock[] = [];
  const queue = [first + c.pcBit];
  const seen = new Set(queue);
  while (queue.length > 0 && blocks.length < 8) {
    const block = c.frontend.translate(code, queue.shift()!, { maxInsns: 512, flags: 0 });
    blocks.push(block);
    for (const s of block.successors) {
      if (!seen.has(s) && inMain(s & ~1)) {
        seen.add(s);
        queue.push(s);
      }
    }
  }
  return blocks;
}

describe.each(CASES)('-d out_asm module text ($title)', (c) => {
  const program = guestProgram(c.target, 'hello');
  beforeAll(async () => {
    execFileSync('wasm2wat', ['--version']);
    await buildGuestPrograms(c.target);
  }, 600_000);

  it("prints main's compiled blocks instruction by instruction as wasm2wat does", () => {
    const blocks = translateMain(c, program);
    const memory = new GuestMemory(c.littleEndian);
    const endian = c.littleEndian ? 'little' : 'big';
    const { bytes } = compileBatch(blocks, {
      memory: memory.memory,
      endian,
      slowStore: makeSlowStore(memory, endian, () => {}),
      loadCheck: makeLoadCheck(memory),
      chain: false,
      view: memory.view,
    });
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-wasm-')), 'module.wasm');
    fs.writeFileSync(file, bytes);
    const wat = execFileSync('wasm2wat', ['--enable-all', file], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    const ours = moduleText(bytes);
    expect(ours).not.toContain('undecoded');
    expect(ours.match(/^ {2}\(func /gm)!.length).toBe(blocks.length);
    // wasm2wat shows the branch hints section as annotations before the hinted `if`s; ours leaves them out.
    const hintless = wat.replace(/\(@metadata\.code\.branch_hint "\\0[01]"\) /g, '');
    const expected = instructionStream(hintless.split('\n').filter((l) => !/^\s*\((type|import|export|table|memory|elem|func|local)\b/.test(l)).join('\n'));
    expect(expected.length).toBeGreaterThan(50);
    expect(instructionStream(ours.split('\n').filter((l) => !/^\s*\(/.test(l)).join('\n'))).toEqual(expected);
  });
});
