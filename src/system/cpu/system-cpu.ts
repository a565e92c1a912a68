/**
 * One EL1 AArch64 CPU of a system-mode machine: drives the shared engine over guest physical memory
 * (the MMU is off: an address is its physical address) and turns each trap into what the hardware
 * does: system instructions carried out (system-insns.ts), device accesses routed to the MMIO bus,
 * everything else an exception to EL1. Pending IRQs are taken at block boundaries.
 *
 * The CPU runs in slices on Node's event loop, so chardevs and monitors keep being served: a slice
 * ends after SLICE_MS, at an IRQ, or at WFI, which idles (no host CPU) until the timer fires or a
 * device raises an interrupt.
 */
import { GuestMemory } from '../../memory/guest-memory';
import { PAGE_FLAGS_BASE, PAGE_SHIFT, PageFlags, STATE_BASE, STATE_SIZE } from '../../memory/layout';
import { aarch64Frontend } from '../../translate/aarch64/frontend';
import { SP, xreg } from '../../translate/aarch64/state';
import { Engine } from '../../translate/engine/engine';
import { STATE_FAULT_ADDR, STATE_TRAP_ARG } from '../../translate/frontend';
import { TrapKind } from '../../translate/ir/ops';
import type { MmioBus } from '../devices/mmio';
import type { CpuModel } from './cpu-model';
import { ExceptionClass, takeException } from './exceptions';
import { decodeMmioAccess } from './mmio-access';
import { IdentityMap, type RamRange } from './identity-map';
import { DAIF_I } from './pstate';
import { Stage1Unsupported, faultStatusCode } from './stage1';
import { CpuRegisters } from './registers';
import { executeSystemInsn, type SystemServices } from './system-insns';

const SLICE_MS = 20;
const MAX_BLOCK_INSNS = 512;
/** Data/instruction fault status code of a synchronous external abort (no memory there). */
const FSC_EXTERNAL_ABORT = 0x10;
const FSC_ALIGNMENT = 0x21;
/** ISS.WnR: the abort was caused by a write. */
const ISS_WNR = 1 << 6;

/** What the CPU needs from its board. */
export interface CpuBoard {
  bus: MmioBus;
  ram: RamRange;
  /** The interrupt controller's IRQ signal to this CPU, after updating the timer's lines. */
  irqAsserted(): boolean;
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
  private readonly mmu: IdentityMap;

  constructor(
    model: CpuModel,
    private readonly board: CpuBoard,
  ) {
    this.regs = new CpuRegisters(this.memory.view, STATE_BASE, model);
    this.mmu = new IdentityMap(this.memory, this.regs, board.ram);
    this.regs.onTranslationChange = () => this.translationChanged();
    this.engine = new Engine(aarch64Frontend, this.memory, 'little', {
      maxInsns: MAX_BLOCK_INSNS,
      pollInterrupt: () => this.irqPending() || performance.now() >= this.sliceEnd,
    });
    this.services = {
      hypervisorCall: (cpu, imm) => board.hypervisorCall(cpu, imm),
      secureMonitorCall: (cpu, imm) => board.secureMonitorCall(cpu, imm),
      waitForInterrupt: () => this.waitForInterrupt(),
      invalidateAllCode: () => this.engine.flushAll(),
      invalidateTlb: () => this.translationChanged(),
    };
  }

  /** Back to the reset state: EL1 with SP_EL1, all interrupts masked, registers zero. */
  reset(): void {
    this.memory.u8.fill(0, STATE_BASE, STATE_BASE + STATE_SIZE);
    this.regs.reset();
    this.memory.setFlags(this.board.ram.base, this.board.ram.size, 0);
    this.mmu.apply();
    this.engine.flushAll();
    this.status = 'running';
  }

  setX(n: number, value: bigint): void {
    this.memory.view.setBigUint64(STATE_BASE + xreg(n), value, true);
  }

