/**
 * SysV IPC control structs as msgctl/semctl/shmctl's IPC_STAT and IPC_SET take them: the kernel's
 * msqid64_ds, semid64_ds and shmid64_ds with their struct ipc64_perm flattened into perm_* fields
 * (uapi asm-generic/ipcbuf.h, msgbuf.h, sembuf.h, shmbuf.h; powerpc's own ipcbuf.h widens seq to 32
 * bits and its shmbuf.h puts shm_segsz after the times, x86's sembuf.h pads the times). On a
 * 32-bit ABI the times are split into low and high words; only the low word is kept (until 2106).
 */
import type { AbiLayouts } from '../abi';

export type MsqidDsField =
  | PermField | 'stime' | 'rtime' | 'ctime' | 'cbytes' | 'qnum' | 'qbytes' | 'lspid' | 'lrpid';
export type SemidDsField = PermField | 'otime' | 'ctime' | 'nsems';
export type ShmidDsField = PermField | 'segsz' | 'atime' | 'dtime' | 'ctime' | 'cpid' | 'lpid' | 'nattch';
type PermField = 'perm_key' | 'perm_uid' | 'perm_gid' | 'perm_cuid' | 'perm_cgid' | 'perm_mode' | 'perm_seq';

type IpcLayouts = Pick<AbiLayouts, 'msqid_ds' | 'semid_ds' | 'shmid_ds'>;

/** struct ipc64_perm's fields: mode is __kernel_mode_t (2 bytes on arm), seq 2 bytes (4 on powerpc). */
function perm(modeSize: 2 | 4, seqSize: 2 | 4) {
  return {
    perm_key: { offset: 0, size: 4, type: 's' },
    perm_uid: { offset: 4, size: 4, type: 'u' },
    perm_gid: { offset: 8, size: 4, type: 'u' },
    perm_cuid: { offset: 12, size: 4, type: 'u' },
    perm_cgid: { offset: 16, size: 4, type: 'u' },
    perm_mode: { offset: 20, size: modeSize, type: 'u' },
    perm_seq: { offset: 24, size: seqSize, type: 'u' },
  } as const;
}

/** 64-bit ABIs: ipc64_perm is 48 bytes, then longs. `seqSize` as for perm(); mode is 4 bytes; `segszAt` where shm_segsz is. */
function lp64(seqSize: 2 | 4, segszAt: 'first' | 'afterTimes'): IpcLayouts {
  const times = segszAt === 'first' ? 56 : 48;
  return {
    msqid_ds: {
      size: 120,
      fields: {
        ...perm(4, seqSize),
        stime: { offset: 48, size: 8, type: 's' },
        rtime: { offset: 56, size: 8, type: 's' },
        ctime: { offset: 64, size: 8, type: 's' },
        cbytes: { offset: 72, size: 8, type: 'u' },
        qnum: { offset: 80, size: 8, type: 'u' },
        qbytes: { offset: 88, size: 8, type: 'u' },
        lspid: { offset: 96, size: 4, type: 's' },
        lrpid: { offset: 100, size: 4, type: 's' },
      },
    },
    semid_ds: {
      size: 88,
      fields: {
        ...perm(4, seqSize),
        otime: { offset: 48, size: 8, type: 's' },
        ctime: { offset: 56, size: 8, type: 's' },
        nsems: { offset: 64, size: 8, type: 'u' },
      },
    },
    shmid_ds: {
      size: 112,
      fields: {
        ...perm(4, seqSize),
        segsz: { offset: segszAt === 'first' ? 48 : 72, size: 8, type: 'u' },
        atime: { offset: times, size: 8, type: 's' },
        dtime: { offset: times + 8, size: 8, type: 's' },
        ctime: { offset: times + 16, size: 8, type: 's' },
        cpid: { offset: 80, size: 4, type: 's' },
        lpid: { offset: 84, size: 4, type: 's' },
        nattch: { offset: 88, size: 8, type: 'u' },
      },
    },
  };
}

/** asm-generic on 64-bit (x86_64, aarch64). */
export const LP64_IPC_LAYOUTS = lp64(2, 'first');

/** powerpc64. */
export const PPC64_IPC_LAYOUTS = lp64(4, 'afterTimes');

/** x86_64 (arch/x86's sembuf.h): semid64_ds keeps an unused long after each time. */
export const X86_64_IPC_LAYOUTS: IpcLayouts = {
  msqid_ds: LP64_IPC_LAYOUTS.msqid_ds,
  shmid_ds: LP64_IPC_LAYOUTS.shmid_ds,
  semid_ds: {
    size: 104,
    fields: {
      ...perm(4, 2),
      otime: { offset: 48, size: 8, type: 's' },
      ctime: { offset: 64, size: 8, type: 's' },
      nsems: { offset: 80, size: 8, type: 'u' },
    },
  },
};

/** asm-generic on 32-bit (arm EABI): ipc64_perm is 36 bytes, times are low/high pairs of unsigned longs. */
export const ILP32_IPC_LAYOUTS: IpcLayouts = {
  msqid_ds: {
    size: 88,
    fields: {
      ...perm(2, 2),
      stime: { offset: 36, size: 4, type: 'u' },
      rtime: { offset: 44, size: 4, type: 'u' },
      ctime: { offset: 52, size: 4, type: 'u' },
      cbytes: { offset: 60, size: 4, type: 'u' },
      qnum: { offset: 64, size: 4, type: 'u' },
      qbytes: { offset: 68, size: 4, type: 'u' },
      lspid: { offset: 72, size: 4, type: 's' },
      lrpid: { offset: 76, size: 4, type: 's' },
    },
  },
  semid_ds: {
    size: 64,
    fields: {
      ...perm(2, 2),
      otime: { offset: 36, size: 4, type: 'u' },
      ctime: { offset: 44, size: 4, type: 'u' },
      nsems: { offset: 52, size: 4, type: 'u' },
    },
  },
  shmid_ds: {
    size: 84,
    fields: {
      ...perm(2, 2),
      segsz: { offset: 36, size: 4, type: 'u' },
      atime: { offset: 40, size: 4, type: 'u' },
      dtime: { offset: 48, size: 4, type: 'u' },
      ctime: { offset: 56, size: 4, type: 'u' },
      cpid: { offset: 64, size: 4, type: 's' },
      lpid: { offset: 68, size: 4, type: 's' },
      nattch: { offset: 72, size: 4, type: 'u' },
    },
  },
};
