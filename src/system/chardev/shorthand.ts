/**
 * QEMU's legacy chardev shorthand of -qmp, -monitor and -serial: `unix:PATH[,server][,nowait]`,
 * `tcp:HOST:PORT[,...]`, `stdio`, `null`, `pty`, `file:PATH`. The shorthand has no way to take a
 * descriptor, and one written into it is refused with a pointer at the -chardev/-mon form.
 */
import { checkKeys, OptsError, parseBool, parseQemuOpts } from '../cli/qemu-opts';
import type { ChardevBackend, SocketAddress } from './spec';

const FLAG_KEYS = new Set(['server', 'wait', 'delay', 'ipv4', 'ipv6']);

/** Parses `text` (the argument of `option`, e.g. "-qmp") into a backend. */
export function backendFromShorthand(option: string, text: string, monitorMode?: 'control' | 'readline'): ChardevBackend {
  if (/^fd:/.test(text) || /(^|,)fd=/.test(text)) {
    const mode = monitorMode ?? 'readline';
    const frontend = monitorMode ? `-mon chardev=ID,mode=${mode}` : '-serial chardev:ID';
    throw new OptsError(
      `${option} ${text}: the ${option} shorthand does not take a file descriptor; use -chardev socket,fd=N,server=on,wait=off,id=ID ${frontend}`,
    );
  }
  if (text === 'stdio') return { type: 'stdio', signal: true };
  if (text === 'null') return { type: 'null' };
  if (text === 'pty') return { type: 'pty' };
  if (text.startsWith('file:')) return { type: 'file', path: text.slice(5), append: false };
  let addr: SocketAddress;
  let rest: string;
  if (text.startsWith('unix:')) {
    const [path, ...options] = text.slice(5).split(',');
    addr = { type: 'unix', path: path! };
    rest = options.join(',');
  } else if (text.startsWith('tcp:')) {
    const [hostPort, ...options] = text.slice(4).split(',');
    const colon = hostPort!.lastIndexOf(':');
    if (colon < 0) throw new OptsError(`${option} ${text}: tcp: needs HOST:PORT`);
    addr = { type: 'inet', host: hostPort!.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port: hostPort!.slice(colon + 1) };
    rest = options.join(',');
  } else {
    throw new OptsError(`${option} ${text}: '${text}' is not a valid char driver`);
  }
  const opts = rest === '' ? new Map<string, string>() : parseQemuOpts(rest, undefined, FLAG_KEYS);
  checkKeys(opts, ['server', 'wait', 'reconnect', 'delay', 'ipv4', 'ipv6']);
  const server = parseBool('server', opts.get('server') ?? 'off');
  return {
    type: 'socket',
    addr,
    server,
    wait: server && parseBool('wait', opts.get('wait') ?? 'on'),
    reconnect: server ? 0 : Number(opts.get('reconnect') ?? '0'),
  };
}