  /** Ends a WFI/CPU_SUSPEND wait if an interrupt is pending; true if the CPU can run. */
  get runnable(): boolean {
    if (this.status === 'waiting' && this.board.irqAsserted()) this.status = 'running';
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

  /** Runs for one slice, or until the CPU waits or turns off. */
  runSlice(): void {
    this.sliceEnd = performance.now() + SLICE_MS;
    try {
      while (this.runnable && performance.now() < this.sliceEnd) {
        if (this.irqPending()) takeException(this.regs, { kind: 'irq', returnAddress: this.regs.pc });
        this.handle(this.engine.run(STATE_BASE));
      }
    } catch (e) {
      if (!(e instanceof Stage1Unsupported)) throw e;
      // The guest cannot go on meaningfully: say why and halt the CPU (the monitor still answers).
      process.stderr.write(`tsemu-system: CPU halted at pc=0x${this.regs.pc.toString(16)}: ${e.message}\n`);
      this.powerOff();
    }
  }

  /** The page tables or the registers governing them changed: recompute RAM's page flags. */
  private translationChanged(): void {
    if (this.mmu.apply()) this.engine.flushAll();
  }

  /** An IRQ is signalled and PSTATE.I does not mask it. */
  private irqPending(): boolean {
    return (this.regs.pstate.daif & DAIF_I) === 0 && this.board.irqAsserted();
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
      case TrapKind.Undefined:
        this.undefinedInstruction();
        return;
      case TrapKind.Breakpoint: {
        const imm = Number(this.memory.view.getBigUint64(STATE_BASE + STATE_TRAP_ARG, true) & 0xffffn);
        takeException(regs, { kind: 'sync', ec: ExceptionClass.Brk, iss: imm, returnAddress: pc });
        return;
      }
      case TrapKind.MemoryFault:
        this.memoryFault(pc, this.memory.view.getBigUint64(STATE_BASE + STATE_FAULT_ADDR, true));
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

  /** The instruction word at `pc` (physical: the MMU is off), if it is in memory. */
  private fetch(pc: bigint): number | undefined {
    return pc < 2n ** 32n - 4n && this.memory.accessible(Number(pc), 4, false)
      ? this.memory.read32(Number(pc))
      : undefined;
  }

  private undefinedInstruction(): void {
    takeException(this.regs, { kind: 'sync', ec: ExceptionClass.Unknown, returnAddress: this.regs.pc });
  }

  /** A debugger's read (HMP x/xp): RAM or a device register, through stage 1 when `virtual`. */
  readMemory(address: bigint, size: number, virtual: boolean): bigint | undefined {
    let pa = address;
    if (virtual && this.mmu.enabled) {
      const t = this.mmu.walk(address);
      if (!t.ok) return undefined;
      pa = t.pa;
    }
    if (this.mmu.isRam(pa) && this.mmu.isRam(pa + BigInt(size - 1))) {
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.memory.u8[Number(pa) + i]!);
      return v;
    }
    return this.board.bus.read(pa, size);
  }

  /** Whether the page flags let the engine fetch instructions at `pc`. */
  private executable(pc: bigint): boolean {
    if (pc >= 2n ** 32n) return false;
    const deny = PageFlags.Unmapped | PageFlags.NoRead | PageFlags.NoExec;
    return (this.memory.u8[PAGE_FLAGS_BASE + Number(pc >> BigInt(PAGE_SHIFT))]! & deny) === 0;
  }

  /** An instruction fetch that failed: a translation or permission fault with the MMU on, else an external abort. */
  private instructionAbort(pc: bigint): void {
    let fsc = FSC_EXTERNAL_ABORT;
    if (this.mmu.enabled) {
      const t = this.mmu.walk(pc);
      if (!t.ok) fsc = faultStatusCode(t.fault, t.level);
      else if (t.privilegedExecuteNever) fsc = faultStatusCode('permission', t.level);
    }
    const ec =
      this.regs.pstate.el === 0 ? ExceptionClass.InstructionAbortLower : ExceptionClass.InstructionAbortSame;
    takeException(this.regs, { kind: 'sync', ec, iss: fsc, far: pc, returnAddress: pc });
  }

  /**
   * A load or store the window's page flags refused: with the MMU on, a translation, access flag
   * or permission fault; otherwise a device register, or an external abort. Also failed fetches.
   */
  private memoryFault(pc: bigint, address: bigint): void {
    const insn = this.fetch(pc);
    if (insn === undefined || (address === pc && !this.executable(pc))) {
      this.instructionAbort(pc);
      return;
    }
    const access = decodeMmioAccess(insn, this.memory.view, STATE_BASE);
    const store = access?.store ?? false;
    if (this.mmu.enabled) {
      const t = this.mmu.walk(address);
      if (!t.ok) {
        this.dataAbort(pc, address, faultStatusCode(t.fault, t.level), store);
        return;
      }
      if (t.pa !== address)
        throw new Stage1Unsupported(
          `VA 0x${address.toString(16)} maps to PA 0x${t.pa.toString(16)}: only identity maps are translated yet`,
        );
      // A readable RAM page refused the access: it was a write to a read-only page.
      if (t.readOnly && this.mmu.isRam(address)) {
        this.dataAbort(pc, address, faultStatusCode('permission', t.level), true);
        return;
      }
    }
    if (!access || !this.board.bus.claims(access.address)) {
      this.dataAbort(pc, address, FSC_EXTERNAL_ABORT, store);
      return;
    }
    const bus = this.board.bus;
    if (access.store) {
      const value = access.rt === 31 ? 0n : this.memory.view.getBigUint64(STATE_BASE + xreg(access.rt), true);
      bus.write(access.address, access.size, value & ((1n << BigInt(access.size * 8)) - 1n));
    } else {
      let value = bus.read(access.address, access.size)!;
      if (access.signExtendTo) {
        value = BigInt.asIntN(access.size * 8, value);
        value = BigInt.asUintN(access.signExtendTo, value);
      }
      if (access.rt !== 31) this.setX(access.rt, value);
    }
    if (access.writeback) {
      const { rn, value } = access.writeback;
      this.memory.view.setBigUint64(STATE_BASE + (rn === 31 ? SP : xreg(rn)), value, true);
    }
    this.regs.pc = pc + 4n;
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
