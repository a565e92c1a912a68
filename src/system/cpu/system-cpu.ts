/**
 * The EL1 AArch64 CPUs of a system-mode machine (one, or several with -smp): they share one engine
 * with its software MMU (generated code translates virtual addresses through the TLB; memory-path.ts
 * serves misses, devices and faults), and each trap becomes what the hardware does: system
 * instructions carried out (system-insns.ts), refused accesses and fetches as aborts, everything
 * else an exception to EL1. Pending IRQs and FIQs are taken at block boundaries.
 *
 * Several vCPUs run as QEMU's TCG runs them without MTTCG (`-accel tcg,thread=single`): round-robin
 * on the one host thread, each for a quantum (QUANTUM_MS of host time), switching at block boundaries, so translated
 * code, the translation cache and the engine stay shared. Each vCPU has its own state block (its
 * registers), system registers, timer and power state; the software TLB is shared (switching vCPUs
 * selects the tables of the incoming vCPU's ASID, or forgets every translation when its translation
 * controls differ), which makes every TLBI broadcast, as the IS forms are. A vCPU's exclusive monitor
 * is cleared when it is switched out (architecturally allowed at any time), so a STXR whose LDXR came
 * before another vCPU ran fails and is retried. With `-accel tcg,thread=multi` each vCPU runs on a
 * worker thread instead, in a SystemCpu of its own there on the same memory that runs that vCPU only
 * (`SystemCpuOptions.vcpu`, threads/vcpu-worker.ts), with its engine's private words in that vCPU's
 * area (vcpu-area.ts) and what one vCPU's engine must tell the others' through `VcpuPeers`.
 *
 * The CPUs run in slices on Node's event loop, so chardevs and monitors keep being served: a slice
 * ends after SLICE_MS, or when no vCPU can run (all wait in WFI or are off); then the host thread
 * idles until a timer fires or a device raises an interrupt.
 */
import { GuestMemory } from '../../memory/guest-memory';
import { STATE_BASE, STATE_SIZE } from '../../memory/layout';
import { aarch64FrontendFor } from '../../translate/aarch64/frontend';
import { EXCL_ADDR, xreg } from '../../translate/aarch64/state';
import { Engine, type CodePageOwners } from '../../translate/engine/engine';
import { STATE_FAULT_ADDR, STATE_TRAP_ARG } from '../../translate/frontend';
import { TrapKind } from '../../translate/ir/ops';
import { releaseWideAtomicLock } from '../../translate/ir/wide-atomics';
import type { DeviceBus } from '../devices/mmio';
import type { CpuModel } from './cpu-model';
import { ExceptionClass, takeException } from './exceptions';
import { FSC_EXTERNAL_ABORT, MemoryPath } from './memory-path';
import { Mmu, type RamRange, type RomRange } from './mmu';
import { DAIF_F, DAIF_I } from './pstate';
import { CpuSignals, type RunStatus } from './cpu-signals';
import { CpuRegisters } from './registers';
import { executeSystemInsn, type SystemServices } from './system-insns';
import { SoftTlb } from './tlb';
import { vcpuArea, type VcpuArea } from './vcpu-area';

const SLICE_MS = 20;
/**
 * Host milliseconds a vCPU runs (ending at a block boundary) before the next runnable one's turn:
 * short, as a vCPU spinning on a lock another holds wastes its quantum.
 */
const QUANTUM_MS = 2;
/**
 * While several vCPUs can run, the engine is asked whether to stop about this often: the blocks
 * dispatched between two polls start at one in each quantum and are doubled while polls come
 * sooner than this (up to SHARED_POLL_BLOCKS), halved while they come later, since a spinning guest
 * loop runs up to 100000 iterations per dispatch and would otherwise outlast its quantum many times
 * over. A vCPU running alone (the others waiting or off) polls every MAX_POLL_BLOCKS blocks, as one
 * CPU does.
 */
const POLL_MS = QUANTUM_MS / 4;
const SHARED_POLL_BLOCKS = 64;
const MAX_POLL_BLOCKS = 1024;
const MAX_BLOCK_INSNS = 512;
const FSC_ALIGNMENT = 0x21;
/** ISS.WnR: the abort was caused by a write. */
const ISS_WNR = 1 << 6;

