/**
 * Command line of the user-mode binaries (`tsemu-<arch> [options] program [args...]`), with
 * qemu-user's options and its environment variables spelled TSEMU_* instead of QEMU_*.
 * Parsing only: the work is done by src/user/run.ts.
 */
import { restoreStdioFlags } from './stdio-flags';
import fs from 'node:fs';
import { list, parseQemuArgs } from './qemu-args';
import { VERSION } from '../version';
import { ensureNodeFlags, ensurePerfMap } from '../user/reentry';
import type { UserRunOptions } from '../user/run';
import type { GuestAbiName } from '../user/freebsd';
import { USER_CPU_MODELS, findUserCpuModel } from '../user/cpu-models';
import { parseSeed } from '../user/guest-random';

export const LOG_ITEMS: Record<string, string> = {
  in_asm: 'show target assembly code for each compiled TB',
  op: 'show the IR of each compiled TB',
  out_asm: 'show the generated WebAssembly of each compiled module',
  exec: 'show trace before each executed TB (lots of logs)',
  cpu: 'show CPU registers before entering a TB (lots of logs)',
  int: 'show interrupts/exceptions (signals)',
  unimp: 'log unimplemented functionality (syscalls)',
  strace: 'log every user-mode syscall, its input, and its result',
  page: 'dump pages at beginning of user mode emulation',
  stats: 'print translation statistics at exit',
};

interface OptionSpec {
  name: string;
  env: string;
  arg?: string;
  help: string;
}

// Options in qemu-user's order, with the environment variable that sets each.
const OPTIONS: OptionSpec[] = [
  { name: 'h', env: '', help: 'print this help' },
  { name: 'help', env: '', help: '' },
  { name: 'g', env: 'TSEMU_GDB', arg: 'port', help: 'wait gdb connection to \'port\'' },
  { name: 'L', env: 'TSEMU_LD_PREFIX', arg: 'path', help: 'set the elf interpreter prefix to \'path\'' },
  { name: 's', env: 'TSEMU_STACK_SIZE', arg: 'size', help: 'set the stack size to \'size\' bytes' },
  { name: 'cpu', env: 'TSEMU_CPU', arg: 'model', help: 'select CPU (-cpu help for list)' },
  { name: 'E', env: 'TSEMU_SET_ENV', arg: 'var=value', help: 'sets targets environment variable (see below)' },
  { name: 'U', env: 'TSEMU_UNSET_ENV', arg: 'var', help: 'unsets targets environment variable (see below)' },
  { name: '0', env: 'TSEMU_ARGV0', arg: 'argv0', help: 'forces target process argv[0] to be \'argv0\'' },
  { name: 'r', env: 'TSEMU_UNAME', arg: 'uname', help: 'set qemu uname release string to \'uname\'' },
  { name: 'd', env: 'TSEMU_LOG', arg: 'item[,...]', help: 'enable logging of specified items (use \'-d help\' for a list of items)' },
  { name: 'D', env: 'TSEMU_LOG_FILENAME', arg: 'logfile', help: 'write logs to \'logfile\' (default stderr)' },
  { name: 'dfilter', env: 'TSEMU_DFILTER', arg: 'range[,...]', help: 'filter logging based on address range' },
  { name: 'one-insn-per-tb', env: 'TSEMU_ONE_INSN_PER_TB', help: 'run with one guest instruction per emulated TB' },
  { name: 'singlestep', env: '', help: 'deprecated synonym for -one-insn-per-tb' },
  { name: 'strace', env: 'TSEMU_STRACE', help: 'log system calls' },
  { name: 'seed', env: 'TSEMU_RAND_SEED', arg: '', help: 'Seed for pseudo-random number generator' },
  { name: 'perfmap', env: 'TSEMU_PERFMAP', help: 'Generate a /tmp/perf-${pid}.map file for perf' },
  { name: 'abi', env: 'TSEMU_ABI', arg: 'linux|freebsd', help: 'run the program under this OS ABI (default: its ELF brand)' },
  { name: 'version', env: 'TSEMU_VERSION', help: 'display version information and exit' },
];

