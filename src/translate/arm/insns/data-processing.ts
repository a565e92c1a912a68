/**
 * Data-processing semantics shared by A32 and T32: the sixteen ALU operations (plus Thumb's ORN)
 * on a first operand and a shifter operand, with flags, and the forms that write no register.
 */
import type { Temp } from '../../ir/block';
import type { ArmContext } from '../context';
import type { Shifted } from '../shift';

export type DpOp =
  | 'and' | 'eor' | 'sub' | 'rsb' | 'add' | 'adc' | 'sbc' | 'rsc'
  | 'tst' | 'teq' | 'cmp' | 'cmn' | 'orr' | 'mov' | 'bic' | 'mvn' | 'orn';

/** A32 opcode field (bits 24:21) order. */
export const A32_DP_OPS: readonly DpOp[] = [
  'and', 'eor', 'sub', 'rsb', 'add', 'adc', 'sbc', 'rsc', 'tst', 'teq', 'cmp', 'cmn', 'orr', 'mov', 'bic', 'mvn',
];

/** T32 opcode field (bits 24:21 of the first halfword pair) order; undefined entries are other instructions. */
export const T32_DP_OPS: readonly (DpOp | undefined)[] = [
  'and', 'bic', 'orr', 'orn', 'eor', undefined, undefined, undefined,
  'add', undefined, 'adc', 'sbc', undefined, 'sub', 'rsb', undefined,
];

const LOGICAL = new Set<DpOp>(['and', 'eor', 'tst', 'teq', 'orr', 'mov', 'bic', 'mvn', 'orn']);
const NO_RESULT = new Set<DpOp>(['tst', 'teq', 'cmp', 'cmn']);

/**
 * Rd = Rn <op> operand; with `s`, NZCV as the manual gives (logical ops take C from the shifter).
 * `rn` is ignored by mov/mvn; `rd` by the compare forms.
 */
export function dataProcessing(ctx: ArmContext, op: DpOp, s: boolean, rd: number, rn: number, operand: Shifted): void {
  const b = ctx.b;
  const m = operand.value;
  const a = (): Temp => ctx.r(rn);
  const carryIn = (): Temp => ctx.carry();
  let result: Temp;
  switch (op) {
    case 'and':
    case 'tst':
      result = b.and(a(), m);
      break;
    case 'eor':
    case 'teq':
      result = b.xor(a(), m);
      break;
    case 'orr':
      result = b.or(a(), m);
      break;
    case 'orn':
      result = b.or(a(), b.unary('not', m));
      break;
    case 'bic':
      result = b.and(a(), b.unary('not', m));
      break;
    case 'mov':
      result = m;
      break;
    case 'mvn':
      result = b.unary('not', m);
      break;
    case 'add':
    case 'cmn':
      result = ctx.addCarry(a(), m, undefined, s);
      break;
    case 'adc':
      result = ctx.addCarry(a(), m, carryIn(), s);
      break;
    case 'sub':
    case 'cmp':
      result = ctx.subCarry(a(), m, undefined, s);
      break;
    case 'sbc':
      result = ctx.subCarry(a(), m, carryIn(), s);
      break;
    case 'rsb':
      result = ctx.subCarry(m, a(), undefined, s);
      break;
    case 'rsc':
      result = ctx.subCarry(m, a(), carryIn(), s);
      break;
  }
  if (s && LOGICAL.has(op)) {
    ctx.setNZ(result);
    if (operand.carry) ctx.setC(operand.carry);
  }
  if (!NO_RESULT.has(op)) ctx.setRAlu(rd, result);
}
