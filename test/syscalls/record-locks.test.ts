/**
 * fcntl record locks between two processes on every user target against its QEMU: the
 * record_locks guest program (F_GETLK's conflicting lock, F_SETLK's EAGAIN, F_SETLKW waiting for an
 * unlock) built with 32-bit file offsets (32-bit ARM: F_GETLK with the old struct flock) and with
 * 64-bit ones (F_GETLK64 with struct flock64).
 */
import { sameAsQemuOnEveryTarget } from './user-targets';

sameAsQemuOnEveryTarget('record locks', 'record_locks');
sameAsQemuOnEveryTarget('record locks with 64-bit file offsets', 'record_locks_lfs');
