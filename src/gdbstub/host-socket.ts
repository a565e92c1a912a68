/**
 * A blocking TCP connection for the gdbstub, made with raw host syscalls. The CPU loop is
 * synchronous (guest code runs without returning to Node's event loop), so the stub must wait for
 * gdb's packets synchronously too; Node's net module cannot do that.
 */
import { native } from '../native';
import { X86_64_SYSCALL_NUMBERS as NR } from '../syscalls/abi/x86_64-numbers';

const AF_INET = 2;
const SOCK_STREAM = 1;
const SOCK_CLOEXEC = 0o2000000;
const SOL_SOCKET = 1;
const SO_REUSEADDR = 2;
const IPPROTO_TCP = 6;
const TCP_NODELAY = 1;
const POLLIN = 1;
const EINTR = 4;

/** Scratch shared by every call: large enough to live outside V8's heap, so its address is stable. */
const scratch = Buffer.alloc(64 * 1024);
let scratchAddress = 0;
function scratchAt(offset: number): number {
  if (scratchAddress === 0) scratchAddress = native().bufferAddress(scratch);
  return scratchAddress + offset;
}

function sys(name: string, ...args: number[]): number {
  for (;;) {
    const r = native().syscall(NR[name]!, ...args);
    if (r !== -EINTR) return r;
  }
}

function check(what: string, r: number): number {
  if (r < 0) throw new Error(`${what}: ${native().hostStrerror(-r)}`);
  return r;
}

/** Listens on every interface at `port` (as qemu-user's -g does); returns the listening descriptor. */
export function listenTcp(port: number): number {
  const fd = check('socket', sys('socket', AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  scratch.writeInt32LE(1, 0);
  sys('setsockopt', fd, SOL_SOCKET, SO_REUSEADDR, scratchAt(0), 4);
  scratch.fill(0, 0, 16);
  scratch.writeUInt16LE(AF_INET, 0);
  scratch.writeUInt16BE(port, 2);
  check(`bind port ${port}`, sys('bind', fd, scratchAt(0), 16));
  check('listen', sys('listen', fd, 1));
  return fd;
}

/** Waits for one connection on a listening descriptor, then closes the listener. */
export function acceptOne(listenFd: number): HostConnection {
  const fd = check('accept', sys('accept4', listenFd, 0, 0, SOCK_CLOEXEC));
  native().closeFd(listenFd);
  scratch.writeInt32LE(1, 0);
  sys('setsockopt', fd, IPPROTO_TCP, TCP_NODELAY, scratchAt(0), 4);
  return new HostConnection(fd);
}

export class HostConnection {
  constructor(readonly fd: number) {}

  /** Blocks until bytes arrive; an empty result means gdb closed the connection. */
  read(): Buffer {
    const n = sys('read', this.fd, scratchAt(0), scratch.length);
    if (n <= 0) return Buffer.alloc(0);
    return Buffer.from(scratch.subarray(0, n));
  }

  /** True when bytes are waiting (does not block). */
  readable(): boolean {
    scratch.writeInt32LE(this.fd, 0);
    scratch.writeInt16LE(POLLIN, 4);
    scratch.writeInt16LE(0, 6);
    return sys('poll', scratchAt(0), 1, 0) > 0 && (scratch.readInt16LE(6) & POLLIN) !== 0;
  }

  write(data: Buffer): void {
    for (let off = 0; off < data.length; ) {
      const chunk = Math.min(data.length - off, scratch.length);
      data.copy(scratch, 0, off, off + chunk);
      const n = sys('write', this.fd, scratchAt(0), chunk);
      if (n <= 0) return; // gdb went away; the next read reports it
      off += n;
    }
  }

  close(): void {
    native().closeFd(this.fd);
  }
}
