/**
 * The HMP line editor, byte for byte QEMU's: every key is answered with the redraw QEMU's readline
 * sends (cursor back to the line's start with `ESC [ D`, the line, `ESC [ K`, then the cursor to its
 * place), over a socket as on a terminal, so a client that scripts the monitor sees the same echo.
 * Keys: printable bytes insert; Backspace/DEL, C-d and `ESC [ 3 ~` delete; C-a, C-e, `ESC [ 1 ~`,
 * `ESC [ 4 ~`, `ESC O H`, `ESC O F` go to the line's ends; arrows move and walk the history
 * (64 lines, repeated lines moved to its end); C-w deletes the word before the cursor; C-l clears
 * the screen; Tab completes from the caller's candidates; CR or LF ends the line.
 */

const PROMPT = '(qemu) ';
/** QEMU's command buffer holds 4095 bytes; keys past it are dropped. */
const MAX_LINE_BYTES = 4095;
const MAX_HISTORY = 64;
const TERMINAL_WIDTH = 80;

const enum EscapeState {
  None,
  /** After ESC. */
  Escape,
  /** After `ESC [` (or the one-byte CSI, 0x9b), collecting a numeric parameter. */
  Csi,
  /** After `ESC O`. */
  Ss3,
}

/** What Tab completes to: the candidates for the word before the cursor, which is `wordLength` bytes long. */
export interface Completions {
  candidates: string[];
  wordLength: number;
}

export class LineEditor {
  /** The line as bytes (latin1 string), and the cursor in it. */
  private line = '';
  private cursor = 0;
  /** What the terminal shows: the line as last drawn and the cursor's place in it. */
  private shown = '';
  private shownCursor = 0;
  private escape = EscapeState.None;
  private escapeParam = 0;
  private readonly history: string[] = [];
  /** The history line being edited, or -1 for a new line. */
  private historyIndex = -1;

  constructor(
    /** Sends text (latin1: one char per byte) to the client; `\n` becomes CRLF there. */
    private readonly print: (text: string) => void,
    private readonly complete: (lineBeforeCursor: string) => Completions,
  ) {}

  /** Whether no line is half typed. */
  get idle(): boolean {
    return this.line === '';
  }

  /** Prints the prompt and takes the line as drawn from the cursor's current place. */
  showPrompt(): void {
    this.print(PROMPT);
    this.shown = '';
    this.shownCursor = 0;
  }

  /** Forgets the line being typed (a new prompt follows). */
  restart(): void {
    this.line = '';
    this.cursor = 0;
    this.escape = EscapeState.None;
  }

  /** Handles one input byte; returns the finished line when the byte ended one. */
  key(byte: number): string | undefined {
    const finished = this.dispatch(byte);
    if (finished !== undefined) return finished;
    this.redraw();
    return undefined;
  }

  private dispatch(byte: number): string | undefined {
    switch (this.escape) {
      case EscapeState.Escape:
        this.escape = byte === 0x5b ? EscapeState.Csi : byte === 0x4f ? EscapeState.Ss3 : EscapeState.None;
        this.escapeParam = 0;
        return undefined;
      case EscapeState.Csi:
        this.csi(byte);
        return undefined;
      case EscapeState.Ss3:
        this.escape = EscapeState.None;
        if (byte === 0x46 /* F */) this.cursor = this.line.length;
        else if (byte === 0x48 /* H */) this.cursor = 0;
        return undefined;
      case EscapeState.None:
        return this.plain(byte);
    }
  }

  private plain(byte: number): string | undefined {
    switch (byte) {
      case 0x01: // C-a
        this.cursor = 0;
        break;
      case 0x04: // C-d
        this.deleteAtCursor();
        break;
      case 0x05: // C-e
        this.cursor = this.line.length;
        break;
      case 0x09: // Tab
        this.completion();
        break;
      case 0x0c: // C-l
        this.print('\x1b[2J\x1b[1;1H');
        this.showPrompt();
        break;
      case 0x0a:
      case 0x0d:
        return this.finish();
      case 0x17: // C-w
        this.deleteWordBack();
        break;
      case 0x1b:
        this.escape = EscapeState.Escape;
        break;
      case 0x08:
      case 0x7f:
        if (this.cursor > 0) {
          this.cursor--;
          this.deleteAtCursor();
        }
        break;
      case 0x9b:
        this.escape = EscapeState.Csi;
        this.escapeParam = 0;
        break;
      default:
        if (byte >= 0x20) this.insert(String.fromCharCode(byte));
    }
    return undefined;
  }

