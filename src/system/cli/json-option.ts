/**
 * An option given as JSON (`-blockdev '{...}'`, `-audiodev '{...}'`), refused in QEMU's words:
 * its JSON parser's errors, as far as they can be told from V8's.
 */
import { OptsError } from './qemu-opts';

/** What V8's message says about where the parse stopped. */
function qemuMessage(text: string, v8: string): string {
  if (/after JSON/.test(v8)) return 'Expecting at most one JSON value';
  if (/end of JSON input/.test(v8)) return 'JSON parse error, premature EOI';
  const at = /at position (\d+)/.exec(v8);
  if (at) {
    const position = Number(at[1]);
    if (position >= text.length) return 'JSON parse error, premature EOI';
    const keyword = /^[A-Za-z_]\w*/.exec(text.slice(position));
    if (keyword) return `JSON parse error, invalid keyword '${keyword[0]}'`;
  }
  return 'JSON parse error, expecting value';
}

export function parseJsonOption(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new OptsError(qemuMessage(text, (e as Error).message));
  }
}
