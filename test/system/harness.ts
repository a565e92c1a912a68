/**
 * The management application's side of the monitor tests: creating and binding listening sockets
 * itself (raw socket/bind/listen syscalls through the addon, so no Node server in the test ever
 * accepts on them), spawning tsemu-system with the socket as descriptor 3, and a minimal QMP
 * client. Every wait is bounded; spawned emulators are killed by killAll() in afterEach.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { native } from '../../src/native';

export const ROOT = path.join(__dirname, '..', '..');
export const BIN = path.join(ROOT, 'bin', 'tsemu-system');

// x86_64 Linux syscall numbers and socket constants (the host these tests run on).
const SYS_SOCKET = 41;
const SYS_BIND = 49;
const SYS_LISTEN = 50;
const SYS_GETSOCKNAME = 51;
const AF_UNIX = 1;
const AF_INET = 2;
const SOCK_STREAM = 1;

function check(result: number, what: string): number {
  if (result < 0) throw new Error(`${what} failed: errno ${-result}`);
  return result;
}

/** A bound, listening unix socket at `file`; the caller owns the descriptor. */
export function listenUnixFd(file: string): number {
  const fd = check(native().syscall(SYS_SOCKET, AF_UNIX, SOCK_STREAM, 0), 'socket');
  const addr = Buffer.alloc(110);
  addr.writeUInt16LE(AF_UNIX, 0);
  addr.write(file, 2);
  check(native().syscall(SYS_BIND, fd, native().bufferAddress(addr), 2 + Buffer.byteLength(file) + 1), 'bind');
  check(native().syscall(SYS_LISTEN, fd, 16), 'listen');
  return fd;
}

/** A listening TCP socket on 127.0.0.1 at a kernel-chosen port. */
export function listenTcpFd(): { fd: number; port: number } {
  const fd = check(native().syscall(SYS_SOCKET, AF_INET, SOCK_STREAM, 0), 'socket');
  const addr = Buffer.alloc(16);
  addr.writeUInt16LE(AF_INET, 0);
  addr.writeUInt32BE(0x7f000001, 4);
  check(native().syscall(SYS_BIND, fd, native().bufferAddress(addr), 16), 'bind');
  check(native().syscall(SYS_LISTEN, fd, 16), 'listen');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(16);
  check(native().syscall(SYS_GETSOCKNAME, fd, native().bufferAddress(addr), native().bufferAddress(len)), 'getsockname');
  return { fd, port: addr.readUInt16BE(2) };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-mon-'));
}

export interface Emulator {
  child: ChildProcess;
  stderr(): string;
  stdout(): string;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** Spawns tsemu-system; `fds` become the child's descriptors 3, 4, ... */
export function startEmulator(args: string[], fds: number[] = []): Emulator {
  const child = spawn(BIN, args, { stdio: ['ignore', 'pipe', 'pipe', ...fds] });
  running.add(child);
  let err = '';
  let out = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return { child, stderr: () => err, stdout: () => out, exited };
}

export function killAll(): void {
  for (const c of running) c.kill('SIGKILL');
  running.clear();
}

export function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms);
    p.then(
      (v) => (clearTimeout(t), resolve(v)),
      (e: unknown) => (clearTimeout(t), reject(e)),
    );
  });
}

export type Message = Record<string, unknown>;

/** A QMP client over any Node duplex socket: messages are read as they come, one JSON object per line. */
export class QmpClient {
  readonly messages: Message[] = [];
  /** Every message received, in arrival order (next() takes from `messages` only). */
  readonly received: Message[] = [];
  private buffer = '';
  private waiters: (() => void)[] = [];
  closed = false;
  private nextId = 1;

