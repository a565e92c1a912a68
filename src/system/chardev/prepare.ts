/**
 * Turns a chardev spec into a chardev object, checking everything that can be checked before
 * anything is created: descriptor rules and socket state, TLS credential references, ports. The
 * command line prepares every chardev first and opens them only when all are valid, so a refusal
 * leaves nothing behind.
 */
import { native } from '../../native';
import { OptsError } from '../cli/qemu-opts';
import type { Chardev } from './chardev';
import { MuxChardev } from './mux';
import { FileChardev, NullChardev, PtyChardev, StdioChardev } from './simple';
import { SocketClientChardev } from './socket-client';
import { checkSocketFd, resolveSocketFd, type FdOrigin } from './socket-fd';
import { SocketServerChardev } from './socket-server';
import type { ChardevSpec, SocketBackend } from './spec';
import type { TlsCreds } from './tls-creds';

export interface PrepareContext {
  origin: FdOrigin;
  tlsCreds: ReadonlyMap<string, TlsCreds>;
}

export function prepareChardev(spec: ChardevSpec, ctx: PrepareContext): Chardev {
  if (spec.mux) return new MuxChardev(spec.id, prepareChardev({ id: `${spec.id}-base`, backend: spec.backend }, ctx));
  const b = spec.backend;
  switch (b.type) {
    case 'socket':
      return prepareSocket(spec.id, b, ctx);
    case 'stdio':
      return new StdioChardev(spec.id, b.signal);
    case 'file':
      return new FileChardev(spec.id, b.path, b.append);
    case 'null':
      return new NullChardev(spec.id);
    case 'pty':
      return new PtyChardev(spec.id);
  }
}

function tlsFor(b: SocketBackend, ctx: PrepareContext): TlsCreds | undefined {
  if (b.tlsCreds === undefined) return undefined;
  const creds = ctx.tlsCreds.get(b.tlsCreds);
  if (!creds) throw new OptsError(`No TLS credentials with id '${b.tlsCreds}'`);
  const wanted = b.server ? 'server' : 'client';
  if (creds.endpoint !== wanted) throw new OptsError(`Expecting TLS credentials with a ${wanted} endpoint`);
  if (!b.server && b.addr.type !== 'inet') {
    const given = b.addr.type === 'fd' ? 'by fd' : 'by unix path';
    throw new OptsError(
      `TLS is refused on a client socket given ${given}: a client needs a hostname to verify the server certificate (use host=/port=)`,
    );
  }
  return creds;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new OptsError(`Parameter 'port' expects a port number, not '${text}'`);
  return port;
}

function prepareSocket(id: string, b: SocketBackend, ctx: PrepareContext): Chardev {
  const creds = tlsFor(b, ctx);
  const a = b.addr;
  if (a.type === 'fd') {
    const fd = resolveSocketFd(a.str, ctx.origin);
    try {
      checkSocketFd(fd, a.str, b.server);
    } catch (e) {
      // A descriptor taken from a monitor is ours now; one from the command line belongs to the parent's numbering and stays.
      if (ctx.origin.kind === 'monitor') native().closeFd(fd);
      throw e;
    }
    return b.server ? new SocketServerChardev(id, { kind: 'fd', fd }, creds) : new SocketClientChardev(id, { kind: 'fd', fd }, b.reconnect, creds);
  }
  const target = a.type === 'unix' ? { kind: 'unix' as const, path: a.path } : { kind: 'inet' as const, host: a.host, port: parsePort(a.port) };
  return b.server ? new SocketServerChardev(id, target, creds) : new SocketClientChardev(id, target, b.reconnect, creds);
}
