/**
 * The arm64 rt_sigframe (arch/arm64/kernel/signal.c, uapi/asm/sigcontext.h): siginfo, then a
 * ucontext whose uc_mcontext holds fault_address, x0-x30, sp, pc, pstate and a __reserved area of
 * context records (here the fpsimd_context, then the terminating null record). Above the frame, a
 * frame record {fp, lr} links the handler's frame chain to the interrupted code, as Linux does.
 */
import { CF, FPCR, FPSR, NF, SP, VF, ZF, vreg, xreg } from '../../translate/aarch64/state';
import { STATE_PC } from '../../translate/frontend';
import type { GuestProcess } from '../process';
import type { FrameRequest, RestoredFrame, SignalFrameTarget } from './frame-target';
import { SIGINFO_SIZE, writeSigInfo } from './siginfo';

/** struct ucontext offsets (from its start). */
const UC_FLAGS = 0;
const UC_LINK = 8;
const UC_STACK = 16; // stack_t: ss_sp 8, ss_flags 4 (+4), ss_size 8
const UC_SIGMASK = 40;
const UC_MCONTEXT = 176; // after sigset_t and the __unused pad to 1024 bits, aligned to 16
/** struct sigcontext offsets (from uc_mcontext). */
const SC_FAULT_ADDRESS = 0;
const SC_REGS = 8;
const SC_SP = 256;
const SC_PC = 264;
const SC_PSTATE = 272;
const SC_RESERVED = 288;
const SC_RESERVED_SIZE = 4096;
/** The fpsimd_context record: _aarch64_ctx {magic, size}, fpsr, fpcr, vregs[32] at 16. */
const FPSIMD_MAGIC = 0x46508001;
const FPSIMD_SIZE = 528;
/** Offsets inside rt_sigframe. */
const FRAME_UC = SIGINFO_SIZE;
const MCONTEXT = FRAME_UC + UC_MCONTEXT;
const FRAME_SIZE = MCONTEXT + SC_RESERVED + SC_RESERVED_SIZE; // 4688, a multiple of 16
/** struct frame_record {fp, lr}. */
const FRAME_RECORD_SIZE = 16;
const SS_ONSTACK = 1;

const roundDown16 = (n: number): number => n - (n % 16);

function flagsToPstate(view: DataView, base: number): number {
  const bit = (off: number, shift: number): number => (view.getInt32(base + off, true) !== 0 ? 1 << shift : 0);
  return (bit(NF, 31) | bit(ZF, 30) | bit(CF, 29) | bit(VF, 28)) >>> 0;
}

function pstateToFlags(view: DataView, base: number, pstate: number): void {
  view.setInt32(base + NF, (pstate >>> 31) & 1, true);
  view.setInt32(base + ZF, (pstate >>> 30) & 1, true);
  view.setInt32(base + CF, (pstate >>> 29) & 1, true);
  view.setInt32(base + VF, (pstate >>> 28) & 1, true);
}

function stackPointer(proc: GuestProcess): number {
  return Number(proc.memory.view.getBigUint64(proc.stateBase + SP, true));
}

