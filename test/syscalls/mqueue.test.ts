/**
 * POSIX message queues on every user target against the native kernel: the mqueue guest program
 * (attributes, priorities, EAGAIN, ETIMEDOUT, EMSGSIZE, a forked sender, mq_notify, unlink) prints
 * under tsemu-<target> what its x86_64 build prints natively. qemu-user is not the oracle here:
 * QEMU 7.2 answers mq_notify with ENOSYS.
 */
import { sameAsNativeOnEveryTarget } from './user-targets';

sameAsNativeOnEveryTarget('POSIX message queues', 'mqueue');
