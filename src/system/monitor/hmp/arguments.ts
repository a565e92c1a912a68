/**
 * HMP argument parsing as QEMU's monitor_parse_arguments does it, driven by each command's
 * `args_type` string (`fmt:/,addr:l`, `val:l,size:i,filename:s`, `name:S?`): `/` a dump format
 * `/[count][format][size]` (format and size remembered for the next command that leaves them out,
 * in QEMU across every monitor, here across one emulator's monitors), `i` a 32-bit expression, `l`
 * and `L` 64-bit ones, `s` one word or a double-quoted string (`F` a file name, read alike), `S` the
 * rest of the line, `-X` a flag `-X` (`-Xs`: followed by a string); `?` makes an argument optional. Anything left over is "extraneous characters". Failures carry QEMU's lines.
 */
import { readExpression, ExpressionError, type RegisterLookup } from './expression';

/** A `/fmt` argument: `size` is -1 for `i` (instructions) without a size. */
export interface DumpFormat {
  count: number;
  format: string;
  size: number;
}

/** The format and size QEMU's monitor remembers between commands. */
export interface FormatDefaults {
  format: string;
  size: number;
}

type Value = string | bigint | boolean | DumpFormat;

/** A parse failure; `message` is what QEMU prints before its `Try "help ..."` line. */
export class HmpArgumentError extends Error {}

export class HmpArgs {
  constructor(private readonly values: ReadonlyMap<string, Value>) {}

  string(name: string): string {
    return this.values.get(name) as string;
  }

  optionalString(name: string): string | undefined {
    return this.values.get(name) as string | undefined;
  }

  integer(name: string): bigint {
    return this.values.get(name) as bigint;
  }

  optionalInteger(name: string): bigint | undefined {
    return this.values.get(name) as bigint | undefined;
  }

  flag(name: string): boolean {
    return this.values.get(name) === true;
  }

  format(): DumpFormat {
    return this.values.get('/') as DumpFormat;
  }
}

const isSpace = (c: string | undefined): boolean => c !== undefined && /[ \t\n\v\f\r]/.test(c);

const FORMAT_SIZES: Record<string, number> = { b: 1, h: 2, w: 4, g: 8, L: 8 };

/** QEMU's get_str: one word, or a double-quoted string with \n \r \\ \' \" escapes. */
function readString(text: string, at: number): { value: string; end: number } | undefined {
  while (isSpace(text[at])) at++;
  if (at >= text.length) return undefined;
  if (text[at] !== '"') {
    const start = at;
    while (at < text.length && !isSpace(text[at])) at++;
    return { value: text.slice(start, at), end: at };
  }
  let value = '';
  const escapes: Record<string, string> = { n: '\n', r: '\r', '\\': '\\', "'": "'", '"': '"' };
  for (at++; at < text.length && text[at] !== '"'; at++) {
    if (text[at] !== '\\') value += text[at];
    else if (escapes[text[++at] ?? ''] !== undefined) value += escapes[text[at]!];
    else return undefined;
  }
  return at < text.length ? { value, end: at + 1 } : undefined;
}

function readFormat(text: string, at: number, defaults: FormatDefaults): { value: DumpFormat; end: number } {
  while (isSpace(text[at])) at++;
  if (text[at] !== '/') {
    const size = defaults.format === 'i' ? -1 : defaults.size;
    return { value: { count: 1, format: defaults.format, size }, end: at };
  }
  const digits = /^\d*/.exec(text.slice(++at))![0];
  at += digits.length;
  let format: string | undefined;
  let size: number | undefined;
  for (let c = text[at]; c !== undefined; c = text[++at]) {
    if ('oduxic'.includes(c)) format = c;
    else if (FORMAT_SIZES[c] !== undefined) size = FORMAT_SIZES[c];
    else break;
  }
  if (at < text.length && !isSpace(text[at]))
    throw new HmpArgumentError(`invalid char in format: '${text[at]}'`);
  format ??= defaults.format;
  if (format !== 'i') defaults.size = size ??= defaults.size;
  defaults.format = format;
  return { value: { count: digits === '' ? 1 : Number(digits), format, size: size ?? -1 }, end: at };
}

/**
 * Parses `text` (the line after the command's name) by `argsType`; `commandName` is QEMU's
 * cmd->name (`print|p`), which its messages quote.
 */
export function parseHmpArguments(
  argsType: string,
  commandName: string,
  text: string,
  defaults: FormatDefaults,
  register: RegisterLookup,
): HmpArgs {
  const values = new Map<string, Value>();
  let at = 0;
  for (const item of argsType === '' ? [] : argsType.split(',')) {
    const [key, type] = item.split(':') as [string, string];
    const optional = type.endsWith('?');
    while (isSpace(text[at])) at++;
    if (optional && at >= text.length) continue;
    switch (type[0]) {
      case '/': {
        const parsed = readFormat(text, at, defaults);
        values.set('/', parsed.value);
        at = parsed.end;
        break;
      }
      case 'i':
      case 'l':
      case 'L': {
        let parsed;
        try {
          parsed = readExpression(text, at, register);
        } catch (e) {
          if (e instanceof ExpressionError) throw new HmpArgumentError(e.message);
          throw e;
        }
        if (type[0] === 'i' && BigInt.asUintN(64, parsed.value) >> 32n !== 0n)
          throw new HmpArgumentError(`'${commandName}' has failed: integer is for 32-bit values`);
        values.set(key, parsed.value);
        at = parsed.end;
        break;
      }
      case '-': {
        if (text[at] !== '-') break;
        if (text[at + 1] !== type[1])
          throw new HmpArgumentError(`${commandName}: unsupported option -${text[at + 1] ?? ''}`);
        at += 2;
        if (type[2] !== 's') values.set(key, true);
        else {
          const parsed = readString(text, at);
          if (!parsed) throw new HmpArgumentError(`${commandName}: string expected`);
          values.set(key, parsed.value);
          at = parsed.end;
        }
        break;
      }
      case 'S':
        if (at >= text.length) throw new HmpArgumentError(`${commandName}: string expected`);
        values.set(key, text.slice(at));
        at = text.length;
        break;
      default: {
        const parsed = readString(text, at);
        const what = type[0] === 'F' ? 'filename' : 'string';
        if (!parsed) throw new HmpArgumentError(`${commandName}: ${what} expected`);
        values.set(key, parsed.value);
        at = parsed.end;
      }
    }
  }
  while (isSpace(text[at])) at++;
  if (at < text.length)
    throw new HmpArgumentError(`${commandName}: extraneous characters at the end of line`);
  return new HmpArgs(values);
}
