/**
 * The 32-bit ARM signal frames (arch/arm/kernel/signal.c, uapi/asm/sigcontext.h, asm/ucontext.h).
 * A handler without SA_SIGINFO gets a sigframe {ucontext, retcode[4]} and returns through
 * sigreturn; one with SA_SIGINFO gets an rt_sigframe {siginfo, sigframe} and returns through
 * rt_sigreturn. The ucontext holds the sigcontext (trap_no, error_code, oldmask, r0-r15, cpsr,
 * fault_address), the 1024-bit uc_sigmask, and uc_regspace with the VFP record (D0-D31, FPSCR,
 * FPEXC) and a zero end marker. The handler's bit 0 selects Thumb state, as the kernel's
 * setup_return does; without SA_RESTORER it returns to the kernel's sigreturn codes (ARM or Thumb,
 * sigreturn or rt_sigreturn), which tsemu maps as its sigreturn trampoline page.
 *
 * The ARM user target hands both sigreturn calls to the generic rt_sigreturn path (src/user/arm.ts);
 * restoreFrame tells them apart by the number the guest put in r7.
 */
import { ARM_SYSCALL_NUMBERS } from '../../syscalls/abi/arm-numbers';
import { syscallState } from '../../syscalls/linux/process-state';
import { FPSCR, GE, QF, dreg, readNzcv, reg, writeNzcv } from '../../translate/arm/state';
import { STATE_PC } from '../../translate/frontend';
import type { GuestProcess } from '../process';
import type { FrameRequest, RestoredFrame, SignalFrameTarget } from './frame-target';
import { SIGINFO_SIZE, writeSigInfo } from './siginfo';
import { trampolineAddress } from './trampoline';

/** struct ucontext offsets (from its start, which is the start of struct sigframe). */
const UC_FLAGS = 0;
const UC_LINK = 4;
const UC_STACK = 8; // stack_t: ss_sp 4, ss_flags 4, ss_size 4
const UC_MCONTEXT = 20;
const UC_SIGMASK = 104; // after the 84-byte sigcontext; 128 bytes (glibc's 1024-bit sigset_t)
const UC_REGSPACE = 232; // 8-aligned, 128 words
const UC_REGSPACE_SIZE = 512;
/** struct sigcontext offsets (from uc_mcontext): trap_no, error_code, oldmask, then r0..r15, cpsr, fault_address. */
const SC_OLDMASK = 8;
const SC_R0 = 12;
const SC_CPSR = 76;
/** struct sigframe: the ucontext, then retcode[4]. */
const SF_RETCODE = UC_REGSPACE + UC_REGSPACE_SIZE;
const SIGFRAME_SIZE = SF_RETCODE + 16;
/** struct rt_sigframe: siginfo, then a sigframe. */
const RT_SIGFRAME = SIGINFO_SIZE;
const RT_SIGFRAME_SIZE = RT_SIGFRAME + SIGFRAME_SIZE;
/** uc_flags of a plain sigframe: "a value which sc.trap_no would never have". */
const SIGFRAME_UC_FLAGS = 0x5ac3c35a;
/** struct vfp_sigframe {magic, size, user_vfp {fpregs[32], fpscr}, user_vfp_exc {fpexc, fpinst, fpinst2}}, 8-aligned. */
const VFP_MAGIC = 0x56465001;
const VFP_SIZE = 288;
const VFP_FPREGS = 8;
const VFP_FPSCR = VFP_FPREGS + 32 * 8;
const VFP_FPEXC = VFP_FPSCR + 8;
/** FPEXC.EN: user space runs with the VFP enabled. */
const FPEXC_EN = 0x40000000;
/** CPSR fields. */
const CPSR_T = 1 << 5;
const CPSR_I = 1 << 7;
const CPSR_MODE = 0x1f;
const MODE_USR = 0x10;
const SS_ONSTACK = 1;
/**
 * arch/arm/kernel/sigreturn_codes.S: at word 0 the ARM sigreturn code, at word 2 the Thumb one, at
 * word 3 the ARM rt_sigreturn code, at word 5 the Thumb one (the kernel's idx: Thumb << 1, + 3 for SA_SIGINFO).
 */
