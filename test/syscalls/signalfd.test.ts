/**
 * signalfd (test/guest/common/signalfd.c) on every user target against the native kernel: signals
 * sent to the process itself, queued with a value, from a timer, from a forked child to a blocking
 * read, to a reading thread, seen by poll and epoll, the mask replaced, the argument errors. qemu
 * 7.2 is no oracle here: its signalfd4 accepts any mask size.
 */
import { sameAsNativeOnEveryTarget } from './user-targets';

sameAsNativeOnEveryTarget('signalfd and signalfd4', 'signalfd');
