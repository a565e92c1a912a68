/**
 * main's instructions as the cross binutils' objdump lists them (address, encoding as tsemu's
 * in_asm prints it, mnemonic), for the log tests of every target.
 */
import { execFileSync } from 'node:child_process';
import type { GuestTarget } from '../lib/targets';

export interface ObjdumpInsn {
  readonly addr: number;
  /** Words (A64, A32, PowerPC in the guest's order) or Thumb halfwords, in hex, space-separated halfwords. */
  readonly encoding: string;
  readonly mnemonic: string;
}

/** How a target's objdump shows encodings: PowerPC as bytes in memory order, ARM and A64 as words/halfwords. */
function encodingOf(target: GuestTarget, column: string): string {
  if (!target.cc.startsWith('powerpc')) return column.trim();
  const bytes = column.trim().split(/\s+/);
  return (target.cc.startsWith('powerpc64le') ? bytes.reverse() : bytes).join('');
}

/** `symbol` is the name objdump gives main's code (ELFv1 big-endian PowerPC: `.main`). */
export function objdumpMain(target: GuestTarget, program: string, symbol = 'main'): ObjdumpInsn[] {
  const objdump = target.cc.replace(/gcc$/, 'objdump');
  const text = execFileSync(objdump, ['-d', `--disassemble=${symbol}`, program], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return [...text.matchAll(/^\s+([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(\S+)/gm)].map((m) => ({
    addr: parseInt(m[1]!, 16),
    encoding: encodingOf(target, m[2]!),
    mnemonic: m[3]!,
  }));
}
