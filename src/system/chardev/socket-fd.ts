/**
 * Socket descriptors given to a chardev by `fd=`: on the command line a number the parent left
 * open for us; in a monitor a name given earlier to `getfd`. The other spelling is refused in each
 * place (a number in a monitor would name whatever the emulator has open; a name on the command
 * line has no monitor to come from). The descriptor must then be an open stream socket of the
 * unix or inet family, listening exactly when the chardev is a server.
 */
import { native } from '../../native';
import { OptsError } from '../cli/qemu-opts';

/** Who resolves descriptor references: the command line, or a monitor's named-fd store. */
export type FdOrigin = { kind: 'cli' } | { kind: 'monitor'; take(name: string): number };

const AF_UNIX = 1;
const AF_INET = 2;
const AF_INET6 = 10;
const SOCK_STREAM = 1;

/** The descriptor number that `str` designates for `origin`; a monitor's descriptor is taken from its store. */
export function resolveSocketFd(str: string, origin: FdOrigin): number {
  const numeric = /^\d+$/.test(str);
  if (origin.kind === 'cli') {
    if (!numeric) {
      throw new OptsError(
        `fd=${str}: a descriptor name is only valid in a monitor (after getfd); the command line takes the number of an inherited descriptor`,
      );
    }
    return Number(str);
  }
  if (numeric) {
    throw new OptsError(
      `fd=${str}: a descriptor number is only valid on the command line; pass the descriptor with getfd NAME (SCM_RIGHTS) and use fd=NAME`,
    );
  }
  return origin.take(str);
}

/** Domain of a checked socket descriptor. */
export type SocketDomain = 'unix' | 'inet';

/** Fails unless fd is an open stream socket of a supported family, listening iff `server`. */
export function checkSocketFd(fd: number, label: string, server: boolean): SocketDomain {
  const info = native().socketInfo(fd);
  if (!info.open) throw new OptsError(`fd=${label}: descriptor ${fd} is not open (Bad file descriptor)`);
  if (!info.socket) throw new OptsError(`File descriptor '${label}' is not a socket`);
  if (info.type !== SOCK_STREAM) throw new OptsError(`File descriptor '${label}' is not a stream socket`);
  if (info.domain !== AF_UNIX && info.domain !== AF_INET && info.domain !== AF_INET6) {
    throw new OptsError(`File descriptor '${label}' is neither a unix nor an inet socket`);
  }
  if (server && !info.listening) {
    throw new OptsError(`File descriptor '${label}' is not a listening socket (server=on needs one that is bound and listening)`);
  }
  if (!server && info.listening) throw new OptsError(`File descriptor '${label}' is a listening socket: use server=on`);
  return info.domain === AF_UNIX ? 'unix' : 'inet';
}
