/**
 * QEMU's option-string syntax (QemuOpts), as used by -chardev, -mon, -object and -machine:
 * comma-separated `key=value` items where `,,` stands for a literal comma, the first item may be
 * a bare value for an implied key (the backend name of -chardev), a bare `key` means `key=on`
 * and a bare `nokey` means `key=off` (the legacy `server`/`nowait` spellings).
 */

/** A malformed option string or value; the message is QEMU's wording where QEMU has one. */
export class OptsError extends Error {}

/** Parsed options: keys in the order given; a repeated key keeps its last value, as in QEMU. */
export type QemuOpts = Map<string, string>;

/** Splits on single commas, turning `,,` into `,`. */
function splitItems(text: string): string[] {
  const items: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c !== ',') {
      current += c;
    } else if (text[i + 1] === ',') {
      current += ',';
      i++;
    } else {
      items.push(current);
      current = '';
    }
  }
  items.push(current);
  return items;
}

/**
 * Parses `text`. When `impliedKey` is given, a first item without `=` is that key's value.
 * `flagKeys` lists the keys that may be written bare (`server`) or negated (`nowait`).
 */
export function parseQemuOpts(text: string, impliedKey?: string, flagKeys: ReadonlySet<string> = new Set()): QemuOpts {
  const opts: QemuOpts = new Map();
  splitItems(text).forEach((item, index) => {
    if (item === '') {
      if (index === 0 && impliedKey === undefined) throw new OptsError(`Invalid parameter ''`);
      return;
    }
    const eq = item.indexOf('=');
    if (eq >= 0) {
      opts.set(item.slice(0, eq), item.slice(eq + 1));
    } else if (index === 0 && impliedKey !== undefined) {
      opts.set(impliedKey, item);
    } else if (flagKeys.has(item)) {
      opts.set(item, 'on');
    } else if (item.startsWith('no') && flagKeys.has(item.slice(2))) {
      opts.set(item.slice(2), 'off');
    } else {
      throw new OptsError(`Invalid parameter '${item}'`);
    }
  });
  return opts;
}

/** A boolean option value, accepting QEMU's spellings. */
export function parseBool(key: string, value: string): boolean {
  if (['on', 'yes', 'true', 'y'].includes(value)) return true;
  if (['off', 'no', 'false', 'n'].includes(value)) return false;
  throw new OptsError(`Parameter '${key}' expects 'on' or 'off'`);
}

/** Runs `f`, naming the option it came from (`source`) in its refusal, as QEMU prints them. */
export function fromOption<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OptsError && !e.message.startsWith(source)) throw new OptsError(`${source}: ${e.message}`);
    throw e;
  }
}

/** Fails on any key outside `allowed`, with QEMU's message. */
export function checkKeys(opts: QemuOpts, allowed: readonly string[]): void {
  for (const key of opts.keys()) {
    if (!allowed.includes(key)) throw new OptsError(`Invalid parameter '${key}'`);
  }
}
