/**
 * The PowerPC64 vDSO (linux-vdso64.so.1), as Linux's arch/powerpc/kernel/vdso lays out what user
 * space relies on: __kernel_sigtramp_rt64, where a handler installed without SA_RESTORER returns
 * (addi r1,r1,__SIGNAL_FRAMESIZE; li r0,__NR_rt_sigreturn; sc), with DWARF CFI that tells the
 * unwinder where the interrupted registers are, so backtraces and pthread_cancel's forced unwind
 * pass through a signal frame; and the time and getcpu entry points, which here just make the
 * syscall (returning as the vDSO's own syscall fallbacks do: CR0.SO set and r3 the errno on error).
 *
 * The CFI follows the kernel's sigtramp64.S: the canonical frame address and every saved register
 * are found through sigcontext.regs, the pt_regs pointer at a fixed distance above r1
 * (__SIGNAL_FRAMESIZE + offsetof(ucontext, uc_mcontext) + offsetof(sigcontext, regs)); the return
 * address column is 67 (the unwinder's "ap", standing for the nip). The FDE starts one nop before
 * the trampoline because the unwinder looks up a return address minus one.
 */
import { PPC64_SYSCALL_NUMBERS } from '../../syscalls/abi/ppc64-numbers';
import { cfa, locationExpression, type ExprStep } from './dwarf-cfi';
import { buildVdso, type VdsoImage, type VdsoSymbol } from './shared-object';

/** The dummy caller frame the kernel puts below the rt_sigframe (__SIGNAL_FRAMESIZE). */
export const PPC64_SIGNAL_FRAMESIZE = 128;
/** From r1 in the trampoline to sigcontext.regs: __SIGNAL_FRAMESIZE + 168 (uc_mcontext) + 56 (regs). */
const PTREGS = PPC64_SIGNAL_FRAMESIZE + 168 + 56;
/** pt_regs doublewords: r0-r31, nip 32, link 36, ccr 38; after the 48 of gp_regs, fp_regs; then v_regs. */
const PT_NIP = 32;
const PT_LNK = 36;
const PT_CCR = 38;
const FP_REGS = 48 * 8;
const V_REGS = FP_REGS + 33 * 8;
/** DWARF register numbers (the PowerPC64 ELF ABI). */
const R1 = 1;
const DW_F0 = 32;
const DW_LR = 65;
const DW_AP = 67;
const DW_CR0 = 68;
const DW_VR0 = 77;

const NOP = 0x60000000;
const SC = 0x44000002;
const BLR = 0x4e800020;
const li0 = (n: number): number => 0x38000000 | n;

/** The time and cpu entry points and the syscalls they make. */
const SYSCALL_ENTRIES = ['clock_gettime', 'clock_getres', 'gettimeofday', 'getcpu'] as const;
const SIGTRAMP = '__kernel_sigtramp_rt64';

/**
 * The CFA and register rules, with r1 `adjust` bytes away from where the handler returned it:
 * 0 before the trampoline's addi, -__SIGNAL_FRAMESIZE after it.
 */
function sigtrampRules(adjust: number, littleEndian: boolean): number[] {
  const at = (steps: readonly ExprStep[]): number[] =>
    locationExpression(R1, PTREGS + adjust, [{ deref: true }, ...steps]);
  const rules = [...cfa.defCfaExpression(at([{ plus: 8 }, { deref: true }]))];
  for (let r = 0; r < 32; r++) if (r !== R1) rules.push(...cfa.expression(r, at([{ plus: r * 8 }])));
  rules.push(...cfa.expression(DW_AP, at([{ plus: PT_NIP * 8 }])));
  rules.push(...cfa.expression(DW_LR, at([{ plus: PT_LNK * 8 }])));
  // The eight CR fields share the low word of the ccr doubleword.
  const ccr = PT_CCR * 8 + (littleEndian ? 0 : 4);
  for (let f = 0; f < 8; f++) rules.push(...cfa.expression(DW_CR0 + f, at([{ plus: ccr }])));
  for (let f = 0; f < 32; f++) rules.push(...cfa.expression(DW_F0 + f, at([{ plus: FP_REGS + f * 8 }])));
  // v_regs points at the vector area (tsemu always saves it: its CPU has VMX).
  for (let v = 0; v < 32; v++) {
    rules.push(...cfa.expression(DW_VR0 + v, at([{ plus: V_REGS }, { deref: true }, { plus: v * 16 }])));
  }
  return rules;
}

function build(littleEndian: boolean): VdsoImage {
  const text: number[] = [];
  const symbols: VdsoSymbol[] = [];
  for (const name of SYSCALL_ENTRIES) {
    symbols.push({ name: `__kernel_${name}`, offset: text.length * 4, size: 12 });
    text.push(li0(PPC64_SYSCALL_NUMBERS[name]!), SC, BLR);
  }
  // The nop the FDE starts with, and the trampoline 8-aligned after it.
  text.push(NOP);
  if (text.length % 2 === 1) text.push(NOP);
  const sigtramp = text.length * 4;
  symbols.push({ name: SIGTRAMP, offset: sigtramp, size: 12 });
  text.push(0x38210000 | PPC64_SIGNAL_FRAMESIZE, li0(PPC64_SYSCALL_NUMBERS['rt_sigreturn']!), SC);
  // As Linux: zeros that complete the old on-stack trampoline's six words, then its pinfo (0) and
  // puc (-21 * 8), the magic that makes old libgcc fallback code look for the frame above r1.
  const pucMagic = BigInt.asUintN(64, -21n * 8n);
  const high = Number(pucMagic >> 32n);
  const low = Number(pucMagic & 0xffffffffn);
  text.push(0, 0, 0, 0, 0, ...(littleEndian ? [low, high] : [high, low]));
  return buildVdso({
    littleEndian,
    machine: 21,
    // e_flags: the ELF ABI version, 1 (function descriptors) big-endian, 2 little-endian.
    flags: littleEndian ? 2 : 1,
    soname: 'linux-vdso64.so.1',
    version: 'LINUX_2.6.15',
    text,
    symbols,
    cie: {
      augmentation: 'zRS',
      codeAlign: 4,
      dataAlign: -8,
      returnAddressColumn: DW_AP,
      initialInstructions: cfa.defCfa(R1, 0),
    },
    fdes: [
      {
        start: sigtramp - 4,
        length: 16,
        instructions: [
          ...sigtrampRules(0, littleEndian),
          // After the nop and the addi, r1 is __SIGNAL_FRAMESIZE higher.
          ...cfa.advanceLoc(2),
          ...sigtrampRules(-PPC64_SIGNAL_FRAMESIZE, littleEndian),
        ],
      },
    ],
  });
}

const images = new Map<boolean, VdsoImage>();

/** The vDSO for a big- or little-endian process (built once). */
export function ppc64Vdso(littleEndian: boolean): VdsoImage {
  let image = images.get(littleEndian);
  if (!image) images.set(littleEndian, (image = build(littleEndian)));
  return image;
}

/** Where a handler installed without SA_RESTORER returns: its offset in the image (the same for both byte orders). */
export function ppc64SigtrampOffset(littleEndian: boolean): number {
  return ppc64Vdso(littleEndian).symbols.get(SIGTRAMP)!;
}
