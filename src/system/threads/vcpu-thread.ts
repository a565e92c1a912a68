/**
 * The main thread's side of `-accel tcg,thread=multi` with one vCPU (docs/smp.md): starts the
 * worker (vcpu-worker.ts) on the board's memory and answers its requests from the event loop
 * (the bus, the CPU's device registers, the board's calls), and stops and resumes it for the
 * monitor through a run-control word.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { installRoot } from '../../install-root';
import { deviceSysRegs } from '../cpu/sysregs';
import type { CpuBoard, SystemCpu } from '../cpu/system-cpu';
import type { MmioBus } from '../devices/mmio';
import { boardRequests } from './board-requests';
import { busRanges, busRequests } from './remote-bus';
import { sysRegRequests, sysRegShapes } from './remote-sysregs';
import { createRequestChannel, serveRequests, type RequestHandler } from './request-channel';
import { PAGE_SHIFT, PAGE_SIZE, PageFlags } from '../../memory/layout';
import {
  CODE_WRITTEN,
  CONTROL_WORDS,
  NEWS,
  RUN,
  STOP,
  TRANSLATIONS_CHANGED,
  type VcpuWorkerData,
} from './vcpu-worker';

export class VcpuThread {
  private readonly worker: Worker;
  private readonly control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
  /** Each channel's server's end. */
  private readonly servers: (() => void)[];
  private readonly cpu: SystemCpu;

  /** Runs vCPU 0 of `cpu` (the board's, whose memory and registers it shares) on a worker thread. */
  constructor(cpu: SystemCpu, board: CpuBoard, bus: MmioBus, running: boolean) {
    this.cpu = cpu;
    const registers = cpu.registersOf(0);
    const sysRegs = deviceSysRegs(registers);
    const data: VcpuWorkerData = {
      memory: cpu.memory.memory,
      models: [...cpu.models],
      ram: board.ram,
      rom: (board.rom ?? []).map(({ base, size }) => ({ base, size })),
      engineSpace: board.engineSpace,
      bus: { channel: createRequestChannel(), ranges: busRanges(bus) },
      sysRegs: { channel: createRequestChannel(), shapes: sysRegShapes(sysRegs) },
      board: createRequestChannel(),
      control: this.control.buffer as SharedArrayBuffer,
    };
    // Each request may change the GIC's signals (an acknowledge, an enable, a timer sampled): the
    // CPU's lines are brought up to date before the reply.
    const thenLines =
      (handler: RequestHandler): RequestHandler =>
      (operation, args) => {
        const result = handler(operation, args);
        board.updateLines(0);
        return result;
      };
    this.servers = [
      serveRequests(data.bus.channel, thenLines(busRequests(bus))),
      serveRequests(data.sysRegs.channel, thenLines(sysRegRequests(registers, sysRegs))),
      serveRequests(data.board, thenLines(boardRequests(board, (index) => cpu.registersOf(index)))),
    ];
    this.setRunning(running);
    const entry = path.join(installRoot(), 'dist', 'system', 'threads', 'vcpu-worker.js');
    const script = `require(${JSON.stringify(entry)}).runVcpuWorker(require('node:worker_threads').workerData);`;
    this.worker = new Worker(script, { eval: true, workerData: data });
    this.worker.on('error', (e) => void process.stderr.write(`tsemu-system: vCPU thread: ${e.stack ?? e.message}\n`));
  }

  /** Lets the vCPU run, or stops it at the end of its slice (the monitor's stop). */
  setRunning(running: boolean): void {
    Atomics.store(this.control, 0, running ? RUN : STOP);
    Atomics.notify(this.control, 0);
  }

  /** A flash bank changed between reading as memory and as its device: the CPU's cached translations go. */
  translationsChanged(): void {
    Atomics.or(this.control, NEWS, TRANSLATIONS_CHANGED);
  }

  /**
   * The main thread wrote [pa, pa + size) (flash programmed, a device's DMA, a debugger): if the
   * vCPU translated code there (the shared page flags say so), its translated code goes.
   */
  memoryWritten(pa: number, size: number): void {
    const last = Math.floor((pa + Math.max(size, 1) - 1) / PAGE_SIZE);
    for (let page = pa >>> PAGE_SHIFT; page <= last; page++) {
      if (this.cpu.memory.pageFlags(page * PAGE_SIZE) & PageFlags.HasCode) {
        Atomics.or(this.control, NEWS, CODE_WRITTEN);
        return;
      }
    }
  }

  /** Ends the thread (the machine's reset starts another). */
  async end(): Promise<void> {
    for (const stop of this.servers) stop();
    await this.worker.terminate();
  }
}
