/**
 * Chardev specs from QemuOpts strings: `-chardev BACKEND,id=ID,...` on the command line and the
 * HMP `chardev-add` command. Descriptor-number vs descriptor-name rules are applied when the
 * chardev is opened (socket-fd.ts), where it is known who is asking.
 */
import { checkKeys, OptsError, parseBool, parseQemuOpts, type QemuOpts } from '../cli/qemu-opts';
import { isValidId, type ChardevBackend, type ChardevSpec, type SocketAddress } from './spec';

/** The keys each backend takes (besides `mux`, which any takes). */
const BACKEND_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ['socket', ['backend', 'id', 'path', 'host', 'port', 'fd', 'server', 'wait', 'tls-creds', 'reconnect', 'nodelay', 'ipv4', 'ipv6']],
  ['stdio', ['backend', 'id', 'signal', 'logfile']],
  ['file', ['backend', 'id', 'path', 'append']],
  ['null', ['backend', 'id']],
  ['pty', ['backend', 'id']],
]);
/** The keys that may be written bare (`server`) or negated (`nowait`). */
export const CHARDEV_FLAG_KEYS: ReadonlySet<string> = new Set(['server', 'wait', 'delay', 'append', 'ipv4', 'ipv6', 'mux', 'signal']);
/** Every key -chardev takes, whatever the backend (query-command-line-options). */
export const CHARDEV_KEYS: readonly string[] = [...new Set([...[...BACKEND_KEYS.values()].flat(), 'mux'])];

/** Parses a `-chardev` option string. */
export function chardevSpecFromOptString(text: string): ChardevSpec {
  return chardevSpecFromOpts(parseQemuOpts(text, 'backend', CHARDEV_FLAG_KEYS));
}

export function chardevSpecFromOpts(opts: QemuOpts): ChardevSpec {
  const backendName = opts.get('backend');
  if (backendName === undefined) throw new OptsError(`chardev: "backend" not specified`);
  const id = opts.get('id');
  if (id === undefined) throw new OptsError(`Parameter 'id' is missing`);
  if (!isValidId(id)) throw new OptsError(`Parameter 'id' expects an identifier`);
  const mux = parseBool('mux', opts.get('mux') ?? 'off');
  opts.delete('mux');
  return { id, backend: backendFromOpts(backendName, opts), ...(mux && { mux }) };
}

function backendFromOpts(name: string, opts: QemuOpts): ChardevBackend {
  const keys = BACKEND_KEYS.get(name);
  if (keys === undefined) throw new OptsError(`'${name}' is not a valid char driver name`);
  checkKeys(opts, keys);
  switch (name) {
    case 'socket':
      return socketFromOpts(opts);
    case 'stdio':
      return { type: 'stdio', signal: parseBool('signal', opts.get('signal') ?? 'on') };
    case 'file': {
      const path = opts.get('path');
      if (!path) throw new OptsError(`chardev: file: no filename given`);
      return { type: 'file', path, append: parseBool('append', opts.get('append') ?? 'off') };
    }
    case 'null':
      return { type: 'null' };
    default: // pty
      return { type: 'pty' };
  }
}

function socketFromOpts(opts: QemuOpts): ChardevBackend {
  const path = opts.get('path');
  const host = opts.get('host');
  const port = opts.get('port');
  const fd = opts.get('fd');
  const given = [path !== undefined, host !== undefined || port !== undefined, fd !== undefined].filter(Boolean).length;
  if (given === 0) throw new OptsError(`chardev: socket: no address given: use path=, host=/port= or fd=`);
  if (given > 1) throw new OptsError(`chardev: socket: path=, host=/port= and fd= are mutually exclusive`);
  let addr: SocketAddress;
  if (path !== undefined) addr = { type: 'unix', path };
  else if (fd !== undefined) addr = { type: 'fd', str: fd };
  else {
    if (port === undefined) throw new OptsError(`chardev: socket: host= needs port=`);
    addr = { type: 'inet', host: host ?? '', port };
  }
  const server = parseBool('server', opts.get('server') ?? 'off');
  const waitText = opts.get('wait');
  if (!server && waitText !== undefined) throw new OptsError(`'wait' option is incompatible with socket in client connect mode`);
  const reconnectText = opts.get('reconnect');
  if (server && reconnectText !== undefined) throw new OptsError(`'reconnect' option is incompatible with socket in server listen mode`);
  const reconnect = Number(reconnectText ?? '0');
  if (!Number.isInteger(reconnect) || reconnect < 0) throw new OptsError(`Parameter 'reconnect' expects a non-negative number`);
  return {
    type: 'socket',
    addr,
    server,
    wait: server && parseBool('wait', waitText ?? 'on'),
    tlsCreds: opts.get('tls-creds'),
    reconnect,
  };
}
