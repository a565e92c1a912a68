/**
 * Pseudo-terminals (test/guest/common/pty.c) on every user target against the native kernel:
 * posix_openpt, grantpt, unlockpt, ptsname, TIOCGPTPEER, the line discipline both ways (canonical
 * with echo, then raw), termios read back, window size, tcdrain/tcflush/tcflow, FIOCLEX/FIONCLEX,
 * a controlling terminal taken by a child. tsemu answered ENOTTY to TIOCGPTN and TIOCSPTLCK
 * before (grantpt, unlockpt and ptsname failed everywhere), and PowerPC's termios flag bits and
 * c_cc indices, which are not the host's, went through unchanged (cfmakeraw had no effect).
 */
import { sameAsNativeOnEveryTarget } from './user-targets';

sameAsNativeOnEveryTarget('pseudo-terminals and their ioctls, termios', 'pty');
