/**
 * The PowerPC64 rt_sigframe (arch/powerpc/kernel/signal_64.c, uapi/asm/{ucontext,sigcontext}.h),
 * one writer for ELFv1 (big-endian) and ELFv2 (little-endian): a ucontext first (so rt_sigreturn
 * finds it at r1), two unused doublewords, the trampoline words, pointers to siginfo and ucontext,
 * the siginfo, and a gap as large as the ABI's red zone. The handler runs on a dummy caller frame
 * 128 bytes below, whose back chain points at the interrupted stack.
 *
 * uc_mcontext is a sigcontext: gp_regs in pt_regs order (r0-r31, nip, msr, orig_r3, ctr, link, xer,
 * ccr...), fp_regs (f0-f31, fpscr), then a pointer v_regs to the 16-aligned vector area inside
 * vmx_reserve: VR0-31, VSCR (low word of a quadword), VRSAVE (first word), then doubleword 1 of
 * VSR0-31. Everything is written in the guest's byte order; vector registers as the 128-bit values
 * stvx would store. Linux saves the VMX/VSX parts whenever the CPU has them, as tsemu's does.
 */
import { PPC64_SIGNAL_FRAMESIZE, ppc64SigtrampOffset } from '../../loader/vdso/ppc64';
import { PPC64_SYSCALL_NUMBERS } from '../../syscalls/abi/ppc64-numbers';
import { STATE_PC } from '../../translate/frontend';
import {
  CTR, FPSCR, LR, RESV_ADDR, VRSAVE, VSCR, XER_BC, XER_CA, XER_CA32, XER_OV, XER_OV32, XER_SO, crField, gpr, vsr,
} from '../../translate/ppc64/state';
import type { GuestProcess } from '../process';
import type { FrameRequest, RestoredFrame, SignalFrameTarget } from './frame-target';
import { SIGINFO_SIZE, writeSigInfo } from './siginfo';

/** struct ucontext offsets. */
const UC_FLAGS = 0;
const UC_LINK = 8;
const UC_STACK = 16; // stack_t: ss_sp 8, ss_flags 4 (+4), ss_size 8
const UC_SIGMASK = 40;
const UC_MCONTEXT = 168; // after sigset_t and __unused[15]
const UCONTEXT_SIZE = UC_MCONTEXT + 1528;
/** struct sigcontext offsets (from uc_mcontext). */
const SC_SIGNAL = 32;
const SC_HANDLER = 40;
const SC_OLDMASK = 48;
const SC_REGS = 56;
const SC_GP_REGS = 64;
const SC_FP_REGS = SC_GP_REGS + 48 * 8;
const SC_V_REGS = SC_FP_REGS + 33 * 8;
const SC_VMX_RESERVE = SC_V_REGS + 8;
/** pt_regs indices in gp_regs. */
const PT_NIP = 32;
const PT_MSR = 33;
const PT_CTR = 35;
const PT_LNK = 36;
const PT_XER = 37;
const PT_CCR = 38;
const PT_DAR = 41;
/** Quadwords of VR0-31, VSCR and VRSAVE before VSX doubleword 1 of VSR0-31 (ELF_NVRREG). */
const NVRREG = 34;
/** rt_sigframe offsets: uc, _unused[2], tramp[TRAMP_SIZE], pinfo, puc, info, abigap[USER_REDZONE_SIZE]. */
const FRAME_TRAMP = UCONTEXT_SIZE + 16;
/** Words of the in-frame trampoline area (Linux's TRAMP_SIZE, which QEMU keeps: siginfo lands where it does there). */
const TRAMP_SIZE = 6;
const FRAME_PINFO = FRAME_TRAMP + TRAMP_SIZE * 4;
const FRAME_PUC = FRAME_PINFO + 8;
const FRAME_INFO = FRAME_PUC + 8;
const USER_REDZONE_SIZE = 512;
const FRAME_SIZE = FRAME_INFO + SIGINFO_SIZE + USER_REDZONE_SIZE; // 2392, rounded to 16 when placed
/** The dummy caller frame below the rt_sigframe. */
const SIGNAL_FRAMESIZE = PPC64_SIGNAL_FRAMESIZE;
/** MSR as user code runs: SF, VEC, VSX, EE, PR, FP, ME, RI (+ LE for little-endian guests). */
const MSR_VEC = 1n << 25n;
const MSR_VSX = 1n << 23n;
const MSR_USER = (1n << 63n) | MSR_VEC | MSR_VSX | (1n << 15n) | (1n << 14n) | (1n << 13n) | (1n << 12n) | (1n << 1n);
const MSR_LE = 1n;
const SS_ONSTACK = 1;
const NO_RESERVATION = -1n;

