/**
 * A binfmt_misc entry as text: the registration line the kernel's `register` file and
 * systemd-binfmt's binfmt.d files both take (`:name:type:offset:magic:mask:interpreter:flags`),
 * and the reading of an entry's status file.
 */
import { magicOf, maskOf, type BinfmtTarget } from './targets';

/** Every tsemu entry is named with this prefix; unregister touches nothing else. */
export const ENTRY_PREFIX = 'tsemu-';

/**
 * binfmt_misc flags (Documentation/admin-guide/binfmt-misc.rst): P keeps the original argv[0]
 * (passed after the binary's path), O hands the interpreter an open descriptor of the binary
 * (AT_EXECFD), C takes credentials from the binary (implies O), F opens the interpreter at
 * registration so it works in other mount namespaces and chroots.
 */
export interface EntryFlags {
  preserveArgv0: boolean;
  openBinary: boolean;
  credentials: boolean;
  fixBinary: boolean;
}

export function entryName(target: BinfmtTarget): string {
  return `${ENTRY_PREFIX}${target.arch}`;
}

export function flagLetters(flags: EntryFlags): string {
  return (flags.preserveArgv0 ? 'P' : '') + (flags.openBinary ? 'O' : '') + (flags.credentials ? 'C' : '') + (flags.fixBinary ? 'F' : '');
}

/** Every byte as \xHH: the kernel decodes these, and no ':' or newline can slip into a field. */
function escapeBytes(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
}

/** The registration line for `target` run by `interpreter`. */
export function registrationLine(target: BinfmtTarget, interpreter: string, flags: EntryFlags): string {
  if (/[:\n]/.test(interpreter)) throw new Error(`interpreter path cannot contain ':' or a newline: ${interpreter}`);
  const fields = [entryName(target), 'M', '', escapeBytes(magicOf(target)), escapeBytes(maskOf(target)), interpreter, flagLetters(flags)];
  return `:${fields.join(':')}`;
}

/** An entry as /proc/sys/fs/binfmt_misc/<name> describes it. */
export interface EntryStatus {
  name: string;
  enabled: boolean;
  interpreter: string;
  flags: string;
  /** Hex digits, as the kernel prints them. */
  magic: string;
  mask: string;
}

/** Parses the text of an entry's status file. */
export function parseEntryStatus(name: string, text: string): EntryStatus {
  const field = (key: string): string => {
    const line = text.split('\n').find((l) => l.startsWith(`${key} `));
    return line === undefined ? '' : line.slice(key.length + 1).trim();
  };
  return {
    name,
    enabled: text.split('\n')[0] === 'enabled',
    interpreter: field('interpreter'),
    flags: field('flags:'),
    magic: field('magic'),
    mask: field('mask'),
  };
}