function setupFrame(proc: GuestProcess, request: FrameRequest): boolean {
  const mem = proc.memory;
  const view = mem.view;
  const base = proc.stateBase;
  const record = roundDown16(request.stackTop - FRAME_RECORD_SIZE);
  const frame = record - FRAME_SIZE;
  if (frame < 0 || !mem.accessible(frame, request.stackTop - frame, true)) return false;
  mem.writeBytes(frame, new Uint8Array(FRAME_SIZE));
  writeSigInfo(mem, frame, request.info, 8);
  const uc = frame + FRAME_UC;
  view.setBigUint64(uc + UC_FLAGS, 0n, true);
  view.setBigUint64(uc + UC_LINK, 0n, true);
  view.setBigUint64(uc + UC_STACK, request.altStack.sp, true);
  view.setInt32(uc + UC_STACK + 8, request.altStack.flags, true);
  view.setBigUint64(uc + UC_STACK + 16, request.altStack.size, true);
  view.setBigUint64(uc + UC_SIGMASK, request.savedMask, true);
  const mc = frame + MCONTEXT;
  view.setBigUint64(mc + SC_FAULT_ADDRESS, BigInt(request.info.addr ?? 0), true);
  for (let i = 0; i < 31; i++) view.setBigUint64(mc + SC_REGS + i * 8, view.getBigUint64(base + xreg(i), true), true);
  view.setBigUint64(mc + SC_SP, view.getBigUint64(base + SP, true), true);
  view.setBigUint64(mc + SC_PC, view.getBigUint64(base + STATE_PC, true), true);
  view.setBigUint64(mc + SC_PSTATE, BigInt(flagsToPstate(view, base)), true);
  const fpsimd = mc + SC_RESERVED;
  view.setUint32(fpsimd, FPSIMD_MAGIC, true);
  view.setUint32(fpsimd + 4, FPSIMD_SIZE, true);
  view.setUint32(fpsimd + 8, view.getUint32(base + FPSR, true), true);
  view.setUint32(fpsimd + 12, view.getUint32(base + FPCR, true), true);
  mem.writeBytes(fpsimd + 16, mem.readBytes(base + vreg(0), 32 * 16).slice());
  // The null record after fpsimd is already zero.
  view.setBigUint64(record, view.getBigUint64(base + xreg(29), true), true);
  view.setBigUint64(record + 8, view.getBigUint64(base + xreg(30), true), true);

  view.setBigUint64(base + xreg(0), BigInt(request.info.signo), true);
  if (request.siginfo) {
    view.setBigUint64(base + xreg(1), BigInt(frame), true);
    view.setBigUint64(base + xreg(2), BigInt(uc), true);
  }
  view.setBigUint64(base + SP, BigInt(frame), true);
  view.setBigUint64(base + xreg(29), BigInt(record), true);
  view.setBigUint64(base + xreg(30), BigInt(request.returnAddress), true);
  view.setBigUint64(base + STATE_PC, BigInt(request.handler), true);
  return true;
}

/** Finds the fpsimd record among the __reserved records; undefined when the list is malformed or lacks it. */
function findFpsimd(proc: GuestProcess, reserved: number): number | undefined {
  const view = proc.memory.view;
  let found: number | undefined;
  for (let at = reserved; at + 8 <= reserved + SC_RESERVED_SIZE; ) {
    const magic = view.getUint32(at, true);
    const size = view.getUint32(at + 4, true);
    if (magic === 0) return size === 0 ? found : undefined;
    if (size < 8 || size % 16 !== 0 || at + size > reserved + SC_RESERVED_SIZE) return undefined;
    if (magic === FPSIMD_MAGIC) {
      if (size !== FPSIMD_SIZE || found !== undefined) return undefined;
      found = at;
    }
    at += size;
  }
  return undefined;
}

function restoreFrame(proc: GuestProcess): RestoredFrame | undefined {
  const mem = proc.memory;
  const view = mem.view;
  const base = proc.stateBase;
  const frame = stackPointer(proc);
  if (frame % 16 !== 0 || !mem.accessible(frame, FRAME_SIZE, false)) return undefined;
  const mc = frame + MCONTEXT;
  const fpsimd = findFpsimd(proc, mc + SC_RESERVED);
  if (fpsimd === undefined) return undefined;
  for (let i = 0; i < 31; i++) view.setBigUint64(base + xreg(i), view.getBigUint64(mc + SC_REGS + i * 8, true), true);
  view.setBigUint64(base + SP, view.getBigUint64(mc + SC_SP, true), true);
  view.setBigUint64(base + STATE_PC, view.getBigUint64(mc + SC_PC, true), true);
  pstateToFlags(view, base, Number(view.getBigUint64(mc + SC_PSTATE, true) & 0xffffffffn));
  view.setUint32(base + FPSR, view.getUint32(fpsimd + 8, true), true);
  view.setUint32(base + FPCR, view.getUint32(fpsimd + 12, true), true);
  mem.writeBytes(base + vreg(0), mem.readBytes(fpsimd + 16, 32 * 16).slice());
  const uc = frame + FRAME_UC;
  return {
    mask: view.getBigUint64(uc + UC_SIGMASK, true),
    altStack: {
      sp: view.getBigUint64(uc + UC_STACK, true),
      flags: view.getInt32(uc + UC_STACK + 8, true) & ~SS_ONSTACK,
      size: view.getBigUint64(uc + UC_STACK + 16, true),
    },
  };
}

export const aarch64SignalFrame: SignalFrameTarget = {
  stackPointer,
  setupFrame,
  restoreFrame,
  // mov x8, #139 (rt_sigreturn); svc #0
  trampoline: [0xd2801168, 0xd4000001],
};
