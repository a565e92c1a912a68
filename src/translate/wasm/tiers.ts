/**
 * Which of V8's tiers compiles tsemu's modules. A batch module is compiled by the baseline compiler
 * (Liftoff), and its functions tier up to TurboFan one by one as they run hot; that tier-up is a job
 * V8 posts to Node's worker threads. A forked guest child has none (the host fork copies only the
 * calling thread, native/exec.cc): the job is queued and never runs, so the child's code would stay
 * baseline code however hot it gets (dpkg-deb's xz decompression, done in a forked child, took
 * twice the CPU time of the same decompression in a process of its own).
 *
 * A forked child therefore does the tier-up itself, on its one thread, once it has run long enough
 * for it to pay: after CHILD_TIER_UP_CPU of CPU time the engine compiles its batches again with
 * TurboFan (tierUpDue), and every later module is compiled with TurboFan directly. Most children
 * (a shell's fork and exec of a short program) end well before that and pay nothing; compiling
 * their modules with TurboFan from the start cost about 16 ms more per fork and exec of Debian's
 * /bin/true.
 */
import v8 from 'node:v8';

/** CPU time (user + system, microseconds) a forked child runs before it tiers its code up. */
const CHILD_TIER_UP_CPU = 400_000;
/**
 * Wall time (ms) between two reads of the CPU time, which is a getrusage system call and an object
 * (about 1 to 5 microseconds, as dear as a small system call of the guest's, and tierUpDue runs at
 * each of them); the clock that paces the reads is read without a system call.
 */
const TIER_UP_CHECK_MS = 5;
/** When tierUpDue next reads the CPU time (performance.now()). */
let nextCheck = 0;

/** Whether this process is a forked child (Node's worker threads are gone). */
let forked = false;
/** Forks this process descends from: what the process compiled since its fork is of the last one. */
let generation = 0;
/** Whether every module is compiled with TurboFan now (a forked child past CHILD_TIER_UP_CPU). */
let optimizing = false;

/** Tells the compiler that this process is a forked child, without worker threads, just forked. */
export function forkedWithoutWorkerThreads(): void {
  forked = true;
  optimizing = false;
  nextCheck = 0;
  generation++;
}

/** Whether this process is a forked child, without Node's worker threads. */
export function isForkedChild(): boolean {
  return forked;
}

/** The fork a module compiled now belongs to: a child's tier-up compiles only its own generation's again. */
export function forkGeneration(): number {
  return generation;
}

/**
 * True once, when a forked child has just run long enough that its code must become TurboFan
 * code: the caller compiles again the batches it compiled since the fork (recompileOptimized; the
 * parent's were left to V8's tier-up there); later batches are compiled so.
 */
export function tierUpDue(): boolean {
  if (!forked || optimizing) return false;
  const now = performance.now();
  if (now < nextCheck) return false;
  nextCheck = now + TIER_UP_CHECK_MS;
  const { user, system } = process.cpuUsage();
  optimizing = user + system >= CHILD_TIER_UP_CPU;
  return optimizing;
}

/**
 * Compiles with V8's optimising tier directly. The dispatcher is entered once and loops inside, and
 * V8 has no on-stack replacement for wasm: left to the baseline tier it would stay there forever.
 * --no-liftoff also turns dynamic tiering off by implication, and --liftoff does not turn it back
 * on: every module compiled later would be compiled twice, by Liftoff and then eagerly, whole, by
 * TurboFan (a quarter of a dynamic /bin/true's CPU time, its cached hot batches). So it is set
 * again: the modules tier up function by function as they run hot (translated loops return to
 * the dispatcher when their budget runs out, so they are re-entered in TurboFan code).
 */
export function compileOptimized<T>(build: () => T): T {
  v8.setFlagsFromString('--no-liftoff');
  try {
    return build();
  } finally {
    v8.setFlagsFromString('--liftoff');
    v8.setFlagsFromString('--wasm-dynamic-tiering');
  }
}

/**
 * Compiles a batch module again with TurboFan. V8 keeps one compiled module per distinct bytes
 * while it is alive (its native module cache), so the same bytes would give back the baseline code:
 * the cache is off for this compile.
 */
export function recompileOptimized(bytes: Uint8Array): WebAssembly.Module {
  v8.setFlagsFromString('--no-wasm-native-module-cache-enabled');
  try {
    return compileOptimized(() => new WebAssembly.Module(bytes));
  } finally {
    v8.setFlagsFromString('--wasm-native-module-cache-enabled');
  }
}

/** Compiles one of the engine's batch modules in the tier that suits this process now. */
export function compileBatchModule(bytes: Uint8Array): WebAssembly.Module {
  return optimizing ? compileOptimized(() => new WebAssembly.Module(bytes)) : new WebAssembly.Module(bytes);
}
