/**
 * A64 single and pair register loads and stores (ARM ARM C4.1.66 "Loads and Stores"): the unsigned
 * scaled offset, unscaled (LDUR/STUR), pre- and post-indexed, unprivileged (LDTR/STTR), register
 * offset and PC-relative literal forms of LDR/STR and their byte, halfword and sign-extending
 * variants; LDP/STP/LDPSW/LDNP/STNP in every index mode; the SIMD&FP register forms of all of them;
 * and PRFM/PRFUM, which do nothing.
 *
 * Write-back forms compute the address once, access memory, then write the base register. When the
 * base is also a loaded register (CONSTRAINED UNPREDICTABLE), the write-back wins, as in QEMU;
 * stores of the base register store its value from before the write-back.
 */
import type { Temp } from '../../ir/block';
import type { A64Context, A64Handler } from '../context';
import { extendReg } from './alu';
import { fpr, gpr, loadInto, loadValue, readValue, storeFrom, writeValue, type Transfer } from './transfer';

/** What a single-register encoding (size, V, opc) does. */
type Single = { load: boolean; t: Transfer } | 'prefetch' | undefined;

/**
 * The operation of the size:V:opc fields shared by all single-register forms (C4.1.66, table
 * "Load/store register"). opc<1> on the general side selects the sign-extending loads (or PRFM at
 * size 3); on the SIMD&FP side it extends the size to 128 bits.
 */
function single(size: number, v: number, opc: number): Single {
  if (v) {
    const sizeLog = ((opc >> 1) << 2) | size;
    return sizeLog > 4 ? undefined : { load: (opc & 1) === 1, t: fpr(sizeLog) };
  }
  if (opc < 2) return { load: opc === 1, t: gpr(size) };
  if (size === 3) return opc === 2 ? 'prefetch' : undefined;
  if (opc === 3 && size === 2) return undefined;
  return { load: true, t: gpr(size, true, opc === 3) };
}

/** log2 of the bytes a single-register access of these fields moves (its offset scale). */
const scaleOf = (size: number, v: number, opc: number): number => (v ? ((opc >> 1) << 2) | size : size);

function access(ctx: A64Context, op: { load: boolean; t: Transfer }, rt: number, addr: Temp): void {
  if (op.load) loadInto(ctx, op.t, rt, addr);
  else storeFrom(ctx, op.t, rt, addr);
}

/**
 * How the base register and offset give the address: 'offset' [Xn, #imm] without write-back,
 * 'post' [Xn], #imm (access at Xn, then Xn += imm), 'pre' [Xn, #imm]! (Xn += imm, access there).
 */
type Index = 'offset' | 'post' | 'pre';

/** The access address for `mode`, and the write-back to do after the access (if any). */
function address(ctx: A64Context, rn: number, offset: number, mode: Index): [Temp, () => void] {
  const b = ctx.b;
  const base = ctx.xsp(rn);
  if (mode === 'offset') return [offset === 0 ? base : b.add(base, b.i64(offset)), () => {}];
  const moved = b.add(base, b.i64(offset));
  return [mode === 'pre' ? moved : base, () => ctx.setRegSP(rn, moved)];
}

/** Single register with a base and constant offset, in any index mode. */
function singleImm(ctx: A64Context, f: Record<string, number>, offset: number, mode: Index): boolean {
  const op = single(f.size, f.v, f.opc);
  if (op === undefined) return false;
  if (op === 'prefetch') return mode === 'offset';
  const [addr, writeBack] = address(ctx, f.rn, offset, mode);
  access(ctx, op, f.rt, addr);
  writeBack();
  return true;
}

const unsignedImm: A64Handler = (ctx, f) => singleImm(ctx, f, f.imm * 2 ** scaleOf(f.size, f.v, f.opc), 'offset');
const unscaled: A64Handler = (ctx, f) => singleImm(ctx, f, f.imm, 'offset');
const postIndex: A64Handler = (ctx, f) => singleImm(ctx, f, f.imm, 'post');
const preIndex: A64Handler = (ctx, f) => singleImm(ctx, f, f.imm, 'pre');
/** LDTR/STTR and friends: at EL0 they are ordinary accesses; there are no SIMD&FP or PRFM forms. */
const unprivileged: A64Handler = (ctx, f) => {
  if (f.v || (f.size === 3 && f.opc >= 2)) return false;
  return singleImm(ctx, f, f.imm, 'offset');
};

