/**
 * Chardev commands: query-chardev, query-chardev-backends, chardev-add (QAPI ChardevBackend, of
 * which socket, file, null, stdio and pty), chardev-remove.
 */
import { BACKEND_TYPES, type ChardevBackend, type SocketAddress } from '../../../chardev/spec';
import type { QmpCommand } from '../command';
import { QmpError } from '../errors';
import { EMPTY, obj, optional, required, type Schema } from '../schema';

const SOCKET_ADDRESS: Schema = {
  union: {
    unix: { object: { path: required('str'), abstract: optional('bool'), tight: optional('bool') } },
    inet: {
      object: {
        host: required('str'),
        port: required('str'),
        numeric: optional('bool'),
        to: optional('int'),
        ipv4: optional('bool'),
        ipv6: optional('bool'),
      },
    },
    fd: { object: { str: required('str') } },
  },
};

const BACKEND: Schema = {
  union: {
    socket: {
      object: {
        addr: required(SOCKET_ADDRESS),
        'tls-creds': optional('str'),
        server: optional('bool'),
        wait: optional('bool'),
        nodelay: optional('bool'),
        reconnect: optional('int'),
      },
    },
    file: { object: { out: required('str'), append: optional('bool') } },
    null: { object: {} },
    stdio: { object: { signal: optional('bool') } },
    pty: { object: {} },
  },
};

type Obj = Record<string, unknown>;

function backendFromQapi(backend: Obj): ChardevBackend {
  const data = (backend['data'] ?? {}) as Obj;
  switch (backend['type']) {
    case 'socket': {
      const addr = data['addr'] as { type: SocketAddress['type']; data: Obj };
      const server = (data['server'] as boolean | undefined) ?? true;
      if (!server && data['wait'] !== undefined) throw QmpError.generic(`'wait' option is incompatible with socket in client connect mode`);
      if (data['wait'] === true) throw QmpError.generic(`'wait' is not supported by chardev-add: it would block the monitor`);
      if (server && data['reconnect'] !== undefined) throw QmpError.generic(`'reconnect' option is incompatible with socket in server listen mode`);
      const a = addr.data;
      const socketAddress: SocketAddress =
        addr.type === 'unix'
          ? { type: 'unix', path: a['path'] as string }
          : addr.type === 'inet'
            ? { type: 'inet', host: a['host'] as string, port: a['port'] as string }
            : { type: 'fd', str: a['str'] as string };
      return {
        type: 'socket',
        addr: socketAddress,
        server,
        wait: false,
        tlsCreds: data['tls-creds'] as string | undefined,
        reconnect: (data['reconnect'] as number | undefined) ?? 0,
      };
    }
    case 'file':
      return { type: 'file', path: data['out'] as string, append: (data['append'] as boolean | undefined) ?? false };
    case 'stdio':
      return { type: 'stdio', signal: (data['signal'] as boolean | undefined) ?? true };
    case 'pty':
      return { type: 'pty' };
    default:
      return { type: 'null' };
  }
}

export const CHARDEV_COMMANDS: QmpCommand[] = [
  {
    name: 'query-chardev',
    params: {},
    returns: { array: obj({ label: required('str'), filename: required('str'), 'frontend-open': required('bool') }) },
    run: ({ emulator }) => emulator.chardevInfo(),
  },
  {
    name: 'query-chardev-backends',
    params: {},
    returns: { array: obj({ name: required('str') }) },
    run: () => BACKEND_TYPES.map((name) => ({ name })),
  },
  {
    name: 'chardev-add',
    params: { id: required('str'), backend: required(BACKEND) },
    returns: obj({ pty: optional('str') }),
    run: async ({ emulator, fds }, args) => {
      const id = args['id'] as string;
      const backend = backendFromQapi(args['backend'] as Obj);
      await emulator.addChardev({ id, backend }, fds);
      if (backend.type !== 'pty') return {};
      return { pty: emulator.chardevs.get(id).filename.replace(/^pty:/, '') };
    },
  },
  {
    name: 'chardev-remove',
    params: { id: required('str') },
    returns: EMPTY,
    run: async ({ emulator }, args) => {
      await emulator.chardevs.remove(args['id'] as string);
      return {};
    },
  },
];