const FLAGS = new Set(['h', 'help', 'one-insn-per-tb', 'singlestep', 'strace', 'perfmap', 'version']);

export function usage(arch: string): string {
  const lines = [
    `usage: tsemu-${arch} [options] program [arguments...]`,
    `Linux CPU emulator (compiled for ${arch} emulation)`,
    '',
    'Options and associated environment variables:',
    '',
    'Argument             Env-variable      Description',
  ];
  for (const o of OPTIONS) {
    if (!o.help) continue;
    const arg = `-${o.name}${o.arg ? ' ' + o.arg : ''}`;
    lines.push(`${arg.padEnd(20)} ${o.env.padEnd(17)} ${o.help}`);
  }
  lines.push(
    '',
    'Defaults:',
    'TSEMU_LD_PREFIX  = /etc/tsemu-binfmt/' + arch,
    'TSEMU_STACK_SIZE = 8388608 byte',
    '',
    'You can use -E and -U options or the TSEMU_SET_ENV and',
    'TSEMU_UNSET_ENV environment variables to set and unset',
    'environment variables for the target process.',
    'It is possible to provide several variables by separating them',
    'by commas in getsubopt(3) style. Additionally it is possible to',
    'provide the -E and -U options multiple times.',
  );
  return lines.join('\n');
}

export class UsageError extends Error {}

