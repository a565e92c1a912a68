/**
 * x509 TLS credentials objects (`-object tls-creds-x509,id=ID,dir=DIR,endpoint=server|client,
 * verify-peer=on|off`), with QEMU's file names in DIR: ca-cert.pem, server-cert.pem,
 * server-key.pem, client-cert.pem, client-key.pem. Loaded and checked before anything starts.
 */
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { checkKeys, OptsError, parseBool, parseQemuOpts } from '../cli/qemu-opts';
import { isValidId } from './spec';

export interface TlsCreds {
  id: string;
  endpoint: 'server' | 'client';
  verifyPeer: boolean;
  /** Options for a tls.TLSSocket/tls.connect using these credentials. */
  context: tls.SecureContext;
}

/** Parses and loads an `-object` option string; only tls-creds-x509 objects exist so far. */
export function tlsCredsFromObjectOpts(text: string): TlsCreds {
  const opts = parseQemuOpts(text, 'qom-type');
  const type = opts.get('qom-type');
  if (type !== 'tls-creds-x509') throw new OptsError(`invalid object type: ${type ?? ''}`);
  checkKeys(opts, ['qom-type', 'id', 'dir', 'endpoint', 'verify-peer']);
  const id = opts.get('id');
  if (id === undefined) throw new OptsError(`Parameter 'id' is missing`);
  if (!isValidId(id)) throw new OptsError(`Parameter 'id' expects an identifier`);
  const dir = opts.get('dir');
  if (dir === undefined) throw new OptsError(`Parameter 'dir' is missing`);
  const endpoint = opts.get('endpoint') ?? 'client';
  if (endpoint !== 'server' && endpoint !== 'client') throw new OptsError(`Parameter 'endpoint' does not accept value '${endpoint}'`);
  const verifyPeer = parseBool('verify-peer', opts.get('verify-peer') ?? 'on');
  return { id, endpoint, verifyPeer, context: loadContext(dir, endpoint, verifyPeer) };
}

function readCred(dir: string, name: string, required: boolean): Buffer | undefined {
  const file = path.join(dir, name);
  try {
    return fs.readFileSync(file);
  } catch (e) {
    if (!required) return undefined;
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : String((e as Error).message);
    throw new OptsError(`Unable to access credentials ${file}: ${reason}`);
  }
}

function loadContext(dir: string, endpoint: 'server' | 'client', verifyPeer: boolean): tls.SecureContext {
  // A server always needs its certificate; the CA is needed to check peers (and is what a client checks the server against).
  const ca = readCred(dir, 'ca-cert.pem', verifyPeer || endpoint === 'client');
  const cert = readCred(dir, `${endpoint}-cert.pem`, endpoint === 'server');
  const key = readCred(dir, `${endpoint}-key.pem`, endpoint === 'server');
  try {
    return tls.createSecureContext({ ca, cert, key });
  } catch (e) {
    throw new OptsError(`Unable to load TLS credentials from ${dir}: ${(e as Error).message}`);
  }
}
