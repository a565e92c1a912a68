/**
 * The HasCode page flag when several engines translate from one memory (`-accel tcg,thread=multi`
 * with several vCPUs, docs/smp.md): a page keeps the flag while any engine holds translations of
 * it, so a store by any vCPU takes the slow path that invalidates them. Each window page has a
 * count of the engines holding translations of it, in a SharedArrayBuffer every thread is given;
 * an engine claims a page when it first translates code there and releases it when it has none
 * left (EngineOptions.codeOwners). The flag byte is changed with Atomics, and a release that raced
 * with another engine's claim sets it again.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import { PAGE_FLAGS_BASE, PageFlags, WINDOW_PAGES } from '../../memory/layout';
import type { CodePageOwners } from '../../translate/engine/engine';

/** The counts, one i32 per window page, to hand to each thread. */
export function createCodeOwnerCounts(): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * WINDOW_PAGES);
}

/** The owners as one engine (on any thread) reaches them. */
export function sharedCodeOwners(memory: GuestMemory, counts: SharedArrayBuffer): CodePageOwners {
  const owners = new Int32Array(counts);
  const flags = memory.u8;
  return {
    claim: (page) => {
      Atomics.add(owners, page, 1);
      Atomics.or(flags, PAGE_FLAGS_BASE + page, PageFlags.HasCode);
    },
    release: (page) => {
      if (Atomics.sub(owners, page, 1) !== 1) return;
      Atomics.and(flags, PAGE_FLAGS_BASE + page, ~PageFlags.HasCode);
      if (Atomics.load(owners, page) > 0) Atomics.or(flags, PAGE_FLAGS_BASE + page, PageFlags.HasCode);
    },
  };
}
