/**
 * `info` subcommands, in QEMU's wording. As QEMU's HMP does, those reporting what a QMP query
 * reports run that query (so both monitors answer alike, errors included).
 */
import { versionText } from '../../version';
import type { CommandContext } from '../qmp/command';
import { findQmpCommand } from '../qmp/commands';
import type { HmpArgs } from './arguments';

/** The `return` value of the QMP command `name` (without arguments); its error propagates. */
async function query<T>(ctx: CommandContext, name: string): Promise<T> {
  return (await findQmpCommand(name)!.run(ctx, {})) as T;
}

interface MemdevInfo {
  id?: string;
  size: number;
  merge: boolean;
  dump: boolean;
  prealloc: boolean;
  share: boolean;
  reserve?: boolean;
  'host-nodes': number[];
  policy: string;
}

/** hmp_info_memdev's paragraph for one backend. */
function memdevText(m: MemdevInfo): string {
  const lines = [
    `memory backend: ${m.id ?? ''}`,
    `  size:  ${m.size}`,
    `  merge: ${m.merge}`,
    `  dump: ${m.dump}`,
    `  prealloc: ${m.prealloc}`,
    `  share: ${m.share}`,
    ...(m.reserve === undefined ? [] : [`  reserve: ${m.reserve}`]),
    `  policy: ${m.policy}`,
    `  host nodes: ${m['host-nodes'].join(',')}`,
  ];
  return `${lines.join('\n')}\n\n`;
}

export interface InfoCommand {
  name: string;
  help: string;
  /** QEMU's args_type and the synopsis `help` shows (none when absent). */
  argsType?: string;
  params?: string;
  run(ctx: CommandContext, args: HmpArgs): string | Promise<string>;
}

export const INFO_COMMANDS: InfoCommand[] = [
  {
    name: 'status',
    help: 'show the current VM status (running|paused)',
    run: ({ emulator }) => {
      const s = emulator.runState.status;
      return `VM status: ${s === 'running' ? 'running' : s === 'paused' ? 'paused' : `paused (${s})`}\n`;
    },
  },
  {
    name: 'chardev',
    help: 'show the character devices',
    run: ({ emulator }) =>
      emulator
        .chardevInfo()
        .map((c) => `${c.label}: filename=${c.filename}\n`)
        .join(''),
  },
  { name: 'version', help: 'show the version of QEMU', run: () => `${versionText()}\n` },
  {
    name: 'registers',
    argsType: 'cpustate_all:-a,vcpu:i?',
    params: '[-a|vcpu]',
    help: "show the cpu registers (-a: show register info for all cpus; vcpu: specific vCPU to query; show the current CPU's registers if no argument is specified)",
    run: ({ emulator, cpu }, args) => {
      const { machine } = emulator;
      const count = machine.cpus().length;
      if (!machine.registersText || count === 0) return 'No CPU available\n';
      if (args.flag('cpustate_all'))
        return Array.from({ length: count }, (_, i) => machine.registersText!(i)).join('');
      const vcpu = args.optionalInteger('vcpu');
      if (vcpu !== undefined && (vcpu < 0n || vcpu >= BigInt(count))) return `CPU#${vcpu} not available\n`;
      return machine.registersText(vcpu === undefined ? (cpu ?? 0) : Number(vcpu));
    },
  },
  {
    name: 'cpus',
    help: 'show infos for each CPU',
    run: ({ emulator, cpu }) =>
      emulator.machine
        .cpus()
        .map(
          (c) =>
            `${c['cpu-index'] === (cpu ?? 0) ? '*' : ' '} CPU #${c['cpu-index']}: thread_id=${c['thread-id']}\n`,
        )
        .join(''),
  },
  {
    name: 'name',
    help: 'show the current VM name',
    run: async (ctx) => {
      const { name } = await query<{ name?: string }>(ctx, 'query-name');
      return name === undefined ? '' : `${name}\n`;
    },
  },
  {
    name: 'uuid',
    help: 'show the current VM UUID',
    run: async (ctx) => `${(await query<{ UUID: string }>(ctx, 'query-uuid')).UUID}\n`,
  },
  {
    name: 'kvm',
    help: 'show KVM information',
    run: async (ctx) => {
      const { present, enabled } = await query<{ present: boolean; enabled: boolean }>(ctx, 'query-kvm');
      return `kvm support: ${present ? (enabled ? 'enabled' : 'disabled') : 'not compiled'}\n`;
    },
  },
  {
    name: 'balloon',
    help: 'show balloon information',
    run: async (ctx) =>
      `balloon: actual=${Math.floor((await query<{ actual: number }>(ctx, 'query-balloon')).actual / 2 ** 20)}\n`,
  },
  {
    name: 'memdev',
    help: 'show memory backends',
    run: async (ctx) => (await query<MemdevInfo[]>(ctx, 'query-memdev')).map(memdevText).join(''),
  },
  // tsemu's machines have no memory devices or iothreads and plug no CPUs: these print nothing (or the query's error).
  {
    name: 'memory-devices',
    help: 'show memory devices',
    run: async (ctx) => (await query<unknown[]>(ctx, 'query-memory-devices'), ''),
  },
  {
    name: 'iothreads',
    help: 'show iothreads',
    run: async (ctx) => (await query<unknown[]>(ctx, 'query-iothreads'), ''),
  },
  {
    name: 'hotpluggable-cpus',
    help: 'Show information about hotpluggable CPUs',
    run: async (ctx) => (await query<unknown[]>(ctx, 'query-hotpluggable-cpus'), ''),
  },
  // tsemu has no network devices, NUMA nodes, or interrupt controller that reports statistics or
  // state here (QEMU's GICs report neither either): what QEMU prints for a virt machine without them.
  { name: 'network', help: 'show the network state', run: () => '' },
  { name: 'numa', help: 'show NUMA information', run: () => '0 nodes\n' },
  { name: 'irq', help: 'show the interrupts statistics (if available)', run: () => '' },
  { name: 'pic', help: 'show PIC state', run: () => '' },
  {
    name: 'mice',
    help: 'show which guest mouse is receiving events',
    run: async (ctx) =>
      (await query<unknown[]>(ctx, 'query-mice')).length === 0 ? 'No mouse devices connected\n' : '',
  },
];

/** QEMU's help line for one `info` subcommand (two spaces where it takes no parameters). */
export function infoHelpLine(c: InfoCommand): string {
  return `info ${c.name} ${c.params ?? ''} -- ${c.help}\n`;
}

/** `info` alone and `help info`: every subcommand, sorted by name as QEMU lists them. */
export function infoHelp(): string {
  return [...INFO_COMMANDS]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(infoHelpLine)
    .join('');
}
