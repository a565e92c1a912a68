/**
 * The GDB remote protocol commands of an all-stop stub with one thread: while the target is stopped
 * the server answers gdb's queries (registers, memory, breakpoints, target description, auxv,
 * exec file) and returns when gdb resumes, detaches or kills.
 */
import { encodePacket, PacketReader, unescapeBinary, type Incoming } from './packet';
import type { HostConnection } from './host-socket';
import type { DebugTarget, Exit, ResumeAction, Stop } from './debug-target';
import { numberRegisters, registerHex, setRegisterHex, targetXml, type RegisterRow } from './register-table';

/** The process id gdb sees with the multiprocess extensions (one process per stub, as qemu-user). */
const PID = 1;

/** The largest packet gdb may send us (qSupported PacketSize, hex). */
const PACKET_SIZE = 0x4000;

export class GdbServer {
  private readonly reader = new PacketReader();
  private readonly queue: Incoming[] = [];
  private noAck = false;
  /** gdb offered the multiprocess extensions: thread ids are p<pid>.<tid>, exits name the process. */
  private multiprocess = false;
  private lastSent: Buffer = Buffer.alloc(0);
  /** Registers in gdb's number order (the `g` packet's), and by number (`p`/`P`). */
  private readonly registers: RegisterRow[];
  private readonly byNumber: ReadonlyMap<number, RegisterRow>;
  private readonly xml: string;

  constructor(
    private readonly conn: HostConnection,
    private readonly target: DebugTarget,
  ) {
    const numbered = numberRegisters(target.description).sort((a, b) => a.regnum - b.regnum);
    this.registers = numbered.map((n) => n.row);
    this.byNumber = new Map(numbered.map((n) => [n.regnum, n.row]));
    this.xml = targetXml(target.description);
  }

  /**
   * Reports a stop (unless it is the initial one, which gdb asks about with `?`) and serves gdb
   * until it resumes.
   */
  serve(stop: Stop, report: boolean): ResumeAction {
    const watch = stop.watch !== undefined ? `watch:${stop.watch.toString(16)};` : '';
    const stopReply = `T${hex2(stop.signal)}${watch}thread:${this.threadId()};`;
    if (report) this.send(stopReply);
    for (;;) {
      const incoming = this.next();
      if (incoming === undefined) return { kind: 'detach' };
      if (incoming.kind === 'interrupt') continue;
      if (incoming.kind === 'nak') {
        this.conn.write(this.lastSent);
        continue;
      }
      if (!this.noAck) this.conn.write(Buffer.from('+'));
      const action = this.handle(incoming.payload, stopReply);
      if (typeof action === 'string' || Buffer.isBuffer(action)) this.send(action);
      else return action;
    }
  }

  /** Checks, without blocking, whether gdb sent the interrupt byte (Ctrl-C) while the target runs. */
  pollInterrupt(): boolean {
    while (this.conn.readable()) {
      const bytes = this.conn.read();
      if (bytes.length === 0) return false;
      this.queue.push(...this.reader.feed(bytes));
    }
    const at = this.queue.findIndex((i) => i.kind === 'interrupt');
    if (at < 0) return false;
    this.queue.splice(at, 1);
    return true;
  }

  /** Tells gdb the process is gone. */
  reportExit(exit: Exit): void {
    const process = this.multiprocess ? `;process:${PID.toString(16)}` : '';
    this.send('status' in exit ? `W${hex2(exit.status & 0xff)}${process}` : `X${hex2(exit.signal)}${process}`);
  }

  private threadId(): string {
    const tid = this.target.threadId.toString(16);
    return this.multiprocess ? `p${PID.toString(16)}.${tid}` : tid;
  }

  close(): void {
    this.conn.close();
  }

  private next(): Incoming | undefined {
    while (this.queue.length === 0) {
      const bytes = this.conn.read();
      if (bytes.length === 0) return undefined;
      this.queue.push(...this.reader.feed(bytes));
    }
    return this.queue.shift();
  }

  private send(payload: string | Buffer): void {
    this.lastSent = encodePacket(payload);
    this.conn.write(this.lastSent);
  }

