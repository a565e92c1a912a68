/**
 * The main thread's side of `-accel tcg,thread=multi` (docs/smp.md): starts one worker per vCPU
 * (vcpu-worker.ts) on the board's memory and answers their requests from the event loop (the bus,
 * each CPU's device registers, the board's calls), each on behalf of the vCPU that made it; keeps
 * every vCPU's interrupt lines up to date after each; and stops and resumes them for the monitor
 * through the run-control word.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { installRoot } from '../../install-root';
import { deviceSysRegs } from '../cpu/sysregs';
import type { CpuBoard, SystemCpu } from '../cpu/system-cpu';
import type { MmioBus } from '../devices/mmio';
import { PAGE_SHIFT, PAGE_SIZE, PageFlags } from '../../memory/layout';
import { createWideAtomicLock } from '../../translate/ir/wide-atomics';
import { boardRequests } from './board-requests';
import { busRanges, busRequests } from './remote-bus';
import { sysRegRequests, sysRegShapes } from './remote-sysregs';
import { createRequestChannel, serveRequests, type RequestHandler } from './request-channel';
import { CODE_WRITTEN, TRANSLATIONS_CHANGED, VcpuControl } from './vcpu-control';
import type { VcpuWorkerData } from './vcpu-worker';

export class VcpuThreads {
  private readonly workers: Worker[];
  private readonly control: VcpuControl;
  /** Each channel's server's end. */
  private readonly servers: (() => void)[] = [];

  /**
   * Runs each vCPU of `cpu` (the board's, whose memory and registers they share) on a worker
   * thread; `codeOwners` are the engines' code page counts (code-owners.ts).
   */
  constructor(
    private readonly cpu: SystemCpu,
    board: CpuBoard,
    bus: MmioBus,
    running: boolean,
    private readonly codeOwners: SharedArrayBuffer,
  ) {
    this.control = new VcpuControl(cpu.count);
    const wideAtomicLock = createWideAtomicLock();
    this.setRunning(running);
    const entry = path.join(installRoot(), 'dist', 'system', 'threads', 'vcpu-worker.js');
    const script = `require(${JSON.stringify(entry)}).runVcpuWorker(require('node:worker_threads').workerData);`;
    this.workers = Array.from({ length: cpu.count }, (_, index) => {
      const registers = cpu.registersOf(index);
      const sysRegs = deviceSysRegs(registers);
      const data: VcpuWorkerData = {
        memory: cpu.memory.memory,
        models: [...cpu.models],
        index,
        ram: board.ram,
        rom: (board.rom ?? []).map(({ base, size }) => ({ base, size })),
        engineSpace: board.engineSpace,
        bus: { channel: createRequestChannel(), ranges: busRanges(bus) },
        sysRegs: { channel: createRequestChannel(), shapes: sysRegShapes(sysRegs) },
        board: createRequestChannel(),
        control: this.control.buffer,
        codeOwners,
        wideAtomicLock,
      };
      // Each request is carried out as vCPU `index`'s (its GIC bank, its CPU_OFF) and may change
      // the GIC's signals to any CPU (an acknowledge, an SGI, a timer sampled): every CPU's lines
      // are brought up to date before the reply.
      const asVcpu =
        (handler: RequestHandler): RequestHandler =>
        (operation, args) => {
          cpu.actFor(index);
          const result = handler(operation, args);
          this.updateLines(board);
          return result;
        };
      this.servers.push(
        serveRequests(data.bus.channel, asVcpu(busRequests(bus))),
        serveRequests(data.sysRegs.channel, asVcpu(sysRegRequests(registers, sysRegs))),
        serveRequests(data.board, asVcpu(boardRequests(board, (vcpu) => cpu.registersOf(vcpu)))),
      );
      const worker = new Worker(script, { eval: true, workerData: data });
      worker.on(
        'error',
        (e) => void process.stderr.write(`tsemu-system: vCPU thread: ${e.stack ?? e.message}\n`),
      );
      return worker;
    });
  }

  /** Every vCPU's lines set to the GIC's signals (and its timers' outputs). */
  updateLines(board: CpuBoard): void {
    for (let index = 0; index < this.cpu.count; index++) board.updateLines(index);
  }

  /** vCPU `index`'s worker's host thread id, once it has started. */
  threadId(index: number): number | undefined {
    return this.control.threadId(index);
  }

  /** Lets the vCPUs run, or stops each at the end of its slice (the monitor's stop). */
  setRunning(running: boolean): void {
    this.control.setRunning(running);
  }

  /** Stops the vCPUs; settles once none runs guest code (each ends its slice, within about 20 ms). */
  async stop(): Promise<void> {
    this.control.setRunning(false);
    await Promise.all(this.workers.map((_, index) => this.control.whenInactive(index)));
  }

  /** A flash bank changed between reading as memory and as its device: every vCPU's cached translations go. */
  translationsChanged(): void {
    this.tellAll(TRANSLATIONS_CHANGED);
  }

  /** PSCI CPU_ON reset vCPU `index`'s registers: its engine's cached translations go. */
  started(index: number): void {
    this.control.post(index, TRANSLATIONS_CHANGED);
  }

  /**
   * The main thread wrote [pa, pa + size) (flash programmed, a device's DMA, a debugger): if a vCPU
   * translated code there (the shared page flags say so), every vCPU's translated code goes.
   */
  memoryWritten(pa: number, size: number): void {
    const last = Math.floor((pa + Math.max(size, 1) - 1) / PAGE_SIZE);
    for (let page = pa >>> PAGE_SHIFT; page <= last; page++) {
      if (this.cpu.memory.pageFlags(page * PAGE_SIZE) & PageFlags.HasCode) {
        this.tellAll(CODE_WRITTEN);
        return;
      }
    }
  }

  private tellAll(bits: number): void {
    for (let index = 0; index < this.cpu.count; index++) this.control.post(index, bits);
  }

  /** Ends the threads (the machine's reset starts others, with no code translated). */
  async end(): Promise<void> {
    for (const stop of this.servers) stop();
    await Promise.all(this.workers.map((worker) => worker.terminate()));
    new Int32Array(this.codeOwners).fill(0);
  }
}
