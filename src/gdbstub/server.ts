/**
 * The GDB remote protocol commands of an all-stop stub with one thread, independent of how bytes
 * travel: while the target is stopped the server answers gdb's queries (registers, memory,
 * breakpoints, target description, auxv, exec file) and tells its driver when gdb resumes,
 * detaches or kills. User mode drives it with blocking reads (blocking-server.ts), system mode
 * from a chardev's events (system-session.ts).
 */
import { encodePacket, PacketReader, unescapeBinary, type Incoming } from './packet';
import type { DebugTarget, Exit, MemoryAccess, ResumeAction, Stop, WatchKind } from './debug-target';
import { numberRegisters, registerHex, setRegisterHex, targetXml, type RegisterRow } from './register-table';

/** The process id gdb sees with the multiprocess extensions (one process per stub, as qemu-user). */
const PID = 1;

/** The largest packet gdb may send us (qSupported PacketSize, hex). */
const PACKET_SIZE = 0x4000;

/** The Z packet types of data watchpoints. */
const WATCH_TYPES: Readonly<Record<string, WatchKind>> = { '2': 'write', '3': 'read', '4': 'access' };

/** How a stop reply names a watchpoint of each kind. */
const WATCH_KINDS: Readonly<Record<WatchKind, string>> = { write: 'watch', read: 'rwatch', access: 'awatch' };

/** Where replies go. */
export interface GdbConnection {
  write(bytes: Buffer): void;
}

export class GdbServer {
  private readonly reader = new PacketReader();
  private noAck = false;
  /** The reply to `?`: the last stop. */
  private stopReply = '';
  /** Qqemu.PhyMemMode:1 switched memory packets to physical addresses (system mode). */
  private physical = false;
  /** gdb offered the multiprocess extensions: thread ids are p<pid>.<tid>, exits name the process. */
  private multiprocess = false;
  private lastSent: Buffer = Buffer.alloc(0);
  /** The thread `Hg` chose for register packets until the next stop (undefined: the one that stopped). */
  private selected: number | undefined;
  /** Registers in gdb's number order (the `g` packet's), and by number (`p`/`P`). */
  private readonly registers: RegisterRow[];
  private readonly byNumber: ReadonlyMap<number, RegisterRow>;
  private readonly xml: string;

  constructor(
    private readonly conn: GdbConnection,
    private readonly target: DebugTarget,
  ) {
    const numbered = numberRegisters(target.description).sort((a, b) => a.regnum - b.regnum);
    this.registers = numbered.map((n) => n.row);
    this.byNumber = new Map(numbered.map((n) => [n.regnum, n.row]));
    this.xml = targetXml(target.description);
  }

  /** Splits bytes from gdb into packets, interrupt bytes and naks. */
  feed(bytes: Buffer): Incoming[] {
    return this.reader.feed(bytes);
  }

  /** The target stopped: the stop becomes `?`'s answer, and is reported unless gdb will ask (the initial stop). */
  stopped(stop: Stop, report: boolean): void {
    const watch = stop.watch !== undefined ? `${WATCH_KINDS[stop.watchKind ?? 'write']}:${stop.watch.toString(16)};` : '';
    this.selected = undefined;
    this.stopReply = `T${hex2(stop.signal)}${watch}thread:${this.threadId()};`;
    if (report) this.send(this.stopReply);
  }

  /**
   * One message from gdb while the target is stopped: answered here, or how gdb resumes it.
   * An interrupt byte while stopped means nothing.
   */
  accept(incoming: Incoming): ResumeAction | undefined {
    if (incoming.kind === 'interrupt') return undefined;
    if (incoming.kind === 'nak') {
      this.conn.write(this.lastSent);
      return undefined;
    }
    if (!this.noAck) this.conn.write(Buffer.from('+'));
    const action = this.handle(incoming.payload);
    if (typeof action === 'string' || Buffer.isBuffer(action)) {
      this.send(action);
      return undefined;
    }
    return action;
  }

  /** Tells gdb the process is gone. */
  reportExit(exit: Exit): void {
    const process = this.multiprocess ? `;process:${PID.toString(16)}` : '';
    this.send('status' in exit ? `W${hex2(exit.status & 0xff)}${process}` : `X${hex2(exit.signal)}${process}`);
  }

