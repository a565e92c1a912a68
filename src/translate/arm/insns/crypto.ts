/**
 * ARMv8's AArch32 cryptographic extension (ARM ARM F6 "Advanced SIMD and floating-point": AESE,
 * AESD, AESMC, AESIMC, SHA1C/P/M/SU0, SHA256H/H2/SU1, SHA1H, SHA1SU1, SHA256SU0 and VMULL.P64) and
 * CRC32B/H/W, CRC32CB/H/W, in A32 and T32, with the IR builders A64 shares
 * (src/translate/crypto). Only a CPU with the extension decodes them (insns/index.ts): on ARMv7 the
 * SIMD forms are undefined and the CRC encodings unallocated.
 */
import { aesRound, invMixColumns, mixColumns } from '../../crypto/aes';
import { crc32 } from '../../crypto/crc32';
import { pmull64 } from '../../crypto/pmull64';
import { SHA1_FUNCTIONS, sha1Hash, sha1h, sha1su0, sha1su1 } from '../../crypto/sha1';
import { sha256Hash, sha256su0, sha256su1 } from '../../crypto/sha256';
import type { Temp } from '../../ir/block';
import type { ArmContext, ArmHandler } from '../context';
import { dreg } from '../state';
import { vec, write } from './neon-simd';

type Row = readonly [string, string, ArmHandler];

/** A D register number from its top bit and low four bits. */
const dNumber = (top: number | undefined, low: number | undefined): number => (top! << 4) | low!;

/** Runs `emit` on the Q registers d, n, m (D register numbers, which must be even) and writes its result to Qd. */
function onQ(ctx: ArmContext, regs: readonly number[], emit: (q: readonly Temp[]) => Temp): true {
  if (regs.some((r) => r & 1)) return ctx.undefined();
  return write(ctx, regs[0]!, emit(regs.map((r) => vec(ctx, r, true))), true);
}

const aes: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  return onQ(ctx, [dNumber(f.d, f.vd), dNumber(f.m, f.vm)], ([d, m]) =>
    [
      () => aesRound(b, d!, m!, false),
      () => aesRound(b, d!, m!, true),
      () => mixColumns(b, m!),
      () => invMixColumns(b, m!),
    ][f.op!]!(),
  );
};

/** SHA1C/P/M/SU0 (u = 0) and SHA256H/H2/SU1 (u = 1; op 3 is another instruction). */
const sha3Reg: ArmHandler = (ctx, f) => {
  const b = ctx.b;
  const op = f.op!;
  if (f.u === 1 && op === 3) return false;
  return onQ(ctx, [dNumber(f.d, f.vd), dNumber(f.n, f.vn), dNumber(f.m, f.vm)], ([d, n, m]) => {
    if (f.u === 0) return op < 3 ? sha1Hash(b, d!, n!, m!, SHA1_FUNCTIONS[op]!) : sha1su0(b, d!, n!, m!);
    if (op === 0) return sha256Hash(b, d!, n!, m!, true);
    return op === 1 ? sha256Hash(b, n!, d!, m!, false) : sha256su1(b, d!, n!, m!);
  });
};

const sha1hRow: ArmHandler = (ctx, f) =>
  onQ(ctx, [dNumber(f.d, f.vd), dNumber(f.m, f.vm)], ([, m]) => sha1h(ctx.b, m!));

/** SHA1SU1 (op 0) and SHA256SU0 (op 1). */
const sha2Reg: ArmHandler = (ctx, f) =>
  onQ(ctx, [dNumber(f.d, f.vd), dNumber(f.m, f.vm)], ([d, m]) => (f.op ? sha256su0 : sha1su1)(ctx.b, d!, m!));

/** VMULL.P64 Qd, Dn, Dm. */
const vmullP64: ArmHandler = (ctx, f) => {
  const d = dNumber(f.d, f.vd);
  if (d & 1) return ctx.undefined();
  pmull64(ctx.b, dreg(d), dreg(dNumber(f.n, f.vn)), dreg(dNumber(f.m, f.vm)));
  return true;
};

/** CRC32{C}{B,H,W} Rd, Rn, Rm: sz 3 is unpredictable, undefined here as under QEMU. */
const crc: ArmHandler = (ctx, f) => {
  if (f.sz === 3) return ctx.undefined();
  const b = ctx.b;
  ctx.setR(f.rd!, crc32(b, f.c === 1, ctx.r(f.rn!), 1 << f.sz!, ctx.r(f.rm!)));
  return true;
};

/** The SIMD rows' low 24 bits, after the A32 (1111 001U) or T32 (111U 1111) prefix; `u` is written where it is fixed. */
const SIMD: readonly [u: 0 | 1 | undefined, low: string, name: string, handler: ArmHandler][] = [
  [1, '1 d:1 11 00 00 vd:4 0011 op:2 m:1 0 vm:4', 'AESE/AESD/AESMC/AESIMC', aes],
  [1, '1 d:1 11 10 01 vd:4 0010 11 m:1 0 vm:4', 'SHA1H', sha1hRow],
  [1, '1 d:1 11 10 10 vd:4 0011 1 op:1 m:1 0 vm:4', 'SHA1SU1/SHA256SU0', sha2Reg],
  [undefined, '0 d:1 op:2 vn:4 vd:4 1100 n:1 1 m:1 0 vm:4', 'SHA1C/P/M/SU0, SHA256H/H2/SU1', sha3Reg],
  [0, '1 d:1 10 vn:4 vd:4 1110 n:1 0 m:1 0 vm:4', 'VMULL.P64', vmullP64],
];

const uField = (u: 0 | 1 | undefined): string => (u === undefined ? 'u:1' : `${u}`);

/** The SIMD rows (unconditional A32 space). */
export const CRYPTO_A32_ROWS: readonly Row[] = SIMD.map(([u, low, name, handler]): Row => [
  `1111 001 ${uField(u)} ${low}`,
  name,
  handler,
]);

/** The CRC rows (conditional A32 space). */
export const CRC32_A32_ROWS: readonly Row[] = [
  ['.... 0001 0 sz:2 0 rn:4 rd:4 00 c:1 0 0100 rm:4', 'CRC32/CRC32C', crc],
];

export const CRYPTO_T32_ROWS: readonly Row[] = [
  ...SIMD.map(([u, low, name, handler]): Row => [`111 ${uField(u)} 1111 ${low}`, name, handler]),
  ['1111 1010 110 c:1 rn:4 1111 rd:4 10 sz:2 rm:4', 'CRC32/CRC32C', crc],
];
