/**
 * POSIX timers on every user target against its QEMU: the posix_timers guest program (SIGEV_SIGNAL
 * with si_code/si_value/si_overrun, SIGEV_NONE, SIGEV_THREAD, a NULL sigevent, periodic timers
 * whose expiries merge while the signal is blocked, absolute CLOCK_REALTIME times, the process
 * CPU-time clock, fork, timer_delete and the error cases) prints the same under tsemu and
 * qemu-<target>, which passes the calls to the host kernel (its output equals the x86_64 build's
 * run natively).
 */
import { sameAsQemuOnEveryTarget } from '../syscalls/user-targets';

sameAsQemuOnEveryTarget('POSIX timers', 'posix_timers');
