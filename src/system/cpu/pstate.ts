/**
 * PSTATE of the EL1 CPU: where each field lives (the NZCV flag slots, CURRENT_EL and DAIF where
 * translated code reads them; SPSel with the system CPU's words, shared-state.ts) and its packing as SPSR_ELx stores it
 * (ARM ARM D1.6.4: N Z C V in bits 31:28, D A I F in 9:6, M[3:0] = EL << 2 | SPSel).
 */
import { CF, NF, SP, VF, ZF } from '../../translate/aarch64/state';
import { BANKED_SP_EL0, CURRENT_EL, DAIF, SP_EL0_BANKED } from '../../translate/aarch64/insns/el1-state';
import { BANKED_SP_EL1, SPSEL } from './shared-state';
import { TLB_INDEX, tlbIndex } from './tlb';

const FLAG_SLOTS = [
  [NF, 31],
  [ZF, 30],
  [CF, 29],
  [VF, 28],
] as const;

/** DAIF bits as they sit in PSTATE/SPSR/the DAIF register (bits 9:6). */
export const DAIF_D = 1 << 9;
export const DAIF_A = 1 << 8;
export const DAIF_I = 1 << 7;
export const DAIF_F = 1 << 6;
export const DAIF_ALL = DAIF_D | DAIF_A | DAIF_I | DAIF_F;

/** PSTATE fields the system CPU keeps, with the banked stack pointers. */
export class Pstate {
  /** The address-space context whose TLB tables are in force (the level picks one of them). */
  private tlbContext = 0;

  constructor(
    private readonly view: DataView,
    private readonly base: number,
  ) {}

  /** SPSel: 1 uses SP_ELx at ELx > 0. */
  get spSel(): number {
    return this.view.getUint32(this.base + SPSEL, true);
  }

  set spSel(value: number) {
    this.view.setUint32(this.base + SPSEL, value, true);
  }

  /** PSTATE.DAIF (bits 9:6), in the state block, where translated code masks interrupts too. */
  get daif(): number {
    return this.view.getUint32(this.base + DAIF, true);
  }

  set daif(value: number) {
    this.view.setUint32(this.base + DAIF, value & DAIF_ALL, true);
  }

  get el(): number {
    return this.view.getUint32(this.base + CURRENT_EL, true);
  }

  /** Which SP_ELn the SP slot holds now. */
  private spIndex(el = this.el, spSel = this.spSel): number {
    return el > 0 && spSel ? el : 0;
  }

  /** Switches exception level and SPSel, swapping the stack pointer between slot and bank. */
  setLevel(el: number, spSel: number): void {
    const from = this.spIndex();
    const to = this.spIndex(el, spSel);
    if (from !== to) {
      this.setBanked(from, this.view.getBigUint64(this.base + SP, true));
      this.view.setBigUint64(this.base + SP, this.banked(to), true);
    }
    this.view.setUint32(this.base + SP_EL0_BANKED, Number(to !== 0), true);
    this.view.setUint32(this.base + CURRENT_EL, el, true);
    this.view.setUint32(this.base + TLB_INDEX, tlbIndex(this.tlbContext, el), true);
    this.spSel = spSel;
  }

  /** Switches to the TLB tables of address-space context `context` (tlb.ts). */
  setTlbContext(context: number): void {
    this.tlbContext = context;
    this.view.setUint32(this.base + TLB_INDEX, tlbIndex(context, this.el), true);
  }

  /** The TLB table in force: the context's, for the current level. */
  get tlbIndex(): number {
    return tlbIndex(this.tlbContext, this.el);
  }

  /** SP_ELn's value, whether it is current or banked. */
  sp(n: number): bigint {
    return this.spIndex() === n ? this.view.getBigUint64(this.base + SP, true) : this.banked(n);
  }

  setSp(n: number, value: bigint): void {
    if (this.spIndex() === n) this.view.setBigUint64(this.base + SP, value, true);
    else this.setBanked(n, value);
  }

  /** Both banked stack pointers zero (reset). */
  clearBankedSp(): void {
    this.setBanked(0, 0n);
    this.setBanked(1, 0n);
  }

  private banked(n: number): bigint {
    return this.view.getBigUint64(this.base + (n === 0 ? BANKED_SP_EL0 : BANKED_SP_EL1), true);
  }

  private setBanked(n: number, value: bigint): void {
    this.view.setBigUint64(this.base + (n === 0 ? BANKED_SP_EL0 : BANKED_SP_EL1), value, true);
  }

  nzcv(): number {
    let word = 0;
    for (const [slot, bit] of FLAG_SLOTS) word |= (this.view.getUint32(this.base + slot, true) & 1) << bit;
    return word >>> 0;
  }

  setNzcv(word: number): void {
    for (const [slot, bit] of FLAG_SLOTS) this.view.setUint32(this.base + slot, (word >>> bit) & 1, true);
  }

  /** PSTATE packed as an SPSR value. */
  toSpsr(): bigint {
    return BigInt((this.nzcv() | this.daif | (this.el << 2) | this.spSel) >>> 0);
  }

  /** Restores PSTATE from an SPSR value (exception return). */
  fromSpsr(spsr: bigint): void {
    const word = Number(spsr & 0xffffffffn);
    this.setNzcv(word);
    this.daif = word & DAIF_ALL;
    this.setLevel((word >> 2) & 3, word & 1);
  }
}
