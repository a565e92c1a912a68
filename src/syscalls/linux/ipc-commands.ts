/**
 * The control commands every SysV IPC object takes (include/uapi/linux/ipc.h, the same on every
 * Linux ABI), shared by message queues and semaphores (sysv-ipc.ts) and shared memory (sysv-shm.ts).
 */

/** The bit 32-bit libcs add to ask for the 64-bit layouts; the host's only layout is that one. */
export const IPC_64 = 0x100;
export const IPC_SET = 1;
export const IPC_STAT = 2;
export const IPC_INFO = 3;
