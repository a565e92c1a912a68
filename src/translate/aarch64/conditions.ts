/**
 * ARM condition codes (A64 and A32/T32 share them) on the flags of a subtraction a - c (CMP, SUBS):
 * the conditions that are one compare of a and c, for frontends that know NZCV hold such flags.
 */
import type { CompareOp } from '../ir/builder';

/** Conditions (by cond >> 1: EQ, CS, HI, GE, GT) after NZCV of a - c, as compares of a and c: [holds, fails]. */
export const SUBTRACTION_COMPARES: Partial<Record<number, readonly [CompareOp, CompareOp]>> = {
  0: ['eq', 'ne'],
  1: ['ge_u', 'lt_u'],
  4: ['gt_u', 'le_u'],
  5: ['ge_s', 'lt_s'],
  6: ['gt_s', 'le_s'],
};
