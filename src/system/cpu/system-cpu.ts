/**
 * One EL1 AArch64 CPU of a system-mode machine: drives the shared engine with its software MMU
 * (generated code translates virtual addresses through the TLB; memory-path.ts serves misses,
 * devices and faults) and turns each trap into what the hardware does: system instructions carried
 * out (system-insns.ts), refused accesses and fetches as aborts, everything else an exception to
 * EL1. Pending IRQs and FIQs are taken at block boundaries.
 *
 * The CPU runs in slices on Node's event loop, so chardevs and monitors keep being served: a slice
 * ends after SLICE_MS, at an IRQ, or at WFI, which idles (no host CPU) until the timer fires or a
 * device raises an interrupt.
 */
import { GuestMemory } from '../../memory/guest-memory';
import { STATE_BASE, STATE_SIZE } from '../../memory/layout';
import { aarch64FrontendFor } from '../../translate/aarch64/frontend';
import { xreg } from '../../translate/aarch64/state';
import { Engine } from '../../translate/engine/engine';
import { STATE_FAULT_ADDR, STATE_TRAP_ARG } from '../../translate/frontend';
import { TrapKind } from '../../translate/ir/ops';
import type { MmioBus } from '../devices/mmio';
import type { CpuModel } from './cpu-model';
import { ExceptionClass, takeException } from './exceptions';
import { FSC_EXTERNAL_ABORT, MemoryPath } from './memory-path';
import { Mmu, type RamRange } from './mmu';
import { DAIF_F, DAIF_I } from './pstate';
import { CpuRegisters } from './registers';
import { executeSystemInsn, type SystemServices } from './system-insns';
import { DISPATCH_BUDGET, SoftTlb, TLB_LAYOUT } from './tlb';

const SLICE_MS = 20;
const MAX_BLOCK_INSNS = 512;
const FSC_ALIGNMENT = 0x21;
/** ISS.WnR: the abort was caused by a write. */
const ISS_WNR = 1 << 6;

/** What the CPU needs from its board. */
export interface CpuBoard {
  bus: MmioBus;
  ram: RamRange;
  /** Flash: reads and executes as memory, its writes go to its device on the bus. */
  rom?: readonly RamRange[];
  /** The interrupt controller's IRQ signal to this CPU, after updating the timer's lines. */
  irqAsserted(): boolean;
  /** Its FIQ signal (a GICv3's group 0 interrupts), if it has one. */
  fiqAsserted?(): boolean;
  /** The machine-specific handling of HVC and SMC (PSCI) and of powering the CPU off. */
  hypervisorCall(cpu: CpuRegisters, imm: number): boolean;
  secureMonitorCall(cpu: CpuRegisters, imm: number): boolean;
}

type RunStatus = 'running' | 'waiting' | 'off';

export class SystemCpu {
  readonly memory = new GuestMemory(true);
  readonly regs: CpuRegisters;
  private readonly engine: Engine;
  private status: RunStatus = 'running';
  private sliceEnd = 0;
  private readonly services: SystemServices;
  private readonly mmu: Mmu;
  private readonly path: MemoryPath;

  constructor(
    model: CpuModel,
    private readonly board: CpuBoard,
  ) {
    this.regs = new CpuRegisters(this.memory.view, STATE_BASE, model);
    this.mmu = new Mmu(this.memory, this.regs, board.ram);
    const tlb = new SoftTlb(this.memory);
    this.path = new MemoryPath(this.memory, this.regs, this.mmu, tlb, board.bus, board.rom ?? [], (pa, size) =>
      this.engine.invalidate(pa, size),
    );
    this.regs.onTranslationChange = () => this.translationChanged();
    this.regs.onTableBaseChange = () => this.engine.forgetRegimes(this.path.switchAddressSpace());
    const path = this.path;
    this.engine = new Engine(aarch64FrontendFor(model.features), this.memory, 'little', {
      maxInsns: MAX_BLOCK_INSNS,
      pollInterrupt: () => this.pendingInterrupt() !== undefined || performance.now() >= this.sliceEnd,
      softmmu: {
        layout: TLB_LAYOUT,
        translate: path.translate,
        slowStore: path.slowStore,
        codeAddress: (pc) => path.codeAddress(pc),
        budgetWord: DISPATCH_BUDGET,
      },
    });
    this.services = {
      hypervisorCall: (cpu, imm) => board.hypervisorCall(cpu, imm),
      secureMonitorCall: (cpu, imm) => board.secureMonitorCall(cpu, imm),
      waitForInterrupt: () => this.waitForInterrupt(),
      invalidateAllCode: () => this.engine.flushAll(),
      invalidateTlb: (scope) => {
        switch (scope.kind) {
          case 'all':
            return this.translationChanged();
          case 'asid':
            return this.engine.forgetRegimes(this.path.flushAsid(scope.asid));
          case 'page': {
            const { first, count } = this.path.flushPage(scope.va);
            return this.engine.forgetMappings(first, count);
          }
        }
      },
      addressTranslate: (va, write, el) => {
        const t = this.mmu.translate(va, write ? 'write' : 'read', el);
        return t.ok ? t.pa & 0xfffffffff000n : BigInt(1 | (t.fsc << 1));
      },
    };
  }

