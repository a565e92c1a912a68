/**
 * The QOM composition tree as far as tsemu has its objects, for qom-list and qom-get: `/objects`
 * (the memory backends, -object TLS credentials), `/machine` with `peripheral` and `peripheral-anon`
 * (the -device devices, by id or as device[N]) and `unattached`, and `/chardevs`. Objects have
 * their `type` and their children; their other QOM properties are not modelled.
 */
import type { Emulator } from '../../emulator';
import { memoryBackendObjects } from './memory-backends';
import { machineQomType } from './qom-types';

export interface QomNode {
  type: string;
  children: Map<string, QomNode>;
}

const node = (type: string, children: [string, QomNode][] = []): QomNode => ({ type, children: new Map(children) });

export function qomTree(emulator: Emulator): QomNode {
  const objects = node('container', [
    ...memoryBackendObjects(emulator).flatMap(({ id, backend }): [string, QomNode][] => (id === undefined ? [] : [[id, node(backend.type)]])),
    ...[...emulator.tlsCreds.keys()].map((id): [string, QomNode] => [id, node('tls-creds-x509')]),
  ]);
  const peripherals = (under: string): QomNode =>
    node(
      'container',
      emulator.guest.peripherals
        .filter((p) => p.qomPath.startsWith(`${under}/`))
        .map((p): [string, QomNode] => [p.qomPath.slice(under.length + 1), node(p.type)]),
    );
  const machine = node(machineQomType(emulator.machineClass), [
    ['peripheral', peripherals('/machine/peripheral')],
    ['peripheral-anon', peripherals('/machine/peripheral-anon')],
    ['unattached', node('container')],
  ]);
  const chardevs = node('container', emulator.allChardevs().map((c): [string, QomNode] => [c.id, node(`chardev-${c.backend}`)]));
  return node('container', [
    ['objects', objects],
    ['machine', machine],
    ['chardevs', chardevs],
  ]);
}

/** The object at an absolute path (`/machine/peripheral/blk0`), if there is one. */
export function findQomNode(root: QomNode, path: string): QomNode | undefined {
  if (!path.startsWith('/')) return undefined;
  let at: QomNode | undefined = root;
  for (const part of path.split('/').filter((p) => p !== '')) at = at?.children.get(part);
  return at;
}
