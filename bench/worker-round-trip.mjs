// What a synchronous request from a worker thread to the main thread costs, for the design of vCPUs
// on worker threads (docs/smp.md, "-accel tcg,thread=multi"): the worker stores a request word,
// notifies and Atomics.waits for the reply; the main thread answers from its event loop, waiting
// with Atomics.waitAsync, as it would answer a vCPU's MMIO access to a device it owns.
//   node bench/worker-round-trip.mjs [ROUND_TRIPS]
import { Worker, isMainThread, workerData } from 'node:worker_threads';

const REQUEST = 0;
const REPLY = 1;
const VALUE = 2;

if (isMainThread) {
  const count = Number(process.argv[2] ?? 20000);
  const words = new Int32Array(new SharedArrayBuffer(16));
  const worker = new Worker(new URL(import.meta.url), { workerData: { words, count } });
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let seen = 0; ; ) {
    const wait = Atomics.waitAsync(words, REQUEST, seen);
    if (wait.async) await wait.value;
    seen = Atomics.load(words, REQUEST);
    if (seen < 0) break;
    words[VALUE] = words[VALUE] + 1;
    Atomics.store(words, REPLY, seen);
    Atomics.notify(words, REPLY);
  }
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const each = (us) => (us / count).toFixed(1);
  console.log(`${count} round trips: ${each(wall * 1000)} us of wall time, ${each(used.user + used.system)} us of CPU (both threads) each`);
  await worker.terminate();
} else {
  const { words, count } = workerData;
  for (let i = 1; i <= count; i++) {
    Atomics.store(words, REQUEST, i);
    Atomics.notify(words, REQUEST);
    while (Atomics.load(words, REPLY) !== i) Atomics.wait(words, REPLY, i - 1);
  }
  Atomics.store(words, REQUEST, -1);
  Atomics.notify(words, REQUEST);
}
