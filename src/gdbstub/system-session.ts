/**
 * gdb in system mode (-s, -gdb DEV): the frontend of the `gdb` chardev. Each client that connects
 * debugs the machine's CPU: connecting stops a running machine (as qemu-system does); while gdb
 * has it stopped, packets are answered between the machine's slices on Node's event loop; `c`
 * resumes the machine and a gdb breakpoint, Ctrl-C (0x03) or a monitor `stop` stops it again with
 * a stop reply; the guest powering off is reported as an exit. The monitor's `cont` also resumes
 * a machine gdb stopped (gdb hears of the next stop, as qemu tells it of every stop), and -S waits
 * for either. Whoever resumes, a machine stopped at a breakpoint first steps off it.
 */
import type { CharFrontend } from '../system/chardev/chardev';
import type { CharStream, StreamHandlers } from '../system/chardev/stream';
import type { SystemCpu } from '../system/cpu/system-cpu';
import type { Emulator } from '../system/emulator';
import { STATE_BASE } from '../memory/layout';
import type { DebugTarget, MemoryAccess, ResumeAction } from './debug-target';
import { GdbServer } from './server';
import { gdbSignal } from './signals';
import { aarch64SystemDescription } from './targets/aarch64-system';

/** qemu-system numbers CPUs from 1 for gdb (thread p1.1 is CPU 0). */
const CPU_THREAD_ID = 1;

export class SystemGdbFrontend implements CharFrontend {
  constructor(private readonly emulator: Emulator) {}

  open(stream: CharStream): StreamHandlers {
    const cpu = this.emulator.machine.debugCpu?.();
    if (!cpu) {
      void stream.close();
      return { data: () => undefined, end: () => undefined };
    }
    return new SystemGdbSession(stream, this.emulator, cpu).handlers;
  }
}

class SystemGdbSession {
  private readonly server: GdbServer;
  /** gdb resumed the machine and waits for a stop reply (packets other than Ctrl-C are not expected). */
  private gdbWaiting = false;
  /** The monitor resumed the machine behind gdb's back: the next stop is reported all the same. */
  private reportNextStop = false;
  /** The signal the next stop is reported with (a breakpoint's SIGTRAP; else an interrupt). */
  private stopSignal = gdbSignal('SIGINT');
  private readonly breakpoints = new Set<bigint>();
  private readonly unsubscribe: () => void;
  private ended = false;

  readonly handlers: StreamHandlers = {
    data: (chunk) => this.receive(chunk),
    end: () => this.end(),
  };

  constructor(
    stream: CharStream,
    private readonly emulator: Emulator,
    private readonly cpu: SystemCpu,
  ) {
    this.server = new GdbServer({ write: (bytes) => stream.write(bytes) }, this.debugTarget());
    this.unsubscribe = emulator.events.subscribe((event) => {
      if (event.event === 'STOP') this.machineStopped();
      else if (event.event === 'RESUME') this.machineResumed();
      else if (event.event === 'SHUTDOWN' && !this.ended) this.server.reportExit({ status: 0 });
    });
    cpu.onDebugBreakpoint = () => {
      this.stopSignal = gdbSignal('SIGTRAP');
      this.emulator.runState.stop();
    };
    // A debugger attaching stops the machine; gdb asks why with `?`.
    this.emulator.runState.stop();
    this.server.stopped({ signal: gdbSignal('SIGTRAP') }, false);
  }

  private receive(chunk: Buffer): void {
    for (const incoming of this.server.feed(chunk)) {
      if (this.gdbWaiting) {
        if (incoming.kind !== 'interrupt') continue;
        this.stopSignal = gdbSignal('SIGINT');
        this.emulator.runState.stop();
        continue;
      }
      const action = this.server.accept(incoming);
      if (action) this.resume(action);
    }
  }

  private resume(action: ResumeAction): void {
    switch (action.kind) {
      case 'step':
        this.cpu.stepInstruction();
        this.server.stopped({ signal: gdbSignal('SIGTRAP') }, true);
        return;
      case 'continue':
        this.gdbWaiting = true;
        this.emulator.runState.cont();
        return;
      case 'detach':
        this.release();
        this.emulator.runState.cont();
        return;
      case 'kill':
        process.stderr.write('tsemu-system: Terminated via GDBstub\n');
        this.release();
        void this.emulator.exit(0);
        return;
    }
  }

  /** The machine stopped (breakpoint, Ctrl-C, the monitor): gdb hears of it if it was waiting. */
  private machineStopped(): void {
    if (!this.gdbWaiting && !this.reportNextStop) return;
    this.gdbWaiting = false;
    this.reportNextStop = false;
    this.server.stopped({ signal: this.stopSignal }, true);
  }

  /** The machine goes on (before its next slice): off a breakpoint first, or it would stop there again. */
  private machineResumed(): void {
    if (!this.gdbWaiting) this.reportNextStop = true;
    this.stopSignal = gdbSignal('SIGINT');
    if (this.cpu.hasDebugBreakpoint(this.cpu.regs.pc)) this.cpu.stepInstruction();
  }

  /** gdb went away or detached: its breakpoints go with it; the machine is left as it is. */
  private end(): void {
    this.release();
  }

  private release(): void {
    if (this.ended) return;
    this.ended = true;
    this.unsubscribe();
    for (const pc of this.breakpoints) this.cpu.setDebugBreakpoint(pc, false);
    this.breakpoints.clear();
    this.cpu.onDebugBreakpoint = undefined;
  }

  private debugTarget(): DebugTarget {
    const cpu = this.cpu;
    return {
      description: aarch64SystemDescription(cpu.regs),
      state: cpu.memory.view,
      stateBase: STATE_BASE,
      threadId: CPU_THREAD_ID,
      attached: true,
      memory: memoryThrough(cpu, true),
      physicalMemory: memoryThrough(cpu, false),
      addBreakpoint: (addr) => {
        this.breakpoints.add(addr);
        cpu.setDebugBreakpoint(addr, true);
      },
      removeBreakpoint: (addr) => {
        this.breakpoints.delete(addr);
        cpu.setDebugBreakpoint(addr, false);
      },
    };
  }
}

/**
 * The CPU's debugger accesses as gdb's byte ranges: each read in the largest aligned pieces (device
 * registers too). Physical addresses with nothing there read as zeros and ignore writes, as qemu's
 * physical memory mode does; a virtual address that does not translate is an error.
 */
function memoryThrough(cpu: SystemCpu, virtual: boolean): MemoryAccess {
  return {
    read(addr, length) {
      const out = new Uint8Array(length);
      for (let at = 0; at < length; ) {
        const a = addr + BigInt(at);
        let size = 8;
        while (size > 1 && (a % BigInt(size) !== 0n || at + size > length)) size /= 2;
        const value = cpu.readMemory(a, size, virtual) ?? (virtual ? undefined : 0n);
        if (value === undefined) return undefined;
        for (let i = 0; i < size; i++) out[at + i] = Number((value >> BigInt(8 * i)) & 0xffn);
        at += size;
      }
      return out;
    },
    write: (addr, bytes) => cpu.writeMemory(addr, bytes, virtual) || !virtual,
  };
}
