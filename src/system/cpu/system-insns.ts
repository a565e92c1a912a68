/**
 * The system CPU's half of the EL1 instructions: translated code leaves the block at them with a
 * Syscall trap (translate/aarch64/insns/system-el1.ts, and SVC), and they are carried out here from
 * the instruction word, with effects translated code cannot have (exception entry and return,
 * interrupt unmasking, timers, hypervisor calls, waiting for an interrupt, yielding to other CPUs).
 */
import { DecodeTable, entries, extractFields, type Fields } from '../../translate/decode/pattern';
import { sysRegKey } from '../../translate/aarch64/insns/cpu-id';
import { xreg } from '../../translate/aarch64/state';
import { ExceptionClass, exceptionReturn, takeException } from './exceptions';
import type { CpuRegisters } from './registers';
import { findSysReg, type SysRegDef } from './sysregs';

/** What the instructions need from the machine around the CPU. */
export interface SystemServices {
  /** HVC #imm: the hypervisor call (PSCI on `virt`); false if nothing answers it there. */
  hypervisorCall(cpu: CpuRegisters, imm: number): boolean;
  /** SMC #imm: the secure monitor call; false if there is no EL3 to take it. */
  secureMonitorCall(cpu: CpuRegisters, imm: number): boolean;
  /** WFI: idle until an interrupt is pending. */
  waitForInterrupt(): void;
  /** WFE, YIELD: let the other CPUs run (the CPU's quantum ends). */
  yieldCpu(): void;
  /** IC IALLU and friends: translated code may be stale. */
  invalidateAllCode(): void;
  /** TLBI: translation table entries in `scope` may have changed. */
  invalidateTlb(scope: TlbScope): void;
  /** AT S1E{0,1}{R,W}: PAR_EL1's value for translating `va` at `el` (PA, or F=1 with the fault status). */
  addressTranslate(va: bigint, write: boolean, el: number): bigint;
}

/**
 * What a TLBI invalidates: every entry (VMALLE1), the non-global entries of one ASID (ASIDE1; `asid`
 * is the operand's 16-bit field, whatever ASID size TCR_EL1.AS selects), or the entries of one
 * page. For a page, VAE1 and VALE1 name those of one ASID and the global ones, VAAE1 and VAALE1
 * those of every ASID; the CPU forgets the page in every ASID for both, since a global mapping may
 * be cached under any (asid-contexts.ts). The L (last level) forms are the others: only last-level
 * entries are cached.
 */
export type TlbScope = { kind: 'all' } | { kind: 'asid'; asid: number } | { kind: 'page'; va: bigint };

type Handler = (cpu: CpuRegisters, f: Fields, services: SystemServices) => boolean;

const next = (cpu: CpuRegisters): void => {
  cpu.pc += 4n;
};

const readX = (cpu: CpuRegisters, n: number): bigint =>
  n === 31 ? 0n : cpu.view.getBigUint64(cpu.base + xreg(n), true);
const writeX = (cpu: CpuRegisters, n: number, v: bigint): void => {
  if (n !== 31) cpu.view.setBigUint64(cpu.base + xreg(n), BigInt.asUintN(64, v), true);
};

const svc: Handler = (cpu, f) => {
  takeException(cpu, { kind: 'sync', ec: ExceptionClass.Svc, iss: f.imm, returnAddress: cpu.pc + 4n });
  return true;
};

const hvc: Handler = (cpu, f, services) => {
  if (!services.hypervisorCall(cpu, f.imm!)) return false;
  next(cpu);
  return true;
};

const smc: Handler = (cpu, f, services) => {
  if (!services.secureMonitorCall(cpu, f.imm!)) return false;
  next(cpu);
  return true;
};

const eret: Handler = (cpu) => {
  exceptionReturn(cpu);
  return true;
};

const wfi: Handler = (cpu, _f, services) => {
  next(cpu);
  services.waitForInterrupt();
  return true;
};

/**
 * WFE and YIELD end the CPU's quantum, as QEMU's TCG treats both: a CPU waiting for a lock or a
 * flag lets the CPU that will release it run. Neither waits for an event (SEV is a no-op): WFE may
 * complete at any time, and a single CPU goes on at once.
 */
const yieldHint: Handler = (cpu, _f, services) => {
  next(cpu);
  services.yieldCpu();
  return true;
};

