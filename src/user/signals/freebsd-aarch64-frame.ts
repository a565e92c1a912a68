/**
 * The FreeBSD/arm64 signal frame (sys/arm64/arm64/exec_machdep.c sendsig, machine/ucontext.h):
 * struct sigframe { siginfo_t sf_si; ucontext_t sf_uc; } aligned to 16 below the chosen stack
 * top. The handler is entered with x0 = signal, x1 = &sf_si, x2 = &sf_uc (always, SA_SIGINFO or
 * not), sp at the frame, lr at the signal trampoline, which calls sigreturn(&sf_uc). mcontext
 * holds x0-x29, lr, sp, elr (the pc), spsr (NZCV), then q0-q31, fpsr and fpcr (_MC_FP_VALID).
 */
import { CF, FPCR, FPSR, NF, SP, VF, ZF, vreg, xreg } from '../../translate/aarch64/state';
import { STATE_PC } from '../../translate/frontend';
import { FREEBSD_SS_DISABLE, FREEBSD_SS_ONSTACK } from '../../syscalls/freebsd/signals';
import { syscallState } from '../../syscalls/linux/process-state';
import type { GuestProcess } from '../process';
import type { FrameRequest, RestoredFrame, SignalFrameTarget } from './frame-target';
import { SS_DISABLE, SS_ONSTACK } from './dispositions';
import { SI_KERNEL, SI_QUEUE, SI_TKILL, SI_USER } from './siginfo';

/** siginfo_t (sys/sys/signal.h), 64-bit. */
const SIGINFO_SIZE = 80;
const SI_SIGNO = 0;
const SI_ERRNO = 4;
const SI_CODE = 8;
const SI_PID = 12;
const SI_UID = 16;
const SI_ADDR = 24;
/** ucontext_t offsets. */
const UC_SIGMASK = 0;
const UC_MCONTEXT = 16;
const UC_STACK = 888 + 8; // after uc_mcontext (872 bytes) and uc_link
const UC_SIZE = 944;
/** mcontext_t offsets: struct gpregs, then struct fpregs, then mc_flags. */
const GP_X = 0;
const GP_LR = 240;
const GP_SP = 248;
const GP_ELR = 256;
const GP_SPSR = 264;
const FP_Q = 272;
const FP_SR = 784;
const FP_CR = 788;
const MC_FLAGS = 800;
const MC_FP_VALID = 0x1;
const FRAME_UC = SIGINFO_SIZE;
const FRAME_SIZE = SIGINFO_SIZE + UC_SIZE;
/** si_code values FreeBSD gives signals sent by processes and the kernel (SI_USER is 0x10001 there). */
const FREEBSD_SI_CODES: ReadonlyMap<number, number> = new Map([
  [SI_USER, 0x10001],
  [SI_QUEUE, 0x10002],
  [SI_KERNEL, 0x10006],
  [SI_TKILL, 0x10007], // SI_LWP: thr_kill
]);

const roundDown16 = (n: number): number => n - (n % 16);

function stackPointer(proc: GuestProcess): number {
  return Number(proc.memory.view.getBigUint64(proc.stateBase + SP, true));
}

function pstate(view: DataView, base: number): number {
  const bit = (off: number, shift: number): number =>
    view.getInt32(base + off, true) !== 0 ? 1 << shift : 0;
  return (bit(NF, 31) | bit(ZF, 30) | bit(CF, 29) | bit(VF, 28)) >>> 0;
}

