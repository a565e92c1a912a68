/** `info` subcommands: status, chardev, version, cpus, machines? (QEMU's wording of each). */
import { versionText } from '../../version';
import type { CommandContext } from '../qmp/command';

export interface InfoCommand {
  name: string;
  help: string;
  run(ctx: CommandContext): string;
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
      emulator
        .machine.cpus()
        .map((c) => `${c['cpu-index'] === (cpu ?? 0) ? '*' : ' '} CPU #${c['cpu-index']}: thread_id=${c['thread-id']}\n`)
        .join(''),
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
