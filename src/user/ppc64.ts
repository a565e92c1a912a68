/**
 * The PowerPC64 Linux user-mode targets: `sc` with the number in r0, arguments in r3..r8, the
 * result in r3; on failure r3 holds the positive errno and CR0.SO is set (the CPU loop hands over
 * -errno, this target converts).
 *
 * Process start as Linux's start_thread: r1 = stack pointer. A big-endian (ELFv1) entry point is a
 * function descriptor (code address, TOC, environment): pc and r2 come from it, moved like Linux's
 * start_thread by the image's load bias (ld.so has not relocated its own descriptors yet). A little-endian
 * (ELFv2) entry is code, and r12 holds its address for the global entry point's TOC computation.
 */
import type { Endian } from '../translate/ir/ops';
import { STATE_PC } from '../translate/frontend';
import { ppc64Frontend } from '../translate/ppc64/frontend';
import { VSCR, crField, gpr } from '../translate/ppc64/state';
import { readSigned64, writeSigned64, type UserTarget } from './target';

/** Largest errno Linux returns (its MAX_ERRNO). */
const MAX_ERRNO = 4095;
/** CR0 SO bit within the CR0 field slot. */
const CR0_SO = 1;
/** VSCR[NJ]: Linux's start_thread starts a process in non-Java mode (VMX flushes subnormals to zero). */
const VSCR_NON_JAVA = 0x00010000;

/**
 * A word of the ELFv1 entry descriptor. One outside guest memory (a broken e_entry) reads as 0, as
 * Linux's start_thread and QEMU ignore the failed read: the program then dies of SIGSEGV at its
 * first instruction.
 */
function descriptorWord(memory: DataView, address: number): bigint {
  return address >= 0 && address + 8 <= memory.byteLength ? memory.getBigUint64(address, false) : 0n;
}

function ppc64UserTarget(name: string, endian: Endian): UserTarget {
  return {
    name,
    frontend: ppc64Frontend,
    endian,
    initState(state, base, entry, sp, entryBias) {
      let pc = entry;
      if (endian === 'big') {
        // The state view is the whole guest memory (the state block lies in its window), so the
        // descriptor at the entry address is read through it, in the guest's byte order.
        const bias = BigInt(entryBias);
        pc = Number(BigInt.asUintN(64, descriptorWord(state, entry) + bias));
        state.setBigUint64(base + gpr(2), BigInt.asUintN(64, descriptorWord(state, entry + 8) + bias), true);
      } else {
        state.setBigUint64(base + gpr(12), BigInt(entry), true);
      }
      state.setBigUint64(base + STATE_PC, BigInt(pc), true);
      state.setBigUint64(base + gpr(1), BigInt(sp), true);
      state.setUint32(base + VSCR, VSCR_NON_JAVA, true);
    },
    setStackPointer: (state, base, sp) => state.setBigUint64(base + gpr(1), BigInt(sp), true),
    // The ELF ABIs keep the thread pointer in r13.
    setThreadPointer: (state, base, tls) => state.setBigUint64(base + gpr(13), BigInt(tls), true),
    syscallNumber: (state, base) => readSigned64(state, base + gpr(0)),
    syscallArgs: (state, base) => [3, 4, 5, 6, 7, 8].map((r) => readSigned64(state, base + gpr(r))),
    setSyscallResult(state, base, result) {
      const failed = result < 0 && result >= -MAX_ERRNO;
      writeSigned64(state, base + gpr(3), failed ? -result : result);
      const cr0 = state.getUint32(base + crField(0), true);
      state.setUint32(base + crField(0), failed ? cr0 | CR0_SO : cr0 & ~CR0_SO, true);
    },
    syscallLength: () => 4,
  };
}

export const ppc64Target = ppc64UserTarget('ppc64', 'big');
export const ppc64leTarget = ppc64UserTarget('ppc64le', 'little');
