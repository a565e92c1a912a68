/**
 * The GICv3 CPU interface as the CPU sees it: the ICC_*_EL1 system registers (ARM IHI 0069 12.2,
 * encodings from its table 12-1), which the board adds to its CPU's register table. System register
 * access is always on (ICC_SRE_EL1 reads 0x7: SRE, DFB, DIB, none writable, as with no EL2/EL3).
 * ICC_CTLR_EL1 reports QEMU's A3V, 24-bit INTIDs (IDbits 1) and 5 priority bits, so only
 * ICC_AP0R0/AP1R0 exist. The values of a Cortex-A57's interface under QEMU, register by register.
 */
import { sysRegKey } from '../../translate/aarch64/insns/cpu-id';
import type { SysRegDef } from '../cpu/sysregs';
import {
  ICC_CTLR_CBPR,
  ICC_CTLR_EOIMODE,
  MIN_BPR0,
  PRIORITY_MASK,
  type Gicv3State,
  type Group,
} from './gicv3';

const SRE_READ = 0x7n;
/** ICC_CTLR_EL1's read-only part: A3V (bit 15), IDbits 1 (bits 13:11), PRIbits 4 (bits 10:8). */
const CTLR_FIXED = (1 << 15) | (1 << 11) | (4 << 8);

/** ICC_n_EL1 at op0 3, op1 0, CRn 12 (ICC_PMR_EL1 is the one at CRn 4). */
const icc = (crm: number, op2: number): number => sysRegKey(3, 0, 12, crm, op2);
const ICC_PMR_EL1 = sysRegKey(3, 0, 4, 6, 0);

/** An INTID written to EOIR/DIR: bits 23:0. */
const intid = (value: bigint): number => Number(value & 0xffffffn);

type Read = () => number | bigint;
type Write = (value: bigint) => void;

/**
 * The ICC registers of CPU `cpu` over `gic`'s state, by encoding; `sync` runs before each access
 * (the board samples the timers' outputs onto their PPIs there, so an acknowledge sees their
 * current level).
 */
export function gicv3CpuInterfaceRegisters(
  gic: Gicv3State,
  cpu: number,
  sync: () => void,
): ReadonlyMap<number, SysRegDef> {
  const c = gic.cpus[cpu]!;
  const writer = (write: Write): SysRegDef['write'] => (_cpu, value) => {
    sync();
    write(value);
    gic.changed();
  };
  const reg = (name: string, read: Read, write?: Write): SysRegDef => ({
    name,
    read: () => (sync(), BigInt(read())),
    ...(write && { write: writer(write) }),
  });
  /** EOIR, DIR and the SGI generators: reading them is UNDEFINED. */
  const writeOnly = (name: string, write: Write): SysRegDef => ({ name, write: writer(write) });

  /** With ICC_CTLR_EL1.CBPR, BPR1 reads as BPR0 + 1 and ignores writes. */
  const bpr = (group: Group): SysRegDef => {
    const shared = (): boolean => group === 1 && (c.control & ICC_CTLR_CBPR) !== 0;
    return reg(
      `ICC_BPR${group}_EL1`,
      () => (shared() ? Math.min(c.bpr[0]! + 1, 7) : c.bpr[group]!),
      (v) => {
        if (!shared()) c.bpr[group] = Math.max(Number(v & 7n), MIN_BPR0 + group);
      },
    );
  };

  /** The registers of one interrupt group: ICC_IARn, EOIRn, HPPIRn, BPRn, IGRPENn, APnR0. */
  const groupRegisters = (group: Group, crm: number, apKey: number): [number, SysRegDef][] => [
    [icc(crm, 0), reg(`ICC_IAR${group}_EL1`, () => gic.acknowledge(cpu, group))],
    [icc(crm, 1), writeOnly(`ICC_EOIR${group}_EL1`, (v) => gic.endOfInterrupt(cpu, group, intid(v)))],
    [icc(crm, 2), reg(`ICC_HPPIR${group}_EL1`, () => gic.highestPending(cpu, group))],
    [icc(crm, 3), bpr(group)],
    [
      icc(12, 6 + group),
      reg(
        `ICC_IGRPEN${group}_EL1`,
        () => Number(c.groupEnabled[group]),
        (v) => void (c.groupEnabled[group] = (v & 1n) === 1n),
      ),
    ],
    [
      apKey,
      reg(
        `ICC_AP${group}R0_EL1`,
        () => c.activePriorities[group]!,
        (v) => void (c.activePriorities[group] = Number(v & 0xffffffffn)),
      ),
    ],
  ];

  return new Map<number, SysRegDef>([
    [
      ICC_PMR_EL1,
      reg('ICC_PMR_EL1', () => c.pmr, (v) => void (c.pmr = Number(v & 0xffn) & PRIORITY_MASK)),
    ],
    ...groupRegisters(0, 8, icc(8, 4)),
    ...groupRegisters(1, 12, icc(9, 0)),
    [icc(11, 1), writeOnly('ICC_DIR_EL1', (v) => gic.deactivate(cpu, intid(v)))],
    [icc(11, 3), reg('ICC_RPR_EL1', () => gic.runningPriority(cpu))],
    [icc(11, 5), writeOnly('ICC_SGI1R_EL1', (v) => gic.sendSgi(cpu, v, 1))],
    [icc(11, 6), writeOnly('ICC_ASGI1R_EL1', (v) => gic.sendSgi(cpu, v, 0))],
    [icc(11, 7), writeOnly('ICC_SGI0R_EL1', (v) => gic.sendSgi(cpu, v, 0))],
    [
      icc(12, 4),
      reg(
        'ICC_CTLR_EL1',
        () => CTLR_FIXED | c.control,
        (v) => void (c.control = Number(v & 0xffn) & (ICC_CTLR_CBPR | ICC_CTLR_EOIMODE)),
      ),
    ],
    [icc(12, 5), reg('ICC_SRE_EL1', () => SRE_READ, () => undefined)],
  ]);
}
