/**
 * A vCPU engine's private words in the guest window: its lookup cache (engine/dispatcher.ts), its
 * software TLB's tables (tlb.ts), the bounce buffer where the slow load path leaves a device
 * register's value or a page-crossing load's bytes (memory-path.ts), and the dispatcher's budget
 * word. Its dispatcher and generated code are built against these addresses, so engines sharing
 * the one memory (vCPUs on host threads, docs/smp.md) each need an area of their own. An area
 * takes 5 MiB, more than the private area of layout.ts has free for several, so areas go in a
 * range of the window the guest never reaches through the window, which the board names (virt:
 * its devices' part of the map below RAM; devices are reached through the MMIO bus only, and no TLB
 * entry ever points there).
 */
import { LOOKUP_SIZE, PAGE_SIZE } from '../../memory/layout';
import { tlbTableSize, type SoftTlbLayout } from '../../translate/wasm/soft-tlb';
import type { RamRange } from './mmu';
import { TLB_TABLES, tlbLayout } from './tlb';

export interface VcpuArea {
  /** The engine's lookup cache (EngineOptions.lookupBase). */
  lookupBase: number;
  /** Its software TLB's tables. */
  tlb: SoftTlbLayout;
  /** 16 bytes the slow load path returns device values and page-crossing bytes in. */
  bounceBuffer: number;
  /** The dispatcher's i32 budget (EngineSoftMmu.budgetWord). */
  budgetWord: number;
}

const BOUNCE_BUFFER_SIZE = 16;
const TABLES_SIZE = TLB_TABLES * tlbTableSize(tlbLayout(0));

/** Bytes one area takes, in whole pages. */
export const VCPU_AREA_SIZE =
  Math.ceil((LOOKUP_SIZE + TABLES_SIZE + BOUNCE_BUFFER_SIZE + 4) / PAGE_SIZE) * PAGE_SIZE;

/** The area of vCPU engine `index` in `space` (window addresses the guest never reaches through the window). */
export function vcpuArea(space: RamRange, index: number): VcpuArea {
  const base = space.base + index * VCPU_AREA_SIZE;
  if (base + VCPU_AREA_SIZE > space.base + space.size) {
    throw new Error(`the private words of vCPU ${index} do not fit the board's engine space`);
  }
  const tlb = tlbLayout(base + LOOKUP_SIZE);
  const bounceBuffer = tlb.base + TABLES_SIZE;
  return { lookupBase: base, tlb, bounceBuffer, budgetWord: bounceBuffer + BOUNCE_BUFFER_SIZE };
}
