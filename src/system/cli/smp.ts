/**
 * `-smp [cpus=]N[,maxcpus=M][,sockets=S][,dies=D][,clusters=C][,cores=K][,threads=T]`: the CPU
 * topology, completed and checked with QEMU 7.2's rules (machine_parse_smp_config): omitted values
 * are derived preferring cores over sockets, the hierarchy's product must equal maxcpus, maxcpus
 * must cover cpus and stay within the machine's limit. Several -smp options merge, later keys
 * winning. Messages are QEMU's.
 */
import type { MachineClass, SmpTopology } from '../machine/machine';
import { OptsError, parseQemuOpts } from './qemu-opts';
import { commandLineWarning } from './warnings';

/** The keys -smp takes. */
export const SMP_KEYS = ['cpus', 'maxcpus', 'sockets', 'dies', 'clusters', 'cores', 'threads'] as const;
type Key = (typeof SMP_KEYS)[number];

/** An -smp value: QEMU reads a negative number as its unsigned 32-bit wrap. */
function count(key: Key, text: string): number {
  if (!/^-?\d+$/.test(text)) throw new OptsError(`Parameter 'smp.${key}' expects integer`);
  return Number(text) >>> 0;
}

/** The topology `-smp` asks of `machine` (one CPU when there is no -smp), or a refusal in QEMU's words. */
export function smpTopologyFrom(texts: readonly string[], machine: MachineClass): SmpTopology {
  const given = new Map<Key, number>();
  for (const text of texts) {
    for (const [key, value] of parseQemuOpts(text, 'cpus')) {
      if (!(SMP_KEYS as readonly string[]).includes(key)) throw new OptsError(`Parameter 'smp.${key}' is unexpected`);
      given.set(key as Key, count(key as Key, value));
    }
  }
  if ([...given.values()].includes(0)) {
    commandLineWarning(
      'tsemu-system: warning: Deprecated CPU topology (considered invalid): CPU topology parameters must be greater than zero\n',
    );
  }
  const clustersSupported = machine.smpClusters ?? false;
  if ((given.get('dies') ?? 0) > 1) throw new OptsError("dies not supported by this machine's CPU topology");
  if (!clustersSupported && (given.get('clusters') ?? 0) > 1)
    throw new OptsError("clusters not supported by this machine's CPU topology");
  let cpus = given.get('cpus') ?? 0;
  let maxcpus = given.get('maxcpus') ?? 0;
  let sockets = given.get('sockets') ?? 0;
  let cores = given.get('cores') ?? 0;
  let threads = given.get('threads') ?? 0;
  const clusters = given.get('clusters') || 1;
  const div = (a: number, b: number): number => (b === 0 ? 0 : Math.floor(a / b));
  if (cpus === 0 && maxcpus === 0) {
    sockets ||= 1;
    cores ||= 1;
    threads ||= 1;
  } else {
    maxcpus ||= cpus;
    if (cores === 0) {
      sockets ||= 1;
      threads ||= 1;
      cores = div(maxcpus, sockets * clusters * threads);
    } else if (sockets === 0) {
      threads ||= 1;
      sockets = div(maxcpus, clusters * cores * threads);
    }
    threads ||= div(maxcpus, sockets * clusters * cores);
  }
  const product = sockets * clusters * cores * threads;
  maxcpus ||= product;
  cpus ||= maxcpus;
  const hierarchy =
    `sockets (${sockets})${clustersSupported ? ` * clusters (${clusters})` : ''}` +
    ` * cores (${cores}) * threads (${threads})`;
  if (product !== maxcpus)
    throw new OptsError(
      `Invalid CPU topology: product of the hierarchy must match maxcpus: ${hierarchy} != maxcpus (${maxcpus})`,
    );
  if (maxcpus < cpus)
    throw new OptsError(
      `Invalid CPU topology: maxcpus must be equal to or greater than smp: ${hierarchy} == maxcpus (${maxcpus}) < smp_cpus (${cpus})`,
    );
  if (maxcpus > machine.cpuMax)
    throw new OptsError(
      `Invalid SMP CPUs ${maxcpus | 0}. The max CPUs supported by machine '${machine.qemuName ?? machine.name}' is ${machine.cpuMax}`,
    );
  return { cpus, maxcpus, sockets, clusters, cores, threads };
}
