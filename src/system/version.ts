/**
 * The version tsemu-system reports to monitors. Management applications parse QMP's
 * query-version and gate features on QEMU's numbers, so tsemu reports the QEMU release whose
 * command line and QMP behaviour it follows (7.2, Debian bookworm's qemu, which the tests compare
 * against) and names itself in `package` (see docs/monitor.md).
 */
import { VERSION } from '../version';

export const QEMU_COMPAT_VERSION = { major: 7, minor: 2, micro: 0 } as const;

/** query-version's return value. */
export function versionInfo(): { qemu: { micro: number; minor: number; major: number }; package: string } {
  const v = QEMU_COMPAT_VERSION;
  return { qemu: { micro: v.micro, minor: v.minor, major: v.major }, package: `tsemu ${VERSION}` };
}

/** `info version` and -version text: "7.2.0 (tsemu 0.1.0)". */
export function versionText(): string {
  const v = QEMU_COMPAT_VERSION;
  return `${v.major}.${v.minor}.${v.micro} (tsemu ${VERSION})`;
}
