/**
 * The guest inherits tsemu's standard descriptors and must see them exactly as tsemu got them.
 * Touching process.stdout/stderr (yargs does so when it is loaded) makes libuv switch a pipe to
 * O_NONBLOCK, which the guest would then see: a guest write to a full pipe fails with EAGAIN instead
 * of blocking. This module records the flags when it is loaded, before anything else, so they can be
 * put back before the guest starts. Imported first by each CLI entry (under the start-up snapshot,
 * recorded as the process starts from it).
 */
import { native } from '../native';
import { atProcessStart } from '../process-start';

const F_GETFL = 3;
const F_SETFL = 4;
const SYS_FCNTL = 72; // x86_64, the only host the syscall layer runs on

let saved: number[] = [];
atProcessStart(() => {
  saved = [0, 1, 2].map((fd) => native().syscall(SYS_FCNTL, fd, F_GETFL));
});

/** Puts the status flags of descriptors 0-2 back to what they were when tsemu started. */
export function restoreStdioFlags(): void {
  saved.forEach((flags, fd) => {
    if (flags >= 0) native().syscall(SYS_FCNTL, fd, F_SETFL, flags);
  });
}
