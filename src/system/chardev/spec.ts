/**
 * What a chardev is, before it is opened: the backend and its settings, as given by -chardev, the
 * -qmp/-monitor/-serial shorthands, or QMP/HMP chardev-add. Opening is in open.ts.
 */

/** Where a socket chardev listens or connects (QAPI SocketAddress). */
export type SocketAddress =
  | { type: 'unix'; path: string }
  | { type: 'inet'; host: string; port: string }
  /** A descriptor: a number inherited on the command line, or a name given to getfd in a monitor. */
  | { type: 'fd'; str: string };

export interface SocketBackend {
  type: 'socket';
  addr: SocketAddress;
  server: boolean;
  /** Server only: hold startup until the first client connects. */
  wait: boolean;
  /** Id of a tls-creds-x509 object. */
  tlsCreds?: string;
  /** Client only: seconds between reconnection attempts; 0 = never. */
  reconnect: number;
}

export type ChardevBackend =
  | SocketBackend
  /** `signal`: C-c and the other signal keys of a terminal act on the emulator (QEMU's default). */
  | { type: 'stdio'; signal: boolean }
  | { type: 'file'; path: string; append: boolean }
  | { type: 'null' }
  | { type: 'pty' };

export interface ChardevSpec {
  id: string;
  backend: ChardevBackend;
  /** `mux=on`: several frontends share the backend (mux.ts). */
  mux?: boolean;
}

/** The backends a chardev may have. */
export const BACKEND_TYPES: readonly string[] = ['socket', 'stdio', 'file', 'null', 'pty'];

/** Id rules of QEMU's object ids: a letter first, then letters, digits, '-', '.', '_'. */
export function isValidId(id: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_.-]*$/.test(id);
}
