/**
 * Host memory backend objects (`-object memory-backend-ram,id=ID,size=N` and
 * `-object memory-backend-file,id=ID,size=N,mem-path=PATH[,share=on|off][,prealloc=on|off]`), which
 * `-machine memory-backend=ID` makes the guest's RAM, with QEMU's checks and messages.
 */
import { isValidId } from '../chardev/spec';
import { checkKeys, OptsError, parseBool, parseQemuOpts, type QemuOpts } from './qemu-opts';

export type MemoryBackendType = 'memory-backend-ram' | 'memory-backend-file';

export interface MemoryBackend {
  id: string;
  type: MemoryBackendType;
  size: number;
  /** memory-backend-file: the file (or a directory to make an unnamed file in) holding the RAM. */
  memPath?: string;
  /** MAP_SHARED: the guest's writes reach the file (and other processes mapping it). */
  share: boolean;
  prealloc: boolean;
}

/** The keys each backend takes besides qom-type and id (its QOM properties). */
export const MEMORY_BACKEND_KEYS: Record<MemoryBackendType, readonly string[]> = {
  'memory-backend-ram': ['size', 'share', 'prealloc'],
  'memory-backend-file': ['size', 'share', 'prealloc', 'mem-path'],
};

export function isMemoryBackendType(type: string | undefined): type is MemoryBackendType {
  return type !== undefined && type in MEMORY_BACKEND_KEYS;
}

export const MEMORY_BACKEND_TYPES = Object.keys(MEMORY_BACKEND_KEYS) as MemoryBackendType[];

const SIZE_SCALE: Record<string, number> = { '': 1, B: 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** A QEMU size value (`4096`, `64M`, `1.5G`): bytes unless a suffix says otherwise. */
export function parseSize(key: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)([BKMGT]?)$/i.exec(value);
  if (!m) throw new OptsError(`Parameter '${key}' expects a size value`);
  return Math.floor(Number(m[1]) * SIZE_SCALE[m[2]!.toUpperCase()]!);
}

function required(opts: QemuOpts, key: string): string {
  const value = opts.get(key);
  if (value === undefined) throw new OptsError(`Parameter '${key}' is missing`);
  return value;
}

/**
 * Parses an `-object` option string of a memory backend type. A size of 0 passes here: QEMU refuses
 * it when it creates the object, in words that do not name the option (checkMemoryBackend).
 */
export function memoryBackendFromObjectOpts(text: string): MemoryBackend {
  const opts = parseQemuOpts(text, 'qom-type');
  const type = opts.get('qom-type');
  if (!isMemoryBackendType(type)) throw new OptsError(`invalid object type: ${type ?? ''}`);
  checkKeys(opts, ['qom-type', 'id', ...MEMORY_BACKEND_KEYS[type]]);
  const id = required(opts, 'id');
  if (!isValidId(id)) throw new OptsError(`Parameter 'id' expects an identifier`);
  const size = parseSize('size', required(opts, 'size'));
  const memPath = type === 'memory-backend-file' ? required(opts, 'mem-path') : undefined;
  return {
    id,
    type,
    size,
    ...(memPath !== undefined && { memPath }),
    share: parseBool('share', opts.get('share') ?? 'off'),
    prealloc: parseBool('prealloc', opts.get('prealloc') ?? 'off'),
  };
}

/** QEMU's checks when it creates the backend object. */
export function checkMemoryBackend(backend: MemoryBackend): void {
  if (backend.size === 0) throw new OptsError(`property 'size' of ${backend.type} doesn't take value '0'`);
}
