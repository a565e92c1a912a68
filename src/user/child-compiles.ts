/**
 * Forked children tell their parent which cached modules they compiled, so that the parent
 * compiles them before its next fork and its later children find them compiled (a WebAssembly
 * module made before a fork is valid in the child, code-cache.ts `prepare`). A shell running the
 * same short program again and again would otherwise compile the same modules in every child:
 * those of the dynamic loader and libc that the program's start runs and the shell never did.
 *
 * The report is a host pipe the parent makes at its first fork (close-on-exec, so a host execve
 * drops it, and non-blocking both ways: a child never waits on a full pipe, its ids are then
 * lost). A child writes each module's id and cache file, a line each, as it compiles or adds the
 * module; the parent reads what is there at each fork. Children report only to their own parent
 * (a child that forks makes a pipe of its own).
 *
 * A parent compiles a module once two of its children compiled it: a shell running different
 * programs once each would otherwise compile each child's own modules again for nothing, where
 * what two children needed (the dynamic loader's start, a program run in a loop) is likely needed
 * again. Each module once.
 */
import fs from 'node:fs';
import { HOST, hostPipe, hostSyscall } from '../syscalls/linux/host';
import type { CompiledModule } from '../translate/cache/code-cache';

/** This process's pipe from its children, made at its first fork. */
let fromChildren: { read: number; write: number } | undefined;
/** The write end of the parent's pipe, in a forked child. */
let toParent: number | undefined;
/** The reports (lines) one child of this process made so far. */
const reportedOnce = new Set<string>();

/**
 * The modules a second child of this process reported since the last call; makes the pipe at the
 * first one.
 */
export function childCompiles(): CompiledModule[] {
  if (!fromChildren) {
    const { O_NONBLOCK, O_CLOEXEC } = HOST.openFlags;
    const pipe = hostPipe(O_NONBLOCK | O_CLOEXEC);
    if (pipe) fromChildren = { read: pipe[0], write: pipe[1] };
    return [];
  }
  const chunk = Buffer.alloc(4096);
  let text = '';
  for (;;) {
    let got: number;
    try {
      got = fs.readSync(fromChildren.read, chunk);
    } catch {
      break;
    }
    if (got <= 0) break;
    text += chunk.toString('latin1', 0, got);
  }
  return text.split('\n').flatMap((line) => {
    const space = line.indexOf(' ');
    if (space <= 0) return [];
    if (!reportedOnce.delete(line)) {
      reportedOnce.add(line);
      return [];
    }
    return [{ id: line.slice(0, space), file: line.slice(space + 1) }];
  });
}

/** In a forked child: reports go to the parent's pipe; the pipe inherited from it is not this process's. */
export function forkedChildReports(): void {
  if (toParent !== undefined) hostSyscall('close', toParent);
  toParent = fromChildren?.write;
  if (fromChildren) hostSyscall('close', fromChildren.read);
  fromChildren = undefined;
  reportedOnce.clear();
}

/** Tells the parent (of a forked child) that this process compiled a module of its cache. */
export function reportCompiled({ id, file }: CompiledModule): void {
  if (toParent === undefined) return;
  try {
    fs.writeSync(toParent, `${id} ${file}\n`);
  } catch {
    // A full pipe or a parent gone: the parent then compiles the module in a later child's place.
  }
}
