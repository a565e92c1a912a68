/**
 * The HMP command table. Commands share their work with QMP through the Emulator and the
 * monitor's descriptor store, so both monitors behave alike.
 */
import { chardevSpecFromOptString } from '../../chardev/from-opts';
import { QmpError } from '../qmp/errors';
import type { HmpCommand } from './command';
import { INFO_COMMANDS, infoHelp, infoHelpLine } from './info';
import { memoryDump } from './memory-dump';
import type { Completions } from './readline';

function needArg(arg: string, name: string): string {
  if (arg === '') throw QmpError.generic(`Parameter '${name}' is missing`);
  return arg;
}

export const HMP_COMMANDS: HmpCommand[] = [
  { names: ['help', '?'], args: '[cmd]', help: 'show the help', run: (_ctx, arg) => hmpHelp(arg) },
  {
    names: ['info'],
    args: '[subcommand]',
    help: 'show various information about the system state',
    run: (ctx, arg) => {
      if (arg === '') return infoHelp();
      const name = arg.split(/\s+/)[0]!;
      const sub = INFO_COMMANDS.find((c) => c.name === name);
      if (!sub) return `unknown command: 'info ${name}'\n`;
      return sub.run(ctx);
    },
  },
  { names: ['stop', 's'], args: '', help: 'stop emulation', run: ({ emulator }) => (emulator.runState.stop(), '') },
  { names: ['cont', 'c'], args: '', help: 'resume emulation', run: ({ emulator }) => (emulator.runState.contFromMonitor(), '') },
  { names: ['system_reset'], args: '', help: 'reset the system', run: ({ emulator }) => (void emulator.reset('host-qmp-system-reset'), '') },
  { names: ['system_powerdown'], args: '', help: 'send system power down event', run: ({ emulator }) => (void emulator.powerdown(), '') },
  { names: ['x'], args: '/fmt addr', help: 'virtual memory dump starting at \'addr\'', run: ({ emulator, cpu }, arg) => memoryDump(emulator.machine, arg, true, cpu) },
  { names: ['xp'], args: '/fmt addr', help: 'physical memory dump starting at \'addr\'', run: ({ emulator }, arg) => memoryDump(emulator.machine, arg, false) },
  {
    names: ['cpu'],
    args: 'index',
    help: 'set the default CPU',
    run: (ctx, arg) => {
      const index = Number(needArg(arg, 'index'));
      if (!Number.isInteger(index) || index < 0 || index >= ctx.emulator.machine.cpus().length) return 'invalid CPU index\n';
      ctx.cpu = index;
      return '';
    },
  },
  { names: ['quit', 'q'], args: '', help: 'quit the emulator', run: ({ emulator }) => (void emulator.quit('host-qmp-quit'), '') },
  {
    names: ['getfd'],
    args: 'getfd name',
    help: 'receive a file descriptor via SCM rights and assign it a name',
    run: (ctx, arg) => {
      const name = needArg(arg, 'fdname');
      const fd = ctx.takeReceivedFd();
      if (fd === undefined) throw QmpError.generic('No file descriptor supplied via SCM_RIGHTS');
      ctx.fds.put(name, fd);
      return '';
    },
  },
  {
    names: ['closefd'],
    args: 'closefd name',
    help: 'close a file descriptor previously passed via SCM rights',
    run: (ctx, arg) => (ctx.fds.close(needArg(arg, 'fdname')), ''),
  },
  {
    names: ['chardev-add'],
    args: 'args',
    help: 'add chardev',
    run: async ({ emulator, fds }, arg) => {
      const spec = chardevSpecFromOptString(needArg(arg, 'args'));
      // Waiting for a client inside a monitor command would block that monitor.
      if (spec.backend.type === 'socket') spec.backend.wait = false;
      await emulator.addChardev(spec, fds);
      return '';
    },
  },
  {
    names: ['chardev-remove'],
    args: 'id',
    help: 'remove chardev',
    run: async ({ emulator }, arg) => (await emulator.chardevs.remove(needArg(arg, 'id')), ''),
  },
];

const helpLine = (c: HmpCommand): string => `${c.names.join('|')} ${c.args} -- ${c.help}\n`;

/** `help` (every command, sorted by name as QEMU lists them), `help CMD`, `help info [SUB]`. */
function hmpHelp(arg: string): string {
  if (arg === '') return [...HMP_COMMANDS].sort((a, b) => (a.names[0]! < b.names[0]! ? -1 : 1)).map(helpLine).join('');
  const [name, sub] = arg.split(/\s+/);
  const command = HMP_COMMANDS.find((c) => c.names.includes(name!));
  if (!command) return `unknown command: '${name}'\n`;
  if (command.names[0] !== 'info') return helpLine(command);
  if (sub === undefined) return infoHelp();
  const info = INFO_COMMANDS.find((c) => c.name === sub);
  return info ? infoHelpLine(info) : `unknown command: 'info ${sub}'\n`;
}

/** Runs one HMP command line; the result is the text the monitor prints (errors included). */
export async function runHmpLine(ctx: Parameters<HmpCommand['run']>[0], line: string): Promise<string> {
  const trimmed = line.trim();
  if (trimmed === '') return '';
  const space = trimmed.search(/\s/);
  const name = space < 0 ? trimmed : trimmed.slice(0, space);
  const arg = space < 0 ? '' : trimmed.slice(space).trim();
  const command = HMP_COMMANDS.find((c) => c.names.includes(name));
  if (!command) return `unknown command: '${name}'\n`;
  try {
    return await command.run(ctx, arg);
  } catch (e) {
    return `Error: ${QmpError.from(e).message}\n`;
  }
}

/**
 * Tab completion as QEMU's monitor does it: the first word completes to command names (each alias
 * on its own), `info`'s argument to its subcommands, `help`'s arguments as a command line of their own.
 */
export function completeHmpLine(lineBeforeCursor: string): Completions {
  const words = lineBeforeCursor.split(/\s+/).filter(Boolean);
  if (/\s$/.test(lineBeforeCursor) || words.length === 0) words.push('');
  return completeWords(words);
}

function completeWords(words: string[]): Completions {
  const last = words[words.length - 1]!;
  const matching = (names: string[]): Completions => ({
    candidates: names.filter((n) => n.startsWith(last)),
    wordLength: last.length,
  });
  if (words.length === 1) return matching(HMP_COMMANDS.flatMap((c) => c.names));
  const command = HMP_COMMANDS.find((c) => c.names.includes(words[0]!));
  if (command?.names[0] === 'info' && words.length === 2) return matching(INFO_COMMANDS.map((c) => c.name));
  if (command?.names[0] === 'help') return completeWords(words.slice(1));
  return { candidates: [], wordLength: last.length };
}