  private csi(byte: number): void {
    if (byte >= 0x30 && byte <= 0x39) {
      this.escapeParam = this.escapeParam * 10 + (byte - 0x30);
      return;
    }
    this.escape = EscapeState.None;
    switch (byte) {
      case 0x41: // A
      case 0x46: // F (as QEMU reads it: up)
        this.historyUp();
        break;
      case 0x42: // B
      case 0x45: // E
        this.historyDown();
        break;
      case 0x43: // C
        if (this.cursor < this.line.length) this.cursor++;
        break;
      case 0x44: // D
        if (this.cursor > 0) this.cursor--;
        break;
      case 0x7e: // ~
        if (this.escapeParam === 1) this.cursor = 0;
        else if (this.escapeParam === 3) this.deleteAtCursor();
        else if (this.escapeParam === 4) this.cursor = this.line.length;
        break;
    }
  }

  private insert(text: string): void {
    for (const ch of text) {
      if (this.line.length >= MAX_LINE_BYTES) return;
      this.line = this.line.slice(0, this.cursor) + ch + this.line.slice(this.cursor);
      this.cursor++;
    }
  }

  private deleteAtCursor(): void {
    if (this.cursor < this.line.length) this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1);
  }

  /** C-w: back over spaces, then over the word before them. */
  private deleteWordBack(): void {
    let start = this.cursor;
    while (start > 0 && this.line[start - 1] === ' ') start--;
    while (start > 0 && this.line[start - 1] !== ' ') start--;
    this.line = this.line.slice(0, start) + this.line.slice(this.cursor);
    this.cursor = start;
  }

  private historyUp(): void {
    if (this.historyIndex === 0) return;
    if (this.historyIndex === -1) this.historyIndex = this.history.length;
    this.historyIndex--;
    if (this.historyIndex >= 0) this.setLine(this.history[this.historyIndex]!);
  }

  private historyDown(): void {
    if (this.historyIndex === -1) return;
    this.historyIndex++;
    if (this.historyIndex < this.history.length) this.setLine(this.history[this.historyIndex]!);
    else {
      this.historyIndex = -1;
      this.setLine('');
    }
  }

  private setLine(text: string): void {
    this.line = text;
    this.cursor = text.length;
  }

  private finish(): string {
    const line = this.line;
    this.remember(line);
    this.print('\n');
    this.line = '';
    this.cursor = 0;
    this.shown = '';
    this.shownCursor = 0;
    return line;
  }

  /** Appends `line` to the history; a line already there moves to the end instead. */
  private remember(line: string): void {
    if (line === '') return;
    const known = this.history.indexOf(line);
    if (known >= 0) this.history.splice(known, 1);
    else if (this.history.length === MAX_HISTORY) this.history.shift();
    this.history.push(line);
    this.historyIndex = -1;
  }

  private completion(): void {
    const { candidates, wordLength } = this.complete(this.line.slice(0, this.cursor));
    if (candidates.length === 0) return;
    if (candidates.length === 1) {
      const only = candidates[0]!;
      this.insert(only.slice(wordLength));
      if (only.length > 0 && !only.endsWith('/')) this.insert(' ');
      return;
    }
    const sorted = [...candidates].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let common = sorted[0]!.length;
    for (const c of sorted) {
      common = Math.min(common, c.length);
      while (common > 0 && c.slice(0, common) !== sorted[0]!.slice(0, common)) common--;
    }
    this.insert(sorted[0]!.slice(wordLength, common));
    const width = Math.min(TERMINAL_WIDTH, Math.max(10, Math.max(...sorted.map((c) => c.length)) + 2));
    const columns = Math.floor(TERMINAL_WIDTH / width);
    let text = '\n';
    sorted.forEach((c, i) => {
      text += c.padEnd(width);
      if ((i + 1) % columns === 0 || i === sorted.length - 1) text += '\n';
    });
    this.print(text);
    this.showPrompt();
  }

  /** QEMU's readline_update: redraw the line if it changed, then move the cursor. */
  private redraw(): void {
    let out = '';
    if (this.line !== this.shown) {
      out += '\x1b[D'.repeat(this.shownCursor) + this.line + '\x1b[K';
      this.shown = this.line;
      this.shownCursor = this.line.length;
    }
    const delta = this.cursor - this.shownCursor;
    out += (delta > 0 ? '\x1b[C' : '\x1b[D').repeat(Math.abs(delta));
    this.shownCursor = this.cursor;
    if (out !== '') this.print(out);
  }
}