/** Parses argv (without node and script) into run options; throws UsageError for bad input. */
export function parseUserArgs(
  arch: string,
  argv: string[],
  env: NodeJS.ProcessEnv,
): UserRunOptions | 'help' | 'version' | 'cpu-help' {
  const parsed = parseQemuArgs(argv, { names: OPTIONS.map((o) => o.name), flags: FLAGS, stopAtNonOption: true });
  if (parsed.unknown !== undefined) throw new UsageError(`-${parsed.unknown}: unknown option`);
  const args = parsed.values;
  if (args['h'] || args['help']) return 'help';
  // QEMU's QEMU_* spelling of each variable too, for environments set up for qemu-user; TSEMU_* wins.
  const fromEnv = (key: string): string | undefined => env[key] ?? env[key.replace(/^TSEMU_/, 'QEMU_')];
  if (args['version'] || fromEnv('TSEMU_VERSION')) return 'version';

  const envOr = (name: string, key: string): string | undefined => {
    const v = args[name];
    if (v !== undefined) return String(Array.isArray(v) ? v[v.length - 1] : v);
    return fromEnv(key);
  };
  const logItems = new Set(
    (envOr('d', 'TSEMU_LOG') ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const item of logItems) {
    if (item !== 'help' && !(item in LOG_ITEMS)) throw new UsageError(`Log items (comma separated):\n${logHelp()}`);
  }
  if (logItems.has('help')) throw new UsageError(`Log items (comma separated):\n${logHelp()}`);

  const cpu = envOr('cpu', 'TSEMU_CPU');
  if (cpu === 'help' || cpu === '?') return 'cpu-help';

  const positional = parsed.positional;
  const program = positional[0];
  if (program === undefined) throw new UsageError(usage(arch));
  checkCpuModel(arch, cpu);

  const setEnv = [...(fromEnv('TSEMU_SET_ENV')?.split(',') ?? []), ...list(args['E'])];
  const unsetEnv = [...(fromEnv('TSEMU_UNSET_ENV')?.split(',') ?? []), ...list(args['U'])];
  const stackSize = envOr('s', 'TSEMU_STACK_SIZE');
  const logFile = envOr('D', 'TSEMU_LOG_FILENAME');
  const logFilter = envOr('dfilter', 'TSEMU_DFILTER');
  const seedText = envOr('seed', 'TSEMU_RAND_SEED');
  const seed = seedText === undefined ? undefined : parseSeed(seedText);
  if (seedText !== undefined && seed === undefined) throw new UsageError(`cannot initialize crypto: Invalid seed number: ${seedText}`);
  const options: UserRunOptions = {
    program,
    args: positional.slice(1),
    argv0: envOr('0', 'TSEMU_ARGV0'),
    ldPrefix: envOr('L', 'TSEMU_LD_PREFIX'),
    cpu,
    unameRelease: envOr('r', 'TSEMU_UNAME'),
    stackSize: stackSize === undefined ? undefined : parseSize(stackSize),
    setEnv,
    unsetEnv,
    strace: Boolean(args['strace']) || fromEnv('TSEMU_STRACE') !== undefined,
    perfMap: Boolean(args['perfmap']) || fromEnv('TSEMU_PERFMAP') !== undefined,
    logItems,
    logFile,
    oneInsnPerTb: Boolean(args['one-insn-per-tb'] || args['singlestep']) || fromEnv('TSEMU_ONE_INSN_PER_TB') !== undefined,
    gdbPort: envOr('g', 'TSEMU_GDB'),
    ...(logFilter !== undefined ? { logFilter } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...guestAbiOption(envOr('abi', 'TSEMU_ABI')),
  };
  return options;
}

function logHelp(): string {
  return Object.entries(LOG_ITEMS)
    .map(([k, v]) => `${k.padEnd(10)} ${v}`)
    .join('\n');
}

/** -cpu MODEL: one of the target's models (src/user/cpu-models.ts), refused with QEMU's words otherwise. */
function checkCpuModel(arch: string, cpu: string | undefined): void {
  if (cpu === undefined || findUserCpuModel(arch, cpu)) return;
  const [name, properties] = cpu.split(/,(.*)/s);
  if (properties !== undefined && findUserCpuModel(arch, name)) {
    throw new UsageError(`-cpu ${cpu}: CPU properties are not supported (the model decides the features)`);
  }
  throw new UsageError(`unable to find CPU model '${name}'`);
}

/** -abi linux|freebsd (absent: the ELF brand decides). */
function guestAbiOption(value: string | undefined): { abi?: GuestAbiName } {
  if (value === undefined) return {};
  if (value !== 'linux' && value !== 'freebsd') throw new UsageError(`-abi: unknown ABI '${value}' (linux or freebsd)`);
  return { abi: value };
}

/** Sizes as qemu accepts them: a number with an optional k/M/G suffix. */
function parseSize(text: string): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(text);
  if (!m) throw new UsageError(`Invalid stack size: ${text}`);
  const mult = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  return Number(m[1]) * mult;
}

/** Entry of bin/tsemu-<arch>. */
export function main(arch: string): void {
  try {
    ensureNodeFlags();
  } catch (e) {
    process.stderr.write(`tsemu-${arch}: ${(e as Error).message}\n`);
    process.exit(1);
  }
  let parsed: ReturnType<typeof parseUserArgs>;
  try {
    parsed = parseUserArgs(arch, process.argv.slice(2), process.env);
  } catch (e) {
    if (e instanceof UsageError) {
      process.stderr.write(`${e.message.startsWith('usage:') ? '' : `tsemu-${arch}: `}${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  if (parsed === 'help') {
    process.stdout.write(usage(arch) + '\n');
    process.exit(0);
  }
  if (parsed === 'cpu-help') {
    // As qemu-user: the list on stdout, then status 1.
    const table = USER_CPU_MODELS[arch];
    process.stdout.write((table ? table.help(table.models) : '') + '\n');
    process.exit(1);
  }
  if (parsed === 'version') {
    process.stdout.write(`tsemu-${arch} version ${VERSION}\nCopyright (c) 2026 the tsemu developers\n`);
    process.exit(0);
  }
  if (parsed.perfMap) {
    try {
      ensurePerfMap();
    } catch (e) {
      process.stderr.write(`tsemu-${arch}: ${(e as Error).message}\n`);
      process.exit(1);
    }
  }
  if (parsed.logFile) {
    const fd = fs.openSync(parsed.logFile, 'w');
    parsed.log = (line) => fs.writeSync(fd, line + '\n');
  }
  restoreStdioFlags();
  // Loaded late so that --help and argument errors stay fast.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runUserProgram } = require('../user/run') as typeof import('../user/run');
  runUserProgram(arch, parsed);
}
