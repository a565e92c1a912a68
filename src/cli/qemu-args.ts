/**
 * QEMU-style command lines with yargs: single-dash long options (`-strace`, `-chardev ...`), every
 * option either a flag or taking one string value (repeatable), no number or dot parsing.
 */
import yargs from 'yargs/yargs';

export interface QemuArgsSpec {
  /** Every option name. */
  readonly names: readonly string[];
  /** The names that take no value. */
  readonly flags: ReadonlySet<string>;
  /** Stop at the first non-option (the guest program: what follows are its arguments). */
  readonly stopAtNonOption: boolean;
}

export interface QemuArgs {
  /** Option values by name (string, string[] when repeated, or boolean for flags). */
  readonly values: Record<string, unknown>;
  /** Non-option arguments, in order. */
  readonly positional: string[];
  /** The first option that is not in the spec, if any. */
  readonly unknown: string | undefined;
}

export function parseQemuArgs(argv: string[], spec: QemuArgsSpec): QemuArgs {
  const parser = yargs(argv)
    .parserConfiguration({
      'short-option-groups': false,
      'halt-at-non-option': spec.stopAtNonOption,
      'camel-case-expansion': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'boolean-negation': false,
    })
    .help(false)
    .version(false)
    .strict(false);
  for (const name of spec.names) parser.option(name, spec.flags.has(name) ? { type: 'boolean' } : { type: 'string' });
  const args = parser.parseSync();
  const known = new Set([...spec.names, '_', '$0']);
  return {
    values: args,
    positional: args._.map(String),
    unknown: Object.keys(args).find((key) => !known.has(key)),
  };
}

/** An option's values as a list (absent: empty; given once: one element). */
export function list(v: unknown): string[] {
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}
