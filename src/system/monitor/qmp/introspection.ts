/**
 * query-qmp-schema: the commands and events tsemu has, with the types of their arguments, results
 * and data, in QEMU's SchemaInfo format (docs/interop/qmp-spec and qapi/introspect.json). As in
 * QEMU, types other than the builtins are named by numbers ("0" is the empty object) and arrays
 * `[ELEMENT]`; structurally equal types share one entry. The descriptions are the ones that check
 * arguments, so the introspection says what tsemu accepts, not what QEMU does.
 */
import type { Builtin, Member, Schema } from './schema';
import { EMPTY, obj, optional, required } from './schema';

export interface Introspectable {
  name: string;
  params: Record<string, Member>;
  boxed?: Schema;
  returns: Schema;
}

export interface EventType {
  name: string;
  data: Schema;
}

const STRINGS: Schema = { array: 'str' };
const FEATURES = { features: optional(STRINGS) };

/** SchemaInfo itself, query-qmp-schema's element type. */
export const SCHEMA_INFO: Schema = {
  base: {
    name: required('str'),
    'meta-type': required({ enum: ['builtin', 'enum', 'array', 'object', 'alternate', 'command', 'event'] }),
    ...FEATURES,
  },
  tag: 'meta-type',
  variants: {
    builtin: { 'json-type': required({ enum: ['string', 'number', 'int', 'boolean', 'null', 'object', 'array', 'value'] }) },
    enum: { members: required({ array: obj({ name: required('str'), ...FEATURES }) }), values: required(STRINGS) },
    array: { 'element-type': required('str') },
    object: {
      members: required({ array: obj({ name: required('str'), type: required('str'), default: optional('any'), ...FEATURES }) }),
      tag: optional('str'),
      variants: optional({ array: obj({ case: required('str'), type: required('str') }) }),
    },
    alternate: { members: required({ array: obj({ type: required('str') }) }) },
    command: { 'arg-type': required('str'), 'ret-type': required('str'), 'allow-oob': optional('bool') },
    event: { 'arg-type': required('str') },
  },
};

type SchemaInfo = Record<string, unknown> & { name: string };

const JSON_TYPES: Record<Builtin, string> = { str: 'string', bool: 'boolean', int: 'int', number: 'number', null: 'null', any: 'value' };

class TypeTable {
  readonly entries: SchemaInfo[] = [];
  private readonly byShape = new Map<string, string>();
  private next = 0;

  /** The name of `schema`'s entry, adding it (and the types it refers to) if new. */
  name(schema: Schema): string {
    if (typeof schema === 'string') return this.add(schema, { 'meta-type': 'builtin', 'json-type': JSON_TYPES[schema] });
    if ('enum' in schema)
      return this.add(undefined, { 'meta-type': 'enum', members: schema.enum.map((name) => ({ name })), values: [...schema.enum] });
    if ('array' in schema) {
      const element = this.name(schema.array);
      return this.add(`[${element}]`, { 'meta-type': 'array', 'element-type': element });
    }
    if ('object' in schema) return this.add(undefined, { 'meta-type': 'object', members: this.members(schema.object) });
    if ('alternate' in schema)
      return this.add(undefined, { 'meta-type': 'alternate', members: [{ type: this.name(schema.alternate.object) }, { type: this.name('str') }] });
    if ('union' in schema) {
      const wrapped = Object.fromEntries(Object.entries(schema.union).map(([k, data]) => [k, { data: { schema: data } }]));
      return this.name({ base: { type: { schema: { enum: Object.keys(schema.union) } } }, tag: 'type', variants: wrapped });
    }
    const variants = Object.entries(schema.variants).map(([c, members]) => ({ case: c, type: this.name({ object: members }) }));
    return this.add(undefined, { 'meta-type': 'object', members: this.members(schema.base), tag: schema.tag, variants });
  }

  private members(members: Record<string, Member>): Record<string, unknown>[] {
    return Object.entries(members).map(([name, m]) => ({ name, type: this.name(m.schema), ...(m.optional && { default: null }) }));
  }

  /** An entry named `fixed`, or numbered in order of appearance; one per shape. */
  private add(fixed: string | undefined, info: Record<string, unknown>): string {
    const shape = JSON.stringify(info);
    const known = this.byShape.get(shape);
    if (known !== undefined) return known;
    const name = fixed ?? String(this.next++);
    this.byShape.set(shape, name);
    this.entries.push({ name, ...info });
    return name;
  }
}

/** query-qmp-schema's return value for these commands and events. */
export function schemaInfo(commands: readonly Introspectable[], events: readonly EventType[]): SchemaInfo[] {
  const types = new TypeTable();
  types.name(EMPTY);
  const entries: SchemaInfo[] = [
    ...commands.map((c) => ({
      name: c.name,
      'meta-type': 'command',
      'arg-type': types.name(c.boxed ?? { object: c.params }),
      'ret-type': types.name(c.returns),
    })),
    ...events.map((e) => ({ name: e.name, 'meta-type': 'event', 'arg-type': types.name(e.data) })),
  ];
  return [...entries, ...types.entries];
}
