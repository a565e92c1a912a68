/**
 * Secret objects (`-object secret,id=ID,data=D|file=F[,format=raw|base64]`), which libvirt passes
 * (its master key) with every guest: read and checked as QEMU does, kept by id. Nothing in tsemu
 * takes a secret yet (no encrypted images, no TLS passwords), so none is decrypted.
 */
import fs from 'node:fs';
import { isValidId } from '../chardev/spec';
import { checkKeys, OptsError, parseQemuOpts } from './qemu-opts';

export interface Secret {
  id: string;
  data: Buffer;
}

/** Parses an `-object secret` option string: the checks QEMU makes while parsing (the option is named in their messages). */
export function secretFromObjectOpts(text: string): { id: string; file?: string; data?: string; format: string } {
  const opts = parseQemuOpts(text, 'qom-type');
  checkKeys(opts, ['qom-type', 'id', 'data', 'file', 'format', 'keyid', 'iv']);
  const id = opts.get('id');
  if (id === undefined) throw new OptsError(`Parameter 'id' is missing`);
  if (!isValidId(id)) throw new OptsError(`Parameter 'id' expects an identifier`);
  const format = opts.get('format') ?? 'raw';
  if (format !== 'raw' && format !== 'base64') throw new OptsError(`Parameter 'format' does not accept value '${format}'`);
  if (opts.has('keyid') || opts.has('iv')) throw new OptsError(`Parameter 'keyid' is not supported: tsemu decrypts no secrets`);
  const file = opts.get('file');
  const data = opts.get('data');
  return { id, format, ...(file !== undefined && { file }), ...(data !== undefined && { data }) };
}

/** Loads the secret when the object is created (QEMU's messages there do not name the option). */
export function loadSecret(spec: ReturnType<typeof secretFromObjectOpts>): Secret {
  if (spec.file === undefined && spec.data === undefined) throw new OptsError(`Either 'file' or 'data' must be provided`);
  if (spec.file !== undefined && spec.data !== undefined) throw new OptsError(`'file' and 'data' are mutually exclusive`);
  let raw: Buffer;
  if (spec.file !== undefined) {
    try {
      raw = fs.readFileSync(spec.file);
    } catch (e) {
      const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message;
      throw new OptsError(`Unable to read ${spec.file}: Failed to open file “${spec.file}”: ${reason}`);
    }
  } else {
    raw = Buffer.from(spec.data!);
  }
  return { id: spec.id, data: spec.format === 'base64' ? Buffer.from(raw.toString(), 'base64') : raw };
}
