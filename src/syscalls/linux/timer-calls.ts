/**
 * POSIX timers (timer_create, timer_settime, timer_gettime, timer_getoverrun, timer_delete),
 * emulated by src/user/signals/posix-timers.ts so that their signals reach the guest as the kernel
 * sends them (SI_TIMER with the timer's id, overrun and sigev_value). struct sigevent is the
 * pointer-sized sigev_value, then the ints sigev_signo, sigev_notify and the thread id; struct
 * itimerspec is two timespecs of the ABI's layout (or, on 32-bit ABIs, the older 32-bit one).
 */
import type { GuestProcess } from '../../user/process';
import { createTimer, deleteTimer, getTimer, setTimer, timerExists, timerOverrun, type TimerNotify } from '../../user/signals/posix-timers';
import { hostClock, type TimerValue } from '../../user/signals/timers';
import { threadExists, currentThreadId } from '../../user/threads/scheduler';
import type { StructLayout, TimespecField } from '../abi';
import { StructView } from '../struct-view';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, guestLayout, guestRange } from './guest-access';
import { hostSyscall } from './host';
import { clockId } from './strace-names';

const SIGEV_SIGNAL = 0;
const SIGEV_NONE = 1;
const SIGEV_THREAD = 2;
const SIGEV_THREAD_ID = 4;
const TIMER_ABSTIME = 1;
/** The clocks a timer can run on; clocks without timers (CLOCK_MONOTONIC_RAW, the coarse ones); the alarm clocks, which need CAP_WAKE_ALARM. */
const TIMER_CLOCKS = new Set([0, 1, 2, 3, 7, 11]);
const NO_TIMER_CLOCKS = new Set([4, 5, 6]);
const ALARM_CLOCKS = new Set([8, 9]);
const NS_PER_S = 1_000_000_000n;

/** How the timer notifies, from the guest's struct sigevent (NULL: SIGALRM with the timer id as value); undefined when invalid. */
function readSigevent(proc: GuestProcess, addr: number): ((id: number) => TimerNotify) | undefined | 'fault' {
  if (addr === 0) return (id) => ({ kind: 'signal', signo: proc.abi.signals.SIGALRM, value: BigInt(id), tid: 0 });
  const word = proc.abi.wordSize;
  if (guestRange(proc, addr, word + 12, false) === undefined) return 'fault';
  const view = proc.memory.view;
  const le = proc.memory.littleEndian;
  const value = word === 8 ? view.getBigUint64(addr, le) : BigInt(view.getUint32(addr, le));
  const signo = view.getInt32(addr + word, le);
  const notify = view.getInt32(addr + word + 4, le);
  const tid = view.getInt32(addr + word + 8, le);
  const validSignal = signo > 0 && signo <= proc.abi.nsig;
  switch (notify) {
    case SIGEV_NONE:
      return () => ({ kind: 'none', signo: 0, value, tid: 0 });
    case SIGEV_SIGNAL:
    case SIGEV_THREAD:
      return validSignal ? () => ({ kind: 'signal', signo, value, tid: 0 }) : undefined;
    case SIGEV_THREAD_ID: {
      const ownThread = tid === (currentThreadId(proc) ?? hostSyscall('gettid')) || threadExists(proc, tid);
      return validSignal && ownThread ? () => ({ kind: 'thread', signo, value, tid }) : undefined;
    }
    default:
      return undefined;
  }
}

function timerCreate(proc: GuestProcess, [clockArg, sevp, idOut]: SyscallArgs): number {
  const clock = int(clockArg);
  const notify = readSigevent(proc, sevp!);
  if (notify === 'fault') return -E.EFAULT;
  if (NO_TIMER_CLOCKS.has(clock)) return -E.EOPNOTSUPP;
  if (ALARM_CLOCKS.has(clock)) return -E.EPERM;
  // Negative ids are CPU clocks of a process or thread (the host's, as clock_gettime reads them).
  const read = TIMER_CLOCKS.has(clock) || clock < 0 ? hostClock(clock) : undefined;
  if (!read || !notify) return -E.EINVAL;
  if (guestRange(proc, idOut!, 4, true) === undefined) return -E.EFAULT;
  const id = createTimer(proc, read, notify);
  proc.memory.view.setInt32(idOut!, id, proc.memory.littleEndian);
  return 0;
}

