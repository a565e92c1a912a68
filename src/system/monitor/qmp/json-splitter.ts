/**
 * Splits a QMP input byte stream into top-level JSON texts. QMP is not line based: a client may
 * send objects back to back, split anywhere, with or without newlines, so values are delimited by
 * tracking brackets and strings. Limits keep a hostile client from exhausting memory: a value
 * longer than MAX_VALUE_CHARS or nested deeper than MAX_NESTING is skipped to its end and
 * reported once as an error.
 */

/** Longest value kept, in UTF-16 units (QEMU's own lexer caps a token at 64 MiB). */
export const MAX_VALUE_CHARS = 16 * 1024 * 1024;
/** Deepest nesting accepted (QEMU's MAX_NESTING). */
export const MAX_NESTING = 1024;

export type SplitItem = { kind: 'value'; text: string } | { kind: 'error'; message: string };

const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const SCALAR_END = new Set([' ', '\t', '\r', '\n', '{', '[', '"', '}', ']']);

type State = 'between' | 'structure' | 'scalar';

export class JsonSplitter {
  private state: State = 'between';
  private parts: string[] = [];
  private length = 0;
  private depth = 0;
  private inString = false;
  private escaped = false;
  private discardReason: string | undefined;

  /** Feeds text; returns the values (and errors) completed by it, in order. */
  push(text: string): SplitItem[] {
    const out: SplitItem[] = [];
    let start = 0;
    let i = 0;
    const keep = (end: number): void => this.keep(text.slice(start, end));
    while (i < text.length) {
      const c = text[i]!;
      if (this.state === 'between') {
        if (WHITESPACE.has(c)) {
          i++;
          continue;
        }
        if (c === '}' || c === ']') {
          out.push({ kind: 'error', message: `JSON parse error, expecting value` });
          i++;
          continue;
        }
        start = i;
        this.state = c === '{' || c === '[' || c === '"' ? 'structure' : 'scalar';
        if (c === '"') this.inString = true;
        else if (c === '{' || c === '[') this.depth = 1;
        i++;
        continue;
      }
      if (this.state === 'scalar') {
        if (SCALAR_END.has(c)) {
          keep(i);
          out.push(this.finish());
          continue;
        }
        i++;
        continue;
      }
      i++;
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') {
          this.inString = false;
          if (this.depth === 0) {
            keep(i);
            out.push(this.finish());
          }
        }
        continue;
      }
      if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') {
        this.depth++;
        if (this.depth > MAX_NESTING && this.discardReason === undefined) this.discardReason = `JSON parse error, too deep nesting (limit ${MAX_NESTING})`;
      } else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 0) {
          keep(i);
          out.push(this.finish());
        }
      }
    }
    if (this.state !== 'between') keep(text.length);
    return out;
  }

  private keep(slice: string): void {
    if (this.discardReason !== undefined) return;
    this.length += slice.length;
    if (this.length > MAX_VALUE_CHARS) {
      this.discardReason = `JSON parse error, value too long (limit ${MAX_VALUE_CHARS} characters)`;
      this.parts = [];
      return;
    }
    this.parts.push(slice);
  }

  private finish(): SplitItem {
    const item: SplitItem =
      this.discardReason !== undefined ? { kind: 'error', message: this.discardReason } : { kind: 'value', text: this.parts.join('') };
    this.state = 'between';
    this.parts = [];
    this.length = 0;
    this.depth = 0;
    this.inString = false;
    this.escaped = false;
    this.discardReason = undefined;
    return item;
  }

  /** Whether part of a value is buffered (descriptors received with it must wait for its end). */
  get pending(): boolean {
    return this.state !== 'between';
  }
}
