/**
 * The HMP command table. Commands share their work with QMP through the Emulator and the
 * monitor's descriptor store, so both monitors behave alike.
 */
import { chardevSpecFromOptString } from '../../chardev/from-opts';
import type { CommandContext } from '../qmp/command';
import { saveMemory } from '../qmp/commands/memory-save';
import { findQmpCommand } from '../qmp/commands';
import { QmpError } from '../qmp/errors';
import type { HmpCommand } from './command';
import { INFO_COMMANDS, infoHelp, infoHelpLine } from './info';
import { HmpArgumentError, parseHmpArguments, type FormatDefaults, type HmpArgs } from './arguments';
import { memoryDump } from './memory-dump';
import { printValue } from './print';
import type { Completions } from './readline';

export const HMP_COMMANDS: HmpCommand[] = [
  {
    names: ['help', '?'],
    argsType: 'name:S?',
    args: '[cmd]',
    help: 'show the help',
    run: (_ctx, args) => hmpHelp(args.optionalString('name') ?? ''),
  },
  {
    names: ['info'],
    argsType: 'item:s?',
    args: '[subcommand]',
    help: 'show various information about the system state',
    run: () => infoHelp(),
  },
  {
    names: ['stop', 's'],
    argsType: '',
    args: '',
    help: 'stop emulation',
    run: async ({ emulator }) => (await emulator.stop(), ''),
  },
  {
    names: ['cont', 'c'],
    argsType: '',
    args: '',
    help: 'resume emulation',
    run: ({ emulator }) => (emulator.runState.contFromMonitor(), ''),
  },
  {
    names: ['system_reset'],
    argsType: '',
    args: '',
    help: 'reset the system',
    run: ({ emulator }) => (void emulator.reset('host-qmp-system-reset'), ''),
  },
  {
    names: ['system_powerdown'],
    argsType: '',
    args: '',
    help: 'send system power down event',
    run: ({ emulator }) => (void emulator.powerdown(), ''),
  },
  {
    names: ['x'],
    argsType: 'fmt:/,addr:l',
    args: '/fmt addr',
    help: "virtual memory dump starting at 'addr'",
    run: ({ emulator, cpu }, args) =>
      memoryDump(emulator.machine, args.format(), args.integer('addr'), true, cpu),
  },
  {
    names: ['xp'],
    argsType: 'fmt:/,addr:L',
    args: '/fmt addr',
    help: "physical memory dump starting at 'addr'",
    run: ({ emulator }, args) => memoryDump(emulator.machine, args.format(), args.integer('addr'), false),
  },
  {
    names: ['print', 'p'],
    argsType: 'fmt:/,val:l',
    args: '/fmt expr',
    help: 'print expression value (use $reg for CPU register access)',
    run: (_ctx, args) => printValue(args.format().format, args.integer('val')),
  },
  {
    names: ['cpu'],
    argsType: 'index:i',
    args: 'index',
    help: 'set the default CPU',
    run: (ctx, args) => {
      const index = Number(args.integer('index'));
      if (index < 0 || index >= ctx.emulator.machine.cpus().length) return 'invalid CPU index\n';
      ctx.cpu = index;
      return '';
    },
  },
  {
    names: ['memsave'],
    argsType: 'val:l,size:i,filename:s',
    args: 'addr size file',
    help: "save to disk virtual memory dump starting at 'addr' of size 'size'",
    run: (ctx, args) => memorySave(ctx, args, true),
  },
  {
    names: ['pmemsave'],
    argsType: 'val:l,size:i,filename:s',
    args: 'addr size file',
    help: "save to disk physical memory dump starting at 'addr' of size 'size'",
    run: (ctx, args) => memorySave(ctx, args, false),
  },
  {
    names: ['screendump'],
    argsType: 'filename:F,format:-fs,device:s?,head:i?',
    args: 'filename [-f format] [device [head]]',
    help: "save screen from head 'head' of display device 'device'in specified format 'format' as image 'filename'.Currently only 'png' and 'ppm' formats are supported.",
    run: async (ctx, args) => {
      await findQmpCommand('screendump')!.run(ctx, { filename: args.string('filename') });
      return '';
    },
  },
  {
    names: ['gva2gpa'],
    argsType: 'addr:l',
    args: 'addr',
    help: 'print the guest physical address corresponding to a guest virtual address',
    run: ({ emulator, cpu }, args) => {
      const { machine } = emulator;
      if (!machine.translateAddress || machine.cpus().length === 0) return 'No cpu\n';
      const gpa = machine.translateAddress(BigInt.asUintN(64, args.integer('addr')), cpu);
      return gpa === undefined ? 'Unmapped\n' : `gpa: ${gpa === 0n ? '0' : `0x${gpa.toString(16)}`}\n`;
    },
  },
  {
    names: ['quit', 'q'],
    argsType: '',
    args: '',
    help: 'quit the emulator',
    run: ({ emulator }) => (void emulator.quit('host-qmp-quit'), ''),
  },
  {
    names: ['getfd'],
    argsType: 'fdname:s',
    args: 'getfd name',
    help: 'receive a file descriptor via SCM rights and assign it a name',
    run: (ctx, args) => {
      const fd = ctx.takeReceivedFd();
      if (fd === undefined) throw QmpError.generic('No file descriptor supplied via SCM_RIGHTS');
      ctx.fds.put(args.string('fdname'), fd);
      return '';
    },
  },
  {
    names: ['closefd'],
    argsType: 'fdname:s',
    args: 'closefd name',
    help: 'close a file descriptor previously passed via SCM rights',
    run: (ctx, args) => (ctx.fds.close(args.string('fdname')), ''),
  },
  {
    names: ['chardev-add'],
    argsType: 'args:s',
    args: 'args',
    help: 'add chardev',
    run: async ({ emulator, fds }, args) => {
      const spec = chardevSpecFromOptString(args.string('args'));
      // Waiting for a client inside a monitor command would block that monitor.
      if (spec.backend.type === 'socket') spec.backend.wait = false;
      await emulator.addChardev(spec, fds);
      return '';
    },
  },
  {
    names: ['chardev-remove'],
    argsType: 'id:s',
    args: 'id',
    help: 'remove chardev',
    run: async ({ emulator }, args) => (await emulator.chardevs.remove(args.string('id')), ''),
  },
];

