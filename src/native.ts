/**
 * Typed access to the native addon (native/*.cc). Each topic file of the addon adds its functions
 * here; nothing else loads the addon.
 */
import path from 'node:path';
import { installRoot } from './install-root';

export interface NativeAddon {
  /** Ends the process with signal `sig` as its death cause (core dumps off). */
  dieWithSignal(sig: number): never;
  /** fork(2) of this process (all mappings inherited, at-fork handlers run): the child's pid, 0 in the child, or -errno. */
  fork(): number;
  /**
   * execve(2) with descriptor placement: `placement` is pairs (target, source) giving the new image
   * host descriptor source as number target; every other descriptor closes. Returns -errno only on
   * failure (descriptors then as they were).
   */
  execve(path: string | Uint8Array, argv: readonly (string | Uint8Array)[], envp: readonly (string | Uint8Array)[], placement: readonly number[]): number;
  /** Host disposition of a host signal: 0 default action, 1 ignored, 2 noted for the guest (takeHostSignals). 0 or -errno. */
  hostSignalMode(sig: number, mode: number): number;
  /** The host signals noted since the last call: flat [sig, si_code, si_pid, si_uid, si_status, ...]. */
  takeHostSignals(): number[];
  /** _exit(2): ends the process now, without Node's exit path. */
  exitNow(status: number): never;
  /** Host address of a typed array's first byte. */
  bufferAddress(array: Uint8Array): number;
  /** Raw host syscall; pointers must be host addresses. Returns the result or -errno. */
  syscall(nr: number, ...args: number[]): number;
  /** strerror(3) of a host errno. */
  hostStrerror(errno: number): string;
  /** madvise(MADV_DONTNEED) on a host range: private anonymous pages then read as zero. 0 or -errno. */
  hostDiscard(addr: number, length: number): number;
  /** madvise(MADV_HUGEPAGE) on a host range: faulted in whole transparent huge pages where it spans them. 0 or -errno. */
  hostHugePages(addr: number, length: number): number;
  /** Maps host fd (anonymous memory if fd < 0) MAP_FIXED, read-write, shared or private, over a host range; on failure restores private anonymous memory there. 0 or -errno. */
  hostMapFixed(addr: number, length: number, shared: boolean, fd: number, offset: number): number;
  /** Puts private anonymous zero memory back over a host range. 0 or -errno. */
  hostMapAnonymous(addr: number, length: number): number;
  /** Moves a host mapping (mremap MAYMOVE|FIXED) and restores private anonymous memory at the old range. 0 or -errno. */
  hostMoveMapping(oldAddr: number, oldLength: number, newLength: number, newAddr: number): number;
  /** Maps host fd's bytes at offset over a private page-aligned host range that holds exactly those bytes (clean file pages, not resident until read): 0, 1 when the bytes differ (nothing changed), or -errno. */
  hostMapIdentical(addr: number, length: number, fd: number, offset: number): number;
  /** The O_ACCMODE bits (0 read-only, 1 write-only, 2 read-write) of a host fd, or -errno. */
  hostFdAccessMode(fd: number): number;
  /** What an inherited descriptor is: open, a socket, listening (SO_ACCEPTCONN), its SO_DOMAIN and SO_TYPE; error = errno of a failed check. */
  socketInfo(fd: number): HostSocketInfo;
  /** One non-blocking recvmsg (read() on a non-socket) keeping SCM_RIGHTS descriptors (close-on-exec). Empty data with error 0 is end of stream. */
  recvWithFds(fd: number, maxBytes: number): HostReceived;
  /** One non-blocking send of buffer[offset..] (write() on a non-socket): bytes written or -errno. */
  sendBytes(fd: number, buffer: Buffer, offset: number): number;
  /** close(2): 0 or -errno. */
  closeFd(fd: number): number;
  /** A close-on-exec duplicate numbered 3 or above, or -errno. */
  dupFd(fd: number): number;
  /** dup2(2): newFd or -errno. */
  dupTo(oldFd: number, newFd: number): number;
  /** Calls back whenever fd is ready for events (1 readable, 2 writable), in Node's own libuv loop. A watch id or -errno. */
  watchFd(fd: number, events: number, callback: (status: number, events: number) => void): number;
  /** Changes the events a watch waits for (0 pauses it). 0 or -errno. */
  setWatchEvents(id: number, events: number): number;
  /** Stops and releases a watch; the descriptor stays open. */
  unwatchFd(id: number): number;
  /** The open host descriptors, ascending (from /proc/self/fd, or probed where /proc is not mounted). */
  openFds(): number[];
  /** A new raw-mode pseudo-terminal: non-blocking master fd (or -errno) and the slave's path. */
  openPty(): { fd: number; path: string };
  /** V8's serialization of a compiled module (its TurboFan code), or undefined when V8 gives none. */
  serializeWasmModule(module: WebAssembly.Module): Uint8Array | undefined;
  /**
   * The module of wire bytes `wire` made from `code` (serializeWasmModule's bytes of the same wire
   * bytes), synchronously; undefined when V8 does not take the code (another V8, other flags).
   */
  deserializeWasmModule(wire: Uint8Array, code: Uint8Array): WebAssembly.Module | undefined;
}

/** Result of NativeAddon.socketInfo. */
export interface HostSocketInfo {
  open: boolean;
  socket: boolean;
  listening: boolean;
  domain: number;
  type: number;
  error: number;
}

/** Result of NativeAddon.recvWithFds. */
export interface HostReceived {
  data: Buffer;
  fds: number[];
  error: number;
}

let addon: NativeAddon | undefined;

export function native(): NativeAddon {
  if (!addon) {
    const root = installRoot();
    const candidates = [
      'build/Release/tsemu_native.node',
      'build/cmake/tsemu_native.node',
      'build/cmake/Release/tsemu_native.node',
    ];
    let lastError: unknown;
    for (const c of candidates) {
      try {
        // process.dlopen rather than require: a process started from tsemu's start-up snapshot has a
        // require that loads only Node's own modules.
        const loaded = { exports: {} };
        process.dlopen(loaded, path.join(root, c));
        addon = loaded.exports as NativeAddon;
        break;
      } catch (e) {
        lastError = e;
      }
    }
    if (!addon) throw new Error(`tsemu: native addon not built (run npm install): ${String(lastError)}`);
  }
  return addon;
}
