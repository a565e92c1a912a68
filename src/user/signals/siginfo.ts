/**
 * siginfo_t as the kernel fills it for the signals tsemu raises: the three leading ints, then the
 * union member the si_code selects (sender pid/uid, fault address, POSIX timer, or sigqueue value). The union
 * starts after the ints, padded to pointer alignment, so one writer serves 32- and 64-bit ABIs.
 */
import type { GuestMemory } from '../../memory/guest-memory';

/** Size of siginfo_t on every Linux ABI. */
export const SIGINFO_SIZE = 128;

/** si_code values (include/uapi/asm-generic/siginfo.h). */
export const SI_USER = 0;
export const SI_KERNEL = 0x80;
export const SI_QUEUE = -1;
export const SI_TIMER = -2;
export const SI_TKILL = -6;
export const ILL_ILLOPC = 1;
export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;
export const BUS_ADRALN = 1;
export const TRAP_BRKPT = 1;

/** What a pending signal carries to its handler (guest signal numbering). */
export interface SigInfo {
  signo: number;
  code: number;
  errno?: number;
  /** Sender (kill, tgkill, sigqueue). */
  pid?: number;
  uid?: number;
  /** Faulting address (SIGSEGV, SIGBUS, SIGILL, SIGTRAP). */
  addr?: number;
  /** SIGCHLD's child status: exit code, or the signal that ended or stopped it (si_status). */
  status?: number;
  /** sigqueue's value (rt_sigqueueinfo passes the whole siginfo: its raw bytes are kept instead). */
  raw?: Uint8Array;
  /** A POSIX timer's signal (SI_TIMER): its id, the expiries merged into this signal, its sigev_value. */
  timer?: { id: number; overrun: number; value: bigint };
}

/** Writes `info` at guest address `at` (the caller has checked that the 128 bytes are writable). */
export function writeSigInfo(memory: GuestMemory, at: number, info: SigInfo, wordSize: 4 | 8): void {
  const view = memory.view;
  const le = memory.littleEndian;
  if (info.raw) {
    memory.writeBytes(at, info.raw);
  } else {
    memory.writeBytes(at, new Uint8Array(SIGINFO_SIZE));
  }
  view.setInt32(at, info.signo, le);
  view.setInt32(at + 4, info.errno ?? 0, le);
  view.setInt32(at + 8, info.code, le);
  if (info.raw) return;
  const union = at + (wordSize === 8 ? 16 : 12);
  if (info.addr !== undefined) {
    if (wordSize === 8) view.setBigUint64(union, BigInt(info.addr), le);
    else view.setUint32(union, info.addr >>> 0, le);
    return;
  }
  if (info.timer) {
    view.setInt32(union, info.timer.id, le);
    view.setInt32(union + 4, info.timer.overrun, le);
    if (wordSize === 8) view.setBigUint64(union + 8, info.timer.value, le);
    else view.setUint32(union + 8, Number(BigInt.asUintN(32, info.timer.value)), le);
    return;
  }
  if (info.pid !== undefined) view.setInt32(union, info.pid, le);
  if (info.uid !== undefined) view.setUint32(union + 4, info.uid, le);
  if (info.status !== undefined) view.setInt32(union + 8, info.status, le);
}
