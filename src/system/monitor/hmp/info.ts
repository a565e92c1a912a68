/**
 * `info` subcommands, in QEMU's wording. As QEMU's HMP does, those reporting what a QMP query
 * reports run that query (so both monitors answer alike, errors included).
 */
import { versionText } from '../../version';
import type { CommandContext } from '../qmp/command';
import { findQmpCommand } from '../qmp/commands';

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
  run(ctx: CommandContext): string | Promise<string>;
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
    help: 'show the cpu registers',
    run: ({ emulator, cpu }) => emulator.machine.registersText?.(cpu ?? 0) ?? 'No CPU available\n',
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
  {
    name: 'mice',
    help: 'show which guest mouse is receiving events',
    run: async (ctx) =>
      (await query<unknown[]>(ctx, 'query-mice')).length === 0 ? 'No mouse devices connected\n' : '',
  },
];

/** QEMU's help line for one `info` subcommand (none of these take parameters, hence two spaces). */
export function infoHelpLine(c: InfoCommand): string {
  return `info ${c.name}  -- ${c.help}\n`;
}

/** `info` alone and `help info`: every subcommand, sorted by name as QEMU lists them. */
export function infoHelp(): string {
  return [...INFO_COMMANDS]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map(infoHelpLine)
    .join('');
}
