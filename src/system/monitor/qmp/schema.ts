/**
 * The types of QMP arguments, return values and event data, in a small schema language covering
 * what tsemu's commands use (QAPI's builtins, enums, arrays, objects with optional members, simple
 * unions `{"type": ..., "data": {...}}`, flat unions tagged by a base member and alternates of an
 * object and a string, told apart by the JSON type of the value). The same
 * descriptions check arguments, with QEMU's messages, and make query-qmp-schema's introspection
 * (introspection.ts).
 */
import { QmpError } from './errors';

export type Builtin = 'str' | 'bool' | 'int' | 'number' | 'null' | 'any';

export type Schema =
  | Builtin
  | { enum: readonly string[] }
  | { array: Schema }
  | { object: Record<string, Member> }
  /** A QAPI simple union: `{"type": NAME, "data": <schema of NAME>}`. */
  | { union: Record<string, Schema> }
  /** A QAPI flat union: the `base` members, of which `tag` (an enum) selects more members. */
  | { base: Record<string, Member>; tag: string; variants: Record<string, Record<string, Member>> }
  /** A QAPI alternate (`name` for messages): a string, or a value of `object` (an object type or a flat union). */
  | { alternate: { object: Schema; name: string } };

export interface Member {
  schema: Schema;
  optional?: boolean;
}

export const required = (schema: Schema): Member => ({ schema });
export const optional = (schema: Schema): Member => ({ schema, optional: true });
/** An object type, written inline: `obj({name: required('str')})`. */
export const obj = (members: Record<string, Member>): Schema => ({ object: members });
/** The empty object, which commands without arguments take and commands without a result return. */
export const EMPTY: Schema = { object: {} };

const TYPE_NAMES: Record<'str' | 'bool' | 'int' | 'number' | 'null', string> = {
  str: 'string',
  bool: 'boolean',
  int: 'integer',
  number: 'number',
  null: 'null',
};

const BUILTIN_CHECKS: Record<keyof typeof TYPE_NAMES, (v: unknown) => boolean> = {
  str: (v) => typeof v === 'string',
  bool: (v) => typeof v === 'boolean',
  int: (v) => Number.isSafeInteger(v),
  number: (v) => typeof v === 'number',
  null: (v) => v === null,
};

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A member's path in messages: `cache.direct`. */
export function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function typeError(path: string, expected: string): QmpError {
  return QmpError.generic(`Invalid parameter type for '${path}', expected: ${expected}`);
}

function checkEnum(value: unknown, values: readonly string[], path: string): void {
  if (typeof value !== 'string') throw typeError(path, 'string');
  if (!values.includes(value)) throw QmpError.generic(`Parameter '${path}' does not accept value '${value}'`);
}

/** Throws a GenericError unless `value` matches `schema`; `path` names it in messages. */
export function check(value: unknown, schema: Schema, path: string): void {
  if (schema === 'any') return;
  if (typeof schema === 'string') {
    if (!BUILTIN_CHECKS[schema](value)) throw typeError(path, TYPE_NAMES[schema]);
    return;
  }
  if ('enum' in schema) {
    checkEnum(value, schema.enum, path);
    return;
  }
  if ('array' in schema) {
    if (!Array.isArray(value)) throw typeError(path, 'array');
    value.forEach((element, i) => check(element, schema.array, `${path}[${i}]`));
    return;
  }
  if ('alternate' in schema) {
    if (typeof value === 'string') return;
    if (!isObject(value)) throw typeError(path, schema.alternate.name);
    check(value, schema.alternate.object, path);
    return;
  }
  if (!isObject(value)) throw typeError(path, 'object');
  if ('object' in schema) {
    checkMembers(value, schema.object, path);
    return;
  }
  if ('union' in schema) {
    checkMembers(value, { type: required('str'), data: required('any') }, path);
    const variant = schema.union[value['type'] as string];
    if (!variant) throw QmpError.generic(`Parameter '${join(path, 'type')}' does not accept value '${String(value['type'])}'`);
    check(value['data'], variant, join(path, 'data'));
    return;
  }
  if (value[schema.tag] === undefined) throw QmpError.generic(`Parameter '${join(path, schema.tag)}' is missing`);
  checkEnum(value[schema.tag], Object.keys(schema.variants), join(path, schema.tag));
  checkMembers(value, { ...schema.base, ...schema.variants[value[schema.tag] as string] }, path);
}

/** Checks the members of an object (a command's arguments when `path` is ''). */
export function checkMembers(value: Record<string, unknown>, members: Record<string, Member>, path: string): void {
  for (const key of Object.keys(value)) {
    if (!(key in members)) throw QmpError.generic(`Parameter '${join(path, key)}' is unexpected`);
  }
  for (const [key, m] of Object.entries(members)) {
    if (value[key] === undefined) {
      if (!m.optional) throw QmpError.generic(`Parameter '${join(path, key)}' is missing`);
      continue;
    }
    check(value[key], m.schema, join(path, key));
  }
}
