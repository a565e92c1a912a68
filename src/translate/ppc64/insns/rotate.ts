/**
 * Fixed-point rotate instructions (Power ISA 3.0 Book I 3.3.14.1): rlwinm, rlwnm, rlwimi (M form)
 * and rldicl, rldicr, rldic, rldimi, rldcl, rldcr (MD and MDS forms).
 *
 * Word rotates rotate the low word duplicated into both halves (ROTL32), so a wrapping mask
 * (mb > me) lets the rotated word through into the high half too, as the ISA defines.
 */
import type { Temp } from '../../ir/block';
import type { PpcContext, PpcHandler } from '../context';

/** MASK(mb, me) in the ISA's bit numbering (bit 0 most significant), 64 bits wide; wraps when mb > me. */
export function mask64(mb: number, me: number): bigint {
  const fromMb = (1n << BigInt(64 - mb)) - 1n;
  const toMe = ~((1n << BigInt(63 - me)) - 1n) & ((1n << 64n) - 1n);
  return mb <= me ? fromMb & toMe : fromMb | toMe;
}

/**
 * ROTL32(low word of rs, n) for a result masked with `m`: the rotated word in both halves of an
 * i64, or only in the low half when the mask keeps nothing of the high one (the usual clrlwi,
 * slwi, srwi...). A rotation by a constant 0 is the word itself.
 */
function rotl32(ctx: PpcContext, rs: number, n: Temp | number, m: bigint): Temp {
  const b = ctx.b;
  const word = ctx.w(rs);
  const r = b.zext(n === 0 ? word : b.binary('rotl', word, typeof n === 'number' ? b.i32(n) : n));
  return m >> 32n === 0n ? r : b.or(r, b.shl(r, b.i64(32)));
}

const MASK_ALL = (1n << 64n) - 1n;

/** RA = (rotated & m) | (RA & ~m) when inserting, else rotated & m. */
function finish(ctx: PpcContext, f: Record<string, number>, rotated: Temp, m: bigint, insert: boolean): boolean {
  const b = ctx.b;
  let r = m === MASK_ALL ? rotated : b.and(rotated, b.i64(m));
  if (insert) r = b.or(r, b.and(ctx.r(f.ra), b.i64(~m)));
  ctx.setRc(f.ra, r, f.rc);
  return true;
}

/**
 * rotl(x, n) & m for a constant n, x an i32 or i64 and m within its width: a plain shift when the
 * mask keeps only bits one shift produces (slwi, srwi, sldi, srdi, clrlsldi...), and no mask when
 * it keeps all of them. A rotate and a 64-bit mask cost V8 up to four instructions where the shift
 * is one.
 */
function rotlMasked(ctx: PpcContext, x: Temp, n: number, m: bigint): Temp {
  const b = ctx.b;
  const width = x.type === 'i64' ? 64 : 32;
  const all = (1n << BigInt(width)) - 1n;
  // The bits a rotation by n brings round from the top.
  const wrapped = (1n << BigInt(n)) - 1n;
  let r = x;
  let produced = all;
  if (n !== 0 && (m & wrapped) === 0n) {
    r = b.shl(x, b.imm(x, n));
    produced = all ^ wrapped;
  } else if (n !== 0 && (m & ~wrapped & all) === 0n) {
    r = b.shrU(x, b.imm(x, width - n));
    produced = wrapped;
  } else if (n !== 0) {
    r = b.binary('rotl', x, b.imm(x, n));
  }
  return m === produced ? r : b.and(r, b.imm(x, m));
}

const wordMask = (f: Record<string, number>): bigint => mask64(f.mb + 32, f.me + 32);
const rlwinm: PpcHandler = (ctx, f) => {
  const m = wordMask(f);
  // A wrapping mask (mb > me) lets the rotated word into the high half too.
  if (m >> 32n !== 0n) return finish(ctx, f, rotl32(ctx, f.rs, f.sh, m), m, false);
  ctx.setRc(f.ra, ctx.b.zext(rotlMasked(ctx, ctx.w(f.rs), f.sh, m)), f.rc);
  return true;
};
const rlwimi: PpcHandler = (ctx, f) => finish(ctx, f, rotl32(ctx, f.rs, f.sh, wordMask(f)), wordMask(f), true);
const rlwnm: PpcHandler = (ctx, f) => {
  const n = ctx.b.and(ctx.w(f.rb), ctx.b.i32(31));
  return finish(ctx, f, rotl32(ctx, f.rs, n, wordMask(f)), wordMask(f), false);
};

/** MD-form shift and mask-boundary fields (their sixth bit is encoded last). */
const sh6 = (f: Record<string, number>): number => (f.sh5 << 5) | f.sh;
const mb6 = (f: Record<string, number>): number => (f.mb5 << 5) | f.mb;
const rotl64 = (ctx: PpcContext, rs: number, n: number): Temp => (n === 0 ? ctx.r(rs) : ctx.b.binary('rotl', ctx.r(rs), ctx.b.i64(n)));

/** rldicl, rldicr, rldic: RS rotated by SH, under the mask the form derives from SH and MB/ME. */
const rotateImmediate =
  (maskOf: (sh: number, mb: number) => bigint): PpcHandler =>
  (ctx, f) => {
    ctx.setRc(f.ra, rotlMasked(ctx, ctx.r(f.rs), sh6(f), maskOf(sh6(f), mb6(f))), f.rc);
    return true;
  };
const rldicl = rotateImmediate((_sh, mb) => mask64(mb, 63));
const rldicr = rotateImmediate((_sh, me) => mask64(0, me));
const rldic = rotateImmediate((sh, mb) => mask64(mb, 63 - sh));
const rldimi: PpcHandler = (ctx, f) => finish(ctx, f, rotl64(ctx, f.rs, sh6(f)), mask64(mb6(f), 63 - sh6(f)), true);
/** rldcl/rldcr: rotate by RB's low 6 bits. */
const rldc =
  (left: boolean): PpcHandler =>
  (ctx, f) => {
    const b = ctx.b;
    const rotated = b.binary('rotl', ctx.r(f.rs), b.and(ctx.r(f.rb), b.i64(63)));
    return finish(ctx, f, rotated, left ? mask64(mb6(f), 63) : mask64(0, mb6(f)), false);
  };

export const ROTATE_ROWS = [
  ['010101 rs:5 ra:5 sh:5 mb:5 me:5 rc:1', 'rlwinm', rlwinm],
  ['010100 rs:5 ra:5 sh:5 mb:5 me:5 rc:1', 'rlwimi', rlwimi],
  ['010111 rs:5 ra:5 rb:5 mb:5 me:5 rc:1', 'rlwnm', rlwnm],
  ['011110 rs:5 ra:5 sh:5 mb:5 mb5:1 000 sh5:1 rc:1', 'rldicl', rldicl],
  ['011110 rs:5 ra:5 sh:5 mb:5 mb5:1 001 sh5:1 rc:1', 'rldicr', rldicr],
  ['011110 rs:5 ra:5 sh:5 mb:5 mb5:1 010 sh5:1 rc:1', 'rldic', rldic],
  ['011110 rs:5 ra:5 sh:5 mb:5 mb5:1 011 sh5:1 rc:1', 'rldimi', rldimi],
  ['011110 rs:5 ra:5 rb:5 mb:5 mb5:1 1000 rc:1', 'rldcl', rldc(true)],
  ['011110 rs:5 ra:5 rb:5 mb:5 mb5:1 1001 rc:1', 'rldcr', rldc(false)],
] as const;
