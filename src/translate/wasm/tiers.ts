/**
 * Which of V8's tiers compiles tsemu's modules. A batch module is compiled by the baseline compiler
 * (Liftoff), and its functions tier up to TurboFan one by one as they run hot; that tier-up is a job
 * V8 posts to Node's worker threads. A forked guest child has none (the host fork copies only the
 * calling thread, native/exec.cc): the job is queued and never runs, so the child's code would stay
 * baseline code however hot it gets (dpkg-deb's xz decompression, done in a forked child, took
 * twice the CPU time of the same decompression in a process of its own).
 *
 * A forked child therefore does the tier-up itself, on its one thread, whole batches at a time,
 * once it has run long enough for that to pay (tierUpDue): for at least CHILD_TIER_UP_CPU of CPU
 * time since the fork or its last tier-up, and at least as long as compiling the batches waiting
 * for it would take (a rent-or-buy rule: a child never pays more for compiling than about what it
 * already spent running). Compiling every module with TurboFan once a child passed 0.4 s, as this
 * did before, cost a shell's children running sed (0.5 s each) a quarter more CPU: an exec of sed
 * installs 255 cached modules, 1.4 MB of wasm, past that point. Children that run long tier up
 * again and again, each time the batches made since the last.
 */
import v8 from 'node:v8';
import { Bytes } from './emitter';

/** CPU time (user + system, microseconds) a forked child runs between two tier-ups, at least. */
const CHILD_TIER_UP_CPU = 400_000;
/**
 * CPU time (microseconds) TurboFan takes per byte of a batch module (0.84: 26 modules of gzip's,
 * 142 KB, compiled again in 119 ms).
 */
const TURBOFAN_CPU_PER_BYTE = 0.84;
/**
 * Wall time (ms) between two reads of the CPU time, which is a getrusage system call and an object
 * (about 1 to 5 microseconds, as dear as a small system call of the guest's, and tierUpDue runs at
 * each of them); the clock that paces the reads is read without a system call.
 */
const TIER_UP_CHECK_MS = 5;
/** When tierUpDue next reads the CPU time (performance.now()). */
let nextCheck = 0;
/** This process's CPU time (microseconds) at its fork or last tier-up. */
let lastTierUpCpu = 0;

/** Whether this process is a forked child (Node's worker threads are gone). */
let forked = false;
/** Forks this process descends from: what the process compiled since its fork is of the last one. */
let generation = 0;

/** Tells the compiler that this process is a forked child, without worker threads, just forked. */
export function forkedWithoutWorkerThreads(): void {
  forked = true;
  nextCheck = 0;
  lastTierUpCpu = 0;
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

/** CPU time (microseconds) this process used (a forked child: since its fork). */
function cpuTime(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/**
 * Whether a forked child has run long enough that the batches it compiled since the fork and not
 * yet tiered up, `waitingBytes` of wasm, must be compiled again with TurboFan
 * (recompileOptimized); the caller then does so and calls tieredUp.
 */
export function tierUpDue(waitingBytes: number): boolean {
  if (!forked || waitingBytes === 0) return false;
  const now = performance.now();
  if (now < nextCheck) return false;
  nextCheck = now + TIER_UP_CHECK_MS;
  return cpuTime() - lastTierUpCpu >= Math.max(CHILD_TIER_UP_CPU, waitingBytes * TURBOFAN_CPU_PER_BYTE);
}

/** A forked child's tier-up is done: the next is measured from now. */
export function tieredUp(): void {
  lastTierUpCpu = cpuTime();
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
 * A custom section that sets a TurboFan recompile's bytes apart from its batch's. V8 keeps one
 * compiled module per distinct bytes while it lives (its native module cache), so the batch's own
 * bytes would give back its baseline code. A custom section is not compiled, and one at the end
 * moves no function body, so the module and its code are the batch's all the same.
 *
 * Switching the cache off around the compile instead (`--no-wasm-native-module-cache-enabled`, as
 * this did before) can hang the process: a module freed while the cache is off (a collection
 * during the compile) keeps its entry, since V8 then skips the erase, and the next compile of its
 * bytes waits forever on that entry for a module that is gone. A forked dpkg-deb of Debian's
 * second stage hung so, in NativeModuleCache::MaybeGetNativeModule (docs/processes.md).
 */
const OPTIMIZED_SECTION = new Bytes().byte(0).sized(new Bytes().name('tsemu.optimized')).view();

/** Compiles a batch module again with TurboFan, as bytes of its own (OPTIMIZED_SECTION). */
export function recompileOptimized(bytes: Uint8Array): WebAssembly.Module {
  const marked = new Uint8Array(bytes.length + OPTIMIZED_SECTION.length);
  marked.set(bytes);
  marked.set(OPTIMIZED_SECTION, bytes.length);
  return compileOptimized(() => new WebAssembly.Module(marked));
}
