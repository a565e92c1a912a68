/**
 * `-accel tcg[,thread=single|multi][,tb-size=N][,split-wx=on|off]`: the accelerator, with QEMU 7.2's
 * rules (vl.c configure_accelerators, accel/tcg/tcg-all.c): the -accel options are tried in order
 * and the first that works is used ("falling back to tcg" after one that did not); only tcg exists;
 * a bad property value ends the start. `-accel help` (or no accelerator named) lists them.
 *
 * `thread` is QEMU's choice between its round-robin TCG (single) and MTTCG (multi, vCPUs on host
 * threads). tsemu runs each vCPU on a worker thread of its own with multi (docs/smp.md). `tb-size` (the translation cache's size) and `split-wx` (a host
 * mapping detail) are checked and have no effect.
 */
import { fromOption, OptsError, parseBool, parseQemuOpts } from './qemu-opts';
import { commandLineWarning } from './warnings';

/** What `-accel help` prints. */
export const ACCEL_HELP = 'Accelerators supported in QEMU binary:\ntcg\n';

const ACCELERATOR = 'tcg';

/** QEMU's TCG threading: round-robin on one host thread, or a host thread per vCPU. */
export type TcgThreads = 'single' | 'multi';

/** The tcg accelerator's properties; a bare one is `on` (QEMU's deprecated short form). */
const TCG_PROPERTIES = new Set(['thread', 'tb-size', 'split-wx']);

/**
 * The option's items, the accelerator under the key `accel`: an empty first item names the
 * accelerator '' (QEMU's implied key), where an empty option names none.
 */
function accelOpts(text: string): Map<string, string> {
  const opts = parseQemuOpts(text, 'accel', TCG_PROPERTIES);
  if (text.startsWith(',') && !opts.has('accel')) opts.set('accel', '');
  return opts;
}

/** Whether an -accel option asks for the list of accelerators (QEMU answers this while parsing argv). */
export function isAccelHelp(text: string): boolean {
  const accel = fromOption(`-accel ${text}`, () => accelOpts(text)).get('accel');
  return accel === undefined || accel === 'help' || accel === '?';
}

/** Checks one property of the tcg accelerator, refusing as QEMU's property setters do. */
function checkTcgProperty(key: string, value: string): void {
  switch (key) {
    case 'thread':
      if (value !== 'single' && value !== 'multi') throw new OptsError(`Invalid 'thread' setting ${value}`);
      return;
    case 'tb-size':
      // QEMU reads an unsigned 64-bit number (decimal, or hex with 0x; a negative one wraps), then
      // refuses what does not fit 32 bits.
      if (!/^(-?\d+|0x[0-9a-f]+)$/i.test(value)) throw new OptsError(`Parameter 'tb-size' expects uint64`);
      if (Number(value) < 0 || Number(value) > 0xffffffff)
        throw new OptsError(`Parameter 'tb-size' expects uint32_t`);
      return;
    case 'split-wx':
      parseBool('split-wx', value);
      return;
    default:
      throw new OptsError(`Property 'tcg-accel.${key}' not found`);
  }
}

/** The accelerator the -accel options choose: its threading. */
export interface TcgChoice {
  threads: TcgThreads;
}

/**
 * Checks the -accel options (`-machine accel=` is checked with the machine; `machineAccel` says
 * whether it was given) and returns the tcg accelerator's threading. Refusals are OptsErrors
 * naming their option; an unknown accelerator followed by tcg is reported on stderr and the start
 * goes on, as in QEMU.
 */
export function checkAccelerators(texts: readonly string[], machineAccel: boolean): TcgChoice {
  if (texts.length === 0) return { threads: 'single' };
  if (machineAccel) throw new OptsError('The -accel and "-machine accel=" options are incompatible');
  // A failure is reported when the next option is tried; the last one is the refusal itself.
  let pending: string | undefined;
  let failed = false;
  for (const text of texts) {
    const source = `-accel ${text}`;
    const opts = fromOption(source, () => accelOpts(text));
    const accel = opts.get('accel') ?? '';
    if (pending !== undefined) commandLineWarning(`tsemu-system: ${pending}\n`);
    pending = undefined;
    if (accel !== ACCELERATOR) {
      pending = `${source}: invalid accelerator ${accel}`;
      failed = true;
      continue;
    }
    for (const [key, value] of opts) if (key !== 'accel') fromOption(source, () => checkTcgProperty(key, value));
    if (failed) commandLineWarning(`tsemu-system: falling back to ${ACCELERATOR}\n`);
    return { threads: opts.get('thread') === 'multi' ? 'multi' : 'single' };
  }
  throw new OptsError(pending ?? 'no accelerator found');
}

/**
 * `-machine accel=A:B:...`: the first accelerator that works is used, as in QEMU; tcg is the only
 * one here (kvm, xen, hvf... are QEMU's "invalid accelerator" on this host, as for
 * qemu-system-aarch64 on x86, without the option's text). Each one before tcg is reported and tcg
 * is announced as the fallback (libvirt probes with `accel=kvm:tcg`); without tcg the start is
 * refused.
 */
export function checkMachineAccelerators(list: string): void {
  const names = list.split(':');
  const tcg = names.indexOf(ACCELERATOR);
  const report = (name: string): void => commandLineWarning(`tsemu-system: invalid accelerator ${name}\n`);
  if (tcg < 0) {
    names.slice(0, -1).forEach(report);
    throw new OptsError(`invalid accelerator ${names[names.length - 1]}`);
  }
  names.slice(0, tcg).forEach(report);
  if (tcg > 0) commandLineWarning(`tsemu-system: falling back to ${ACCELERATOR}\n`);
}
