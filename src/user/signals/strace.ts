/**
 * -strace's line for a signal the guest takes (a handler runs, or its default action happens), in
 * QEMU's format: `--- SIGUSR1 {si_signo=SIGUSR1, si_code=SI_USER, si_pid=7, si_uid=0} ---`. The
 * fields after si_code are those of the siginfo union member the signal carries: the sender
 * (kill, tkill, the kernel), a fault address, a child's status, or a sigqueue value.
 */
import { signalNumber } from '../../syscalls/linux/strace-names';
import type { GuestProcess } from '../process';
import { SI_KERNEL, SI_QUEUE, SI_TKILL, SI_USER, type SigInfo } from './siginfo';

/** si_code names QEMU prints (include/uapi/asm-generic/siginfo.h); other codes print as numbers. */
const CODE_NAMES: ReadonlyMap<number, string> = new Map([
  [SI_USER, 'SI_USER'],
  [SI_KERNEL, 'SI_KERNEL'],
  [SI_QUEUE, 'SI_QUEUE'],
  [-2, 'SI_TIMER'],
  [-3, 'SI_MESGQ'],
  [-4, 'SI_ASYNCIO'],
  [-5, 'SI_SIGIO'],
  [SI_TKILL, 'SI_TKILL'],
]);

/** An address as QEMU prints one: hex padded to the guest's word, NULL for 0. */
function pointer(proc: GuestProcess, addr: number): string {
  if (addr === 0) return 'NULL';
  const bits = proc.abi.wordSize * 8;
  return `0x${BigInt.asUintN(bits, BigInt(addr)).toString(16).padStart(bits / 4, '0')}`;
}

/** rt_sigqueueinfo's raw siginfo: sender and value (a long, as QEMU prints sival_ptr) from the union. */
function rawFields(proc: GuestProcess, raw: Uint8Array): string {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const le = proc.memory.littleEndian;
  const union = proc.abi.wordSize === 8 ? 16 : 12;
  const value = proc.abi.wordSize === 8 ? view.getBigInt64(union + 8, le) : BigInt(view.getInt32(union + 8, le));
  return `, si_pid=${view.getUint32(union, le)}, si_uid=${view.getUint32(union + 4, le)}, si_sigval=${value}`;
}

function unionFields(proc: GuestProcess, info: SigInfo): string {
  const sender = `, si_pid=${(info.pid ?? 0) >>> 0}, si_uid=${(info.uid ?? 0) >>> 0}`;
  if (info.addr !== undefined) return `, si_addr=${pointer(proc, info.addr)}`;
  if (info.status !== undefined) return `${sender}, si_status=${info.status}, si_utime=0, si_stime=0`;
  if (info.raw && info.code !== SI_USER && info.code !== SI_TKILL && info.code !== SI_KERNEL) return rawFields(proc, info.raw);
  return sender;
}

/** Logs `info` being taken, when -strace is on. */
export function traceTakenSignal(proc: GuestProcess, info: SigInfo): void {
  if (!proc.options.strace) return;
  const name = signalNumber(proc.abi, info.signo);
  const code = CODE_NAMES.get(info.code) ?? String(info.code);
  proc.options.log(`--- ${name} {si_signo=${name}, si_code=${code}${unionFields(proc, info)}} ---`);
}
