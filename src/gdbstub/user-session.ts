/**
 * A user-mode process under gdb (-g PORT): waits for gdb before the first guest instruction, then
 * runs the guest only when gdb resumes it, stopping at breakpoints, after single steps, on signals
 * and on Ctrl-C, and reports the exit. Syscalls are serviced as in the ordinary CPU loop; after a
 * detach the ordinary loop takes over.
 */
import os from 'node:os';
import type { AuxEntry } from '../loader';
import { PageFlags } from '../memory/layout';
import type { Engine } from '../translate/engine/engine';
import { STATE_FAULT_ADDR, STATE_PC } from '../translate/frontend';
import { TrapKind } from '../translate/ir/ops';
import { GuestExit } from '../syscalls/types';
import { cpuLoop, moveOn, signalOfTrap } from '../user/cpu-loop';
import { currentThreadId, threadStates } from '../user/threads/scheduler';
import type { GuestProcess } from '../user/process';
import type { UserTarget } from '../user/target';
import type { DebugTarget, ResumeAction, Stop } from './debug-target';
import { acceptOne, listenTcp, type HostConnection } from './host-socket';
import { BlockingGdbServer } from './blocking-server';
import { gdbSignal, gdbSignalOfHost, hostSignalOfGdb } from './signals';
import { GDB_TARGETS } from './targets';
import { Watchpoints } from './watchpoints';

/** Signals whose default action is to be ignored: passing one on changes nothing. */
const IGNORED_BY_DEFAULT = new Set((['SIGCHLD', 'SIGURG', 'SIGWINCH', 'SIGCONT'] as const).map((n) => os.constants.signals[n]));

export interface UserDebugInfo {
  /** The auxv the loader wrote, and the guest's word size and byte order, for qXfer:auxv. */
  readonly auxv: readonly AuxEntry[];
  readonly wordSize: 4 | 8;
  readonly littleEndian: boolean;
}

export class UserDebugSession {
  private server: BlockingGdbServer | undefined;
  /** gdb's Ctrl-C came while the guest ran: the engine's next Yield is a stop, not the end of a time slice. */
  private interrupted = false;

  private constructor(private readonly conn: HostConnection) {}

  /** Listens on `port` and blocks until gdb connects (qemu-user's -g); a port it cannot use ends tsemu. */
  static waitForGdb(arch: string, port: number): UserDebugSession {
    const fail = (why: string): never => {
      process.stderr.write(`tsemu-${arch}: could not open gdbserver on port ${port}: ${why}\n`);
      process.exit(1);
    };
    if (!GDB_TARGETS[arch]) fail(`no gdb target description for ${arch} yet`);
    if (!Number.isInteger(port) || port <= 0 || port > 65535) fail('not a TCP port');
    try {
      return new UserDebugSession(acceptOne(listenTcp(port)));
    } catch (e) {
      return fail((e as Error).message);
    }
  }

  /** For Engine.pollInterrupt: gdb's Ctrl-C while the guest runs. */
  readonly pollInterrupt = (): boolean => {
    if (this.server?.pollInterrupt()) this.interrupted = true;
    return this.interrupted;
  };

  /** Whether gdb interrupted the guest (once per Ctrl-C). */
  private takeInterrupt(): boolean {
    const interrupted = this.interrupted || this.pollInterrupt();
    this.interrupted = false;
    return interrupted;
  }

  /** Runs the process under gdb's control until it exits (GuestExit, after telling gdb). */
  run(proc: GuestProcess, target: UserTarget, engine: Engine, info: UserDebugInfo): never {
    const debugTarget = makeDebugTarget(proc, target, engine, info);
    const server = new BlockingGdbServer(this.conn, debugTarget);
    this.server = server;
    let stop: Stop = { signal: gdbSignal('SIGTRAP') };
    let report = false;
    try {
      for (;;) {
        const action = server.serve(stop, report);
        report = true;
        if (action.kind === 'kill') {
          process.stderr.write('tsemu: Terminated via GDBstub\n');
          this.server = undefined;
          server.close();
          throw new GuestExit(0);
        }
        if (action.kind === 'detach') {
          this.server = undefined;
          debugTarget.removeAllBreakpoints();
          server.close();
          return cpuLoop(proc, target, engine);
        }
        stop = this.resume(proc, target, engine, debugTarget.watchpoints, action);
      }
    } catch (e) {
      if (e instanceof GuestExit && this.server) {
        server.reportExit(e.signal ? { signal: gdbSignalOfHost(e.signal) } : { status: e.status });
        server.close();
      }
      throw e;
    }
  }

