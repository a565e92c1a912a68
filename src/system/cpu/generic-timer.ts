/**
 * The ARM generic timer of one CPU (ARM ARM D11): the EL1 physical timer (CNTP_*) and the virtual
 * timer (CNTV_*), both comparing the system counter with their CVAL. CNTVOFF is zero, so the
 * virtual and physical counts agree. A timer's output is asserted while it is enabled, not masked
 * and the counter has reached CVAL; the board wires the outputs to PPIs of the interrupt controller.
 * CTL and CVAL are words of the CPU's state block (shared-state.ts).
 */
import { COUNTER_HZ, counterNow } from '../../translate/aarch64/insns/cpu-id';
import { TIMER_CHANNELS, TIMER_CHANNEL_SIZE } from './shared-state';

const CTL_ENABLE = 1;
const CTL_IMASK = 2;
const CTL_ISTATUS = 4;

export class TimerChannel {
  constructor(
    private readonly view: DataView,
    /** Window address of its CTL (i32; CVAL, i64, is 8 bytes on). */
    private readonly at: number,
  ) {}

  /** CNTx_CTL's ENABLE and IMASK. */
  get ctl(): number {
    return this.view.getUint32(this.at, true);
  }

  set ctl(value: number) {
    this.view.setUint32(this.at, value, true);
  }

  get cval(): bigint {
    return this.view.getBigUint64(this.at + 8, true);
  }

  set cval(value: bigint) {
    this.view.setBigUint64(this.at + 8, value, true);
  }

  private met(now: bigint): boolean {
    return now >= this.cval;
  }

  /** CNTx_CTL with ISTATUS computed (RES0 while disabled). */
  readCtl(now = counterNow()): bigint {
    const enabled = (this.ctl & CTL_ENABLE) !== 0;
    return BigInt(this.ctl | (enabled && this.met(now) ? CTL_ISTATUS : 0));
  }

  writeCtl(value: bigint): void {
    this.ctl = Number(value & BigInt(CTL_ENABLE | CTL_IMASK));
  }

  /** CNTx_TVAL: the signed 32-bit distance from now to CVAL. */
  readTval(now = counterNow()): bigint {
    return BigInt.asUintN(32, this.cval - now);
  }

  writeTval(value: bigint): void {
    this.cval = BigInt.asUintN(64, counterNow() + BigInt.asIntN(32, value));
  }

  /** Whether the timer's interrupt output is asserted. */
  output(now = counterNow()): boolean {
    return (this.ctl & (CTL_ENABLE | CTL_IMASK)) === CTL_ENABLE && this.met(now);
  }

  /** Milliseconds until the output asserts, or undefined if it will not by itself. */
  msUntilFire(now = counterNow()): number | undefined {
    if ((this.ctl & (CTL_ENABLE | CTL_IMASK)) !== CTL_ENABLE) return undefined;
    if (this.met(now)) return 0;
    return (Number(this.cval - now) * 1000) / COUNTER_HZ;
  }
}

export class GenericTimer {
  readonly physical: TimerChannel;
  readonly virtual: TimerChannel;

  /** The timer of the CPU whose state block is at `base`. */
  constructor(view: DataView, base: number) {
    this.physical = new TimerChannel(view, base + TIMER_CHANNELS);
    this.virtual = new TimerChannel(view, base + TIMER_CHANNELS + TIMER_CHANNEL_SIZE);
  }

  reset(): void {
    for (const t of [this.physical, this.virtual]) {
      t.ctl = 0;
      t.cval = 0n;
    }
  }

  /** Milliseconds until either channel fires (undefined: neither will). */
  msUntilFire(): number | undefined {
    const now = counterNow();
    const times = [this.physical.msUntilFire(now), this.virtual.msUntilFire(now)].filter(
      (t) => t !== undefined,
    );
    return times.length > 0 ? Math.min(...times) : undefined;
  }
}
