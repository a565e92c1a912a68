/**
 * Argument checking for QMP commands, with QEMU's messages: a small schema language covering
 * what the commands here take (strings, booleans, integers, objects with optional members, and
 * QAPI flat unions `{"type": ..., "data": {...}}`).
 */
import { QmpError } from './errors';

export type Schema =
  | 'str'
  | 'bool'
  | 'int'
  | 'any'
  | { object: Record<string, Member> }
  /** A QAPI simple union: `{"type": NAME, "data": <schema of NAME>}`. */
  | { union: Record<string, Schema> };

export interface Member {
  schema: Schema;
  optional?: boolean;
}

export const required = (schema: Schema): Member => ({ schema });
export const optional = (schema: Schema): Member => ({ schema, optional: true });

const TYPE_NAMES: Record<'str' | 'bool' | 'int', string> = { str: 'string', bool: 'boolean', int: 'integer' };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

/** Throws a GenericError unless `value` matches `schema`; `path` names it in messages. */
export function check(value: unknown, schema: Schema, path: string): void {
  if (schema === 'any') return;
  if (schema === 'str' || schema === 'bool' || schema === 'int') {
    const ok =
      schema === 'str' ? typeof value === 'string' : schema === 'bool' ? typeof value === 'boolean' : Number.isSafeInteger(value);
    if (!ok) throw QmpError.generic(`Invalid parameter type for '${path}', expected: ${TYPE_NAMES[schema]}`);
    return;
  }
  if (!isObject(value)) throw QmpError.generic(`Invalid parameter type for '${path}', expected: object`);
  if ('object' in schema) {
    checkMembers(value, schema.object, path);
    return;
  }
  checkMembers(value, { type: required('str'), data: required('any') }, path);
  const variant = schema.union[value['type'] as string];
  if (!variant) throw QmpError.generic(`Parameter '${join(path, 'type')}' does not accept value '${String(value['type'])}'`);
  check(value['data'], variant, join(path, 'data'));
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
