/**
 * `-name [guest=]NAME[,process=P][,debug-threads=on|off]` and `-uuid UUID`: who the guest is, as
 * query-name and query-uuid report it. Only the guest name is kept (tsemu names no process or
 * thread after it). Messages are QEMU's.
 */
import { checkKeys, OptsError, parseBool, parseQemuOpts } from './qemu-opts';

export interface GuestIdentity {
  /** -name's guest name; undefined when not given. */
  name?: string;
  /** -uuid, lower case; undefined when not given (QEMU's all-zero UUID). */
  uuid?: string;
}

/** The keys -name takes. */
export const NAME_KEYS = ['guest', 'process', 'debug-threads'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function guestName(text: string): string | undefined {
  try {
    const opts = parseQemuOpts(text, 'guest');
    checkKeys(opts, NAME_KEYS);
    const threads = opts.get('debug-threads');
    if (threads !== undefined) parseBool('debug-threads', threads);
    return opts.get('guest');
  } catch (e) {
    if (e instanceof OptsError) throw new OptsError(`-name ${text}: ${e.message}`);
    throw e;
  }
}

/** The identity given by the last -name and -uuid, if any. */
export function guestIdentityFrom(name: string | undefined, uuid: string | undefined): GuestIdentity {
  if (uuid !== undefined && !UUID.test(uuid)) throw new OptsError(`-uuid ${uuid}: failed to parse UUID string: wrong format`);
  const guest = name === undefined ? undefined : guestName(name);
  return { ...(guest !== undefined && { name: guest }), ...(uuid !== undefined && { uuid: uuid.toLowerCase() }) };
}
