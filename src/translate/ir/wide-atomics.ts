/**
 * The lock that makes a 16-byte compare-and-store (AArch64's STXP and CASP of two doublewords)
 * atomic against the others on other threads: WebAssembly's widest atomic is 8 bytes, so such an
 * instruction is a load, a compare and two stores, run between WIDE_ATOMIC_LOCK and
 * WIDE_ATOMIC_UNLOCK. Threads that run vCPUs in parallel (system mode's `-accel tcg,thread=multi`)
 * share one lock word (`useWideAtomicLock`); elsewhere there is none and both helpers do nothing.
 * Plain stores of other vCPUs do not take it: a store between the exclusive load and the
 * compare is seen by the compare, as QEMU's MTTCG sees it with a 16-byte cmpxchg; one between the
 * compare and the two stores is not (docs/smp.md). A block that leaves between the two helpers (a
 * fault on the access) has its lock released by its runner (`releaseWideAtomicLock`).
 */
import { defineHelper } from './helpers';

let lock: Int32Array | undefined;
let held = false;

/** A lock word, to hand to every thread that runs vCPUs. */
export function createWideAtomicLock(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

/** This thread's 16-byte compare-and-stores take `buffer`'s lock. */
export function useWideAtomicLock(buffer: SharedArrayBuffer): void {
  lock = new Int32Array(buffer);
}

/** Releases the lock if this thread holds it. */
export function releaseWideAtomicLock(): void {
  if (!held) return;
  held = false;
  Atomics.store(lock!, 0, 0);
  Atomics.notify(lock!, 0, 1);
}

export const WIDE_ATOMIC_LOCK = defineHelper({
  name: 'wide_atomic_lock',
  params: [],
  result: null,
  impl() {
    if (!lock || held) return;
    while (Atomics.compareExchange(lock, 0, 0, 1) !== 0) Atomics.wait(lock, 0, 1);
    held = true;
  },
});

export const WIDE_ATOMIC_UNLOCK = defineHelper({
  name: 'wide_atomic_unlock',
  params: [],
  result: null,
  impl: releaseWideAtomicLock,
});
