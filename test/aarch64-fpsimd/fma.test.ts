/**
 * Fused multiply-add against qemu-aarch64 (both tsemu executors) on inputs built to be hard for an emulation without a
 * hardware fma: addends that nearly cancel the product (so the product's low bits decide the
 * result), ties, huge and tiny magnitudes, and zeros of both signs.
 */
import { describe, expect, it } from 'vitest';
import { FPSR_DZC, FPSR_IOC } from '../../src/translate/aarch64/insns/fp-soft';
import { EXECUTORS, describeMismatches, runQemuVec, runTsemuVec, type VecInput } from './vector-differential';

const f64Bits = (x: number): bigint => {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x, true);
  return view.getBigUint64(0, true);
};
const f32Bits = (x: number): bigint => {
  const view = new DataView(new ArrayBuffer(4));
  view.setFloat32(0, x, true);
  return BigInt(view.getUint32(0, true));
};

function makeInputs(single: boolean, count: number): VecInput[] {
  let seed = 0x12345678;
  const rand = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const round = single ? Math.fround : (x: number): number => x;
  const bits = single ? f32Bits : f64Bits;
  const inputs: VecInput[] = [];
  for (let i = 0; i < count; i++) {
    const scale = 2 ** Math.floor((rand() - 0.5) * (i % 4 === 3 ? (single ? 250 : 2000) : 40));
    const a = round((rand() - 0.5) * scale);
    const b = round((rand() - 0.5) * 3);
    let c: number;
    switch (i % 5) {
      case 0: // nearly cancels: the exact product's tail decides
        c = round(-(a * b) * (1 + (rand() - 0.5) * 2 ** -20));
        break;
      case 1:
        c = round(-(a * b));
        break;
      case 2:
        c = i % 2 ? 0 : -0;
        break;
      default:
        c = round((rand() - 0.5) * scale);
    }
    inputs.push({ v: [0n, bits(a), bits(b), bits(c), 0n, 0n, 0n, 0n], x: [0n, 0n, 0n, 0n], nzcv: 0, fpcr: 0 });
  }
  return inputs;
}

const FPSR_SLOT = 8 + 4 + 1;
const FPSR_CHECKED = BigInt(FPSR_IOC | FPSR_DZC);

const CASES: [string, boolean][] = [
  ['fmadd d0, d1, d2, d3', false],
  ['fmsub d0, d1, d2, d3', false],
  ['fnmadd d0, d1, d2, d3', false],
  ['fnmsub d0, d1, d2, d3', false],
  ['fmadd s0, s1, s2, s3', true],
  ['fnmsub s0, s1, s2, s3', true],
  ['fmla v3.2d, v1.2d, v2.2d', false],
  ['fmls v3.4s, v1.4s, v2.4s', true],
  ['fmla v3.2s, v1.2s, v2.s[0]', true],
];

describe('fused multiply-add against qemu-aarch64', () => {
  it.each(CASES)('%s', async (insn, single) => {
    const inputs = makeInputs(single, 400);
    // FPSR: only IOC and DZC are tracked on the fast path.
    const mask = (rows: bigint[][]): bigint[][] => rows.map((r) => r.map((v, k) => (k === FPSR_SLOT ? v & FPSR_CHECKED : v)));
    const want = mask((await runQemuVec([[insn]], inputs))[0]!);
    for (const [name, execute] of EXECUTORS) {
      const got = mask(runTsemuVec([insn], inputs, execute));
      expect(describeMismatches([`${insn} (${name})`], inputs, want, got).slice(0, 4)).toEqual([]);
    }
  });
});