const XER_BITS: readonly [number, number][] = [
  [XER_SO, 31],
  [XER_OV, 30],
  [XER_CA, 29],
  [XER_OV32, 19],
  [XER_CA32, 18],
];

/** Register access: the state block is little-endian; guest memory is in the guest's byte order. */
class Regs {
  constructor(
    readonly proc: GuestProcess,
    readonly view = proc.memory.view,
    readonly base = proc.stateBase,
    readonly le = proc.memory.littleEndian,
  ) {}
  get(offset: number): bigint {
    return this.view.getBigUint64(this.base + offset, true);
  }
  set(offset: number, value: bigint): void {
    this.view.setBigUint64(this.base + offset, BigInt.asUintN(64, value), true);
  }
  /** A 64-bit word of guest memory. */
  load(at: number): bigint {
    return this.view.getBigUint64(at, this.le);
  }
  store(at: number, value: bigint): void {
    this.view.setBigUint64(at, BigInt.asUintN(64, value), this.le);
  }
  /** VSR n (a 128-bit value) to guest memory as stvx stores it, and back. */
  storeVector(at: number, n: number): void {
    const bytes = this.proc.memory.readBytes(this.base + vsr(n), 16).slice();
    if (!this.le) bytes.reverse();
    this.proc.memory.writeBytes(at, bytes);
  }
  loadVector(at: number, n: number): void {
    const bytes = this.proc.memory.readBytes(at, 16).slice();
    if (!this.le) bytes.reverse();
    this.proc.memory.writeBytes(this.base + vsr(n), bytes);
  }
  /** Doubleword 0 (most significant) or 1 of VSR n. */
  vsrDoubleword(n: number, dw: 0 | 1): bigint {
    return this.get(vsr(n) + (dw === 0 ? 8 : 0));
  }
  setVsrDoubleword(n: number, dw: 0 | 1, value: bigint): void {
    this.set(vsr(n) + (dw === 0 ? 8 : 0), value);
  }
  i32(offset: number): number {
    return this.view.getUint32(this.base + offset, true);
  }
  setI32(offset: number, value: number): void {
    this.view.setUint32(this.base + offset, value >>> 0, true);
  }
}

function packCr(r: Regs): number {
  let cr = 0;
  for (let f = 0; f < 8; f++) cr |= (r.i32(crField(f)) & 0xf) << (28 - 4 * f);
  return cr >>> 0;
}

function unpackCr(r: Regs, cr: number): void {
  for (let f = 0; f < 8; f++) r.setI32(crField(f), (cr >>> (28 - 4 * f)) & 0xf);
}

function packXer(r: Regs): number {
  let xer = r.i32(XER_BC) & 0x7f;
  for (const [slot, bit] of XER_BITS) xer |= (r.i32(slot) & 1) << bit;
  return xer >>> 0;
}

function unpackXer(r: Regs, xer: number): void {
  for (const [slot, bit] of XER_BITS) r.setI32(slot, (xer >>> bit) & 1);
  r.setI32(XER_BC, xer & 0x7f);
}

/** Guest addresses reach 2^32, beyond JavaScript's 32-bit bitwise operators. */
const roundDown16 = (n: number): number => n - (n % 16);

