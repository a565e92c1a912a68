/**
 * Plans shared memory checks: guest code often makes several accesses off one base register
 * between two control-flow points (AArch64 `ldp`/`stp` pairs, structure fields, unrolled loops).
 * Their addresses differ by constants, so one check of the whole span they cover can stand for
 * all of their individual checks.
 *
 * Within a segment of a block (straight-line code between control ops, helper calls and atomics,
 * so that every access of the segment runs once the first one has, and page flags cannot change
 * between them), each address is tracked symbolically as a base value plus a constant. Accesses
 * of one base whose span fits in a page form a group. The lowering checks the span at the
 * group's first access; when it passes (inside the window, and neither its page nor, for a
 * possible crossing, the next page denies any of the group's kinds of access) every member
 * accesses memory directly; otherwise each member runs its usual check, so faults and the slow
 * store path behave exactly as without grouping.
 *
 * Why a passing span check covers each member: with S = leader address + (lo - leader offset)
 * and 0 <= S <= 2^32 - L, member i's S + (o_i - lo) lies in [0, 2^32) and is congruent to its
 * real address modulo the width of the address arithmetic (2^64, or 2^32 for 32-bit guest
 * addresses that were zero-extended), so the two are equal.
 */
import type { Insn, IRBlock, Temp } from '../ir/block';
import { OPS } from '../ir/ops';
import { DENY_READ, DENY_WRITE, PAGE_SIZE, PageFlags } from '../../memory/layout';

/** What the lowering needs to know about one grouped access. */
export interface GroupedAccess {
  /** Group number within the block; members share the span check's result. */
  group: number;
  /** The first access of the group in program order: it computes the span check. */
  leader: boolean;
  /** Leader only: span start minus the leader's address. */
  delta: bigint;
  /** Leader only: span length in bytes (at most a page). */
  length: number;
  /** Leader only: page flag bits that must be clear on the span's page. */
  denyMask: number;
}

/** A value as base + offset; `bits` is the width the offset wraps at (that of the arithmetic). */
interface Sym {
  base: string;
  offset: bigint;
  bits: 32 | 64;
  /** An i64 zero-extended from a 32-bit sum: inside [0, 2^32), congruent modulo 2^32. */
  extended: boolean;
}

interface Access {
  insn: Insn;
  sym: Sym;
  size: number;
  store: boolean;
}

/** Groups the block's loads and stores; accesses that are not grouped are absent from the map. */
export function planAccessGroups(block: IRBlock): Map<Insn, GroupedAccess> {
  let accesses = 0;
  for (const insn of block.insns) if (insn.op === 'load' || insn.op === 'store') accesses++;
  if (accesses < 2) return new Map(); // a group has two members at least
  const defs = new Map<number, number>();
  for (const insn of block.insns) if (insn.dst) defs.set(insn.dst.id, (defs.get(insn.dst.id) ?? 0) + 1);

  const syms = new Map<number, Sym>();
  const consts = new Map<number, bigint>();
  let slots = new Map<number, Sym>();
  let generation = 0;
  let fresh = 0;
  // A temp defined on several paths may hold different values at different uses: never shared.
  const opaque = (t: Temp): Sym => ({
    base: defs.get(t.id) === 1 ? `t${t.id}` : `m${fresh++}`,
    offset: 0n,
    bits: t.type === 'i32' ? 32 : 64,
    extended: false,
  });
  const symOf = (t: Temp): Sym => syms.get(t.id) ?? opaque(t);
  /** `dst` = `a` + `by` in dst's width; over a zero-extended address the sum is not tracked. */
  const plus = (dst: Temp, a: Temp, by: bigint): Sym => {
    const s = symOf(a);
    return s.extended ? opaque(dst) : shifted(s, by);
  };
  const shifted = (s: Sym, by: bigint): Sym => ({ ...s, offset: BigInt.asIntN(s.bits, s.offset + by) });

  const result = new Map<Insn, GroupedAccess>();
  let segment: Access[] = [];
  let groups = 0;
  const closeSegment = (): void => {
    const byBase = new Map<string, Access[]>();
    for (const a of segment) {
      const key = `${a.sym.bits}:${a.sym.extended}:${a.sym.base}`;
      byBase.set(key, [...(byBase.get(key) ?? []), a]);
    }
    for (const members of byBase.values()) {
      if (members.length < 2) continue;
      const lo = members.reduce((m, a) => (a.sym.offset < m ? a.sym.offset : m), members[0]!.sym.offset);
      const hi = members.reduce((m, a) => {
        const end = a.sym.offset + BigInt(a.size);
        return end > m ? end : m;
      }, 0n - (1n << 64n));
      const length = Number(hi - lo);
      if (length > PAGE_SIZE) continue;
      let denyMask = 0;
      for (const a of members) {
        denyMask |= a.store ? DENY_WRITE : DENY_READ;
        if (length > 1) denyMask |= a.store ? PageFlags.NextDenyWrite : PageFlags.NextDenyRead;
      }
      const group = groups++;
      members.forEach((a, i) =>
        result.set(a.insn, { group, leader: i === 0, delta: lo - members[0]!.sym.offset, length, denyMask }),
      );
    }
    segment = [];
  };

  for (const insn of block.insns) {
    const dst = insn.dst;
    const single = dst !== undefined && defs.get(dst.id) === 1;
    const shape = OPS[insn.op].shape;
    if (shape === 'control' || shape === 'call' || shape === 'atomic') {
      closeSegment();
      // Past a label or a helper call, slots may hold values from other paths or the helper.
      slots = new Map();
      generation++;
      continue;
    }
    if (insn.op === 'load' || insn.op === 'store') {
      segment.push({ insn, sym: symOf(insn.args[0]!), size: insn.mem!.size, store: insn.op === 'store' });
    }
    if (insn.op === 'set') {
      slots.set(insn.imm as number, symOf(insn.args[0]!));
      continue;
    }
    if (!single || (dst.type !== 'i32' && dst.type !== 'i64')) continue;
    const bits = dst.type === 'i32' ? 32 : 64;
    const [a, b] = insn.args;
    switch (insn.op) {
      case 'const':
        consts.set(dst.id, BigInt.asIntN(bits, BigInt(insn.imm as number | bigint)));
        break;
      case 'get': {
        const offset = insn.imm as number;
        const known = slots.get(offset);
        syms.set(dst.id, known ?? { base: `s${offset}g${generation}`, offset: 0n, bits, extended: false });
        if (!known) slots.set(offset, syms.get(dst.id)!);
        break;
      }
      case 'mov':
        syms.set(dst.id, symOf(a!));
        break;
      case 'add':
        if (consts.has(b!.id)) syms.set(dst.id, plus(dst, a!, consts.get(b!.id)!));
        else if (consts.has(a!.id)) syms.set(dst.id, plus(dst, b!, consts.get(a!.id)!));
        break;
      case 'sub':
        if (consts.has(b!.id)) syms.set(dst.id, plus(dst, a!, -consts.get(b!.id)!));
        break;
      case 'zext': {
        const s = symOf(a!);
        syms.set(dst.id, { base: `z${s.base}`, offset: s.offset, bits: 32, extended: true });
        break;
      }
    }
  }
  closeSegment();
  return result;
}