function memorySave(ctx: CommandContext, args: HmpArgs, virtual: boolean): string {
  const [address, size] = [args.integer('val'), Number(args.integer('size'))];
  saveMemory(ctx, { address, size, filename: args.string('filename'), virtual, cpu: ctx.cpu ?? 0 });
  return '';
}

const helpLine = (c: HmpCommand): string => `${c.names.join('|')} ${c.args} -- ${c.help}\n`;

/** `help` (every command, sorted by name as QEMU lists them), `help CMD`, `help info [SUB]`. */
function hmpHelp(arg: string): string {
  if (arg === '')
    return [...HMP_COMMANDS]
      .sort((a, b) => (a.names[0]! < b.names[0]! ? -1 : 1))
      .map(helpLine)
      .join('');
  const [name, sub] = arg.split(/\s+/);
  const command = HMP_COMMANDS.find((c) => c.names.includes(name!));
  if (!command) return `unknown command: '${name}'\n`;
  if (command.names[0] !== 'info') return helpLine(command);
  if (sub === undefined) return infoHelp();
  const info = INFO_COMMANDS.find((c) => c.name === sub);
  return info ? infoHelpLine(info) : `unknown command: 'info ${sub}'\n`;
}

/** QEMU's get_command_name: a command's name ends at a space or a `/` (`xp/4x ADDR`). */
const commandName = (text: string): string => /^[^\s/]*/.exec(text)![0];

/** The format and size HMP remembers, per emulator (QEMU: per process). */
const formatDefaults = new WeakMap<object, FormatDefaults>();

/** QEMU's ARM targets name no registers for `$NAME` in expressions (`p $pc` is "unknown register"), nor does tsemu. */
const noRegisters = (): undefined => undefined;

/** Runs one HMP command line; the result is the text the monitor prints (errors included). */
export async function runHmpLine(ctx: Parameters<HmpCommand['run']>[0], line: string): Promise<string> {
  const start = line.search(/\S|$/);
  const name = commandName(line.slice(start));
  if (name === '') return '';
  let end = start + name.length;
  const command = HMP_COMMANDS.find((c) => c.names.includes(name));
  if (!command) return `unknown command: '${name}'\n`;
  let runnable: Runnable = { name: command.names.join('|'), argsType: command.argsType, run: command.run };
  if (command.names[0] === 'info') {
    const subStart = end + line.slice(end).search(/\S|$/);
    const subName = commandName(line.slice(subStart));
    if (subName !== '') {
      end = subStart + subName.length;
      const sub = INFO_COMMANDS.find((c) => c.name === subName);
      if (!sub) return `unknown command: '${line.slice(start, end)}'\n`;
      runnable = { name: sub.name, argsType: sub.argsType ?? '', run: (c, a) => sub.run(c, a) };
    }
  }
  let defaults = formatDefaults.get(ctx.emulator);
  if (!defaults) formatDefaults.set(ctx.emulator, (defaults = { format: 'x', size: 4 }));
  let args: HmpArgs;
  try {
    args = parseHmpArguments(runnable.argsType, runnable.name, line.slice(end), defaults, noRegisters);
  } catch (e) {
    if (!(e instanceof HmpArgumentError)) throw e;
    return `${e.message}\nTry "help ${line.slice(start, end)}" for more information\n`;
  }
  try {
    return await runnable.run(ctx, args);
  } catch (e) {
    return `Error: ${QmpError.from(e).message}\n`;
  }
}

interface Runnable {
  name: string;
  argsType: string;
  run: HmpCommand['run'];
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
