/**
 * Time slices for guest threads. Guest code runs on the one host thread and returns to JavaScript
 * only at syscalls, faults and dispatcher misses; a thread that spins without syscalls (a spinlock,
 * Go's runtime) would keep every other thread from running. A ticker on a Node worker thread, while
 * armed, wakes every SLICE_MS and (on the shared guest memory) sets the yield-request word and
 * empties the dispatcher's lookup cache: compiled code then misses at its next indirect branch or
 * dispatch (region loops return there at their iteration budget), and the engine returns
 * TrapKind.Yield, on which the CPU loop lets the scheduler switch threads and delivers pending
 * signals (so an expired guest timer interrupts a loop without syscalls, as on Linux). Emptying the
 * cache costs only refills of the hot entries, once per slice.
 */
import { LOOKUP_BASE, LOOKUP_ENTRIES, LOOKUP_ENTRY_SIZE, YIELD_REQUEST } from '../../memory/layout';
import type { GuestMemory } from '../../memory/guest-memory';

const SLICE_MS = 10;
/** control[0]: armed (1) or not; control[1] never changes, the ticker sleeps on it for one slice. */
const ARMED = 0;
const SLEEP = 1;

/**
 * The ticker's code. An entry's low pc word set to all ones never matches: guest pcs are below 2^32
 * and aligned. The table-index word is left alone, since the dispatcher may be reading the entry.
 */
const TICKER = `
const { workerData } = require('node:worker_threads');
const { buffer, control, yieldWord, lookupBase, entries, entrySize, sliceMs } = workerData;
const ctl = new Int32Array(control);
const words = new Uint32Array(buffer);
for (;;) {
  if (Atomics.load(ctl, ${ARMED}) === 0) Atomics.wait(ctl, ${ARMED}, 0);
  Atomics.wait(ctl, ${SLEEP}, 0, sliceMs);
  if (Atomics.load(ctl, ${ARMED}) === 0) continue;
  Atomics.store(words, yieldWord / 4, 1);
  for (let i = 0, at = lookupBase / 4; i < entries; i++, at += entrySize / 4) words[at] = 0xffffffff;
}
`;

/** Why time slices are wanted: other guest threads, or a guest timer that must interrupt a loop without syscalls. */
export type SliceReason = 'threads' | 'timer';

interface Ticker {
  readonly control: Int32Array;
  readonly reasons: Set<SliceReason>;
}

const tickers = new WeakMap<GuestMemory, Ticker>();

function startTicker(memory: GuestMemory): Ticker {
  // Loaded here, not with this module: a process started from the start-up snapshot must not have
  // had worker_threads loaded while the snapshot was built (Node 20 leaves its state out of step
  // then, and every Worker dies as it starts: "undefined is not an integer typed array").
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const control = new Int32Array(new SharedArrayBuffer(8));
  // stdout and stderr of its own: by default Node pipes a worker's output into process.stdout and
  // process.stderr, whose creation switches a pipe on fd 1 or 2 to O_NONBLOCK under the guest (a
  // threaded guest's write to a full pipe then failed with EAGAIN: zstd -dc | tar -x).
  const worker = new Worker(TICKER, {
    eval: true,
    stdout: true,
    stderr: true,
    workerData: {
      buffer: memory.memory.buffer,
      control: control.buffer,
      yieldWord: YIELD_REQUEST,
      lookupBase: LOOKUP_BASE,
      entries: LOOKUP_ENTRIES,
      entrySize: LOOKUP_ENTRY_SIZE,
      sliceMs: SLICE_MS,
    },
  });
  worker.unref();
  return { control, reasons: new Set() };
}

/** Starts (creating the ticker the first time) or stops time slices for one reason; they run while any reason holds. */
export function setTimeSlicing(memory: GuestMemory, reason: SliceReason, on: boolean): void {
  let ticker = tickers.get(memory);
  if (!ticker) {
    if (!on) return;
    ticker = startTicker(memory);
    tickers.set(memory, ticker);
  }
  const armed = ticker.reasons.size > 0;
  if (on) ticker.reasons.add(reason);
  else ticker.reasons.delete(reason);
  if (armed === ticker.reasons.size > 0) return;
  Atomics.store(ticker.control, ARMED, armed ? 0 : 1);
  Atomics.notify(ticker.control, ARMED);
}

/** A forked child has no ticker thread (fork copies only the calling thread): the next arming starts a new one. */
export function forgetTicker(memory: GuestMemory): void {
  tickers.delete(memory);
  memory.view.setUint32(YIELD_REQUEST, 0, true);
}