/** The 16-aligned vector area inside vmx_reserve. */
const vRegsOf = (mc: number): number => roundDown16(mc + SC_VMX_RESERVE + 15);

function stackPointer(proc: GuestProcess): number {
  return Number(new Regs(proc).get(gpr(1)));
}

function writeMcontext(r: Regs, mc: number, request: FrameRequest): void {
  const mem = r.proc.memory;
  mem.write32(mc + SC_SIGNAL, request.info.signo);
  r.store(mc + SC_HANDLER, BigInt(request.handler));
  r.store(mc + SC_OLDMASK, request.savedMask);
  r.store(mc + SC_REGS, BigInt(mc + SC_GP_REGS));
  const gp = (i: number): number => mc + SC_GP_REGS + i * 8;
  for (let i = 0; i < 32; i++) r.store(gp(i), r.get(gpr(i)));
  r.store(gp(PT_NIP), r.get(STATE_PC));
  r.store(gp(PT_MSR), MSR_USER | (r.le ? MSR_LE : 0n));
  r.store(gp(PT_CTR), r.get(CTR));
  r.store(gp(PT_LNK), r.get(LR));
  r.store(gp(PT_XER), BigInt(packXer(r)));
  r.store(gp(PT_CCR), BigInt(packCr(r)));
  r.store(gp(PT_DAR), BigInt(request.info.addr ?? 0));
  for (let i = 0; i < 32; i++) r.store(mc + SC_FP_REGS + i * 8, r.vsrDoubleword(i, 0));
  r.store(mc + SC_FP_REGS + 32 * 8, BigInt(r.i32(FPSCR)));
  const vRegs = vRegsOf(mc);
  r.store(mc + SC_V_REGS, BigInt(vRegs));
  for (let i = 0; i < 32; i++) r.storeVector(vRegs + i * 16, 32 + i);
  mem.write32(vRegs + 32 * 16 + (r.le ? 0 : 12), r.i32(VSCR));
  mem.write32(vRegs + 33 * 16, r.i32(VRSAVE));
  for (let i = 0; i < 32; i++) r.store(vRegs + NVRREG * 16 + i * 8, r.vsrDoubleword(i, 1));
}

function setupFrame(proc: GuestProcess, request: FrameRequest): boolean {
  const mem = proc.memory;
  const r = new Regs(proc);
  const frame = roundDown16(request.stackTop - FRAME_SIZE);
  const newSp = frame - SIGNAL_FRAMESIZE;
  if (newSp < 0 || !mem.accessible(newSp, request.stackTop - newSp, true)) return false;
  // ELFv1: the handler is a function descriptor (entry, TOC); ELFv2: code, entered with r12 = its address.
  let entry = BigInt(request.handler);
  let toc: bigint | undefined;
  if (!r.le) {
    if (!mem.accessible(request.handler, 16, false)) return false;
    entry = r.load(request.handler);
    toc = r.load(request.handler + 8);
  }
  mem.writeBytes(frame, new Uint8Array(FRAME_SIZE));
  const uc = frame;
  r.store(uc + UC_FLAGS, 0n);
  r.store(uc + UC_LINK, 0n);
  r.store(uc + UC_STACK, request.altStack.sp);
  mem.write32(uc + UC_STACK + 8, request.altStack.flags);
  r.store(uc + UC_STACK + 16, request.altStack.size);
  r.store(uc + UC_SIGMASK, request.savedMask);
  writeMcontext(r, uc + UC_MCONTEXT, request);
  r.store(frame + FRAME_PINFO, BigInt(frame + FRAME_INFO));
  r.store(frame + FRAME_PUC, BigInt(uc));
  writeSigInfo(mem, frame + FRAME_INFO, request.info, 8);
  r.store(newSp, r.get(gpr(1)));

  r.set(gpr(1), BigInt(newSp));
  r.set(gpr(3), BigInt(request.info.signo));
  r.set(gpr(4), BigInt(request.siginfo ? frame + FRAME_INFO : uc + UC_MCONTEXT));
  r.set(gpr(5), BigInt(uc));
  r.set(gpr(6), BigInt(frame));
  if (toc !== undefined) r.set(gpr(2), toc);
  else r.set(gpr(12), entry);
  r.set(CTR, entry);
  r.set(LR, BigInt(request.returnAddress));
  r.set(STATE_PC, entry);
  // Taking an interrupt clears the reservation (the kernel's exit path does a stdcx.).
  r.set(RESV_ADDR, NO_RESERVATION);
  return true;
}