function setupFrame(proc: GuestProcess, request: FrameRequest): boolean {
  const mem = proc.memory;
  const view = mem.view;
  const base = proc.stateBase;
  const frame = roundDown16(request.stackTop - FRAME_SIZE);
  if (frame < 0 || !mem.accessible(frame, FRAME_SIZE, true)) return false;
  mem.writeBytes(frame, new Uint8Array(FRAME_SIZE));
  const info = request.info;
  view.setInt32(frame + SI_SIGNO, info.signo, true);
  view.setInt32(frame + SI_ERRNO, info.errno ?? 0, true);
  view.setInt32(frame + SI_CODE, FREEBSD_SI_CODES.get(info.code) ?? info.code, true);
  view.setInt32(frame + SI_PID, info.pid ?? 0, true);
  view.setUint32(frame + SI_UID, info.uid ?? 0, true);
  view.setBigUint64(frame + SI_ADDR, BigInt(info.addr ?? 0), true);

  const uc = frame + FRAME_UC;
  view.setBigUint64(uc + UC_SIGMASK, BigInt.asUintN(64, request.savedMask), true);
  view.setBigUint64(uc + UC_SIGMASK + 8, BigInt.asUintN(64, request.savedMask >> 64n), true);
  const alt = request.altStack;
  const altFlags =
    alt.flags & SS_DISABLE ? FREEBSD_SS_DISABLE : alt.flags & SS_ONSTACK ? FREEBSD_SS_ONSTACK : 0;
  view.setBigUint64(uc + UC_STACK, alt.sp, true);
  view.setBigUint64(uc + UC_STACK + 8, alt.size, true);
  view.setInt32(uc + UC_STACK + 16, altFlags, true);
  const mc = uc + UC_MCONTEXT;
  for (let i = 0; i < 30; i++)
    view.setBigUint64(mc + GP_X + i * 8, view.getBigUint64(base + xreg(i), true), true);
  view.setBigUint64(mc + GP_LR, view.getBigUint64(base + xreg(30), true), true);
  view.setBigUint64(mc + GP_SP, view.getBigUint64(base + SP, true), true);
  view.setBigUint64(mc + GP_ELR, view.getBigUint64(base + STATE_PC, true), true);
  view.setUint32(mc + GP_SPSR, pstate(view, base), true);
  mem.writeBytes(mc + FP_Q, mem.readBytes(base + vreg(0), 32 * 16).slice());
  view.setUint32(mc + FP_SR, view.getUint32(base + FPSR, true), true);
  view.setUint32(mc + FP_CR, view.getUint32(base + FPCR, true), true);
  view.setInt32(mc + MC_FLAGS, MC_FP_VALID, true);

  view.setBigUint64(base + xreg(0), BigInt(info.signo), true);
  view.setBigUint64(base + xreg(1), BigInt(frame), true);
  view.setBigUint64(base + xreg(2), BigInt(uc), true);
  view.setBigUint64(base + xreg(8), BigInt(request.handler), true);
  view.setBigUint64(base + SP, BigInt(frame), true);
  view.setBigUint64(base + xreg(30), BigInt(request.returnAddress), true);
  view.setBigUint64(base + STATE_PC, BigInt(request.handler), true);
  return true;
}

/** sigreturn(const ucontext_t *uc): the context x0 points at; FreeBSD leaves the alternate stack as it is. */
function restoreFrame(proc: GuestProcess): RestoredFrame | undefined {
  const mem = proc.memory;
  const view = mem.view;
  const base = proc.stateBase;
  const uc = Number(view.getBigUint64(base + xreg(0), true));
  if (uc % 16 !== 0 || !mem.accessible(uc, UC_SIZE, false)) return undefined;
  const mc = uc + UC_MCONTEXT;
  for (let i = 0; i < 30; i++)
    view.setBigUint64(base + xreg(i), view.getBigUint64(mc + GP_X + i * 8, true), true);
  view.setBigUint64(base + xreg(30), view.getBigUint64(mc + GP_LR, true), true);
  view.setBigUint64(base + SP, view.getBigUint64(mc + GP_SP, true), true);
  view.setBigUint64(base + STATE_PC, view.getBigUint64(mc + GP_ELR, true), true);
  const spsr = view.getUint32(mc + GP_SPSR, true);
  view.setInt32(base + NF, (spsr >>> 31) & 1, true);
  view.setInt32(base + ZF, (spsr >>> 30) & 1, true);
  view.setInt32(base + CF, (spsr >>> 29) & 1, true);
  view.setInt32(base + VF, (spsr >>> 28) & 1, true);
  if (view.getInt32(mc + MC_FLAGS, true) & MC_FP_VALID) {
    mem.writeBytes(base + vreg(0), mem.readBytes(mc + FP_Q, 32 * 16).slice());
    view.setUint32(base + FPSR, view.getUint32(mc + FP_SR, true), true);
    view.setUint32(base + FPCR, view.getUint32(mc + FP_CR, true), true);
  }
  const mask =
    view.getBigUint64(uc + UC_SIGMASK, true) | (view.getBigUint64(uc + UC_SIGMASK + 8, true) << 64n);
  return { mask, altStack: { ...syscallState(proc).altStack } };
}

export const freebsdAarch64SignalFrame: SignalFrameTarget = {
  stackPointer,
  setupFrame,
  restoreFrame,
  // FreeBSD's sigcode: mov x0, sp; add x0, x0, #SF_UC; 1: mov x8, #SYS_sigreturn; svc 0; mov x8, #SYS_exit; svc 0; b 1b
  trampoline: [0x910003e0, 0x91014000, 0xd2803428, 0xd4000001, 0xd2800028, 0xd4000001, 0x17fffffc],
};