/** [Xn, Rm{, extend {#amount}}]: Rm extended by option, shifted by the access size when S = 1. */
const registerOffset: A64Handler = (ctx, f) => {
  const op = single(f.size, f.v, f.opc);
  if (op === undefined || (f.option & 2) === 0) return false;
  if (op === 'prefetch') return true;
  const offset = extendReg(ctx, 1, f.rm, f.option, f.s ? scaleOf(f.size, f.v, f.opc) : 0);
  access(ctx, op, f.rt, ctx.b.add(ctx.xsp(f.rn), offset));
  return true;
};

/** LDR (literal) by opc: W, X, LDRSW, PRFM; the SIMD&FP forms are S, D, Q. */
const literal: A64Handler = (ctx, f) => {
  const t = f.v ? (f.opc === 3 ? undefined : fpr(f.opc + 2)) : f.opc === 3 ? 'prefetch' : gpr(f.opc === 1 ? 3 : 2, f.opc === 2);
  if (t === undefined) return false;
  if (t !== 'prefetch') loadInto(ctx, t, f.rt, ctx.b.i64(ctx.pc + f.imm * 4));
  return true;
};

/**
 * The register transfer of a pair encoding (opc, V, L), or undefined if unallocated: opc 0 and 2
 * are 32- and 64-bit general pairs, opc 1 is LDPSW (its store form is MTE's STGP, not implemented);
 * on the SIMD&FP side opc 0..2 are S, D and Q pairs.
 */
function pairTransfer(opc: number, v: number, load: number, mode: Index | 'no-allocate'): Transfer | undefined {
  if (v) return opc === 3 ? undefined : fpr(opc + 2);
  if (opc === 1) return load && mode !== 'no-allocate' ? gpr(2, true) : undefined;
  return opc === 3 ? undefined : gpr(2 + (opc >> 1));
}

/**
 * LDP/STP/LDPSW/LDNP/STNP: Rt at the address, Rt2 after it. Both loads complete before either
 * register is written, so a fault leaves the registers as they were; Rt is written last, so it
 * wins when Rt == Rt2 (as in QEMU).
 */
function pair(mode: Index | 'no-allocate'): A64Handler {
  return (ctx, f) => {
    const t = pairTransfer(f.opc, f.v, f.l, mode);
    if (t === undefined) return false;
    const b = ctx.b;
    const [first, writeBack] = address(ctx, f.rn, f.imm * t.bytes, mode === 'no-allocate' ? 'offset' : mode);
    const second = b.add(first, b.i64(t.bytes));
    if (f.l) {
      const v1 = loadValue(ctx, t, first);
      const v2 = loadValue(ctx, t, second);
      writeValue(ctx, t, f.rt2, v2);
      writeValue(ctx, t, f.rt, v1);
    } else {
      const v1 = readValue(ctx, t, f.rt);
      const v2 = readValue(ctx, t, f.rt2);
      b.store(first, v1, t.bytes);
      b.store(second, v2, t.bytes);
    }
    writeBack();
    return true;
  };
}

const SINGLE = 'size:2 111 v:1 00 opc:2 0 imm:s9';
const PAIR = 'opc:2 101 v:1 0';
const PAIR_TAIL = 'l:1 imm:s7 rt2:5 rn:5 rt:5';

export const LOAD_STORE_ROWS = [
  ['size:2 111 v:1 01 opc:2 imm:12 rn:5 rt:5', 'LDR/STR (unsigned offset)', unsignedImm],
  [`${SINGLE} 00 rn:5 rt:5`, 'LDUR/STUR', unscaled],
  [`${SINGLE} 01 rn:5 rt:5`, 'LDR/STR (post-index)', postIndex],
  [`${SINGLE} 10 rn:5 rt:5`, 'LDTR/STTR', unprivileged],
  [`${SINGLE} 11 rn:5 rt:5`, 'LDR/STR (pre-index)', preIndex],
  ['size:2 111 v:1 00 opc:2 1 rm:5 option:3 s:1 10 rn:5 rt:5', 'LDR/STR (register)', registerOffset],
  ['opc:2 011 v:1 00 imm:s19 rt:5', 'LDR (literal)', literal],
  [`${PAIR} 00 ${PAIR_TAIL}`, 'LDNP/STNP', pair('no-allocate')],
  [`${PAIR} 01 ${PAIR_TAIL}`, 'LDP/STP (post-index)', pair('post')],
  [`${PAIR} 10 ${PAIR_TAIL}`, 'LDP/STP (signed offset)', pair('offset')],
  [`${PAIR} 11 ${PAIR_TAIL}`, 'LDP/STP (pre-index)', pair('pre')],
] as const;
