/**
 * Waiting for children: wait4 and waitid on the host, since guest children are real host
 * processes. What comes back is put in guest terms: the wait status's signal numbers, struct
 * rusage in the guest's layout, waitid's siginfo_t (guest layout and numbering).
 */
import type { GuestProcess } from '../../user/process';
import { signalFromHost } from '../../user/signals/dispositions';
import { SIGINFO_SIZE, writeSigInfo } from '../../user/signals/siginfo';
import type { SyscallArgs } from '../types';
import { int, syscall, type SyscallGroup } from './define';
import { E, withHostStruct } from './guest-access';
import { hostArena, hostSyscall } from './host';

/** SIGCHLD's si_code for a normal exit: si_status is an exit code; for every other code it is a signal number. */
const CLD_EXITED = 1;

/** A host wait status with its signal numbers in the guest's numbering (the encoding is the same on every Linux). */
function guestWaitStatus(proc: GuestProcess, status: number): number {
  const low = status & 0x7f;
  if (low === 0 || status === 0xffff) return status;
  if ((status & 0xff) === 0x7f) return (status & ~0xff00) | (signalFromHost(proc.abi, (status >> 8) & 0xff) << 8);
  return (status & ~0x7f) | signalFromHost(proc.abi, low);
}

function wait4(proc: GuestProcess, [pid, statusAddr, options, rusage]: SyscallArgs): number {
  if (statusAddr !== 0 && !proc.memory.accessible(statusAddr!, 4, true)) return -E.EFAULT;
  const status = hostArena.alloc(4);
  const r = withHostStruct(proc, 'rusage', rusage!, 'out', (hostRusage) =>
    hostSyscall('wait4', int(pid), hostArena.address(status), int(options), hostRusage),
  );
  if (r > 0 && statusAddr !== 0) {
    proc.memory.view.setInt32(statusAddr!, guestWaitStatus(proc, hostArena.view.getInt32(status, true)), proc.memory.littleEndian);
  }
  return r;
}

function waitid(proc: GuestProcess, [idtype, id, infop, options, rusage]: SyscallArgs): number {
  if (infop !== 0 && !proc.memory.accessible(infop!, SIGINFO_SIZE, true)) return -E.EFAULT;
  const info = hostArena.alloc(SIGINFO_SIZE);
  new Uint8Array(hostArena.view.buffer, hostArena.view.byteOffset + info, SIGINFO_SIZE).fill(0);
  const r = withHostStruct(proc, 'rusage', rusage!, 'out', (hostRusage) =>
    hostSyscall('waitid', int(idtype), int(id), hostArena.address(info), int(options), hostRusage),
  );
  if (r < 0 || infop === 0) return r;
  const v = hostArena.view;
  const signo = v.getInt32(info, true);
  if (signo === 0) {
    // WNOHANG with no child ready: the kernel leaves si_signo (and si_pid) zero.
    writeSigInfo(proc.memory, infop!, { signo: 0, code: 0 }, proc.abi.wordSize);
    return r;
  }
  const code = v.getInt32(info + 8, true);
  const status = v.getInt32(info + 24, true);
  writeSigInfo(
    proc.memory,
    infop!,
    {
      signo: signalFromHost(proc.abi, signo),
      code,
      pid: v.getInt32(info + 16, true),
      uid: v.getUint32(info + 20, true),
      status: code === CLD_EXITED ? status : signalFromHost(proc.abi, status),
    },
    proc.abi.wordSize,
  );
  return r;
}

export const WAIT_SYSCALLS: SyscallGroup = {
  wait4: syscall('dxdx', wait4),
  waitid: syscall('ddxdx', waitid),
};
