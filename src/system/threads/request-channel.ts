/**
 * A synchronous request from a worker thread to the main thread, through a SharedArrayBuffer: the
 * worker writes the operation and its arguments, bumps the request number and blocks in
 * Atomics.wait until the main thread, answering from its event loop (Atomics.waitAsync, so its
 * chardevs, monitors and timers keep being served), has written the result and set the reply
 * number to the request's. This is how a vCPU on a host thread of its own reaches what stays on the
 * main thread (devices behind the MMIO bus, docs/smp.md, `-accel tcg,thread=multi`); one request
 * costs 16 to 18 us of CPU on this machine (`node bench/worker-round-trip.mjs`).
 */

/** Int32 words: the request's and the reply's numbers, the operation, whether there is a result. */
const REQUEST = 0;
const REPLY = 1;
const OPERATION = 2;
const HAS_RESULT = 3;
/** BigInt64 slots (from byte 16): the arguments, then the result. */
const ARGUMENTS = 2;
export const MAX_ARGUMENTS = 4;
const RESULT = ARGUMENTS + MAX_ARGUMENTS;
const CHANNEL_BYTES = 8 * (RESULT + 1);

/** Atomics.waitAsync (Node 16 and later), which TypeScript's ES2022 library leaves out. */
interface AsyncWaiter {
  waitAsync(
    words: Int32Array,
    index: number,
    value: number,
  ): { async: false; value: 'not-equal' | 'timed-out' } | { async: true; value: Promise<'ok' | 'timed-out'> };
}
export const atomics = Atomics as typeof Atomics & AsyncWaiter;

/** What the main thread does with a request: its result, if the operation has one. */
export type RequestHandler = (operation: number, args: readonly bigint[]) => bigint | undefined;

/** The words a channel lives in, to hand to a worker (workerData). */
export function createRequestChannel(): SharedArrayBuffer {
  return new SharedArrayBuffer(CHANNEL_BYTES);
}

/** The worker's end: each call blocks the worker until the main thread has answered it. */
export class RequestClient {
  private readonly words: Int32Array;
  private readonly slots: BigInt64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.slots = new BigInt64Array(buffer);
  }

  call(operation: number, ...args: bigint[]): bigint | undefined {
    if (args.length > MAX_ARGUMENTS) throw new RangeError(`a request carries at most ${MAX_ARGUMENTS} arguments`);
    const previous = Atomics.load(this.words, REQUEST);
    const request = (previous + 1) & 0x7fffffff;
    this.words[OPERATION] = operation;
    args.forEach((arg, i) => (this.slots[ARGUMENTS + i] = arg));
    Atomics.store(this.words, REQUEST, request);
    Atomics.notify(this.words, REQUEST);
    for (let reply = Atomics.load(this.words, REPLY); reply !== request; reply = Atomics.load(this.words, REPLY)) {
      Atomics.wait(this.words, REPLY, reply);
    }
    return this.words[HAS_RESULT] ? this.slots[RESULT]! : undefined;
  }
}

/**
 * The main thread's end: answers each request with `handler` from the event loop until the
 * returned function is called.
 */
export function serveRequests(buffer: SharedArrayBuffer, handler: RequestHandler): () => void {
  const words = new Int32Array(buffer);
  const slots = new BigInt64Array(buffer);
  let open = true;
  const serve = async (): Promise<void> => {
    let seen = Atomics.load(words, REQUEST);
    while (open) {
      const wait = atomics.waitAsync(words, REQUEST, seen);
      if (wait.async) await wait.value;
      const request = Atomics.load(words, REQUEST);
      if (!open || request === seen) continue;
      seen = request;
      const args = Array.from(slots.subarray(ARGUMENTS, RESULT));
      const result = handler(words[OPERATION]!, args);
      words[HAS_RESULT] = result === undefined ? 0 : 1;
      slots[RESULT] = result ?? 0n;
      Atomics.store(words, REPLY, request);
      Atomics.notify(words, REPLY);
    }
  };
  void serve();
  return () => {
    open = false;
    Atomics.notify(words, REQUEST);
  };
}
