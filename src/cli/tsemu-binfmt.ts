/**
 * Command line of `tsemu-binfmt`: register tsemu with the kernel's binfmt_misc, remove it, show
 * it, write binfmt.d files, prepare a foreign chroot. Parsing only: the work is in src/binfmt/.
 */
import yargs from 'yargs/yargs';
import { registerTargets, statusLines, unregisterTargets, type RegisterOptions } from '../binfmt/commands';
import { setupChroot } from '../binfmt/setup-chroot';
import { BINFMT_TARGETS, binfmtTarget, type BinfmtTarget } from '../binfmt/targets';
import { VERSION } from '../version';

export type BinfmtCommand =
  | ({ command: 'register' } & RegisterOptions)
  | { command: 'unregister'; targets: readonly BinfmtTarget[] | 'all' }
  | { command: 'status' }
  | { command: 'setup-chroot'; root: string };

export class BinfmtUsageError extends Error {}

export const BINFMT_USAGE = `usage: tsemu-binfmt COMMAND [options]
  register [--arch a,b|--all] [--persistent] [--preserve-argv0] [--credentials] [--open-binary] [--systemd DIR]
                  register tsemu as the interpreter of foreign ELF binaries (default: all targets);
                  with --systemd DIR write DIR/tsemu-<arch>.conf for systemd-binfmt instead
  unregister [--arch a,b|--all]
                  remove tsemu's entries (never anyone else's)
  status          list tsemu's registered entries
  --version, -version
                  print the version
  setup-chroot ROOT
                  install what the launcher needs to run inside the foreign root ROOT
flags: --persistent = F (interpreter opened now: works in chroots), --preserve-argv0 = P,
       --open-binary = O, --credentials = C (implies O)
architectures: ${BINFMT_TARGETS.map((t) => t.arch).join(', ')}`;

function targetsOf(arch: unknown, all: unknown): readonly BinfmtTarget[] | 'all' {
  if (arch !== undefined && all) throw new BinfmtUsageError('--arch and --all exclude each other');
  if (arch === undefined) return 'all';
  const names = (Array.isArray(arch) ? arch : [arch]).flatMap((a) => String(a).split(','));
  try {
    return names.filter(Boolean).map(binfmtTarget);
  } catch (e) {
    throw new BinfmtUsageError((e as Error).message);
  }
}

/** Parses argv (without node and script); throws BinfmtUsageError for bad input. */
export function parseBinfmtArgs(argv: string[]): BinfmtCommand | 'help' | 'version' {
  // QEMU's tools spell long options with one dash too (yargs would read -version as -v -e -r ...).
  if (argv.some((a) => a === '-version' || a === '--version')) return 'version';
  const args = yargs(argv)
    .parserConfiguration({ 'camel-case-expansion': false, 'boolean-negation': false, 'parse-numbers': false, 'parse-positional-numbers': false })
    .help(false)
    .version(false)
    .option('arch', { type: 'string' })
    .option('all', { type: 'boolean' })
    .option('persistent', { type: 'boolean' })
    .option('preserve-argv0', { type: 'boolean' })
    .option('credentials', { type: 'boolean' })
    .option('open-binary', { type: 'boolean' })
    .option('systemd', { type: 'string' })
    .option('help', { type: 'boolean', alias: 'h' })
    .parseSync();
  const known = new Set(['_', '$0', 'arch', 'all', 'persistent', 'preserve-argv0', 'credentials', 'open-binary', 'systemd', 'help', 'h']);
  for (const key of Object.keys(args)) if (!known.has(key)) throw new BinfmtUsageError(`--${key}: unknown option`);
  if (args.help) return 'help';
  const positional = args._.map(String);
  const command = positional[0] ?? (args.systemd !== undefined ? 'register' : undefined);
  const extra = positional.slice(1);
  const registerOnly = ['persistent', 'preserve-argv0', 'credentials', 'open-binary', 'systemd'].filter((k) => args[k] !== undefined);
  if (command !== 'register' && registerOnly.length > 0) throw new BinfmtUsageError(`--${registerOnly[0]} is an option of register`);
  if (command !== 'setup-chroot' && extra.length > 0) throw new BinfmtUsageError(`unexpected argument ${extra[0]}`);
  switch (command) {
    case 'register': {
      const targets = targetsOf(args.arch, args.all);
      if (args.systemd === '') throw new BinfmtUsageError('--systemd needs a directory');
      return {
        command,
        targets: targets === 'all' ? BINFMT_TARGETS : targets,
        flags: {
          preserveArgv0: Boolean(args['preserve-argv0']),
          openBinary: Boolean(args['open-binary'] || args.credentials),
          credentials: Boolean(args.credentials),
          fixBinary: Boolean(args.persistent),
        },
        ...(args.systemd !== undefined ? { systemdDir: args.systemd } : {}),
      };
    }
    case 'unregister':
      return { command, targets: targetsOf(args.arch, args.all) };
    case 'status':
      if (args.arch !== undefined || args.all) throw new BinfmtUsageError('status takes no options');
      return { command };
    case 'setup-chroot':
      if (extra.length !== 1) throw new BinfmtUsageError('setup-chroot needs exactly one ROOT directory');
      return { command, root: extra[0]! };
    case undefined:
      throw new BinfmtUsageError(BINFMT_USAGE);
    default:
      throw new BinfmtUsageError(`unknown command ${command}`);
  }
}

/** Entry of bin/tsemu-binfmt. */
export function main(): void {
  let parsed: ReturnType<typeof parseBinfmtArgs>;
  try {
    parsed = parseBinfmtArgs(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof BinfmtUsageError)) throw e;
    process.stderr.write(`${e.message.startsWith('usage:') ? '' : 'tsemu-binfmt: '}${e.message}\n`);
    process.exit(2);
  }
  if (parsed === 'help' || parsed === 'version') {
    process.stdout.write(parsed === 'help' ? BINFMT_USAGE + '\n' : `tsemu-binfmt version ${VERSION}\nCopyright (c) 2026 the tsemu developers\n`);
    process.exit(0);
  }
  try {
    const lines =
      parsed.command === 'register'
        ? registerTargets(parsed)
        : parsed.command === 'unregister'
          ? unregisterTargets(parsed.targets)
          : parsed.command === 'status'
            ? statusLines()
            : [`installed the tsemu runtime in ${setupChroot(parsed.root)}`];
    for (const line of lines) process.stdout.write(line + '\n');
  } catch (e) {
    process.stderr.write(`tsemu-binfmt: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