/** The two timespecs of an itimerspec at `addr`: interval, then value. */
function itimerspec(proc: GuestProcess, layout: StructLayout<TimespecField>, addr: number): StructView<TimespecField>[] {
  return [0, 1].map((i) => new StructView(proc.memory.view, addr + i * layout.size, layout, proc.memory.littleEndian));
}

/** Reads an itimerspec as nanoseconds; 'fault' or 'invalid' (a negative or out-of-range field). */
function readItimerspec(proc: GuestProcess, layout: StructLayout<TimespecField>, addr: number): TimerValue | 'fault' | 'invalid' {
  if (guestRange(proc, addr, 2 * layout.size, false) === undefined) return 'fault';
  const [interval, value] = itimerspec(proc, layout, addr).map((ts) => {
    // A 32-bit process's 64-bit timespec has padding above a 32-bit tv_nsec, which the kernel ignores.
    const nsec = proc.abi.wordSize === 4 ? BigInt.asIntN(32, ts.get('nsec')) : ts.get('nsec');
    const sec = ts.get('sec');
    return sec < 0n || nsec < 0n || nsec >= NS_PER_S ? undefined : sec * NS_PER_S + nsec;
  });
  return interval === undefined || value === undefined ? 'invalid' : { intervalNs: interval, valueNs: value };
}

function writeItimerspec(proc: GuestProcess, layout: StructLayout<TimespecField>, addr: number, timer: TimerValue): boolean {
  if (guestRange(proc, addr, 2 * layout.size, true) === undefined) return false;
  const fields = [timer.intervalNs, timer.valueNs];
  itimerspec(proc, layout, addr).forEach((ts, i) => {
    ts.set('sec', fields[i]! / NS_PER_S);
    ts.set('nsec', fields[i]! % NS_PER_S);
  });
  return true;
}

/** timer_settime with itimerspecs of `layout` (undefined: the ABI's timespec). */
export function timerSettime(layout?: StructLayout<TimespecField>) {
  return (proc: GuestProcess, [idArg, flags, next, old]: SyscallArgs): number => {
    const l = layout ?? guestLayout(proc, 'timespec');
    if (next === 0) return -E.EINVAL;
    const value = readItimerspec(proc, l, next!);
    if (value === 'fault') return -E.EFAULT;
    if (value === 'invalid' || !timerExists(proc, int(idArg))) return -E.EINVAL;
    const previous = setTimer(proc, int(idArg), value, (int(flags) & TIMER_ABSTIME) !== 0);
    return old === 0 || writeItimerspec(proc, l, old!, previous) ? 0 : -E.EFAULT;
  };
}

/** timer_gettime with an itimerspec of `layout` (undefined: the ABI's timespec). */
export function timerGettime(layout?: StructLayout<TimespecField>) {
  return (proc: GuestProcess, [idArg, current]: SyscallArgs): number => {
    if (!timerExists(proc, int(idArg))) return -E.EINVAL;
    return writeItimerspec(proc, layout ?? guestLayout(proc, 'timespec'), current!, getTimer(proc, int(idArg))) ? 0 : -E.EFAULT;
  };
}

function withTimer(call: (proc: GuestProcess, id: number) => number) {
  return (proc: GuestProcess, [idArg]: SyscallArgs): number => (timerExists(proc, int(idArg)) ? call(proc, int(idArg)) : -E.EINVAL);
}

export const TIMER_SYSCALLS: SyscallGroup = {
  timer_create: syscall([clockId, 'x', 'x'], timerCreate),
  timer_settime: syscall('dhxx', timerSettime()),
  timer_gettime: syscall('dx', timerGettime()),
  timer_getoverrun: syscall('d', withTimer(timerOverrun)),
  timer_delete: syscall('d', withTimer((proc, id) => (deleteTimer(proc, id), 0))),
};
