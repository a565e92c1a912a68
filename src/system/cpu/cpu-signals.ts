/**
 * What a vCPU shares with the threads around it beyond its registers: its power state (PSCI's ON
 * and OFF, ON split into running and waiting in WFI) and the interrupt controller's IRQ and FIQ
 * signals to it. Both are i32 words of its state block (shared-state.ts), read and written with
 * Atomics, so the board on the main thread can set the lines and PSCI can start or stop the vCPU
 * while it runs on a host thread of its own (docs/smp.md); with every vCPU on the one thread they
 * are the same words, set and read in turn.
 */
import { INTERRUPT_LINES, POWER_STATE } from './shared-state';

/** PSCI's power states (AFFINITY_INFO's answers are ON and OFF); a waiting CPU is on. */
export type RunStatus = 'running' | 'waiting' | 'off';

/** The word's values, by index: a cleared state block is off. */
const STATUS_CODES: readonly RunStatus[] = ['off', 'running', 'waiting'];
const IRQ_LINE = 1 << 0;
const FIQ_LINE = 1 << 1;

export class CpuSignals {
  /** The power state word, then the lines word. */
  private readonly words: Int32Array;

  constructor(buffer: ArrayBufferLike, stateBase: number) {
    this.words = new Int32Array(buffer, stateBase + POWER_STATE, (INTERRUPT_LINES + 4 - POWER_STATE) / 4);
  }

  get status(): RunStatus {
    return STATUS_CODES[Atomics.load(this.words, 0)]!;
  }

  /** Sets the power state, waking a thread in waitWhile (a worker's vCPU started by CPU_ON). */
  set status(value: RunStatus) {
    if (Atomics.exchange(this.words, 0, STATUS_CODES.indexOf(value)) !== STATUS_CODES.indexOf(value)) {
      Atomics.notify(this.words, 0);
    }
  }

  /** The IRQ signal, as last set. */
  get irq(): boolean {
    return (Atomics.load(this.words, 1) & IRQ_LINE) !== 0;
  }

  /** The FIQ signal, as last set. */
  get fiq(): boolean {
    return (Atomics.load(this.words, 1) & FIQ_LINE) !== 0;
  }

  /** Either signal. */
  get interrupted(): boolean {
    return Atomics.load(this.words, 1) !== 0;
  }

  /** Sets the lines, waking a thread in waitForLines when they change. */
  setLines(irq: boolean, fiq: boolean): void {
    const lines = (irq ? IRQ_LINE : 0) | (fiq ? FIQ_LINE : 0);
    if (Atomics.exchange(this.words, 1, lines) !== lines) Atomics.notify(this.words, 1);
  }

  /** Blocks the calling thread (a vCPU's worker) while no line is up, for `ms` at most. */
  waitForLines(ms = Infinity): void {
    Atomics.wait(this.words, 1, 0, ms);
  }

  /** Blocks the calling thread (a vCPU's worker) while the power state is `status`. */
  waitWhile(status: RunStatus): void {
    Atomics.wait(this.words, 0, STATUS_CODES.indexOf(status));
  }
}