  /** Runs until the next stop. */
  private resume(
    proc: GuestProcess,
    target: UserTarget,
    engine: Engine,
    watchpoints: Watchpoints,
    action: ResumeAction & { signal: number },
  ): Stop {
    const view = proc.memory.view;
    if (action.signal) {
      // A signal gdb passes on takes its default action (handlers get the signals the guest raises itself, after syscalls).
      const host = hostSignalOfGdb(action.signal);
      if (host && !IGNORED_BY_DEFAULT.has(host)) throw new GuestExit(0, host);
    }
    const trapped = (trap: TrapKind): Stop => ({ signal: gdbSignal(signalOfTrap(trap)) });
    // Guest threads switch at syscalls and time slices: every read of the state is the running thread's.
    const pc = (): number => Number(view.getBigUint64(proc.stateBase + STATE_PC, true));
    /** Runs guest code with the watched pages protected. */
    const watched = (run: () => TrapKind): TrapKind => {
      watchpoints.arm();
      try {
        return run();
      } finally {
        watchpoints.disarm();
      }
    };
    /**
     * A fault on a watched page: the instruction runs with the guest's own protections (faulting
     * again if they refuse it); a Stop if it touched a watchpoint. Fetches from the page do not count.
     */
    const watchedAccess = (): Stop | undefined => {
      const addr = Number(view.getBigUint64(proc.stateBase + STATE_FAULT_ADDR, true));
      const fetch = addr === pc();
      const before = watchpoints.snapshot(addr);
      const trap = engine.step(proc.stateBase);
      if (trap !== TrapKind.None && !moveOn(proc, target, trap)) return trapped(trap);
      const hit = fetch ? undefined : watchpoints.hit(addr, before);
      return hit && { signal: gdbSignal('SIGTRAP'), watch: hit.addr, watchKind: hit.kind };
    };
    /** What a trap of guest code means here: a Stop, or undefined to go on. */
    const after = (trap: TrapKind): Stop | undefined => {
      if (trap === TrapKind.None) return undefined;
      if (trap === TrapKind.Yield && this.takeInterrupt()) return { signal: gdbSignal('SIGINT') };
      if (moveOn(proc, target, trap)) return undefined;
      const faultAddr = Number(view.getBigUint64(proc.stateBase + STATE_FAULT_ADDR, true));
      if (trap === TrapKind.MemoryFault && watchpoints.covers(faultAddr)) return watchedAccess();
      return trapped(trap);
    };
    if (action.kind === 'step') {
      return after(watched(() => engine.step(proc.stateBase))) ?? { signal: gdbSignal('SIGTRAP') };
    }
    if (engine.hasBreakpoint(pc())) {
      const stop = after(watched(() => engine.step(proc.stateBase)));
      if (stop) return stop;
    }
    for (;;) {
      const trap = watched(() => engine.run(proc.stateBase));
      const stop = after(trap);
      if (stop) return stop;
      // Compiled loops reach the dispatcher's poll rarely; a syscall is a good moment to look.
      if (trap === TrapKind.Syscall && this.takeInterrupt()) return { signal: gdbSignal('SIGINT') };
    }
  }
}

function makeDebugTarget(
  proc: GuestProcess,
  target: UserTarget,
  engine: Engine,
  info: UserDebugInfo,
): DebugTarget & { removeAllBreakpoints(): void; watchpoints: Watchpoints } {
  const memory = proc.memory;
  const description = GDB_TARGETS[target.name]!;
  const breakpointPc = (addr: number, kind: number): number => description.breakpointPc?.(addr, kind) ?? addr;
  const breakpoints = new Set<number>();
  const readMemory = (addr: number, length: number): Uint8Array | undefined =>
    mapped(addr, length) ? memory.readBytes(addr, length).slice() : undefined;
  const watchpoints = new Watchpoints(memory);
  const mapped = (addr: number, length: number): boolean => {
    if (addr < 0 || addr + length > 2 ** 32) return false;
    for (let a = addr; a < addr + length; a = (Math.floor(a / 4096) + 1) * 4096) {
      if (memory.pageFlags(a) & PageFlags.Unmapped) return false;
    }
    return true;
  };
  return {
    description,
    state: memory.view,
    get stateBase() {
      return proc.stateBase;
    },
    get threadId() {
      return currentThreadId(proc) ?? process.pid;
    },
    threads: () => threadStates(proc).map((t) => ({ id: t.tid, stateBase: t.stateBase })),
    memory: {
      read: (addr, length) => (addr < 2n ** 32n ? readMemory(Number(addr), length) : undefined),
      write(addr, bytes) {
        if (addr >= 2n ** 32n || !mapped(Number(addr), bytes.length)) return false;
        memory.writeBytes(Number(addr), bytes);
        proc.invalidateCode(Number(addr), bytes.length);
        return true;
      },
    },
    watchpoints,
    addWatchpoint: (kind, addr, length) => watchpoints.add(kind, addr, length),
    removeWatchpoint: (kind, addr, length) => watchpoints.remove(kind, addr, length),
    addBreakpoint(addr, kind) {
      const pc = breakpointPc(Number(addr), kind);
      breakpoints.add(pc);
      engine.addBreakpoint(pc);
    },
    removeBreakpoint(addr, kind) {
      const pc = breakpointPc(Number(addr), kind);
      breakpoints.delete(pc);
      engine.removeBreakpoint(pc);
    },
    removeAllBreakpoints() {
      for (const addr of breakpoints) engine.removeBreakpoint(addr);
      breakpoints.clear();
      watchpoints.clear();
    },
    execFile: () => proc.exePath,
    auxv() {
      const pairs = [...info.auxv, [0, 0] as const];
      const out = Buffer.alloc(pairs.length * 2 * info.wordSize);
      pairs.flat().forEach((v, i) => {
        const at = i * info.wordSize;
        if (info.wordSize === 8) {
          if (info.littleEndian) out.writeBigUInt64LE(BigInt.asUintN(64, BigInt(v)), at);
          else out.writeBigUInt64BE(BigInt.asUintN(64, BigInt(v)), at);
        } else if (info.littleEndian) out.writeUInt32LE(v >>> 0, at);
        else out.writeUInt32BE(v >>> 0, at);
      });
      return out;
    },
  };
}