  /** One packet: a reply payload, or how to resume. */
  private handle(p: string, stopReply: string): string | Buffer | ResumeAction {
    const t = this.target;
    switch (p[0]) {
      case '?':
        return stopReply;
      case 'g':
        return this.registers.map((r) => registerHex(t.description, r, t.state, t.stateBase)).join('');
      case 'G': {
        let at = 1;
        for (const r of this.registers) {
          if (at + r.bitsize / 4 > p.length) break;
          setRegisterHex(t.description, r, t.state, t.stateBase, p.slice(at, at + r.bitsize / 4));
          at += r.bitsize / 4;
        }
        return 'OK';
      }
      case 'p': {
        const r = this.byNumber.get(parseInt(p.slice(1), 16));
        return r ? registerHex(t.description, r, t.state, t.stateBase) : 'E00';
      }
      case 'P': {
        const [num, value] = p.slice(1).split('=');
        const r = this.byNumber.get(parseInt(num!, 16));
        if (!r || value === undefined) return 'E00';
        setRegisterHex(t.description, r, t.state, t.stateBase, value);
        return 'OK';
      }
      case 'm': {
        const [addr, len] = p.slice(1).split(',').map((s) => parseInt(s, 16));
        const bytes = t.readMemory(addr!, Math.min(len!, PACKET_SIZE / 2));
        return bytes ? Buffer.from(bytes).toString('hex') : 'E14';
      }
      case 'M': {
        const [where, hex] = p.slice(1).split(':');
        const addr = parseInt(where!.split(',')[0]!, 16);
        return t.writeMemory(addr, new Uint8Array(Buffer.from(hex ?? '', 'hex'))) ? 'OK' : 'E14';
      }
      case 'X': {
        const colon = p.indexOf(':');
        const addr = parseInt(p.slice(1, colon).split(',')[0]!, 16);
        return t.writeMemory(addr, new Uint8Array(unescapeBinary(p.slice(colon + 1)))) ? 'OK' : 'E14';
      }
      case 'Z':
      case 'z':
        return this.breakpoint(p);
      case 'c':
        return { kind: 'continue', signal: 0 };
      case 's':
        return { kind: 'step', signal: 0 };
      case 'C':
        return { kind: 'continue', signal: parseInt(p.slice(1), 16) };
      case 'S':
        return { kind: 'step', signal: parseInt(p.slice(1), 16) };
      case 'D':
        this.send('OK');
        return { kind: 'detach' };
      case 'k':
        return { kind: 'kill' };
      case 'H':
        return 'OK';
      case 'T':
        return 'OK';
      case 'v':
        return this.vPacket(p);
      case 'q':
      case 'Q':
        return this.query(p);
      default:
        return '';
    }
  }

  /**
   * Z0/Z1: software and hardware breakpoints are the same thing to a translator. Z2: write
   * watchpoints. Read and access watchpoints (Z3/Z4) are not supported (empty reply).
   */
  private breakpoint(p: string): string {
    const [type, addrHex, kindHex] = p.slice(1).split(',');
    const addr = parseInt(addrHex!, 16);
    const insert = p[0] === 'Z';
    if (type === '0' || type === '1') {
      const kind = parseInt(kindHex ?? '0', 16);
      if (insert) this.target.addBreakpoint(addr, kind);
      else this.target.removeBreakpoint(addr, kind);
      return 'OK';
    }
    if (type === '2') {
      const length = parseInt(kindHex!, 16);
      if (!insert) this.target.removeWatchpoint(addr, length);
      else if (!this.target.addWatchpoint(addr, length)) return 'E22';
      return 'OK';
    }
    return '';
  }

  private vPacket(p: string): string | ResumeAction {
    if (p === 'vCont?') return 'vCont;c;C;s;S';
    if (p.startsWith('vCont;')) {
      // All-stop with one thread: the first action that applies to us decides.
      const action = p.slice(6).split(';')[0]!.split(':')[0]!;
      const signal = action.length > 1 ? parseInt(action.slice(1), 16) : 0;
      if (action[0] === 's' || action[0] === 'S') return { kind: 'step', signal };
      if (action[0] === 'c' || action[0] === 'C') return { kind: 'continue', signal };
      return 'E01';
    }
    if (p.startsWith('vKill')) {
      this.send('OK');
      return { kind: 'kill' };
    }
    return '';
  }

  private query(p: string): string | Buffer {
    const tid = this.threadId();
    if (p.startsWith('qSupported')) {
      this.multiprocess = /[:;]multiprocess\+/.test(p);
      return `${this.multiprocess ? 'multiprocess+;' : ''}PacketSize=${PACKET_SIZE.toString(16)};qXfer:features:read+;qXfer:auxv:read+;qXfer:exec-file:read+;vContSupported+;QStartNoAckMode+`;
    }
    if (p === 'QStartNoAckMode') {
      // This packet itself was acknowledged; from its reply on, neither side acknowledges.
      this.noAck = true;
      return 'OK';
    }
    if (p.startsWith('qXfer:')) return this.xfer(p);
    if (p === 'qC') return `QC${tid}`;
    if (p === 'qfThreadInfo') return `m${tid}`;
    if (p === 'qsThreadInfo') return 'l';
    // A process the stub started, not one it attached to: gdb's quit kills it (as with qemu-user).
    if (p.startsWith('qAttached')) return '0';
    if (p.startsWith('qThreadExtraInfo')) return Buffer.from('CPU#0 [running]').toString('hex');
    if (p === 'qSymbol::') return 'OK';
    return '';
  }

  /** qXfer:<object>:read:<annex>:<offset>,<length> */
  private xfer(p: string): string | Buffer {
    const [, object, op, annex, range] = p.split(':');
    if (op !== 'read' || range === undefined) return '';
    let data: Buffer;
    if (object === 'features' && annex === 'target.xml') data = Buffer.from(this.xml, 'latin1');
    else if (object === 'auxv') data = Buffer.from(this.target.auxv());
    else if (object === 'exec-file') data = Buffer.from(this.target.execFile(), 'utf8');
    else return 'E00';
    const [offset, length] = range.split(',').map((s) => parseInt(s, 16));
    const chunk = data.subarray(offset!, offset! + length!);
    return Buffer.concat([Buffer.from(offset! + length! >= data.length ? 'l' : 'm'), chunk]);
  }
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}
