/**
 * QOM queries: over the types tsemu has (qom-types.ts) qom-list-types, device-list-properties and
 * qom-list-properties, with QEMU's errors for unknown and abstract types; over its objects
 * (qom-tree.ts) qom-list and qom-get, which know each object's `type` and children.
 */
import type { CommandContext, QmpCommand } from '../command';
import { QmpError } from '../errors';
import { classProperties, deviceProperties, findQomType, isA, QOM_TYPES, type QomType } from '../qom-types';
import { findQomNode, qomTree, type QomNode } from '../qom-tree';
import { obj, optional, required } from '../schema';

const PROPERTY_INFO_LIST = {
  array: obj({ name: required('str'), type: required('str'), description: optional('str'), 'default-value': optional('any') }),
};

/** The object at `path` (absolute), or QEMU's DeviceNotFound. */
function objectAt(ctx: CommandContext, path: string): QomNode {
  const found = findQomNode(qomTree(ctx.emulator), path);
  if (!found) throw new QmpError('DeviceNotFound', `Device '${path}' not found`);
  return found;
}

/** The type `typename` names, or QEMU's DeviceNotFound ("Device 'X' not found", "Class 'X' not found"). */
function namedType(args: Record<string, unknown>, kind: 'Device' | 'Class'): QomType {
  const name = args['typename'] as string;
  const type = findQomType(name);
  if (!type) throw new QmpError('DeviceNotFound', `${kind} '${name}' not found`);
  return type;
}

export const QOM_COMMANDS: QmpCommand[] = [
  {
    name: 'qom-list-types',
    params: { implements: optional('str'), abstract: optional('bool') },
    returns: { array: obj({ name: required('str'), abstract: optional('bool'), parent: optional('str') }) },
    run: (_ctx, args) => {
      const withAbstract = (args['abstract'] as boolean | undefined) ?? false;
      const ancestor = args['implements'] as string | undefined;
      return QOM_TYPES.filter((t) => (withAbstract || !t.abstract) && (ancestor === undefined || isA(t, ancestor))).map((t) => ({
        name: t.name,
        ...(t.abstract && { abstract: true }),
        ...(t.parent !== undefined && { parent: t.parent }),
      }));
    },
  },
  {
    name: 'device-list-properties',
    params: { typename: required('str') },
    returns: PROPERTY_INFO_LIST,
    run: (_ctx, args) => {
      const type = namedType(args, 'Device');
      if (type.abstract || !isA(type, 'device')) throw QmpError.generic("Parameter 'typename' expects a non-abstract device type");
      return deviceProperties(type);
    },
  },
  {
    name: 'qom-list-properties',
    params: { typename: required('str') },
    returns: PROPERTY_INFO_LIST,
    run: (_ctx, args) => classProperties(namedType(args, 'Class')),
  },
  {
    name: 'qom-list',
    params: { path: required('str') },
    returns: PROPERTY_INFO_LIST,
    run: (ctx, args) => {
      const object = objectAt(ctx, args['path'] as string);
      return [{ name: 'type', type: 'string' }, ...[...object.children].map(([name, child]) => ({ name, type: `child<${child.type}>` }))];
    },
  },
  {
    name: 'qom-get',
    params: { path: required('str'), property: required('str') },
    returns: 'any',
    run: (ctx, args) => {
      const path = args['path'] as string;
      const property = args['property'] as string;
      const object = objectAt(ctx, path);
      if (property === 'type') return object.type;
      // A child property reads as the child's path.
      if (object.children.has(property)) return `${path.replace(/\/$/, '')}/${property}`;
      throw QmpError.generic(`Property '${object.type}.${property}' not found`);
    },
  },
];
