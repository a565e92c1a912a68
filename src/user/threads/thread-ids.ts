/**
 * The ids of created guest threads. A created thread runs on its process's one host thread (see
 * scheduler.ts), so it has no host task id of its own; its id must still be unique on the host
 * and name its process, because ids meet across processes in shared memory: a process-shared
 * robust mutex holds its owner's id, and a locker in another process checks it against its own
 * (glibc: EDEADLK) and, when the owner's process was killed, looks the owner up
 * (src/syscalls/linux/robust-wait.ts).
 *
 * So an id is a serial number above the host's process ids plus the host process id:
 * serial << PID_BITS | pid, with PID_BITS the width of the host's pid_max (every host pid is below
 * it) and serials from the first that puts the id above Linux's PID_MAX_LIMIT (so it never names
 * a host task) to the last that keeps it within FUTEX_TID_MASK (so it fits a futex word's owner
 * field). Serials are handed out in turn, skipping live ones, as Linux hands out pids.
 */
import fs from 'node:fs';

/** Linux's PID_MAX_LIMIT (include/linux/threads.h): no host task id exceeds it. */
const PID_MAX_LIMIT = 1 << 22;
const FUTEX_TID_MASK = 0x3fffffff;

let pidBits: number | undefined;
/**
 * Bits of a host pid: those of kernel.pid_max (which may be raised up to PID_MAX_LIMIT), read at
 * the first use (not at load: a start-up snapshot may be built on another host).
 */
function hostPidBits(): number {
  if (pidBits === undefined) {
    try {
      const max = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'latin1').trim());
      pidBits = Number.isInteger(max) && max > 1 && max <= PID_MAX_LIMIT ? Math.ceil(Math.log2(max)) : 22;
    } catch {
      pidBits = 22;
    }
  }
  return pidBits;
}

/**
 * A new thread id of host process `pid`: the first serial from `after`'s (the last id handed out,
 * or undefined) on, cycling, that no id in `live` has; undefined when every serial is taken.
 */
export function nextThreadId(pid: number, after: number | undefined, live: ReadonlySet<number>): number | undefined {
  const unit = 2 ** hostPidBits();
  // The first serial whose ids, with any pid (at least 1) added, exceed PID_MAX_LIMIT; the last
  // whose ids stay within FUTEX_TID_MASK.
  const first = PID_MAX_LIMIT / unit;
  const count = Math.floor(FUTEX_TID_MASK / unit) - first + 1;
  const start = after === undefined ? first : Math.floor(after / unit) + 1;
  for (let i = 0; i < count; i++) {
    const id = (first + ((start - first + i) % count)) * unit + pid;
    if (!live.has(id)) return id;
  }
  return undefined;
}

/** The host process a task id names: itself for a host task, the encoded process for a created thread's id. */
export function hostProcessOf(tid: number): number {
  return tid > PID_MAX_LIMIT ? tid % 2 ** hostPidBits() : tid;
}
