/**
 * A multiplexed chardev (`mux=on`, `-serial mon:stdio`, `-nographic`'s stdio): up to four frontends
 * share one backend. Everything they write goes out; input goes to the one holding the focus,
 * which is the last one attached at first (the serial port, attached after the monitor) and moves
 * on with `C-a c`. The other escapes are QEMU's: `C-a x` quits, `C-a h` or `C-a ?` lists the
 * escapes, `C-a t` toggles time stamps at the start of each output line, `C-a b` sends a break to
 * the focused frontend (a UART: Linux's magic SysRq), `C-a s` writes -snapshot disks' data back to
 * their files, `C-a C-a` sends C-a.
 * As QEMU's, the mux shows up in `info chardev` as `ID: filename=mux` over its backend `ID-base`.
 */
import { native } from '../../native';
import { ChardevError, Chardev, type CharFrontend } from './chardev';
import type { CharStream, StreamHandlers } from './stream';

const CTRL_A = 0x01;
const MAX_FRONTENDS = 4;
const HELP = [
  'h    print this help',
  'x    exit emulator',
  's    save disk data back to file (if -snapshot)',
  't    toggle console timestamps',
  'b    send break (magic sysrq)',
  'c    switch between console and monitor',
];

/** What the escapes that act on the emulator do. */
export interface MuxActions {
  /** `C-a x`. */
  quit(): void;
  /** `C-a s`: the guest's writes to -snapshot drives go to their image files. */
  commitDisks(): void;
}

/** One frontend's view of the shared backend stream; `focused` says whether it had the focus when it opened. */
class MuxStream implements CharStream {
  constructor(
    private readonly base: CharStream,
    private readonly mux: MuxChardev,
    readonly focused: boolean,
  ) {}

  get canReceiveFds(): boolean {
    return this.base.canReceiveFds;
  }

  get peer(): string {
    return this.base.peer;
  }

  start(): void {
    // Input is routed by the mux, to the handlers the frontend returned from open().
  }

