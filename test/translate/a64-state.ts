/**
 * Test support: random AArch64 machine states for the differential test, and names of CPU state
 * bytes for its failure messages.
 */
import { STATE_FAULT_ADDR, STATE_PC, STATE_TRAP_ARG } from '../../src/translate/frontend';
import {
  CF,
  EXCL_ADDR,
  EXCL_SIZE,
  EXCL_VAL,
  EXCL_VAL2,
  FPCR,
  FPSR,
  NF,
  SP,
  STATE_SIZE_AARCH64,
  TPIDRRO_EL0,
  TPIDR_EL0,
  VF,
  VREG_BASE,
  ZF,
  vreg,
  xreg,
} from '../../src/translate/aarch64/state';
import { BASE_REG, INDEX_REG } from './a64-classes';
import { EDGE_INTS, Random, edgeFloat64 } from './random';

/** Guest memory the loads and stores of a stream stay inside (mapped read-write, random contents). */
export const SCRATCH = 0x200000;
export const SCRATCH_SIZE = 0x40000;
/** X28 and SP point here: far enough from both ends for every offset and writeback of a stream. */
export const SCRATCH_BASE = SCRATCH + 0x10000;

/**
 * A random state: X0..X30 mixing edge and random values (X28 = scratch base, X27 a small index),
 * SP inside the scratch area, random NZCV, V registers of float edge patterns and random bits.
 * FPCR stays 0, the value the blocks are translated for (translation flags 0).
 */
export function randomState(rng: Random): Uint8Array {
  const bytes = new Uint8Array(STATE_SIZE_AARCH64);
  const view = new DataView(bytes.buffer);
  for (let n = 0; n < 31; n++) {
    const v = rng.below(3) === 0 ? rng.pick(EDGE_INTS) : rng.u64();
    view.setBigUint64(xreg(n), v, true);
  }
  view.setBigUint64(xreg(BASE_REG), BigInt(SCRATCH_BASE), true);
  view.setBigUint64(xreg(INDEX_REG), BigInt(rng.below(0x1000)), true);
  view.setBigUint64(SP, BigInt(SCRATCH_BASE + 0x800), true);
  for (const flag of [NF, ZF, CF, VF]) view.setInt32(flag, rng.below(2), true);
  view.setBigUint64(EXCL_ADDR, (1n << 64n) - 1n, true);
  for (let n = 0; n < 32; n++) {
    for (const half of [0, 8]) {
      view.setBigUint64(vreg(n) + half, rng.below(2) === 0 ? edgeFloat64(rng) : rng.u64(), true);
    }
  }
  return bytes;
}

export function randomBytes(rng: Random, length: number): Uint8Array {
  return Uint8Array.from({ length }, () => rng.below(256));
}

const NAMED: readonly [number, number, string][] = [
  [STATE_PC, 8, 'pc'],
  [STATE_FAULT_ADDR, 8, 'fault address'],
  [STATE_TRAP_ARG, 8, 'trap argument'],
  [SP, 8, 'sp'],
  [NF, 4, 'N'],
  [ZF, 4, 'Z'],
  [CF, 4, 'C'],
  [VF, 4, 'V'],
  [FPCR, 4, 'FPCR'],
  [FPSR, 4, 'FPSR'],
  [TPIDR_EL0, 8, 'TPIDR_EL0'],
  [TPIDRRO_EL0, 8, 'TPIDRRO_EL0'],
  [EXCL_ADDR, 8, 'exclusive address'],
  [EXCL_VAL, 8, 'exclusive value'],
  [EXCL_VAL2, 8, 'exclusive value 2'],
  [EXCL_SIZE, 4, 'exclusive size'],
];

/** The state field holding byte `offset`, with its start and size. */
function fieldAt(offset: number): { name: string; start: number; size: number } {
  if (offset >= VREG_BASE) {
    const n = Math.floor((offset - VREG_BASE) / 16);
    return { name: `v${n}`, start: vreg(n), size: 16 };
  }
  if (offset >= xreg(0) && offset < SP) {
    const n = Math.floor((offset - xreg(0)) / 8);
    return { name: `x${n}`, start: xreg(n), size: 8 };
  }
  const named = NAMED.find(([start, size]) => offset >= start && offset < start + size);
  return named ? { name: named[2], start: named[0], size: named[1] } : { name: `byte ${offset}`, start: offset, size: 1 };
}

const hexOf = (bytes: Uint8Array): string =>
  Buffer.from(bytes)
    .reverse()
    .toString('hex');

/** The state fields where `a` and `b` differ, as "name: a vs b" (values as little-endian hex). */
export function stateDifferences(a: Uint8Array, b: Uint8Array): string[] {
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    const f = fieldAt(i);
    const [x, y] = [a.subarray(f.start, f.start + f.size), b.subarray(f.start, f.start + f.size)];
    out.push(`${f.name}: ${hexOf(x)} vs ${hexOf(y)}`);
    i = f.start + f.size - 1;
  }
  return out;
}
