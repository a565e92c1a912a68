/**
 * BlockdevOptions (QEMU's qapi/block-core.json) as far as tsemu opens nodes: the `file` protocol
 * driver over a host file and the `raw` format driver over another node, named or given inline.
 * The one description checks -blockdev (both syntaxes) and blockdev-add, and is what
 * query-qmp-schema shows; any other driver gets QEMU's refusal of an unknown one.
 */
import { check, obj, optional, required, type Member, type Schema } from '../monitor/qmp/schema';

const BASE: Record<string, Member> = {
  driver: required({ enum: ['file', 'raw'] }),
  'node-name': optional('str'),
  discard: optional({ enum: ['ignore', 'unmap'] }),
  cache: optional(obj({ direct: optional('bool'), 'no-flush': optional('bool') })),
  'read-only': optional('bool'),
  'auto-read-only': optional('bool'),
  'detect-zeroes': optional({ enum: ['off', 'on', 'unmap'] }),
};

const FILE: Record<string, Member> = {
  filename: required('str'),
  locking: optional({ enum: ['auto', 'on', 'off'] }),
};

/** A node given inline as a raw node's `file`: a protocol node (a format node stacks on those only). */
const PROTOCOL_OPTIONS: Schema = { base: BASE, tag: 'driver', variants: { file: FILE } };

export const BLOCKDEV_OPTIONS: Schema = {
  base: BASE,
  tag: 'driver',
  variants: {
    file: FILE,
    raw: { file: required({ alternate: { object: PROTOCOL_OPTIONS, name: 'BlockdevRef' } }) },
  },
};

interface CommonOptions {
  'node-name'?: string;
  discard?: 'ignore' | 'unmap';
  cache?: { direct?: boolean; 'no-flush'?: boolean };
  'read-only'?: boolean;
  'auto-read-only'?: boolean;
  'detect-zeroes'?: 'off' | 'on' | 'unmap';
}

export interface FileOptions extends CommonOptions {
  driver: 'file';
  filename: string;
  locking?: 'auto' | 'on' | 'off';
}

export interface RawOptions extends CommonOptions {
  driver: 'raw';
  /** A node's name, or a protocol node made for it. */
  file: string | FileOptions;
}

export type BlockdevOptions = FileOptions | RawOptions;

/** `value` as BlockdevOptions; throws QEMU's GenericError for what the schema refuses. */
export function blockdevOptions(value: Record<string, unknown>): BlockdevOptions {
  check(value, BLOCKDEV_OPTIONS, '');
  return value as unknown as BlockdevOptions;
}
