/**
 * capget and capset on every user target against its QEMU (whose answers are the native kernel's):
 * the capabilities guest program (version probe, versions 1 and 3, NULL data, EFAULT, a capset in a
 * forked child) prints the same under tsemu and qemu-<target>; big-endian ppc64 checks the words'
 * byte order.
 */
import { sameAsQemuOnEveryTarget } from './user-targets';

sameAsQemuOnEveryTarget('capget and capset', 'capabilities');
