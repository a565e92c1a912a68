/**
 * The caller's environment is the guest's, but tsemu runs on Node, which reads some of it for
 * itself: NODE_OPTIONS (flags, even `--require` of a script), NODE_EXTRA_CA_CERTS (a certificate
 * file parsed at every start: 40 ms of CPU), NODE_PATH, UV_THREADPOOL_SIZE..., and so do the
 * host's glibc (GLIBC_TUNABLES) and dynamic loader (LD_PRELOAD). A guest's variables must not
 * configure the emulator (qemu has no such coupling), so whatever starts tsemu's Node (the native
 * launcher, native/launcher/launcher.c, with the same rule, and tsemu's own re-entry for a guest
 * execve) hands them over renamed, in place: NODE_OPTIONS=x becomes TSEMU_GUEST_NODE_OPTIONS=x.
 * The guest gets them back under their own names, in the same order.
 *
 * The host's own GLIBC_TUNABLES (the launcher's HOST_TUNABLES) is set by the launcher and carried
 * to tsemu's re-entry; it is never the guest's (a guest started by `node bin/js/tsemu-<target>`,
 * without the launcher, gets a GLIBC_TUNABLES of its own through -E).
 */

/** Prefixes of the variables Node, libuv, glibc and its loader read ("...=": that name alone). */
const HOST_PREFIXES = ['NODE_', 'UV_', 'GLIBC_TUNABLES=', 'LD_PRELOAD='];

const HIDDEN_PREFIX = 'TSEMU_GUEST_';

/** The host variable that carries glibc's tunables. */
const TUNABLES = 'GLIBC_TUNABLES';

/** An environment entry ("NAME=value") as Node must receive it. */
export function hiddenFromNode(entry: Buffer): Buffer {
  const readByHost = HOST_PREFIXES.some((prefix) => entry.subarray(0, prefix.length).toString('latin1') === prefix);
  return readByHost ? Buffer.concat([Buffer.from(HIDDEN_PREFIX, 'latin1'), entry]) : entry;
}

/** The name a variable of tsemu's environment has in the guest's, or undefined for the host's own GLIBC_TUNABLES. */
export function guestName(name: string): string | undefined {
  if (name === TUNABLES) return undefined;
  return name.startsWith(HIDDEN_PREFIX) ? name.slice(HIDDEN_PREFIX.length) : name;
}

/** The host's own variables a Node that tsemu starts again must have (its GLIBC_TUNABLES), as environment entries. */
export function hostEntries(): Buffer[] {
  const tunables = process.env[TUNABLES];
  return tunables === undefined ? [] : [Buffer.from(`${TUNABLES}=${tunables}`)];
}
