/**
 * The words the threads of `-accel tcg,thread=multi` share to control the vCPUs (docs/smp.md): the
 * run-control word the monitor's stop and cont set (every worker parks at the end of its slice),
 * then for each vCPU its news bits (what another thread did that its engine must hear of), whether
 * it is running translated code now (a vCPU that is not takes its news before it runs again, so no
 * one waits for it) and its worker's host thread id (query-cpus-fast's thread-id).
 */
import { atomics } from './request-channel';

/** The run-control word's values. */
export const RUN = 0;
export const STOP = 1;
/** News bits: cached translations go (a TLBI, flash changing mode, CPU_ON); translated code goes. */
export const TRANSLATIONS_CHANGED = 1 << 0;
export const CODE_WRITTEN = 1 << 1;

const RUN_CONTROL = 0;
const WORDS_PER_VCPU = 3;
const newsWord = (vcpu: number): number => 1 + WORDS_PER_VCPU * vcpu;
const activeWord = (vcpu: number): number => 2 + WORDS_PER_VCPU * vcpu;
const threadIdWord = (vcpu: number): number => 3 + WORDS_PER_VCPU * vcpu;

export class VcpuControl {
  private readonly words: Int32Array;

  /** The words of `count` vCPUs, new or (`buffer`) another thread's. */
  constructor(count: number, buffer = new SharedArrayBuffer(4 * (1 + WORDS_PER_VCPU * count))) {
    this.words = new Int32Array(buffer);
  }

  /** The words, to hand to a worker. */
  get buffer(): SharedArrayBuffer {
    return this.words.buffer as SharedArrayBuffer;
  }

  setRunning(running: boolean): void {
    Atomics.store(this.words, RUN_CONTROL, running ? RUN : STOP);
    Atomics.notify(this.words, RUN_CONTROL);
  }

  get stopped(): boolean {
    return Atomics.load(this.words, RUN_CONTROL) === STOP;
  }

  /** Blocks the calling worker while the vCPUs are stopped. */
  waitWhileStopped(): void {
    Atomics.wait(this.words, RUN_CONTROL, STOP);
  }

  /** Tells vCPU `vcpu`'s engine of `bits`. */
  post(vcpu: number, bits: number): void {
    Atomics.or(this.words, newsWord(vcpu), bits);
  }

  /** vCPU `vcpu`'s news not yet taken. */
  news(vcpu: number): number {
    return Atomics.load(this.words, newsWord(vcpu));
  }

  /** Takes vCPU `vcpu`'s news, waking a thread waiting for it to be taken. */
  take(vcpu: number): number {
    const news = Atomics.exchange(this.words, newsWord(vcpu), 0);
    if (news !== 0) Atomics.notify(this.words, newsWord(vcpu));
    return news;
  }

  /** Blocks the calling worker while vCPU `vcpu`'s news is `news`, for `ms` at most. */
  waitForTaking(vcpu: number, news: number, ms: number): void {
    Atomics.wait(this.words, newsWord(vcpu), news, ms);
  }

  /** Sets whether vCPU `vcpu` runs translated code, waking a thread waiting for it to stop (whenInactive). */
  setActive(vcpu: number, active: boolean): void {
    Atomics.store(this.words, activeWord(vcpu), active ? 1 : 0);
    if (!active) Atomics.notify(this.words, activeWord(vcpu));
  }

  /**
   * Settles once vCPU `vcpu` runs no translated code, without blocking the calling thread (the main
   * thread, which serves the requests a vCPU makes before it can stop).
   */
  async whenInactive(vcpu: number): Promise<void> {
    for (;;) {
      const waited = atomics.waitAsync(this.words, activeWord(vcpu), 1);
      if (waited.async) await waited.value;
      if (!this.isActive(vcpu)) return;
    }
  }

  isActive(vcpu: number): boolean {
    return Atomics.load(this.words, activeWord(vcpu)) !== 0;
  }

  /** vCPU `vcpu`'s worker runs on host thread `id`. */
  setThreadId(vcpu: number, id: number): void {
    Atomics.store(this.words, threadIdWord(vcpu), id);
  }

  /** vCPU `vcpu`'s worker's host thread id, once it has started. */
  threadId(vcpu: number): number | undefined {
    return Atomics.load(this.words, threadIdWord(vcpu)) || undefined;
  }
}
