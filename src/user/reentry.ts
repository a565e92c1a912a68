/**
 * Starting tsemu again from inside a guest: a guest execve of a program for one of tsemu's targets
 * becomes a host execve of tsemu itself (in place of binfmt_misc), and tsemu re-executes itself
 * once at start-up when Node was started without the flags it needs. The host command is the one
 * this process was started with up to its entry script, read back from /proc/self/cmdline (or
 * rebuilt where /proc is not mounted), so a Node run through a private dynamic loader (a binfmt
 * chroot's runtime) is started the same way.
 */
import fs from 'node:fs';
import path from 'node:path';
import { native } from '../native';
import { FdTable } from '../syscalls/linux/fd-table';
import type { GuestOptions } from './process';

/** V8 flags tsemu needs: a forked guest child has none of V8's helper threads, so garbage collection must not use them. */
export const NODE_FLAGS = ['--single-threaded-gc', '--no-concurrent-recompilation'];

/**
 * Set in the environment of the restart (and removed at once, so the guest never sees it): a
 * restarted process that still lacks the flags fails instead of restarting itself forever.
 */
const RESTARTED = 'TSEMU_RESTARTED_WITH_NODE_FLAGS';

export interface HostCommand {
  path: string;
  argv: string[];
}

/**
 * How setup-chroot lays out a private Node (src/binfmt/setup-chroot.ts): the node binary, the host
 * dynamic loader that starts it, and the host libraries, side by side in one directory.
 */
export const PRIVATE_NODE = { node: 'node', loader: 'ld.so', libraries: 'lib' } as const;

/** The start prefix as /proc/self/cmdline shows it, or undefined where /proc is not mounted. */
function prefixFromProc(): string[] | undefined {
  let cmdline: string[];
  try {
    cmdline = fs.readFileSync('/proc/self/cmdline', 'latin1').split('\0');
  } catch {
    return undefined;
  }
  if (cmdline[cmdline.length - 1] === '') cmdline.pop();
  const prefix = cmdline.slice(0, cmdline.length - (process.argv.length - 1));
  return prefix.length > 0 ? prefix : undefined;
}

/** Node's own path (its argv[0] when /proc is missing) and flags, started through the private loader beside it if it is a private Node. */
function rebuiltPrefix(): string[] {
  const dir = path.dirname(process.execPath);
  const loader = path.join(dir, PRIVATE_NODE.loader);
  const isPrivate = path.basename(process.execPath) === PRIVATE_NODE.node && fs.existsSync(loader);
  const start = isPrivate ? [loader, '--library-path', path.join(dir, PRIVATE_NODE.libraries)] : [];
  return [...start, process.execPath, ...process.execArgv];
}

let prefix: string[] | undefined;

/** The command line up to (not including) the entry script; found once, at start-up (a forked child inherits it). */
function startPrefix(): string[] {
  prefix ??= prefixFromProc() ?? rebuiltPrefix();
  return prefix;
}

/** The host command: the start prefix (or `prefix`), `extra` Node flags, then `rest` (entry script and its arguments). */
function commandWith(extra: readonly string[], rest: readonly string[], prefix = startPrefix()): HostCommand {
  const first = prefix[0]!;
  // A bare "node" was found through PATH by env(1); execve needs the path.
  return { path: first.includes('/') ? first : process.execPath, argv: [...prefix, ...extra, ...rest] };
}

/** The host command that runs guest `program` (a host path) for target `targetName`, with the guest-facing options carried over. */
export function guestProgramCommand(targetName: string, guest: { argv0: string; program: string; args: readonly string[] }, options: GuestOptions): HostCommand {
  const entry = path.join(path.dirname(process.argv[1]!), `tsemu-${targetName}`);
  const carried = [
    ...(options.ldPrefix !== undefined ? ['-L', path.resolve(options.ldPrefix)] : []),
    ...(options.cpu !== undefined ? ['-cpu', options.cpu] : []),
    ...(options.unameRelease !== undefined ? ['-r', options.unameRelease] : []),
  ];
  return commandWith([], [entry, ...carried, '-0', guest.argv0, '--', guest.program, ...guest.args]);
}

/**
 * Re-executes this process with NODE_FLAGS when Node was started without them; returns when they
 * are in place, throws when they cannot be (a restart did not bring them, or execve failed).
 */
export function ensureNodeFlags(): void {
  // Found now, while /proc may still be mounted: a guest that unmounts it and then execs must not
  // fall back to process.execPath, which names the private loader when Node was started through it.
  startPrefix();
  const restarted = process.env[RESTARTED] !== undefined;
  delete process.env[RESTARTED];
  if (NODE_FLAGS.every((f) => process.execArgv.includes(f))) return;
  if (restarted) {
    throw new Error(`restarted Node with ${NODE_FLAGS.join(' ')}, but they did not reach it (start it as: node ${NODE_FLAGS.join(' ')} <script> ...)`);
  }
  restartWith(commandWith(NODE_FLAGS, process.argv.slice(1)), RESTARTED, NODE_FLAGS);
}

/** Node's flag for -perfmap: V8 writes /tmp/perf-<pid>.map, a line per function it compiles. */
const PERF_MAP_FLAG = '--perf-basic-prof';

/** As RESTARTED, for the restart that adds PERF_MAP_FLAG. */
const RESTARTED_FOR_PERF_MAP = 'TSEMU_RESTARTED_FOR_PERF_MAP';

/**
 * -perfmap: re-executes this process with PERF_MAP_FLAG, and without a start-up snapshot (V8 refuses
 * one built under other flags, and Node then exits); returns once the flag is in place.
 */
export function ensurePerfMap(): void {
  const restarted = process.env[RESTARTED_FOR_PERF_MAP] !== undefined;
  delete process.env[RESTARTED_FOR_PERF_MAP];
  if (process.execArgv.includes(PERF_MAP_FLAG)) return;
  if (restarted) throw new Error(`restarted Node with ${PERF_MAP_FLAG}, but it did not reach it`);
  const flags = [PERF_MAP_FLAG];
  const command = commandWith(flags, process.argv.slice(1), withoutSnapshot(startPrefix()));
  restartWith(command, RESTARTED_FOR_PERF_MAP, flags);
}

/** A start prefix without its `--snapshot-blob FILE` (or `--snapshot-blob=FILE`). */
function withoutSnapshot(prefix: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < prefix.length; i++) {
    if (prefix[i] === '--snapshot-blob') i++;
    else if (!prefix[i]!.startsWith('--snapshot-blob=')) kept.push(prefix[i]!);
  }
  return kept;
}

/** Replaces this process by `command` (which adds Node's `flags`), its environment marked with `guard`; throws when execve fails. */
function restartWith(command: HostCommand, guard: string, flags: readonly string[]): never {
  const env = [...Object.entries(process.env).map(([k, v]) => `${k}=${v ?? ''}`), `${guard}=1`];
  const r = native().execve(command.path, command.argv, env, FdTable.inherited().execPlacement());
  throw new Error(`cannot restart Node with ${flags.join(' ')}: errno ${-r}`);
}