  private threadId(id = this.target.threadId): string {
    const tid = id.toString(16);
    return this.multiprocess ? `p${PID.toString(16)}.${tid}` : tid;
  }

  /** Every thread's id and state block (one, unless the target has guest threads). */
  private threads(): readonly { id: number; stateBase: number }[] {
    const all = this.target.threads?.() ?? [];
    return all.length > 0 ? all : [{ id: this.target.threadId, stateBase: this.target.stateBase }];
  }

  /** The state block register packets read and write: the thread Hg chose, or the one that stopped. */
  private registerBase(): number {
    const chosen = this.selected === undefined ? undefined : this.threads().find((t) => t.id === this.selected);
    return chosen?.stateBase ?? this.target.stateBase;
  }

  /** `Hg`/`Hc` (a thread for later packets) and `T` (is it alive): ids 0 (any) and -1 (all) always do. */
  private threadPacket(p: string): string {
    const id = parseThreadId(p.slice(p[0] === 'H' ? 2 : 1));
    if (id === undefined) return 'E01';
    const known = id <= 0 || this.threads().some((t) => t.id === id);
    if (!known) return 'E01';
    if (p.startsWith('Hg')) this.selected = id > 0 ? id : undefined;
    return 'OK';
  }

  private send(payload: string | Buffer): void {
    this.lastSent = encodePacket(payload);
    this.conn.write(this.lastSent);
  }