/**
 * An access EL0 may not make now (SCTLR_EL1's controls), trapped to EL1 with EC 0x18 and the
 * instruction's encoding as its syndrome (ARM ARM D17.2.37: Op0, Op2, Op1, CRn, Rt, CRm, the
 * direction, 1 for a read).
 */
function sysRegTrap(cpu: CpuRegisters, op0: number, f: Fields, rt: number, read: boolean): true {
  const iss =
    (op0 << 20) | (f.op2! << 17) | (f.op1! << 14) | (f.crn! << 10) | (rt << 5) | (f.crm! << 1) | Number(read);
  takeException(cpu, { kind: 'sync', ec: ExceptionClass.SysRegTrap, iss, returnAddress: cpu.pc });
  return true;
}

/** SCTLR_EL1.UMA: EL0 may write PSTATE.DAIF with MSR DAIFSet and DAIFClr too. */
const daifAtEl0 = (cpu: CpuRegisters): boolean => findSysReg(cpu, DAIF_KEY)!.el0!(cpu);
const DAIF_KEY = sysRegKey(3, 3, 4, 2, 1);

/** MSR DAIFSet/DAIFClr/SPSel, #imm (ARM ARM C5.2.5). At EL0 only DAIFSet and DAIFClr, if UMA allows. */
const msrImmediate: Handler = (cpu, f) => {
  const p = cpu.pstate;
  const field = (f.op1! << 3) | f.op2!;
  const daif = field === 0b011_110 || field === 0b011_111;
  if (p.el === 0 && !daif) return false;
  if (p.el === 0 && !daifAtEl0(cpu)) return sysRegTrap(cpu, 0, { ...f, crn: 4 }, 31, false);
  if (field === 0b011_110) p.daif |= f.crm! << 6;
  else if (field === 0b011_111) p.daif &= ~(f.crm! << 6);
  else if (field === 0b000_101) p.setLevel(p.el, f.crm! & 1);
  else return false;
  next(cpu);
  return true;
};

const keyOf = (f: Fields): number => sysRegKey(2 + f.o0!, f.op1!, f.crn!, f.crm!, f.op2!);

/**
 * The register an MRS (`read`) or MSR accesses at the current level: undefined if the access is
 * UNDEFINED there, 'trapped' if EL0 may not make it now (see SysRegDef.el0).
 */
function access(cpu: CpuRegisters, f: Fields, read: boolean): SysRegDef | 'trapped' | undefined {
  const def = findSysReg(cpu, keyOf(f));
  if (!def || !(read ? def.read : def.write)) return undefined;
  if (cpu.pstate.el > 0) return def;
  if (!def.el0) return undefined;
  return def.el0(cpu) ? def : 'trapped';
}

const mrs: Handler = (cpu, f) => {
  const def = access(cpu, f, true);
  if (def === 'trapped') return sysRegTrap(cpu, 2 + f.o0!, f, f.rt!, true);
  if (!def) return false;
  writeX(cpu, f.rt!, def.read!(cpu));
  next(cpu);
  return true;
};

const msr: Handler = (cpu, f) => {
  const def = access(cpu, f, false);
  if (def === 'trapped') return sysRegTrap(cpu, 2 + f.o0!, f, f.rt!, false);
  if (!def) return false;
  def.write!(cpu, readX(cpu, f.rt!));
  next(cpu);
  return true;
};

/**
 * DC ZVA at EL0 while SCTLR_EL1.DZE is clear (translated code makes it otherwise): trapped to EL1
 * with EC 0x18, as QEMU's aa64_zva_access. Any other SYS operation with op1 = 3 that comes here is
 * UNDEFINED.
 */
function dcZvaAtEl0(cpu: CpuRegisters, f: Fields): boolean {
  const zva = f.crn === 7 && f.crm === 4 && f.op2 === 1;
  return zva && cpu.pstate.el === 0 ? sysRegTrap(cpu, 1, f, f.rt!, false) : false;
}

/**
 * SYS: TLB maintenance, cache maintenance by set/way and DC IVAC (caches are not modelled),
 * IC IALLU(IS), AT.
 */