/** What the CPU needs from its board. */
export interface CpuBoard {
  bus: DeviceBus;
  ram: RamRange;
  /** Flash: reads and executes as memory (while in read-array mode), its writes go to its device on the bus. */
  rom?: readonly RomRange[];
  /**
   * Window addresses the guest never reaches through the window (device space: no TLB entry
   * points there), where the engines keep their private words (vcpu-area.ts).
   */
  engineSpace: RamRange;
  /**
   * Sets CPU `cpu`'s IRQ and FIQ lines (`SystemCpu.signalsOf`) to the interrupt controller's
   * signals, after updating the timers' lines: the CPU calls this where it looks at them.
   */
  updateLines(cpu: number): void;
  /** The machine-specific handling of HVC and SMC (PSCI) and of powering the CPU off. */
  hypervisorCall(cpu: CpuRegisters, imm: number): boolean;
  secureMonitorCall(cpu: CpuRegisters, imm: number): boolean;
}

/**
 * A vCPU on a worker thread (`-accel tcg,thread=multi`, docs/smp.md): what its engine exchanges with
 * the other vCPUs' engines.
 */
export interface VcpuPeers {
  /** Whether another thread has news for this vCPU's engine (it stops at the next block boundary). */
  pending(): boolean;
  /** Acts on that news: this engine's cached translations, or its translated code, go. */
  take(): void;
  /** This vCPU ran a TLBI: the other vCPUs forget their cached translations before it goes on. */
  tlbInvalidated(): void;
  /**
   * This vCPU wrote memory holding translated code, or invalidated its instruction caches: the
   * others forget their code before it goes on.
   */
  codeWritten(): void;
}

export interface SystemCpuOptions {
  /** The guest's memory: a new window by default, or (a vCPU on a worker thread) the main thread's. */
  memory?: GuestMemory;
  /**
   * The one vCPU this SystemCpu runs (a worker's), with its engine in that vCPU's area; the other
   * vCPUs' registers and power states are only read and written, and no power state is set here.
   * By default every vCPU runs, round-robin, with the engine in area 0.
   */
  vcpu?: number;
  /** Engines on other threads translate from the same memory (EngineOptions.codeOwners). */
  codeOwners?: CodePageOwners;
  peers?: VcpuPeers;
}

/** One vCPU: its registers and its power state and interrupt lines, all in its own state block. */
interface Vcpu {
  regs: CpuRegisters;
  signals: CpuSignals;
}

export class SystemCpu {
  private readonly vcpus: Vcpu[];
  /** The indices of the vCPUs this SystemCpu runs: all, or a worker's one. */
  private readonly runs: number[];
  readonly memory: GuestMemory;
  private readonly peers: VcpuPeers | undefined;
  /** The vCPU the engine runs (and gdb debugs). */
  private current = 0;
  /** When the running vCPU's quantum ends. */
  private quantumEnd = 0;
  /** Blocks dispatched between polls, and when the last poll was (several vCPUs only). */
  private pollBlocks = MAX_POLL_BLOCKS;
  private pollCap = MAX_POLL_BLOCKS;
  private lastPoll = 0;
  private readonly engine: Engine;
  /** The engine's private words (the one engine all vCPUs share runs in vCPU 0's area). */
  private readonly area: VcpuArea;
  private sliceEnd = 0;
  private readonly services: SystemServices;
  private readonly mmu: Mmu;
  private readonly path: MemoryPath;