  /** One packet: a reply payload, or how to resume. */
  private handle(p: string): string | Buffer | ResumeAction {
    const t = this.target;
    switch (p[0]) {
      case '?':
        return this.stopReply;
      case 'g':
        return this.registers.map((r) => registerHex(t.description, r, t.state, this.registerBase())).join('');
      case 'G': {
        let at = 1;
        for (const r of this.registers) {
          if (at + r.bitsize / 4 > p.length) break;
          setRegisterHex(t.description, r, t.state, this.registerBase(), p.slice(at, at + r.bitsize / 4));
          at += r.bitsize / 4;
        }
        return 'OK';
      }
      case 'p': {
        const r = this.byNumber.get(parseInt(p.slice(1), 16));
        return r ? registerHex(t.description, r, t.state, this.registerBase()) : 'E00';
      }
      case 'P': {
        const [num, value] = p.slice(1).split('=');
        const r = this.byNumber.get(parseInt(num!, 16));
        if (!r || value === undefined) return 'E00';
        setRegisterHex(t.description, r, t.state, this.registerBase(), value);
        return 'OK';
      }
      case 'm': {
        const range = addressAndLength(p.slice(1));
        if (!range) return 'E22';
        const bytes = this.memory().read(range[0], Math.min(range[1], PACKET_SIZE / 2));
        return bytes ? Buffer.from(bytes).toString('hex') : 'E14';
      }
      case 'M': {
        const [where, hex = ''] = p.slice(1).split(':');
        const range = addressAndLength(where!);
        if (!range || !/^([0-9a-fA-F]{2})*$/.test(hex) || hex.length !== range[1] * 2) return 'E22';
        return this.memory().write(range[0], new Uint8Array(Buffer.from(hex, 'hex'))) ? 'OK' : 'E14';
      }
      case 'X': {
        const colon = p.indexOf(':');
        const range = colon < 0 ? undefined : addressAndLength(p.slice(1, colon));
        const bytes = new Uint8Array(unescapeBinary(p.slice(colon + 1)));
        if (!range || bytes.length !== range[1]) return 'E22';
        return this.memory().write(range[0], bytes) ? 'OK' : 'E14';
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
      case 'T':
        return this.threadPacket(p);
      case 'v':
        return this.vPacket(p);
      case 'q':
      case 'Q':
        return this.query(p);
      default:
        return '';
    }
  }

  /** The memory `m`/`M`/`X` address: physical after Qqemu.PhyMemMode:1. */
  private memory(): MemoryAccess {
    return (this.physical && this.target.physicalMemory) || this.target.memory;
  }

  /**
   * Z0/Z1: software and hardware breakpoints are the same thing to a translator. Z2/Z3/Z4: write,
   * read and access watchpoints, where the target has them (an empty reply makes gdb fall back to
   * watching by single-stepping).
   */
  private breakpoint(p: string): string {
    const [type, addrHex, kindHex] = p.slice(1).split(',');
    const addr = hexBig(addrHex);
    if (addr >= 2n ** 64n) return 'E22';
    const insert = p[0] === 'Z';
    if (type === '0' || type === '1') {
      const kind = parseInt(kindHex ?? '0', 16);
      if (insert) this.target.addBreakpoint(addr, kind);
      else this.target.removeBreakpoint(addr, kind);
      return 'OK';
    }
    const watchKind = WATCH_TYPES[type ?? ''];
    const t = this.target;
    if (watchKind === undefined || !t.addWatchpoint || !t.removeWatchpoint) return '';
    const length = parseInt(kindHex!, 16);
    if (!insert) t.removeWatchpoint(watchKind, Number(addr), length);
    else if (!t.addWatchpoint(watchKind, Number(addr), length)) return 'E22';
    return 'OK';
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
      const features = [
        ...(this.multiprocess ? ['multiprocess+'] : []),
        `PacketSize=${PACKET_SIZE.toString(16)}`,
        'qXfer:features:read+',
        ...(this.target.auxv ? ['qXfer:auxv:read+'] : []),
        ...(this.target.execFile ? ['qXfer:exec-file:read+'] : []),
        'vContSupported+',
        'QStartNoAckMode+',
      ];
      return features.join(';');
    }
    // qemu-system's switch between virtual and physical memory for m/M/X (gdb: maintenance packet).
    if (this.target.physicalMemory && p === 'qqemu.PhyMemMode') return this.physical ? '1' : '0';
    if (this.target.physicalMemory && p.startsWith('Qqemu.PhyMemMode:')) {
      const mode = p.slice('Qqemu.PhyMemMode:'.length);
      if (mode !== '0' && mode !== '1') return 'E22';
      this.physical = mode === '1';
      return 'OK';
    }
    if (p === 'QStartNoAckMode') {
      // This packet itself was acknowledged; from its reply on, neither side acknowledges.
      this.noAck = true;
      return 'OK';
    }
    if (p.startsWith('qXfer:')) return this.xfer(p);
    if (p === 'qC') return `QC${tid}`;
    if (p === 'qfThreadInfo') return `m${this.threads().map((t) => this.threadId(t.id)).join(',')}`;
    if (p === 'qsThreadInfo') return 'l';
    // User mode: a process the stub started, which gdb's quit kills (as with qemu-user); system
    // mode: a machine gdb attached to, which goes on running after gdb quits (as with qemu-system).
    if (p.startsWith('qAttached')) return this.target.attached ? '1' : '0';
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
    else if (object === 'auxv' && this.target.auxv) data = Buffer.from(this.target.auxv());
    else if (object === 'exec-file' && this.target.execFile) data = Buffer.from(this.target.execFile(), 'utf8');
    else return 'E00';
    const [offset, length] = range.split(',').map((s) => parseInt(s, 16));
    const chunk = data.subarray(offset!, offset! + length!);
    return Buffer.concat([Buffer.from(offset! + length! >= data.length ? 'l' : 'm'), chunk]);
  }
}

/** The `addr,length` of a memory packet (hex), or undefined if malformed. */
function addressAndLength(text: string): [bigint, number] | undefined {
  const m = /^([0-9a-fA-F]{1,16}),([0-9a-fA-F]{1,8})$/.exec(text);
  return m ? [BigInt(`0x${m[1]}`), parseInt(m[2]!, 16)] : undefined;
}

/** A hex address from a packet (64-bit guests' addresses exceed a double's precision). */
function hexBig(text: string | undefined): bigint {
  // Malformed: an address no guest has, so the access fails with an error reply.
  return text !== undefined && /^[0-9a-fA-F]{1,16}$/.test(text) ? BigInt(`0x${text}`) : 2n ** 64n;
}

function hex2(n: number): string {
  return n.toString(16).padStart(2, '0');
}

/** A thread id as gdb writes it (`tid` or, with multiprocess, `p<pid>.<tid>`; `-1` is all), or undefined if malformed. */
function parseThreadId(text: string): number | undefined {
  const tid = text.startsWith('p') ? text.slice(text.indexOf('.') + 1) : text;
  if (tid === '-1') return -1;
  return /^[0-9a-fA-F]{1,8}$/.test(tid) ? parseInt(tid, 16) : undefined;
}
