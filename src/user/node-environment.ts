/**
 * The caller's environment is the guest's, but tsemu runs on Node, which reads some of it for
 * itself: NODE_OPTIONS (flags, even `--require` of a script), NODE_EXTRA_CA_CERTS (a certificate
 * file parsed at every start: 40 ms of CPU), NODE_PATH, UV_THREADPOOL_SIZE... A guest's variables
 * must not configure the emulator (qemu has no such coupling), so whatever starts tsemu's Node (the
 * native launcher, native/launcher/launcher.c, with the same rule, and tsemu's own re-entry for a
 * guest execve) hands them over renamed, in place: NODE_OPTIONS=x becomes
 * TSEMU_GUEST_NODE_OPTIONS=x. The guest gets them back under their own names, in the same order.
 */

/** The prefixes of the variables Node and libuv read. */
const NODE_PREFIXES = ['NODE_', 'UV_'];

const HIDDEN_PREFIX = 'TSEMU_GUEST_';

/** An environment entry ("NAME=value") as Node must receive it. */
export function hiddenFromNode(entry: Buffer): Buffer {
  const readByNode = NODE_PREFIXES.some((prefix) => entry.subarray(0, prefix.length).toString('latin1') === prefix);
  return readByNode ? Buffer.concat([Buffer.from(HIDDEN_PREFIX, 'latin1'), entry]) : entry;
}

/** The name a variable of tsemu's environment has in the guest's. */
export function guestName(name: string): string {
  return name.startsWith(HIDDEN_PREFIX) ? name.slice(HIDDEN_PREFIX.length) : name;
}
