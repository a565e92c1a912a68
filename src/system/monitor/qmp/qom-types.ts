/**
 * The QOM types tsemu-system has, in QEMU's names and hierarchy, for qom-list-types,
 * device-list-properties and qom-list-properties: the machines (`virt-7.2-machine` under the
 * abstract `virt-machine`), the target's CPU models, the -device models, the boards' built-in
 * devices, the chardev backends, the TLS credentials object, the RAM backend, the QOM tree's
 * containers and the TCG accelerator, with the abstract types above them. Properties are the ones tsemu accepts, described as QEMU describes them.
 */
import { BACKEND_TYPES } from '../../chardev/spec';
import { SERIAL_PORT_MODELS, VIRTIO_MODELS } from '../../devices/virtio/models';
import type { MachineClass } from '../../machine/machine';
import { MEMORY_BACKEND_KEYS, MEMORY_BACKEND_TYPES } from '../../cli/memory-backend';
import { MACHINES } from '../../machine/registry';
import { SYSTEM_TARGET } from '../../target';

export interface QomType {
  name: string;
  parent?: string;
  abstract?: boolean;
  /** What -device, -machine or -object take for it (besides `type`). */
  properties: readonly string[];
}

export interface QomPropertyInfo {
  name: string;
  type: string;
  description?: string;
  'default-value'?: unknown;
}

/** QEMU's description of each property a type here has. */
const PROPERTY_INFO: Record<string, Omit<QomPropertyInfo, 'name'>> = {
  type: { type: 'string' },
  drive: { type: 'str', description: 'Node name or ID of a block device to use as a backend' },
  serial: { type: 'str' },
  bootindex: { type: 'int32' },
  chardev: { type: 'str', description: 'ID of a chardev to use as a backend' },
  name: { type: 'str' },
  nr: { type: 'uint32', 'default-value': 4294967295 },
  dumpdtb: { type: 'string', description: 'Dump current dtb to a file and quit' },
  'gic-version': { type: 'string', description: 'Set GIC version. Valid values are 2, 3, 4, host and max' },
  acpi: { type: 'OnOffAuto', description: 'Enable ACPI' },
  'memory-backend': { type: 'link<memory-backend>', description: 'Set RAM backendValid value is ID of hostmem based backend' },
  share: { type: 'bool', description: 'Mark the memory as private to QEMU or shared' },
  size: { type: 'int', description: 'Size of the memory region (ex: 500M)' },
  prealloc: { type: 'bool', description: 'Preallocate memory' },
  'mem-path': { type: 'string' },
};

/** Parents of the boards' device types and of the abstract types, as in QEMU. */
const PARENTS: Record<string, string> = {
  pl011: 'sys-bus-device',
  pl031: 'sys-bus-device',
  'virtio-mmio': 'sys-bus-device',
  'cfi.pflash01': 'sys-bus-device',
  arm_gic: 'arm_gic_common',
  'arm-gicv3': 'arm-gicv3-common',
  fw_cfg_mem: 'fw_cfg',
  arm_gic_common: 'sys-bus-device',
  'arm-gicv3-common': 'sys-bus-device',
  fw_cfg: 'sys-bus-device',
  'chardev-file': 'chardev-fd',
  'chardev-stdio': 'chardev-fd',
  'chardev-fd': 'chardev',
  'sys-bus-device': 'device',
  'virtio-device': 'device',
  'virtio-serial-port': 'device',
  cpu: 'device',
  device: 'object',
  machine: 'object',
  chardev: 'object',
  'tls-creds': 'object',
  'memory-backend': 'object',
};

const abstractType = (name: string): QomType => ({ name, abstract: true, properties: [], ...(PARENTS[name] && { parent: PARENTS[name] }) });

/** The QOM type of a machine: `virt-7.2-machine`, `none-machine`. */
export function machineQomType(m: MachineClass): string {
  return `${m.qemuName ?? m.name}-machine`;
}

