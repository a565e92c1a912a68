/**
 * Warnings about the command line, which QEMU prints while reading its options. With -daemonize
 * both the launcher and its daemon read the options (src/system/daemonize.ts) and the daemon's
 * stderr is relayed by the launcher, so only the launcher prints them: once, as QEMU does.
 */
import { isDaemonChild } from '../daemonize';

/** Writes `text` (whole lines) to stderr, unless this is the daemon half of -daemonize. */
export function commandLineWarning(text: string): void {
  if (!isDaemonChild()) process.stderr.write(text);
}