function readMcontext(r: Regs, mc: number): boolean {
  const mem = r.proc.memory;
  const gp = (i: number): number => mc + SC_GP_REGS + i * 8;
  const msr = r.load(gp(PT_MSR));
  const vRegs = Number(r.load(mc + SC_V_REGS));
  const hasVmx = vRegs !== 0 && (msr & MSR_VEC) !== 0n;
  const hasVsx = vRegs !== 0 && (msr & MSR_VSX) !== 0n;
  if (vRegs !== 0 && !mem.accessible(vRegs, NVRREG * 16 + (hasVsx ? 32 * 8 : 0), false)) return false;
  for (let i = 0; i < 32; i++) r.set(gpr(i), r.load(gp(i)));
  r.set(STATE_PC, r.load(gp(PT_NIP)));
  r.set(CTR, r.load(gp(PT_CTR)));
  r.set(LR, r.load(gp(PT_LNK)));
  unpackXer(r, Number(r.load(gp(PT_XER)) & 0xffffffffn));
  unpackCr(r, Number(r.load(gp(PT_CCR)) & 0xffffffffn));
  for (let i = 0; i < 32; i++) r.setVsrDoubleword(i, 0, r.load(mc + SC_FP_REGS + i * 8));
  r.setI32(FPSCR, Number(r.load(mc + SC_FP_REGS + 32 * 8) & 0xffffffffn));
  for (let i = 0; i < 32; i++) {
    if (hasVmx) r.loadVector(vRegs + i * 16, 32 + i);
    else mem.writeBytes(r.base + vsr(32 + i), new Uint8Array(16));
  }
  r.setI32(VSCR, hasVmx ? mem.read32(vRegs + 32 * 16 + (r.le ? 0 : 12)) : 0);
  r.setI32(VRSAVE, hasVmx ? mem.read32(vRegs + 33 * 16) : 0);
  for (let i = 0; i < 32; i++) r.setVsrDoubleword(i, 1, hasVsx ? r.load(vRegs + NVRREG * 16 + i * 8) : 0n);
  r.set(RESV_ADDR, NO_RESERVATION);
  return true;
}

/** rt_sigreturn: the ucontext is at r1 (the trampoline popped the dummy caller frame). */
function restoreFrame(proc: GuestProcess): RestoredFrame | undefined {
  const mem = proc.memory;
  const r = new Regs(proc);
  const uc = stackPointer(proc);
  if (!mem.accessible(uc, UCONTEXT_SIZE, false)) return undefined;
  const mask = r.load(uc + UC_SIGMASK);
  const altStack = {
    sp: r.load(uc + UC_STACK),
    flags: mem.read32(uc + UC_STACK + 8) & ~SS_ONSTACK,
    size: r.load(uc + UC_STACK + 16),
  };
  if (!readMcontext(r, uc + UC_MCONTEXT)) return undefined;
  return { mask, altStack };
}

export const ppc64SignalFrame: SignalFrameTarget = {
  stackPointer,
  setupFrame,
  restoreFrame,
  // addi r1,r1,128 (pop the dummy caller frame); li r0,__NR_rt_sigreturn; sc
  trampoline: [0x38210000 | SIGNAL_FRAMESIZE, 0x38000000 | PPC64_SYSCALL_NUMBERS['rt_sigreturn']!, 0x44000002],
  vdsoTrampolineOffset: ppc64SigtrampOffset,
};
