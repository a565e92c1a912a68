/**
 * Which interrupted syscalls SA_RESTART restarts. Linux restarts a call that was interrupted by a
 * handler with SA_RESTART (-ERESTARTSYS), except the calls signal(7) lists as never restarted after
 * a handler: waits with a timeout or for a signal (-ERESTARTNOHAND, -ERESTART_RESTARTBLOCK), which
 * fail with EINTR whatever the flags. Without a handler (ignored, or a default that does nothing)
 * every interrupted call resumes.
 */
const NEVER_RESTARTED_AFTER_HANDLER: ReadonlySet<string> = new Set([
  'pause', 'rt_sigsuspend', 'sigsuspend', 'rt_sigtimedwait',
  'poll', 'ppoll', 'select', '_newselect', 'pselect6', 'epoll_wait', 'epoll_pwait', 'epoll_pwait2',
  'nanosleep', 'clock_nanosleep', 'io_getevents', 'io_pgetevents',
  'msgrcv', 'msgsnd', 'semop', 'semtimedop',
]);

/** Whether syscall `name`, interrupted, runs again after a handler installed with `saRestart`. */
export function restartsAfterHandler(name: string | undefined, saRestart: boolean): boolean {
  return saRestart && !(name !== undefined && NEVER_RESTARTED_AFTER_HANDLER.has(name));
}
