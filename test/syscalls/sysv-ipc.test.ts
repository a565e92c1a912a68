/**
 * SysV message queues and semaphores on every user target against its QEMU: the sysv_ipc guest
 * program (messages by type, short buffers, IPC_STAT/IPC_SET fields, SETVAL/SETALL/GETALL, semop
 * with IPC_NOWAIT and a timeout, IPC_RMID) prints the same under tsemu and qemu-<target>.
 */
import { sameAsQemuOnEveryTarget } from './user-targets';

sameAsQemuOnEveryTarget('SysV IPC', 'sysv_ipc');