function machineTypes(m: MachineClass): QomType[] {
  const properties = [...(m.props ?? []), 'memory-backend'];
  if (m.qemuName === undefined) return [{ name: machineQomType(m), parent: 'machine', properties }];
  return [
    { name: `${m.name}-machine`, parent: 'machine', abstract: true, properties },
    { name: machineQomType(m), parent: `${m.name}-machine`, properties },
  ];
}

function buildTypes(): QomType[] {
  const abstract = ['object', 'device', 'sys-bus-device', 'machine', 'cpu', 'virtio-device', 'virtio-serial-port', 'chardev', 'chardev-fd', 'tls-creds', 'memory-backend'];
  const boardDevices = [...new Set(MACHINES.flatMap((m) => m.deviceTypes ?? []))];
  const deviceParents = [...new Set(boardDevices.map((d) => PARENTS[d]!))].filter((p) => !abstract.includes(p));
  return [
    ...[...abstract, ...deviceParents].map(abstractType),
    ...SYSTEM_TARGET.cpuTypeAncestors.map((t) => ({ ...t, abstract: true, properties: [] })),
    ...SYSTEM_TARGET.cpuModels.map((m) => ({
      name: `${m}${SYSTEM_TARGET.cpuTypeSuffix}`,
      parent: SYSTEM_TARGET.cpuTypeAncestors[SYSTEM_TARGET.cpuTypeAncestors.length - 1]!.name,
      properties: [],
    })),
    ...MACHINES.flatMap(machineTypes),
    ...[...VIRTIO_MODELS].map(([name, properties]) => ({ name, parent: 'virtio-device', properties })),
    // virtconsole is a kind of virtserialport, as in QEMU.
    ...[...SERIAL_PORT_MODELS].map(([name, m]) => ({ name, parent: m.isConsole ? 'virtserialport' : 'virtio-serial-port', properties: m.props })),
    ...boardDevices.map((name) => ({ name, parent: PARENTS[name]!, properties: [] })),
    ...[...BACKEND_TYPES, 'mux'].map((b) => ({ name: `chardev-${b}`, parent: PARENTS[`chardev-${b}`] ?? 'chardev', properties: [] })),
    { name: 'tls-creds-x509', parent: 'tls-creds', properties: [] },
    // The containers of the QOM tree (qom-tree.ts) and the memory backends (-object, query-memdev).
    { name: 'container', parent: 'object', properties: [] },
    ...MEMORY_BACKEND_TYPES.map((name) => ({ name, parent: 'memory-backend', properties: MEMORY_BACKEND_KEYS[name] })),
    // The accelerator -machine accel= takes: TCG is what tsemu's translator stands for.
    { name: 'accel', parent: 'object', properties: [] },
    { name: 'tcg-accel', parent: 'accel', properties: [] },
  ];
}

export const QOM_TYPES: readonly QomType[] = buildTypes();

export function findQomType(name: string): QomType | undefined {
  return QOM_TYPES.find((t) => t.name === name);
}

/** Whether `type` is `ancestor` or one of its subtypes. */
export function isA(type: QomType, ancestor: string): boolean {
  for (let t: QomType | undefined = type; t; t = t.parent === undefined ? undefined : findQomType(t.parent)) {
    if (t.name === ancestor) return true;
  }
  return false;
}

/** The type's properties as device-list-properties lists them: with their default values. */
export function deviceProperties(type: QomType): QomPropertyInfo[] {
  return type.properties.map((name) => ({ name, ...PROPERTY_INFO[name]! }));
}

/** The type's properties as qom-list-properties lists them: `type` (every object has it), no defaults. */
export function classProperties(type: QomType): QomPropertyInfo[] {
  return ['type', ...type.properties].map((name) => {
    const { 'default-value': _default, ...info } = PROPERTY_INFO[name]!;
    return { name, ...info };
  });
}