  /** Back to the reset state: EL1 with SP_EL1, all interrupts masked, registers zero. */
  reset(): void {
    this.memory.u8.fill(0, STATE_BASE, STATE_BASE + STATE_SIZE);
    this.regs.reset();
    for (const range of [this.board.ram, ...(this.board.rom ?? [])]) this.memory.setFlags(range.base, range.size, 0);
    this.path.flush();
    this.engine.flushAll();
    this.status = 'running';
  }

  setX(n: number, value: bigint): void {
    this.memory.view.setBigUint64(STATE_BASE + xreg(n), value, true);
  }

  /** Ends a WFI/CPU_SUSPEND wait if an interrupt is pending; true if the CPU can run. */
  get runnable(): boolean {
    const board = this.board;
    if (this.status === 'waiting' && (board.irqAsserted() || board.fiqAsserted?.())) this.status = 'running';
    return this.status === 'running';
  }

  get powered(): boolean {
    return this.status !== 'off';
  }

  /** The WFI state: waiting for an interrupt. */
  waitForInterrupt(): void {
    this.status = 'waiting';
  }

  /** CPU_OFF: stops for good (until a reset). */
  powerOff(): void {
    this.status = 'off';
  }

  /** Milliseconds until the CPU's own timer fires (undefined: it will not by itself). */
  msUntilTimer(): number | undefined {
    return this.regs.timer.msUntilFire();
  }

  /** Runs for one slice, or until the CPU waits or turns off (or a gdb breakpoint stops it). */
  runSlice(): void {
    this.sliceEnd = performance.now() + SLICE_MS;
    while (this.runnable && performance.now() < this.sliceEnd) {
      const interrupt = this.pendingInterrupt();
      if (interrupt) takeException(this.regs, { kind: interrupt, returnAddress: this.regs.pc });
      const trap = this.engine.run(STATE_BASE);
      if (trap === TrapKind.Breakpoint && this.onDebugBreakpoint && this.hasDebugBreakpoint(this.regs.pc)) {
        this.onDebugBreakpoint();
        return;
      }
      this.handle(trap);
    }
  }

  /** Set while gdb is attached: a gdb breakpoint was reached (before its instruction); the slice ends. */
  onDebugBreakpoint?: () => void;

  /** gdb's breakpoints: the CPU stops before the instruction at virtual address `pc`. */
  setDebugBreakpoint(pc: bigint, present: boolean): void {
    if (present) this.engine.addBreakpoint(enginePc(pc));
    else this.engine.removeBreakpoint(enginePc(pc));
  }

  hasDebugBreakpoint(pc: bigint): boolean {
    return this.engine.hasBreakpoint(enginePc(pc));
  }

  /** gdb's single step: one instruction, and the exception it raises taken (interrupts stay pending). */
  stepInstruction(): void {
    this.handle(this.engine.step(STATE_BASE));
  }

  /**
   * The page tables or the registers governing them changed: forget cached translations. Translated
   * code stays: the engine checks a block's physical page against the new translation before
   * running it again.
   */
  private translationChanged(): void {
    this.path.flush();
    this.engine.forgetMappings();
  }

  /**
   * The interrupt the CPU takes now, if any, each unless PSTATE masks it: an FIQ before an IRQ, as
   * QEMU checks them.
   */
  private pendingInterrupt(): 'fiq' | 'irq' | undefined {
    const daif = this.regs.pstate.daif;
    if ((daif & DAIF_F) === 0 && this.board.fiqAsserted?.()) return 'fiq';
    if ((daif & DAIF_I) === 0 && this.board.irqAsserted()) return 'irq';
    return undefined;
  }

