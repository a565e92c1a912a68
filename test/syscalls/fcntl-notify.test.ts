/**
 * fcntl's signal-driven commands (test/guest/common/fcntl_notify.c) on every user target against
 * the native kernel: F_NOTIFY (dnotify, unknown to tsemu before: EINVAL, stress-ng --dnotify
 * failed) with F_SETSIG's real-time signal reaching an SA_SIGINFO handler, F_GETSIG, leases.
 */
import { sameAsNativeOnEveryTarget } from './user-targets';

sameAsNativeOnEveryTarget('F_NOTIFY, F_SETSIG/F_GETSIG, F_SETLEASE/F_GETLEASE', 'fcntl_notify');