const SIGRETURN_CODES = [
  0xe3a07077, // mov r7, #119 (sigreturn)
  0xef900077, // svc #0x900077
  0xdf002777, // movs r7, #119; svc #0
  0xe3a070ad, // mov r7, #173 (rt_sigreturn)
  0xef9000ad, // svc #0x9000ad
  0xdf0027ad, // movs r7, #173; svc #0
];

function readCpsr(view: DataView, base: number): number {
  const bit = (off: number, shift: number): number => (view.getInt32(base + off, true) !== 0 ? 1 << shift : 0);
  const thumb = Number(view.getBigUint64(base + STATE_PC, true) & 1n) !== 0;
  const ge = (view.getUint32(base + GE, true) & 0xf) << 16;
  return (readNzcv(view, base) | bit(QF, 27) | ge | (thumb ? CPSR_T : 0) | MODE_USR) >>> 0;
}

/** Restores NZCV, Q and GE from a CPSR value (the T bit goes into the pc by the caller). */
function writeFlags(view: DataView, base: number, cpsr: number): void {
  writeNzcv(view, base, cpsr);
  view.setInt32(base + QF, (cpsr >>> 27) & 1, true);
  view.setUint32(base + GE, (cpsr >>> 16) & 0xf, true);
}

function stackPointer(proc: GuestProcess): number {
  return proc.memory.view.getUint32(proc.stateBase + reg(13), true);
}

/** Fills the sigframe at `sf` (setup_sigframe, plus uc_stack as QEMU writes it for both kinds). */
function writeSigframe(proc: GuestProcess, sf: number, request: FrameRequest): void {
  const mem = proc.memory;
  const view = mem.view;
  const base = proc.stateBase;
  view.setUint32(sf + UC_STACK, Number(request.altStack.sp), true);
  view.setInt32(sf + UC_STACK + 4, request.altStack.flags, true);
  view.setUint32(sf + UC_STACK + 8, Number(request.altStack.size), true);
  const mc = sf + UC_MCONTEXT;
  view.setUint32(mc + SC_OLDMASK, Number(request.savedMask & 0xffffffffn), true);
  for (let i = 0; i < 15; i++) view.setUint32(mc + SC_R0 + i * 4, view.getUint32(base + reg(i), true), true);
  const pc = Number(view.getBigUint64(base + STATE_PC, true) & ~1n);
  view.setUint32(mc + SC_R0 + 15 * 4, pc, true);
  view.setUint32(mc + SC_CPSR, readCpsr(view, base), true);
  view.setBigUint64(sf + UC_SIGMASK, request.savedMask, true);
  const vfp = sf + UC_REGSPACE;
  view.setUint32(vfp, VFP_MAGIC, true);
  view.setUint32(vfp + 4, VFP_SIZE, true);
  mem.writeBytes(vfp + VFP_FPREGS, mem.readBytes(base + dreg(0), 32 * 8).slice());
  view.setUint32(vfp + VFP_FPSCR, view.getUint32(base + FPSCR, true), true);
  view.setUint32(vfp + VFP_FPEXC, FPEXC_EN, true);
  // The end marker after the VFP record, the fault fields and trap_no stay zero, as QEMU leaves them.
}

