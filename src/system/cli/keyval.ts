/**
 * QEMU's keyval syntax (util/keyval.c), as -blockdev takes it: QemuOpts items whose dotted keys
 * build nested objects (`cache.direct=on` is `{"cache": {"direct": "on"}}`), then typed the way
 * QEMU's keyval input visitor types them, by the schema: booleans from on/off, integers from
 * digits, strings kept. What the schema refuses is left for its check, so both syntaxes get the
 * same messages.
 */
import { join, type Member, type Schema } from '../monitor/qmp/schema';
import { OptsError, parseBool, parseQemuOpts } from './qemu-opts';

type Tree = { [key: string]: string | Tree };

/** `text`'s items as a tree of strings; `impliedKey` names a first item without `=`. */
function keyvalTree(text: string, impliedKey: string): Tree {
  const root: Tree = {};
  for (const [key, value] of parseQemuOpts(text, impliedKey)) {
    const parts = key.split('.');
    let node = root;
    parts.forEach((part, i) => {
      const prefix = parts.slice(0, i + 1).join('.');
      const existing = node[part];
      if (i === parts.length - 1) {
        if (typeof existing === 'object') throw new OptsError(`Parameters '${prefix}.*' used inconsistently`);
        node[part] = value;
      } else if (typeof existing === 'string') {
        throw new OptsError(`Parameters '${prefix}.*' used inconsistently`);
      } else {
        node = existing ?? (node[part] = {});
      }
    });
  }
  return root;
}

/** The members `value` has under `schema` (a flat union's variant chosen by its tag, when valid). */
function membersOf(schema: Schema, value: Tree): Record<string, Member> | undefined {
  if (typeof schema !== 'object') return undefined;
  if ('object' in schema) return schema.object;
  if ('base' in schema) {
    const tag = value[schema.tag];
    const variant = typeof tag === 'string' ? schema.variants[tag] : undefined;
    return { ...schema.base, ...variant };
  }
  return undefined;
}

/** `value` typed by `schema` where keyval can say (QEMU's keyval visitor's messages). */
function typed(value: string | Tree, schema: Schema, path: string): unknown {
  if (typeof value === 'string') {
    if (schema === 'bool') return parseBool(path, value);
    if (schema === 'int') {
      if (!/^-?\d+$/.test(value)) throw new OptsError(`Parameter '${path}' expects integer`);
      return Number(value);
    }
    return value;
  }
  const target = typeof schema === 'object' && 'alternate' in schema ? schema.alternate.object : schema;
  const members = membersOf(target, value);
  if (!members) return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, v]) => [key, key in members ? typed(v, members[key]!.schema, join(path, key)) : v]),
  );
}

/** `text` in keyval syntax as a value of `schema` (an object type or flat union) for its check. */
export function keyvalObject(text: string, schema: Schema, impliedKey: string): Record<string, unknown> {
  return typed(keyvalTree(text, impliedKey), schema, '') as Record<string, unknown>;
}