  private handle(trap: TrapKind): void {
    const regs = this.regs;
    const pc = regs.pc;
    switch (trap) {
      case TrapKind.None:
      case TrapKind.Yield:
        return;
      case TrapKind.Syscall: {
        const insn = this.fetch(pc);
        if (insn === undefined || !executeSystemInsn(regs, insn, this.services)) this.undefinedInstruction();
        return;
      }
      case TrapKind.Undefined: {
        // The shared frontend declines some system register accesses as EL0 would see them
        // (MSR TPIDRRO_EL0); above EL0 the system table may know them.
        const insn = regs.pstate.el > 0 ? this.fetch(pc) : undefined;
        if (insn === undefined || !executeSystemInsn(regs, insn, this.services)) this.undefinedInstruction();
        return;
      }
      case TrapKind.Breakpoint: {
        const imm = Number(this.memory.view.getBigUint64(STATE_BASE + STATE_TRAP_ARG, true) & 0xffffn);
        takeException(regs, { kind: 'sync', ec: ExceptionClass.Brk, iss: imm, returnAddress: pc });
        return;
      }
      case TrapKind.MemoryFault:
        this.memoryFault(pc);
        return;
      case TrapKind.Alignment:
        this.dataAbort(
          pc,
          this.memory.view.getBigUint64(STATE_BASE + STATE_FAULT_ADDR, true),
          FSC_ALIGNMENT,
          false,
        );
        return;
    }
  }

  /** The instruction word at virtual `pc`, if it can be fetched. */
  private fetch(pc: bigint): number | undefined {
    const at = this.path.codeAddress(Number(BigInt.asIntN(64, pc)));
    return at === undefined ? undefined : this.memory.read32(at);
  }

  private undefinedInstruction(): void {
    takeException(this.regs, { kind: 'sync', ec: ExceptionClass.Unknown, returnAddress: this.regs.pc });
  }

  /** A debugger's read (HMP x/xp): RAM or a device register, through stage 1 when `virtual`. */
  readMemory(address: bigint, size: number, virtual: boolean): bigint | undefined {
    const pa = this.debugPhysical(address, virtual);
    if (pa === undefined) return undefined;
    if (this.mmu.isRam(pa, size)) {
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.memory.u8[Number(pa) + i]!);
      return v;
    }
    return this.board.bus.read(pa, size);
  }

  /** A debugger's write (gdb's M/X) to RAM, through stage 1 when `virtual`; false where there is no RAM. */
  writeMemory(address: bigint, bytes: Uint8Array, virtual: boolean): boolean {
    if (bytes.length === 0) return true;
    const pa = this.debugPhysical(address, virtual);
    if (pa === undefined || !this.mmu.isRam(pa, bytes.length)) return false;
    this.memory.u8.set(bytes, Number(pa));
    this.engine.invalidate(Number(pa), bytes.length);
    return true;
  }

  /** The physical address a debugger access reaches, ignoring permissions (undefined: a translation fault). */
  private debugPhysical(address: bigint, virtual: boolean): bigint | undefined {
    if (!virtual || !this.mmu.enabled) return address;
    const t = this.mmu.walk(address);
    return t.ok ? t.pa : undefined;
  }

  /** An instruction fetch that failed: a translation or permission fault, or nothing there. */
  private instructionAbort(pc: bigint): void {
    const t = this.mmu.translate(pc, 'exec', this.regs.pstate.el);
    const fsc = t.ok ? FSC_EXTERNAL_ABORT : t.fsc;
    const ec =
      this.regs.pstate.el === 0 ? ExceptionClass.InstructionAbortLower : ExceptionClass.InstructionAbortSame;
    takeException(this.regs, { kind: 'sync', ec, iss: fsc, far: pc, returnAddress: pc });
  }

  /** A load or store the memory path refused (it recorded why), or else a failed fetch. */
  private memoryFault(pc: bigint): void {
    const fault = this.path.pendingFault;
    this.path.pendingFault = undefined;
    if (fault) this.dataAbort(pc, fault.va, fault.fsc, fault.write);
    else this.instructionAbort(pc);
  }

  private dataAbort(pc: bigint, address: bigint, fsc: number, write: boolean): void {
    const ec = this.regs.pstate.el === 0 ? ExceptionClass.DataAbortLower : ExceptionClass.DataAbortSame;
    takeException(this.regs, {
      kind: 'sync',
      ec,
      iss: fsc | (write ? ISS_WNR : 0),
      far: address,
      returnAddress: pc,
    });
  }
}

/** The engine's pc for a virtual address (a signed 64-bit value: upper-half addresses are negative). */
function enginePc(va: bigint): number {
  return Number(BigInt.asIntN(64, va));
}