  write(data: string | Buffer): void {
    this.mux.output(this.base, typeof data === 'string' ? Buffer.from(data) : data);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class MuxChardev extends Chardev {
  readonly backend = 'mux';
  readonly filename = 'mux';
  private readonly frontends: CharFrontend[] = [];
  /** Backend streams, each with the handlers of every frontend's view of it once started. */
  private readonly streamViews = new Map<CharStream, StreamHandlers[]>();
  /** Input that came before start(), per stream. */
  private readonly early = new Map<CharStream, Buffer[]>();
  private started = false;
  private actions: MuxActions = { quit: () => undefined, commitDisks: () => undefined };
  private focus = 0;
  private escapePending = false;
  private timestamps = false;
  private timestampsStart = -1;
  private lineStart = false;

  constructor(
    id: string,
    readonly base: Chardev,
  ) {
    super(id);
  }

  open(): Promise<void> {
    this.base.attachFrontend({ open: (stream) => this.openBase(stream) });
    return this.base.open();
  }

  override get frontendOpen(): boolean {
    return this.frontends.length > 0;
  }

  /** Each frontend attached takes the focus, as in QEMU, so the last one (the serial port) has it at start. */
  override attachFrontend(frontend: CharFrontend): void {
    if (this.frontends.length === MAX_FRONTENDS) throw new ChardevError(`Too many uses of chardevs multiplexer`);
    this.frontends.push(frontend);
    if (!this.started) {
      this.focus = this.frontends.length - 1;
      return;
    }
    for (const [stream, views] of this.streamViews) views.push(frontend.open(new MuxStream(stream, this, false)));
    this.setFocus(this.frontends.length - 1);
  }

  /**
   * Called once the machine's frontends are all attached (QEMU opens its muxes then): each frontend
   * now gets its view of the backend, knowing whether it has the focus.
   */
  start(actions: MuxActions): void {
    if (this.started) return;
    this.started = true;
    this.actions = actions;
    for (const stream of this.streamViews.keys()) this.openViews(stream);
  }

  override async close(): Promise<void> {
    await this.base.close();
  }

  protected release(): void {
    // The base chardev owns the backend.
  }

  /** A frontend's output, time-stamped while `C-a t` is on. */
  output(stream: CharStream, data: Buffer): void {
    if (!this.timestamps) {
      stream.write(data);
      return;
    }
    let out = '';
    for (const byte of data) {
      if (this.lineStart) {
        out += this.stamp();
        this.lineStart = false;
      }
      out += String.fromCharCode(byte);
      if (byte === 0x0a) this.lineStart = true;
    }
    stream.write(Buffer.from(out, 'latin1'));
  }

  private stamp(): string {
    const now = Date.now();
    if (this.timestampsStart < 0) this.timestampsStart = now;
    const ms = now - this.timestampsStart;
    const s = Math.floor(ms / 1000);
    const two = (n: number): string => String(n).padStart(2, '0');
    return `[${two(Math.floor(s / 3600))}:${two(Math.floor(s / 60) % 60)}:${two(s % 60)}.${String(ms % 1000).padStart(3, '0')}] `;
  }

  private openBase(stream: CharStream): StreamHandlers {
    this.streamViews.set(stream, []);
    if (this.started) this.openViews(stream);
    return {
      data: (chunk, fds) => {
        if (this.started) this.input(stream, chunk, fds);
        else {
          // Nothing could have asked for descriptors before the frontends opened.
          for (const fd of fds) native().closeFd(fd);
          this.early.set(stream, [...(this.early.get(stream) ?? []), chunk]);
        }
      },
      end: () => {
        const views = this.streamViews.get(stream) ?? [];
        this.streamViews.delete(stream);
        this.early.delete(stream);
        for (const view of views) view.end();
      },
    };
  }

  private openViews(stream: CharStream): void {
    const views = this.frontends.map((f, i) => f.open(new MuxStream(stream, this, i === this.focus)));
    this.streamViews.set(stream, views);
    for (const chunk of this.early.get(stream) ?? []) this.input(stream, chunk, []);
    this.early.delete(stream);
  }

  private setFocus(index: number): void {
    const old = this.focus;
    this.focus = index;
    if (old === index) return;
    for (const views of this.streamViews.values()) {
      views[old]?.focus?.(false);
      views[index]?.focus?.(true);
    }
  }

  /** Routes input to the focused frontend; descriptors that came with it go along with its first bytes. */
  private input(stream: CharStream, chunk: Buffer, fds: number[]): void {
    const forward: number[] = [];
    const deliver = (): void => {
      if (forward.length === 0 && fds.length === 0) return;
      const view = this.streamViews.get(stream)?.[this.focus];
      if (view) view.data(Buffer.from(forward.splice(0)), fds.splice(0));
      else for (const fd of fds.splice(0)) native().closeFd(fd);
      forward.length = 0;
    };
    for (const byte of chunk) {
      if (!this.escapePending) {
        if (byte === CTRL_A) this.escapePending = true;
        else forward.push(byte);
        continue;
      }
      this.escapePending = false;
      switch (byte) {
        case CTRL_A:
          forward.push(CTRL_A);
          break;
        case 0x68: // h
        case 0x3f: // ?
          stream.write(`\n\r${HELP.map((line) => `C-a ${line}\n\r`).join('')}C-a C-a  sends C-a\n\r`);
          break;
        case 0x78: // x
          deliver();
          stream.write('QEMU: Terminated\n\r');
          this.actions.quit();
          return;
        case 0x73: // s
          this.actions.commitDisks();
          break;
        case 0x62: // b
          deliver();
          this.streamViews.get(stream)?.[this.focus]?.break?.();
          break;
        case 0x63: // c
          deliver();
          if (this.frontends.length > 0) this.setFocus((this.focus + 1) % this.frontends.length);
          break;
        case 0x74: // t
          this.timestamps = !this.timestamps;
          this.timestampsStart = -1;
          this.lineStart = false;
          break;
      }
    }
    deliver();
  }
}
