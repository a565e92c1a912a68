/**
 * A worker thread of `-accel tcg,thread=multi` (docs/smp.md): one vCPU with an engine of its own
 * (in that vCPU's area) on the main thread's WebAssembly.Memory, its devices, device registers and
 * board reached by synchronous requests (remote-bus.ts, remote-sysregs.ts, board-requests.ts), the
 * other vCPUs' engines by news (vcpu-peers.ts). The main thread keeps its interrupt lines word up to
 * date (after each request of any vCPU, and whenever the GIC changes); the worker asks it to only
 * when its own timers' outputs have changed. It runs while its power state says so and the
 * run-control word lets it (the monitor's stop), waits in WFI on its interrupt lines word (which the
 * main thread sets and notifies) until its timer's expiry, and sleeps while off until CPU_ON (the
 * power state word, notified) or until the main thread ends it.
 */
import { GuestMemory } from '../../memory/guest-memory';
import { counterNow } from '../../translate/aarch64/insns/cpu-id';
import type { CpuModel } from '../cpu/cpu-model';
import type { RamRange } from '../cpu/mmu';
import { defineDeviceSysRegs } from '../cpu/sysregs';
import { SystemCpu } from '../cpu/system-cpu';
import { vcpuArea } from '../cpu/vcpu-area';
import { useWideAtomicLock } from '../../translate/ir/wide-atomics';
import { remoteBoardCalls } from './board-requests';
import { sharedCodeOwners } from './code-owners';
import { RemoteBus, type BusRange } from './remote-bus';
import { remoteSysRegs, type SysRegShape } from './remote-sysregs';
import { VcpuControl } from './vcpu-control';
import { hostSyscall } from '../../syscalls/linux/host';
import { vcpuPeers } from './vcpu-peers';

export interface VcpuWorkerData {
  memory: WebAssembly.Memory;
  /** Every vCPU's model (with its MPIDR). */
  models: CpuModel[];
  /** The vCPU this worker runs. */
  index: number;
  ram: RamRange;
  rom: RamRange[];
  engineSpace: RamRange;
  bus: { channel: SharedArrayBuffer; ranges: BusRange[] };
  sysRegs: { channel: SharedArrayBuffer; shapes: SysRegShape[] };
  board: SharedArrayBuffer;
  /** VcpuControl's words. */
  control: SharedArrayBuffer;
  /** The engines' code page counts (code-owners.ts). */
  codeOwners: SharedArrayBuffer;
  /** The lock of 16-byte compare-and-stores (ir/wide-atomics.ts). */
  wideAtomicLock: SharedArrayBuffer;
}

export function runVcpuWorker(data: VcpuWorkerData): never {
  const { index } = data;
  useWideAtomicLock(data.wideAtomicLock);
  const calls = remoteBoardCalls(data.board);
  const control = new VcpuControl(data.models.length, data.control);
  control.setThreadId(index, hostSyscall('gettid'));
  const memory = new GuestMemory(true, data.memory);
  const peers = vcpuPeers(
    control,
    index,
    memory,
    data.models.map((_, vcpu) => vcpuArea(data.engineSpace, vcpu).budgetWord),
    () => cpu,
  );
  // The main thread's news is taken after each device access (a flash write that changed its
  // mode, as the one thread takes it within the store) and before each run of the engine.
  const takeNews = (): void => {
    if (peers.pending()) peers.take();
  };
  // The timers' outputs when the main thread last sampled them at the worker's request.
  let sampled = -1;
  const updateLines = (vcpu: number): void => {
    const timer = cpu.registersOf(vcpu).timer;
    const now = counterNow();
    const outputs = (timer.physical.output(now) ? 1 : 0) | (timer.virtual.output(now) ? 2 : 0);
    if (outputs === sampled) return;
    sampled = outputs;
    calls.updateLines(vcpu);
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
    { memory, vcpu: index, codeOwners: sharedCodeOwners(memory, data.codeOwners), peers },
  );
  defineDeviceSysRegs(cpu.registersOf(index), remoteSysRegs(data.sysRegs.channel, data.sysRegs.shapes));
  const signals = cpu.signalsOf(index);
  for (;;) {
    // Active before the run-control word is read: the main thread's stop stores STOP and then waits
    // while the vCPU is active, so either it sees this vCPU active or this vCPU sees STOP.
    control.setActive(index, true);
    if (control.stopped) {
      control.setActive(index, false);
      control.waitWhileStopped();
      continue;
    }
    const status = signals.status;
    if (status === 'off') {
      control.setActive(index, false);
      signals.waitWhile('off');
      continue;
    }
    takeNews();
    const runnable = cpu.runnable;
    if (runnable) cpu.runSlice();
    control.setActive(index, false);
    if (!runnable && signals.status === 'waiting') signals.waitForLines(cpu.msUntilTimer());
  }
}
