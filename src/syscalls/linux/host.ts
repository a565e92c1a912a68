/**
 * The host side of a syscall: raw host calls by name (x86_64 numbers), and a scratch arena in host
 * memory for what cannot be passed in place (resolved path strings, converted structs, host iovec
 * arrays). The arena is reset before every guest syscall, so nothing in it outlives one call.
 */
import { native } from '../../native';
import { x86_64Host } from '../abi/x86_64';
import type { AbiLayouts, StructLayout } from '../abi';
import { StructView } from '../struct-view';

if (process.arch !== 'x64' || process.platform !== 'linux') {
  throw new Error(`tsemu's syscall layer knows x86_64 Linux hosts only, not ${process.platform}/${process.arch}`);
}

/** The host's kernel facts (x86_64 Linux, the only host this layer has a table for). */
export const HOST = x86_64Host;

/** Raw host syscall by kernel name; pointers are host addresses. Returns the result or -errno. */
export function hostSyscall(name: string, ...args: number[]): number {
  const nr = HOST.syscallNumbers[name];
  if (nr === undefined) throw new Error(`host has no syscall ${name}`);
  return native().syscall(nr, ...args);
}

const ARENA_SIZE = 1 << 20;

/**
 * Bump allocator over one host buffer that never moves (its backing store is off the JS heap). The
 * buffer is made at first use, not when the module loads: the start-up snapshot saves every buffer
 * that exists while it is built, and a start would read and copy this one's megabyte of zeros
 * (docs/performance.md, "Start-up: what the snapshot holds").
 */
class HostArena {
  private storage: { bytes: Uint8Array; view: DataView } | undefined;
  private base = 0;
  private used = 0;

  private get bytes(): Uint8Array {
    return this.made().bytes;
  }

  get view(): DataView {
    return this.made().view;
  }

  private made(): { bytes: Uint8Array; view: DataView } {
    if (this.storage === undefined) {
      const bytes = new Uint8Array(ARENA_SIZE);
      this.storage = { bytes, view: new DataView(bytes.buffer) };
    }
    return this.storage;
  }

  /** Offset of `size` fresh zeroed bytes (8-byte aligned). */
  alloc(size: number): number {
    const at = Math.ceil(this.used / 8) * 8;
    if (at + size > ARENA_SIZE) throw new Error('host scratch arena exhausted');
    this.used = at + size;
    this.bytes.fill(0, at, at + size);
    return at;
  }

  /** Host address of an arena offset. */
  address(offset: number): number {
    if (this.base === 0) this.base = native().bufferAddress(this.bytes);
    return this.base + offset;
  }

  /** Copies bytes into the arena, NUL-terminated; returns the host address. */
  cString(bytes: Uint8Array): number {
    const at = this.alloc(bytes.length + 1);
    this.bytes.set(bytes, at);
    return this.address(at);
  }

  bytesAt(offset: number, length: number): Uint8Array {
    return this.bytes.subarray(offset, offset + length);
  }

  reset(): void {
    this.used = 0;
  }
}

export const hostArena = new HostArena();

/** A host pipe made with pipe2's `flags`, as [read end, write end]; undefined when the host refuses. */
export function hostPipe(flags: number): [number, number] | undefined {
  const fds = hostArena.alloc(8);
  if (hostSyscall('pipe2', hostArena.address(fds), flags) !== 0) return undefined;
  return [hostArena.view.getInt32(fds, true), hostArena.view.getInt32(fds + 4, true)];
}

/** `count` zeroed host structs in a row: one view per element, and the array's host address. */
export function hostStructArray<K extends keyof AbiLayouts>(kind: K, count: number): { views: StructView<FieldsOf<K>>[]; address: number } {
  const layout = HOST.layouts[kind] as StructLayout<FieldsOf<K>>;
  const at = hostArena.alloc(layout.size * count);
  const views = Array.from({ length: count }, (_, i) => new StructView(hostArena.view, at + i * layout.size, layout, HOST.littleEndian));
  return { views, address: hostArena.address(at) };
}

/** Field names of one struct kind. */
export type FieldsOf<K extends keyof AbiLayouts> = AbiLayouts[K] extends StructLayout<infer F> ? F : never;
