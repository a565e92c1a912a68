/**
 * What each tsemu-binfmt command does, given parsed options: register (now, or as binfmt.d files
 * with --systemd), unregister, status. Returns the lines to print.
 */
import { ENTRY_PREFIX, entryName, flagLetters, type EntryFlags } from './entry';
import { BINFMT_MISC_DIR, registerEntry, removeEntry, requireRoot, tsemuEntries } from './kernel';
import { ensureLauncherLink, launcherDir } from './launcher';
import { writeBinfmtConf } from './systemd';
import type { BinfmtTarget } from './targets';

export interface RegisterOptions {
  targets: readonly BinfmtTarget[];
  flags: EntryFlags;
  /** Write binfmt.d files here instead of registering now. */
  systemdDir?: string;
}

/** Registers every target (or writes its binfmt.d file). */
export function registerTargets(options: RegisterOptions, dir: string = BINFMT_MISC_DIR): string[] {
  // Checked before the launcher links are made, so a non-root user hears the real reason.
  if (options.systemdDir === undefined) requireRoot('registering');
  return options.targets.map((target) => {
    const interpreter = ensureLauncherLink(launcherDir(), target, options.flags.preserveArgv0);
    if (options.systemdDir !== undefined) {
      return `wrote ${writeBinfmtConf(options.systemdDir, target, interpreter, options.flags)}`;
    }
    registerEntry(target, interpreter, options.flags, dir);
    return `registered ${entryName(target)}: ${interpreter} (flags ${flagLetters(options.flags) || 'none'})`;
  });
}

/** Removes the targets' entries, or with 'all' every entry named tsemu-*. */
export function unregisterTargets(targets: readonly BinfmtTarget[] | 'all', dir: string = BINFMT_MISC_DIR): string[] {
  requireRoot('removing');
  const names = targets === 'all' ? tsemuEntries(dir).map((e) => e.name) : targets.map(entryName);
  return names.filter((name) => name.startsWith(ENTRY_PREFIX) && removeEntry(name, dir)).map((name) => `unregistered ${name}`);
}

/** One line per registered tsemu entry. */
export function statusLines(dir: string = BINFMT_MISC_DIR): string[] {
  const entries = tsemuEntries(dir);
  if (entries.length === 0) return ['no tsemu entries registered'];
  return entries.map((e) => `${e.name} ${e.enabled ? 'enabled' : 'disabled'} interpreter ${e.interpreter} flags ${e.flags || 'none'}`);
}
