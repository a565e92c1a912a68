/**
 * QEMU-style command lines with yargs' parser: single-dash long options (`-strace`, `-chardev ...`),
 * every option either a flag or taking one string value (repeatable), no number or dot parsing.
 * The parser alone, not a yargs instance: building one, with its locale and usage machinery, took
 * about 10 ms of every start (a sixteenth of a static hello world's), and tsemu uses none of it.
 * Imported from yargs-parser itself, not through yargs/helpers: that loads all of yargs (its
 * factory, cliui, y18n, string-width, emoji-regex...), which the start-up snapshot then held
 * initialised (docs/performance.md, "sixth pass").
 */
import Parser from 'yargs-parser';

export interface QemuArgsSpec {
  /** Every option name. */
  readonly names: readonly string[];
  /** The names that take no value. */
  readonly flags: ReadonlySet<string>;
  /** Stop at the first non-option (the guest program: what follows are its arguments). */
  readonly stopAtNonOption: boolean;
  /** Names that are one option (`-M` and `-machine`): their values are collected together, in order. */
  readonly aliases?: Readonly<Record<string, readonly string[]>>;
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
  const args = Parser(argv, {
    boolean: spec.names.filter((name) => spec.flags.has(name)),
    string: spec.names.filter((name) => !spec.flags.has(name)),
    alias: Object.fromEntries(Object.entries(spec.aliases ?? {}).map(([name, others]) => [name, [...others]])),
    configuration: {
      'short-option-groups': false,
      'halt-at-non-option': spec.stopAtNonOption,
      'camel-case-expansion': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'boolean-negation': false,
    },
  });
  const known = new Set([...spec.names, '_']);
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
