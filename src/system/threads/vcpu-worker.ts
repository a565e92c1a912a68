/**
 * The worker thread of `-accel tcg,thread=multi` (docs/smp.md): one vCPU with an engine of its
 * own on the main thread's WebAssembly.Memory, its devices, device registers and board reached by
 * synchronous requests (remote-bus.ts, remote-sysregs.ts, board-requests.ts). The main thread keeps
 * its interrupt lines word up to date (after each request, and whenever the GIC changes); the
 * worker asks it to only when its own timers' outputs have changed. It runs while its
 * power state says so and the main thread's run-control word lets it (the monitor's stop), waits
 * in WFI on its interrupt lines word (which the main thread sets and notifies) until its timer's
 * expiry, and sleeps while off until the main thread ends it.
 */
import { GuestMemory } from '../../memory/guest-memory';
import { counterNow } from '../../translate/aarch64/insns/cpu-id';
import type { CpuModel } from '../cpu/cpu-model';
import type { RamRange } from '../cpu/mmu';
import { defineDeviceSysRegs } from '../cpu/sysregs';
import { SystemCpu } from '../cpu/system-cpu';
import { remoteBoardCalls } from './board-requests';
import { RemoteBus, type BusRange } from './remote-bus';
import { remoteSysRegs, type SysRegShape } from './remote-sysregs';

/** The run-control word's values (the main thread writes it and notifies). */
export const RUN = 0;
export const STOP = 1;
/** The control buffer's i32 words: run control, then the main thread's news for the engine. */
export const CONTROL_WORDS = 2;
export const NEWS = 1;
/** News bits: flash changed mode (cached translations go); memory holding code was written. */
export const TRANSLATIONS_CHANGED = 1 << 0;
export const CODE_WRITTEN = 1 << 1;

export interface VcpuWorkerData {
  memory: WebAssembly.Memory;
  /** The vCPU's model (with its MPIDR); the worker runs vCPU 0. */
  models: CpuModel[];
  ram: RamRange;
  rom: RamRange[];
  engineSpace: RamRange;
  bus: { channel: SharedArrayBuffer; ranges: BusRange[] };
  sysRegs: { channel: SharedArrayBuffer; shapes: SysRegShape[] };
  board: SharedArrayBuffer;
  /** An Int32Array's buffer of CONTROL_WORDS: RUN or STOP, and the news bits. */
  control: SharedArrayBuffer;
}

export function runVcpuWorker(data: VcpuWorkerData): never {
  const calls = remoteBoardCalls(data.board);
  const control = new Int32Array(data.control);
  // The main thread's news is taken after each device access (a flash write that changed its
  // mode, as the one thread takes it within the store) and between slices.
  const takeNews = (): void => {
    const news = Atomics.load(control, NEWS) === 0 ? 0 : Atomics.exchange(control, NEWS, 0);
    if (news & CODE_WRITTEN) cpu.forgetCode();
    else if (news & TRANSLATIONS_CHANGED) cpu.romModeChanged();
  };
  // The timers' outputs when the main thread last sampled them at the worker's request.
  let sampled = -1;
  const updateLines = (index: number): void => {
    const timer = cpu.registersOf(index).timer;
    const now = counterNow();
    const outputs = (timer.physical.output(now) ? 1 : 0) | (timer.virtual.output(now) ? 2 : 0);
    if (outputs === sampled) return;
    sampled = outputs;
    calls.updateLines(index);
  };
  const cpu: SystemCpu = new SystemCpu(
    data.models,
    {
      bus: new RemoteBus(data.bus.channel, data.bus.ranges, takeNews),
      ram: data.ram,
      rom: data.rom.map((range, bank) => ({ ...range, readsAsMemory: () => calls.romReadsAsMemory(bank) })),
      engineSpace: data.engineSpace,
      updateLines,
      hypervisorCall: calls.hypervisorCall,
      secureMonitorCall: calls.secureMonitorCall,
    },
    new GuestMemory(true, data.memory),
  );
  defineDeviceSysRegs(cpu.registersOf(0), remoteSysRegs(data.sysRegs.channel, data.sysRegs.shapes));
  const signals = cpu.signalsOf(0);
  for (;;) {
    takeNews();
    if (Atomics.load(control, 0) === STOP) Atomics.wait(control, 0, STOP);
    else if (signals.status === 'off') signals.waitWhile('off');
    else if (cpu.runnable) cpu.runSlice();
    else signals.waitForLines(cpu.msUntilTimer());
  }
}
