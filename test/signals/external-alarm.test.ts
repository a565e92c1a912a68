/**
 * SIGALRM sent by another process (test/guest/common/external_alarm.c) on every user target
 * against the native kernel. tsemu's own host timer sends the host's SIGALRM too; before, a
 * SIGALRM from outside killed a guest that had a handler for it (the host's default action), or,
 * once a guest timer had run, was swallowed.
 */
import { sameAsNativeOnEveryTarget } from '../syscalls/user-targets';

sameAsNativeOnEveryTarget('SIGALRM from another process: handler, with a timer armed, EINTR, sigwait, default action', 'external_alarm');