function setupFrame(proc: GuestProcess, request: FrameRequest): boolean {
  const mem = proc.memory;
  const view = mem.view;
  const base = proc.stateBase;
  const size = request.siginfo ? RT_SIGFRAME_SIZE : SIGFRAME_SIZE;
  // ATPCS mandates 8-byte stack alignment.
  const frame = ((request.stackTop - size) & ~7) >>> 0;
  if (frame < 0 || !mem.accessible(frame, size, true)) return false;
  mem.writeBytes(frame, new Uint8Array(size));
  const sf = request.siginfo ? frame + RT_SIGFRAME : frame;
  if (request.siginfo) writeSigInfo(mem, frame, request.info, 4);
  else view.setUint32(sf + UC_FLAGS, SIGFRAME_UC_FLAGS, true);
  view.setUint32(sf + UC_LINK, 0, true);
  writeSigframe(proc, sf, request);

  const thumb = request.handler & 1;
  let returnAddress = request.returnAddress;
  // Asking for the trampoline maps it even under SA_RESTORER, as Linux maps ARM's [sigpage] in every process.
  if (returnAddress === trampolineAddress(proc, armSignalFrame)) {
    // No SA_RESTORER: the kernel also leaves the code it returns through in retcode.
    const idx = (thumb << 1) + (request.siginfo ? 3 : 0);
    view.setUint32(sf + SF_RETCODE, SIGRETURN_CODES[idx]!, true);
    view.setUint32(sf + SF_RETCODE + 4, SIGRETURN_CODES[idx + 1] ?? 0, true);
    returnAddress += idx * 4 + thumb;
  }
  view.setUint32(base + reg(0), request.info.signo, true);
  if (request.siginfo) {
    view.setUint32(base + reg(1), frame, true);
    view.setUint32(base + reg(2), sf, true);
  }
  view.setUint32(base + reg(13), frame, true);
  view.setUint32(base + reg(14), returnAddress >>> 0, true);
  // The handler starts with NZCV and Q clear (the kernel clears PSR_f) and ITSTATE clear.
  writeFlags(view, base, view.getUint32(base + GE, true) << 16);
  const entry = thumb ? request.handler : request.handler & ~3;
  view.setBigUint64(base + STATE_PC, BigInt(entry >>> 0), true);
  return true;
}

/** restore_sigframe: registers, flags and VFP state from the sigframe at `sf`; false for a bad frame. */
function readSigframe(proc: GuestProcess, sf: number): boolean {
  const mem = proc.memory;
  const view = mem.view;
  const base = proc.stateBase;
  const mc = sf + UC_MCONTEXT;
  const cpsr = view.getUint32(mc + SC_CPSR, true);
  // valid_user_regs: user mode with IRQs enabled, else the frame is rejected.
  if ((cpsr & CPSR_MODE) !== MODE_USR || cpsr & CPSR_I) return false;
  const vfp = sf + UC_REGSPACE;
  if (view.getUint32(vfp, true) !== VFP_MAGIC || view.getUint32(vfp + 4, true) !== VFP_SIZE) return false;
  for (let i = 0; i < 15; i++) view.setUint32(base + reg(i), view.getUint32(mc + SC_R0 + i * 4, true), true);
  const pc = view.getUint32(mc + SC_R0 + 15 * 4, true);
  const entry = cpsr & CPSR_T ? (pc & ~1) | 1 : pc & ~3;
  view.setBigUint64(base + STATE_PC, BigInt(entry >>> 0), true);
  writeFlags(view, base, cpsr);
  mem.writeBytes(base + dreg(0), mem.readBytes(vfp + VFP_FPREGS, 32 * 8).slice());
  view.setUint32(base + FPSCR, view.getUint32(vfp + VFP_FPSCR, true), true);
  return true;
}

function restoreFrame(proc: GuestProcess): RestoredFrame | undefined {
  const view = proc.memory.view;
  const sp = stackPointer(proc);
  const rt = view.getUint32(proc.stateBase + reg(7), true) !== ARM_SYSCALL_NUMBERS['sigreturn'];
  const size = rt ? RT_SIGFRAME_SIZE : SIGFRAME_SIZE;
  // The frame was stacked 8-aligned: any other sp means the guest is tampering with it.
  if (sp % 8 !== 0 || !proc.memory.accessible(sp, size, false)) return undefined;
  const sf = rt ? sp + RT_SIGFRAME : sp;
  const mask = view.getBigUint64(sf + UC_SIGMASK, true);
  const altStack = rt
    ? {
        sp: BigInt(view.getUint32(sf + UC_STACK, true)),
        flags: view.getInt32(sf + UC_STACK + 4, true) & ~SS_ONSTACK,
        size: BigInt(view.getUint32(sf + UC_STACK + 8, true)),
      }
    : // Plain sigreturn leaves the alternate stack as it is.
      { ...syscallState(proc).altStack };
  if (!readSigframe(proc, sf)) return undefined;
  return { mask, altStack };
}

export const armSignalFrame: SignalFrameTarget = {
  stackPointer,
  setupFrame,
  restoreFrame,
  trampoline: SIGRETURN_CODES,
};