  /** One vCPU per model (each with its own MPIDR); CPU 0 starts running, the others off. */
  constructor(
    readonly models: readonly CpuModel[],
    private readonly board: CpuBoard,
    options: SystemCpuOptions = {},
  ) {
    this.memory = options.memory ?? new GuestMemory(true);
    this.peers = options.peers;
    const own = options.vcpu;
    this.runs = own === undefined ? models.map((_, index) => index) : [own];
    this.current = own ?? 0;
    this.vcpus = models.map((model, index) => {
      const base = STATE_BASE + index * STATE_SIZE;
      const regs = new CpuRegisters(this.memory.view, base, model, index);
      regs.onTranslationChange = () => this.translationChanged();
      regs.onTableBaseChange = () => this.engine.forgetRegimes(this.path.switchAddressSpace());
      const signals = new CpuSignals(this.memory.memory.buffer, base);
      if (own === undefined) signals.status = index === 0 ? 'running' : 'off';
      return { regs, signals };
    });
    this.mmu = new Mmu(this.memory, () => this.regs, board.ram, board.rom);
    this.area = vcpuArea(board.engineSpace, own ?? 0);
    const area = this.area;
    const tlb = new SoftTlb(this.memory, area.tlb);
    const invalidate = (pa: number, size: number): void => {
      this.engine.invalidate(pa, size);
      this.peers?.codeWritten();
    };
    this.path = new MemoryPath(this.memory, () => this.regs, this.mmu, tlb, area, board.bus, board.rom ?? [], invalidate);
    const path = this.path;
    const frontend = aarch64FrontendFor(models[0]!.features, undefined, true);
    this.engine = new Engine(frontend, this.memory, 'little', {
      maxInsns: MAX_BLOCK_INSNS,
      lookupBase: area.lookupBase,
      pollInterrupt: () => this.poll(),
      ...(options.codeOwners && { codeOwners: options.codeOwners }),
      softmmu: {
        layout: area.tlb,
        translate: path.translate,
        slowStore: path.slowStore,
        codeAddress: (pc) => path.codeAddress(pc),
        budgetWord: area.budgetWord,
      },
    });
    this.services = {
      hypervisorCall: (cpu, imm) => board.hypervisorCall(cpu, imm),
      secureMonitorCall: (cpu, imm) => board.secureMonitorCall(cpu, imm),
      waitForInterrupt: () => this.waitForInterrupt(),
      yieldCpu: () => this.yieldCpu(),
      invalidateAllCode: () => {
        this.engine.flushAll();
        this.peers?.codeWritten();
      },
      invalidateTlb: (scope) => {
        this.peers?.tlbInvalidated();
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

  /** The registers of the running vCPU. */
  get regs(): CpuRegisters {
    return this.vcpus[this.current]!.regs;
  }

  /** How many vCPUs there are. */
  get count(): number {
    return this.vcpus.length;
  }

  /** vCPU `index`'s registers. */
  registersOf(index: number): CpuRegisters {
    return this.vcpus[index]!.regs;
  }

  /** vCPU `index`'s power state. */
  statusOf(index: number): RunStatus {
    return this.vcpus[index]!.signals.status;
  }

  /** vCPU `index`'s power state and interrupt lines. */
  signalsOf(index: number): CpuSignals {
    return this.vcpus[index]!.signals;
  }

  /** The running vCPU's quantum begins: it ends after QUANTUM_MS, or with the slice. */
  private startQuantum(): void {
    const now = performance.now();
    this.lastPoll = now;
    this.quantumEnd = this.sliceEnd;
    if (this.runs.length === 1) return;
    const others = this.vcpus.filter((_, index) => index !== this.current);
    const shared = others.some((vcpu) => vcpu.signals.status === 'running');
    // A waiting vCPU's timer ends the quantum when it fires (its other interrupts do through
    // interruptsChanged). One that has fired without waking its CPU (masked at the GIC) does not:
    // it would end every quantum at once.
    for (const vcpu of others) {
      const ms = vcpu.signals.status === 'waiting' ? vcpu.regs.timer.msUntilFire() : undefined;
      if (ms !== undefined && ms > 0) this.quantumEnd = Math.min(this.quantumEnd, now + ms);
    }
    if (shared) this.quantumEnd = Math.min(this.quantumEnd, now + QUANTUM_MS);
    this.pollCap = shared ? SHARED_POLL_BLOCKS : MAX_POLL_BLOCKS;
    this.pollBlocks = shared ? 1 : MAX_POLL_BLOCKS;
    this.memory.view.setInt32(this.area.budgetWord, this.pollBlocks, true);
  }

  /**
   * The interrupt controller's state changed (the board calls this): a waiting vCPU may have an
   * interrupt now (an SGI, a device's SPI), so the running one's quantum ends at the next block and
   * the waiting ones are looked at.
   */
  interruptsChanged(): void {
    if (!this.runs.some((index) => this.vcpus[index]!.signals.status === 'waiting')) return;
    this.quantumEnd = 0;
    this.memory.view.setInt32(this.area.budgetWord, 0, true);
  }

  /** The engine's question, at a block boundary: should the running vCPU stop? */
  private poll(): boolean {
    const now = performance.now();
    if (this.peers?.pending()) return true;
    if (this.runs.length === 1) return this.pendingInterrupt() !== undefined || now >= this.sliceEnd;
    const late = now - this.lastPoll > POLL_MS;
    this.lastPoll = now;
    this.pollBlocks = late ? Math.max(1, this.pollBlocks >> 1) : Math.min(this.pollCap, this.pollBlocks * 2);
    this.memory.view.setInt32(this.area.budgetWord, this.pollBlocks, true);
    return this.pendingInterrupt() !== undefined || now >= this.quantumEnd;
  }

  /** Back to the reset state: CPU 0 at EL1 with SP_EL1, all interrupts masked, registers zero; the others off. */
  reset(): void {
    for (const [index, vcpu] of this.vcpus.entries()) {
      this.resetVcpu(vcpu);
      vcpu.signals.status = index === 0 ? 'running' : 'off';
    }
    this.current = 0;
    for (const range of [this.board.ram, ...(this.board.rom ?? [])]) this.memory.setFlags(range.base, range.size, 0);
    this.path.flush();
    this.engine.flushAll();
  }

  private resetVcpu(vcpu: Vcpu): void {
    this.memory.u8.fill(0, vcpu.regs.base, vcpu.regs.base + STATE_SIZE);
    vcpu.regs.reset();
  }

  /** Sets X`n` of the running vCPU. */
  setX(n: number, value: bigint): void {
    setX(this.regs, n, value);
  }

  /**
   * PSCI CPU_ON: vCPU `index` leaves the off state from reset, at `entry` with x0 = `contextId`.
   * False if it is not off.
   */
  powerOn(index: number, entry: bigint, contextId: bigint): boolean {
    const vcpu = this.vcpus[index]!;
    if (vcpu.signals.status !== 'off') return false;
    this.resetVcpu(vcpu);
    vcpu.regs.pc = entry;
    setX(vcpu.regs, 0, contextId);
    vcpu.signals.status = 'running';
    return true;
  }

  /**
   * The main thread of `-accel tcg,thread=multi` answers a request of vCPU `index`'s worker (a
   * device access, PSCI): that vCPU is the current one, whose GIC bank is reached and whom CPU_OFF
   * stops. The main thread's engine never runs then.
   */
  actFor(index: number): void {
    this.current = index;
  }

  /** Ends the WFI/CPU_SUSPEND wait of each vCPU with an interrupt pending; true if any vCPU can run. */
  get runnable(): boolean {
    let any = false;
    for (const index of this.runs) any = this.wake(this.vcpus[index]!) || any;
    return any;
  }

  /** Ends `vcpu`'s wait if an interrupt is pending for it; true if it can run. */
  private wake(vcpu: Vcpu): boolean {
    const signals = vcpu.signals;
    if (signals.status === 'waiting') {
      this.board.updateLines(vcpu.regs.index);
      if (signals.interrupted) signals.status = 'running';
    }
    return signals.status === 'running';
  }

  /** Whether any vCPU is on. */
  get powered(): boolean {
    return this.vcpus.some((vcpu) => vcpu.signals.status !== 'off');
  }

  /** The WFI state of the running vCPU: waiting for an interrupt. */
  waitForInterrupt(): void {
    this.vcpus[this.current]!.signals.status = 'waiting';
  }

  /** WFE, YIELD: the running vCPU's quantum ends, so the next runnable one runs (alone, it goes on). */
  private yieldCpu(): void {
    if (this.runs.length > 1) this.quantumEnd = 0;
  }

  /** CPU_OFF: the running vCPU stops (until CPU_ON or a reset). */
  powerOff(): void {
    this.vcpus[this.current]!.signals.status = 'off';
  }

  /** Every vCPU stops (SYSTEM_OFF, SYSTEM_RESET: nothing runs until the machine acts). */
  powerOffAll(): void {
    for (const vcpu of this.vcpus) vcpu.signals.status = 'off';
  }

  /** Milliseconds until the first timer of a waiting vCPU fires (undefined: none will by itself). */
  msUntilTimer(): number | undefined {
    const times = this.runs
      .map((index) => this.vcpus[index]!)
      .filter((vcpu) => vcpu.signals.status === 'waiting')
      .map((vcpu) => vcpu.regs.timer.msUntilFire())
      .filter((ms) => ms !== undefined);
    return times.length > 0 ? Math.min(...times) : undefined;
  }

  /**
   * Runs for one slice, or until no vCPU can run (or a gdb breakpoint stops it): each runnable vCPU
   * in index order until its quantum is spent or it waits.
   */
  runSlice(): void {
    this.sliceEnd = performance.now() + SLICE_MS;
    while (performance.now() < this.sliceEnd) {
      const next = this.nextRunnable();
      if (next === undefined) return;
      if (next !== this.current) this.switchTo(next);
      this.startQuantum();
      const vcpu = this.vcpus[next]!;
      while (vcpu.signals.status === 'running' && performance.now() < this.quantumEnd) {
        const interrupt = this.pendingInterrupt();
        if (interrupt) takeException(this.regs, { kind: interrupt, returnAddress: this.regs.pc });
        if (this.peers?.pending()) this.peers.take();
        const trap = this.engine.run(this.regs.base);
        releaseWideAtomicLock();
        if (trap === TrapKind.Breakpoint && this.onDebugBreakpoint && this.hasDebugBreakpoint(this.regs.pc)) {
          this.onDebugBreakpoint();
          return;
        }
        this.handle(trap);
      }
    }
  }

  /**
   * The vCPU to run next: the next runnable one after the running one (round-robin), else the
   * running one again; undefined if none can run.
   */
  private nextRunnable(): number | undefined {
    const count = this.runs.length;
    const first = this.runs.indexOf(this.current) + 1;
    for (let i = 0; i < count; i++) {
      const index = this.runs[(first + i) % count]!;
      if (this.wake(this.vcpus[index]!)) return index;
    }
    return undefined;
  }

  /**
   * Makes vCPU `index` the running one: the outgoing vCPU's exclusive monitor is cleared, and the
   * shared TLB serves the incoming vCPU's ASID if both translate alike, else forgets everything.
   */
  private switchTo(index: number): void {
    const from = this.regs;
    this.memory.view.setBigInt64(from.base + EXCL_ADDR, -1n, true);
    this.current = index;
    const to = this.regs;
    if (from.sys.sctlrEl1 === to.sys.sctlrEl1 && from.sys.tcrEl1 === to.sys.tcrEl1) {
      this.engine.forgetRegimes(this.path.switchAddressSpace());
    } else {
      this.translationChanged();
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
    const trap = this.engine.step(this.regs.base);
    releaseWideAtomicLock();
    this.handle(trap);
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
    if ((daif & (DAIF_F | DAIF_I)) === (DAIF_F | DAIF_I)) return undefined;
    const index = this.current;
    this.board.updateLines(index);
    const signals = this.vcpus[index]!.signals;
    if ((daif & DAIF_F) === 0 && signals.fiq) return 'fiq';
    if ((daif & DAIF_I) === 0 && signals.irq) return 'irq';
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
        const imm = Number(this.memory.view.getBigUint64(regs.base + STATE_TRAP_ARG, true) & 0xffffn);
        takeException(regs, { kind: 'sync', ec: ExceptionClass.Brk, iss: imm, returnAddress: pc });
        return;
      }
      case TrapKind.MemoryFault:
        this.memoryFault(pc);
        return;
      case TrapKind.Alignment:
        this.dataAbort(
          pc,
          this.memory.view.getBigUint64(regs.base + STATE_FAULT_ADDR, true),
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

  /**
   * A debugger's read (HMP x/xp): RAM or a device register, through stage 1 of vCPU `cpu` (the
   * running one by default) when `virtual`.
   */
  readMemory(address: bigint, size: number, virtual: boolean, cpu = this.current): bigint | undefined {
    const pa = this.debugPhysical(address, virtual, this.debugMmu(cpu));
    if (pa === undefined) return undefined;
    if (this.mmu.isRam(pa, size)) {
      let v = 0n;
      for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(this.memory.u8[Number(pa) + i]!);
      return v;
    }
    return this.board.bus.read(pa, size);
  }

  /** The physical address a virtual one maps to for vCPU `cpu` (HMP gva2gpa); undefined when stage 1 faults. */
  translateAddress(address: bigint, cpu = this.current): bigint | undefined {
    return this.debugPhysical(address, true, this.debugMmu(cpu));
  }

  /** The MMU of vCPU `cpu` as a debugger walks it: the running one's, or one over its registers. */
  private debugMmu(cpu: number): Mmu {
    return cpu === this.current ? this.mmu : new Mmu(this.memory, () => this.registersOf(cpu), this.board.ram, this.board.rom);
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

  /**
   * Cached translations go: a flash bank switched between reading as memory and as its device, or
   * (a worker's vCPU) another vCPU ran a TLBI or was started by CPU_ON.
   */
  forgetTranslations(): void {
    this.translationChanged();
  }

  /** Bytes of flash at [pa, pa + size) changed (programmed, erased): translated code there goes. */
  romWritten(pa: number, size: number): void {
    this.engine.invalidate(pa, size);
  }

  /** Another thread wrote memory holding code this engine translated: all translated code goes. */
  forgetCode(): void {
    this.engine.flushAll();
    this.translationChanged();
  }

  /** The physical address a debugger access reaches, ignoring permissions (undefined: a translation fault). */
  private debugPhysical(address: bigint, virtual: boolean, mmu = this.mmu): bigint | undefined {
    if (!virtual) return address;
    if (!mmu.enabled) return mmu.flatAddress(address);
    const t = mmu.walk(address);
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

function setX(regs: CpuRegisters, n: number, value: bigint): void {
  regs.view.setBigUint64(regs.base + xreg(n), value, true);
}

/** The engine's pc for a virtual address (a signed 64-bit value: upper-half addresses are negative). */
function enginePc(va: bigint): number {
  return Number(BigInt.asIntN(64, va));
}