const sys: Handler = (cpu, f, services) => {
  const { op1, crn, crm, op2 } = f as Required<Fields>;
  const tlbi = crn === 8;
  const dcSetWay = op1 === 0 && crn === 7 && (crm === 6 || crm === 10 || crm === 14) && op2 === 2;
  const dcIvac = op1 === 0 && crn === 7 && crm === 6 && op2 === 1;
  const icAll = op1 === 0 && crn === 7 && (crm === 1 || crm === 5) && op2 === 0;
  const at = crn === 7 && crm === 8;
  if (op1 === 3) return dcZvaAtEl0(cpu, f);
  if (!(tlbi || dcSetWay || dcIvac || icAll || at)) return false;
  if (icAll) services.invalidateAllCode();
  if (tlbi) services.invalidateTlb(tlbiScope(cpu, f as Required<Fields>));
  // AT S1E1R (op2 0), S1E1W (1), S1E0R (2), S1E0W (3).
  if (at) cpu.sys.parEl1 = services.addressTranslate(readX(cpu, f.rt!), (op2 & 1) === 1, op2 >= 2 ? 0 : 1);
  next(cpu);
  return true;
};

/**
 * The scope of TLBI VMALLE1, VAE1, ASIDE1, VAAE1, VALE1, VAALE1 (op2 0, 1, 2, 3, 5, 7) and their IS
 * forms (CRm 3; one CPU here, so Inner Shareable is local): Xt[63:48] is the ASID, Xt[43:0]
 * VA[55:12], sign-extended from bit 55 so the upper range's addresses come out whole. Other TLB
 * operations (those of higher levels) forget everything.
 */
function tlbiScope(cpu: CpuRegisters, f: Required<Fields>): TlbScope {
  if (f.op1 !== 0 || (f.crm !== 3 && f.crm !== 7)) return { kind: 'all' };
  const xt = readX(cpu, f.rt);
  switch (f.op2) {
    case 1:
    case 3:
    case 5:
    case 7:
      return { kind: 'page', va: BigInt.asUintN(64, BigInt.asIntN(56, (xt & 0xfffffffffffn) << 12n)) };
    case 2:
      return { kind: 'asid', asid: Number(xt >> 48n) };
    default:
      return { kind: 'all' };
  }
}

const TABLE = new DecodeTable<Handler>(
  entries<Handler>([
    ['11010100 000 imm:16 000 01', 'SVC', svc],
    ['11010100 000 imm:16 000 10', 'HVC', hvc],
    ['11010100 000 imm:16 000 11', 'SMC', smc],
    ['11010110100 11111 000000 11111 00000', 'ERET', eret],
    ['1101010100 0 00 011 0010 0000 011 11111', 'WFI', wfi],
    ['1101010100 0 00 011 0010 0000 010 11111', 'WFE', yieldHint],
    ['1101010100 0 00 011 0010 0000 001 11111', 'YIELD', yieldHint],
    ['1101010100 0 00 op1:3 0100 crm:4 op2:3 11111', 'MSR (immediate)', msrImmediate],
    ['1101010100 0 01 op1:3 crn:4 crm:4 op2:3 rt:5', 'SYS', sys],
    ['1101010100 1 1 o0:1 op1:3 crn:4 crm:4 op2:3 rt:5', 'MRS', mrs],
    ['1101010100 0 1 o0:1 op1:3 crn:4 crm:4 op2:3 rt:5', 'MSR (register)', msr],
  ]),
  [25, 26, 27, 28],
);

/**
 * Carries out the trapped instruction `insn` at the CPU's pc. False when it is UNDEFINED here
 * (an unknown register, an SMC with no EL3): the caller raises the Undefined exception.
 */
export function executeSystemInsn(cpu: CpuRegisters, insn: number, services: SystemServices): boolean {
  for (const { handler, fields } of decoded(insn)) {
    if (handler(cpu, fields, services)) return true;
  }
  return false;
}

/** The rows matching an instruction word, with its fields for each, in priority order. */
type Decoded = readonly { handler: Handler; fields: Fields }[];

/**
 * Instruction words decoded before: a kernel traps on a few hundred distinct system instructions
 * millions of times, and decoding each trap anew was a tenth of a Linux boot. Emptied when full,
 * so that no guest grows it without bound.
 */
const DECODED = new Map<number, Decoded>();
const DECODED_MAX = 4096;

function decoded(insn: number): Decoded {
  // Keyed by the word as a signed 32-bit value: V8 keeps those as small integers, not heap numbers.
  const key = insn | 0;
  let known = DECODED.get(key);
  if (!known) {
    if (DECODED.size >= DECODED_MAX) DECODED.clear();
    known = [...TABLE.matches(insn)].map((e) => ({ handler: e.handler, fields: extractFields(e.pattern, insn) }));
    DECODED.set(key, known);
  }
  return known;
}