  constructor(readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      this.buffer += text;
      let nl: number;
      while ((nl = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, nl).trim();
        this.buffer = this.buffer.slice(nl + 1);
        if (!line) continue;
        const message = JSON.parse(line) as Message;
        this.messages.push(message);
        this.received.push(message);
      }
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(target: string | number): Promise<QmpClient> {
    return withTimeout(
      new Promise<QmpClient>((resolve, reject) => {
        const s = typeof target === 'string' ? net.connect(target) : net.connect(target, '127.0.0.1');
        s.once('connect', () => resolve(new QmpClient(s)));
        s.once('error', reject);
      }),
      5000,
      'connect',
    );
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  /** Waits for (and removes) the first message matching `pred`. */
  async next(pred: (m: Message) => boolean = () => true, ms = 10000): Promise<Message> {
    const deadline = Date.now() + ms;
    for (;;) {
      const i = this.messages.findIndex(pred);
      if (i >= 0) return this.messages.splice(i, 1)[0]!;
      if (this.closed) throw new Error('connection closed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timeout waiting for a QMP message; have ${JSON.stringify(this.messages)}`);
      await withTimeout(new Promise<void>((r) => this.waiters.push(r)), left, 'QMP message').catch(() => undefined);
    }
  }

  send(raw: string): void {
    this.socket.write(raw);
  }

  /** Sends a command with a fresh id and returns its reply. */
  async execute(name: string, args?: Message): Promise<Message> {
    const id = `c${this.nextId++}`;
    this.send(JSON.stringify(args ? { execute: name, arguments: args, id } : { execute: name, id }) + '\n');
    return this.next((m) => m['id'] === id);
  }

  event(name: string): Promise<Message> {
    return this.next((m) => m['event'] === name);
  }

  /** Reads the greeting and negotiates capabilities. */
  async handshake(): Promise<Message> {
    const greeting = await this.next();
    const r = await this.execute('qmp_capabilities');
    if (!('return' in r)) throw new Error(`qmp_capabilities failed: ${JSON.stringify(r)}`);
    return greeting;
  }

  waitClosed(ms = 10000): Promise<void> {
    return withTimeout(
      new Promise<void>((resolve) => (this.closed ? resolve() : this.socket.once('close', () => resolve()))),
      ms,
      'close',
    );
  }
}

export interface QmpProcess {
  client: QmpClient;
  /** What the process printed on stdout so far (latin1). */
  stdout: () => string;
  exited: Promise<number | null>;
  kill: () => void;
}

/** Starts `binary args` with QMP on a listening socket passed as descriptor 3 (`fds` as 4, 5, ...), connected and negotiated. */
export async function startWithQmp(binary: string, args: readonly string[], fds: readonly number[] = []): Promise<QmpProcess> {
  const sock = path.join(tempDir(), 'qmp.sock');
  const fd = listenUnixFd(sock);
  const qmp = ['-chardev', 'socket,fd=3,server=on,wait=off,id=mon', '-mon', 'chardev=mon,mode=control'];
  const child = spawn(binary, [...args, ...qmp], { stdio: ['ignore', 'pipe', 'pipe', fd, ...fds] });
  running.add(child);
  native().closeFd(fd);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stderr!.resume();
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  const client = await QmpClient.connect(sock);
  await client.handshake();
  return { client, stdout: () => out, exited, kill: () => child.kill('SIGKILL') };
}

/** Runs an inline script with `interpreter` and returns its stdout (exit status must be 0). */
export function runScript(interpreter: string, script: string, args: string[], ms = 30000): Promise<string> {
  return withTimeout(
    new Promise<string>((resolve, reject) => {
      const p = spawn(interpreter, ['-', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      p.stdout.on('data', (d: Buffer) => (out += d.toString()));
      p.stderr.on('data', (d: Buffer) => (err += d.toString()));
      p.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${interpreter} exited ${code}: ${err}`))));
      p.stdin.end(script);
    }),
    ms,
    interpreter,
  );
}

/** Number of open descriptors of a process. */
export function fdCount(pid: number): number {
  return fs.readdirSync(`/proc/${pid}/fd`).length;
}

/** The standard management-app command line around a chardev spec on fd 3. */
export function qmpOnFd3(chardev = 'socket,fd=3,server=on,wait=off,id=mon'): string[] {
  return ['-M', 'none', '-nographic', '-chardev', chardev, '-mon', 'chardev=mon,mode=control'];
}

/**
 * x509 credentials made with openssl in `dir`, with QEMU's file names: a CA, a server
 * certificate for 127.0.0.1/localhost signed by it, and a client certificate.
 */
export function makeCertificates(dir: string): void {
  const run = (args: string[]): void => {
    const r = spawnSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr.toString()}`);
  };
  fs.writeFileSync(path.join(dir, 'server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca-key.pem', '-out', 'ca-cert.pem', '-days', '2', '-subj', '/CN=tsemu test CA']);
  for (const who of ['server', 'client']) {
    run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${who}-key.pem`, '-out', `${who}.csr`, '-subj', `/CN=${who === 'server' ? 'localhost' : 'client'}`]);
    const ext = who === 'server' ? ['-extfile', 'server.ext'] : [];
    run(['x509', '-req', '-in', `${who}.csr`, '-CA', 'ca-cert.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', `${who}-cert.pem`, '-days', '2', ...ext]);
  }
}
