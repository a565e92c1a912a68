/**
 * -drive, -device, -global and -snapshot, with QEMU's rules and messages: drives are raw images
 * (opened here, as QEMU opens them while reading its options, so a missing file is refused with
 * the option it came from); `if=none` drives are for -device, `if=pflash` ones fill the board's
 * flash banks by unit (the first free one when not given); virt's default `if=virtio` means a
 * virtio-blk-pci device and tsemu has no PCI; a device names an existing drive that no other
 * device uses; the only global property is virtio-mmio.force-legacy.
 */
import fs from 'node:fs';
import type { RawImage } from '../devices/virtio/raw-image';
import { BlockError } from '../block/errors';
import type { AttachedDevice, BlockGraph, BlockNode } from '../block/graph';
import { BlockStats } from '../block/stats';
import { openImage } from '../block/open-image';
import {
  SERIAL_PORT_MODELS,
  VIRTIO_MODELS,
  type DriveSpec,
  type SerialPortConfig,
  type VirtioConfig,
  type VirtioDeviceSpec,
} from '../devices/virtio/models';
import type { MachineClass } from '../machine/machine';
import { OptsError, parseBool, parseQemuOpts } from './qemu-opts';
import { commandLineWarning } from './warnings';

export interface RawDeviceArgs {
  blockdev: string[];
  drive: string[];
  device: string[];
  global: string[];
  snapshot: boolean;
}

/** The keys -drive takes. */
export const DRIVE_KEYS = [
  ...['file', 'if', 'format', 'id', 'read-only', 'readonly', 'snapshot', 'cache', 'media', 'discard'],
  ...['bus', 'unit'],
];
/** QEMU's PCI transports of the virtio devices tsemu has: known models, refused as on a board without PCI. */
const PCI_MODELS = ['virtio-blk-pci', 'virtio-rng-pci', 'virtio-serial-pci'];
const CACHE_MODES = ['writeback', 'none', 'writethrough', 'directsync', 'unsafe'];

function withSource<T>(source: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof OptsError || e instanceof BlockError) throw new OptsError(`${source}: ${e.message}`);
    throw e;
  }
}

/** A -drive's image: a regular file (QEMU's -drive refuses a directory in other words than -blockdev). */
function openDriveImage(file: string, readOnly: boolean, snapshot: boolean): RawImage {
  if (fs.existsSync(file) && fs.statSync(file).isDirectory())
    throw new OptsError(`'file' driver requires '${file}' to be a regular file`);
  return openImage(file, { readOnly, snapshot });
}

/**
 * What QEMU prints when it probed an image's format (a raw image here). QEMU also refuses writes
 * that would make sector 0 look like another format's header; tsemu does not.
 */
function probedFormatWarning(file: string): string {
  return (
    `WARNING: Image format was not specified for '${file}' and probing guessed raw.\n` +
    '         Automatically detecting the format is dangerous for raw images, write operations on block 0 will be restricted.\n' +
    "         Specify the 'raw' format explicitly to remove the restrictions.\n"
  );
}

/** A -drive and the interface it is for: if=none (a -device's) or a flash bank's unit (if=pflash). */
interface ParsedDrive {
  drive: DriveSpec;
  pflashUnit?: number;
}

/** The flash unit of an if=pflash drive: `unit` or the first free one, on bus 0 of the board's units. */
function pflashUnit(opts: Map<string, string>, machine: MachineClass, taken: ReadonlySet<number>): number {
  const bus = Number(opts.get('bus') ?? 0);
  let unit = opts.has('unit') ? Number(opts.get('unit')) : 0;
  if (!opts.has('unit')) while (taken.has(unit)) unit++;
  if (!Number.isInteger(bus) || bus < 0) throw new OptsError(`invalid bus number`);
  if (!Number.isInteger(unit) || unit < 0) throw new OptsError(`invalid unit number`);
  if (bus !== 0 || unit >= (machine.pflashUnits ?? 0))
    throw new OptsError(`machine type does not support if=pflash,bus=${bus},unit=${unit}`);
  if (taken.has(unit)) throw new OptsError(`drive with bus=0, unit=${unit} (index=-1) exists`);
  return unit;
}

function parseDrive(
  text: string,
  snapshotAll: boolean,
  index: number,
  machine: MachineClass,
  pflashTaken: ReadonlySet<number>,
): ParsedDrive {
  const source = `-drive ${text}`;
  return withSource(source, () => {
    const opts = parseQemuOpts(text);
    for (const key of opts.keys())
      if (!DRIVE_KEYS.includes(key))
        throw new OptsError(`Block format 'raw' does not support the option '${key}'`);
    const iface = opts.get('if') ?? 'virtio';
    if (iface === 'virtio')
      throw new OptsError(
        'if=virtio is a virtio-blk-pci device and tsemu has no PCI: ' +
          'use if=none,id=ID and -device virtio-blk-device,drive=ID',
      );
    if (iface !== 'none' && iface !== 'pflash') throw new OptsError(`machine type does not support if=${iface}`);
    const unit = iface === 'pflash' ? pflashUnit(opts, machine, pflashTaken) : undefined;
    const format = opts.get('format') ?? 'raw';
    if (format !== 'raw') throw new OptsError(`Unknown driver '${format}' (tsemu reads raw images only)`);
    const cache = opts.get('cache');
    if (cache !== undefined && !CACHE_MODES.includes(cache)) throw new OptsError(`invalid cache option`);
    const media = opts.get('media') ?? 'disk';
    if (media !== 'disk') throw new OptsError(`'${media}' invalid media`);
    // `readonly` is QEMU's older spelling of `read-only`.
    const readOnly = parseBool('read-only', opts.get('read-only') ?? opts.get('readonly') ?? 'off');
    const snapshot = snapshotAll || parseBool('snapshot', opts.get('snapshot') ?? 'off');
    const id = opts.get('id') ?? (unit !== undefined ? `pflash${unit}` : `none${index}`);
    const file = opts.get('file');
    if (unit !== undefined && (file === undefined || file === ''))
      throw new OptsError('A block device must be specified for "file"');
    const drive = {
      id,
      source,
      ...(file !== undefined && file !== '' && { image: openDriveImage(file, readOnly, snapshot) }),
    };
    if (drive.image && !opts.has('format')) commandLineWarning(probedFormatWarning(file!));
    return { drive, ...(unit !== undefined && { pflashUnit: unit }) };
  });
}

function checkProps(model: string, opts: Map<string, string>, props: readonly string[]): void {
  for (const key of opts.keys())
    if (key !== 'driver' && key !== 'id' && !props.includes(key))
      throw new OptsError(`Property '${model}.${key}' not found`);
}

const SERIAL_MAX_PORTS = 31;

/**
 * A port on the first virtio-serial device: console ports take number 0 while it is free, others
 * the lowest free number above.
 */
function serialPort(
  model: string,
  opts: Map<string, string>,
  devices: VirtioDeviceSpec[],
  source: string,
): void {
  const { isConsole, props } = SERIAL_PORT_MODELS.get(model)!;
  checkProps(model, opts, props);
  const bus = devices.find((d) => d.model === 'virtio-serial-device');
  if (!bus) throw new OptsError(`No 'virtio-serial-bus' bus found for device '${model}'`);
  const taken = new Set(bus.ports.map((p) => p.nr));
  const given = opts.get('nr');
  let nr = given === undefined ? (isConsole && !taken.has(0) ? 0 : 1) : Number(given);
  if (given === undefined) while (taken.has(nr)) nr++;
  if (!Number.isInteger(nr) || nr < 0)
    throw new OptsError(`Property '${model}.nr' doesn't take value '${given}'`);
  if (taken.has(nr)) throw new OptsError(`tried to add port ${nr} but it's already in use`);
  if (nr >= SERIAL_MAX_PORTS)
    throw new OptsError(`virtio-serial-bus: Out-of-range port id specified, max. allowed: ${SERIAL_MAX_PORTS - 1}`);
  const chardev = opts.get('chardev');
  const name = opts.get('name');
  const port: SerialPortConfig = {
    nr,
    isConsole,
    source,
    ...(chardev !== undefined && { chardev }),
    ...(name !== undefined && { name }),
  };
  bus.ports.push(port);
}

/** A -device as QOM places it: /machine/peripheral/ID, or /machine/peripheral-anon/device[N] without an id. */
export interface Peripheral {
  /** The QOM type (the -device model). */
  type: string;
  qomPath: string;
  /** How query-block names it: its id, or its QOM path. */
  qdev: string;
}

/** The devices' places, N counted over the -device options without an id in order, as QEMU does. */
class Peripherals {
  readonly list: Peripheral[] = [];
  private anonymous = 0;

  add(model: string, opts: Map<string, string>): Peripheral {
    const id = opts.get('id');
    const qomPath = id === undefined ? `/machine/peripheral-anon/device[${this.anonymous++}]` : `/machine/peripheral/${id}`;
    const peripheral = { type: model, qomPath, qdev: id ?? qomPath };
    this.list.push(peripheral);
    return peripheral;
  }
}

/** What the -device options build, in order, and what they share. */
interface DeviceContext {
  machine: MachineClass;
  drives: ReadonlyMap<string, DriveSpec>;
  graph: BlockGraph;
  devices: VirtioDeviceSpec[];
  /** The device (its qdev name) using each drive, by drive id. */
  attached: Map<string, AttachedDevice>;
  peripherals: Peripherals;
  /** The boot indexes taken. */
  bootIndexes: Set<number>;
}

/** One -device: a virtio device for a transport, or a port added to a virtio-serial device. */
function addDevice(text: string, ctx: DeviceContext): void {
  const source = `-device ${text}`;
  withSource(source, () => {
    const opts = parseQemuOpts(text, 'driver');
    const model = opts.get('driver') ?? '';
    const { qdev } = ctx.peripherals.add(model, opts);
    if (SERIAL_PORT_MODELS.has(model)) return serialPort(model, opts, ctx.devices, source);
    const props = VIRTIO_MODELS.get(model);
    if (PCI_MODELS.includes(model)) throw new OptsError(`No 'PCI' bus found for device '${model}'`);
    if (!props) throw new OptsError(`'${model}' is not a valid device model name`);
    if (!ctx.machine.virtioMmio) throw new OptsError(`No 'virtio-bus' bus found for device '${model}'`);
    checkProps(model, opts, props);
    if (model === 'virtio-rng-device') ctx.devices.push({ model });
    else if (model === 'virtio-serial-device') ctx.devices.push({ model, ports: [] });
    else ctx.devices.push(blkFrom(opts, ctx, qdev));
  });
}

const INT32 = 2 ** 31;

/** `bootindex`, checked as QEMU checks it: an int32, each one used once (the board's fw_cfg `bootorder` lists them). */
function bootIndexFrom(text: string | undefined, taken: Set<number>): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text)) throw new OptsError(`Parameter 'bootindex' expects integer`);
  const index = Number(text);
  if (index < -INT32 || index >= INT32) throw new OptsError(`Parameter 'bootindex' expects int32_t`);
  if (index >= 0 && taken.has(index)) throw new OptsError(`The bootindex ${index} has already been used`);
  taken.add(index);
  return index;
}

/**
 * virtio-blk-device `qdev`: `drive` names a -drive, which must have a medium and be free, or else
 * a block node, which the graph must let it use (recorded in `attached`, by drive id, or in the graph).
 */
function blkFrom(opts: Map<string, string>, ctx: DeviceContext, qdev: string): VirtioDeviceSpec & { model: 'virtio-blk-device' } {
  const bootIndex = bootIndexFrom(opts.get('bootindex'), ctx.bootIndexes);
  const name = opts.get('drive');
  if (name === undefined) throw new OptsError('drive property not set');
  const serial = opts.get('serial');
  const device = { qdev, stats: new BlockStats() };
  const blk = (drive: DriveSpec): VirtioDeviceSpec & { model: 'virtio-blk-device' } => ({
    model: 'virtio-blk-device',
    drive,
    stats: device.stats,
    ...(serial !== undefined && { serial }),
    ...(bootIndex !== undefined && { bootIndex }),
  });
  const drive = ctx.drives.get(name);
  if (drive) {
    if (ctx.attached.has(drive.id)) throw new OptsError(`Drive '${drive.id}' is already in use by another device`);
    if (!drive.image) throw new OptsError('Device needs media, but drive is empty');
    ctx.attached.set(drive.id, device);
    return blk(drive);
  }
  const node = ctx.graph.find(name);
  if (!node) throw new OptsError(`Property 'virtio-blk-device.drive' can't find value '${name}'`);
  ctx.graph.attachDevice(node, device);
  return blk({ id: node.name, image: node.deviceImage(), source: `-blockdev node-name=${node.name}` });
}

/** virtio-mmio.force-legacy from -global DRIVER.PROP=VALUE options (the last one wins). */
function legacyFrom(globals: readonly string[]): boolean {
  let legacy = true;
  for (const text of globals) {
    const m = /^([^.=]+)\.([^=]+)=(.*)$/.exec(text);
    if (!m) throw new OptsError(`-global ${text}: Invalid parameter '${text}'`);
    const [, driver, prop, value] = m;
    if (driver !== 'virtio-mmio' || prop !== 'force-legacy')
      throw new OptsError(`can't apply global ${text}: Property '${driver}.${prop}' not found`);
    try {
      legacy = parseBool(prop, value!);
    } catch (e) {
      if (e instanceof OptsError) throw new OptsError(`can't apply global ${text}: ${e.message}`);
      throw e;
    }
  }
  return legacy;
}

/** The -drive options: by id (for -device), and the flash banks' images by unit. */
export interface Drives {
  byId: ReadonlyMap<string, DriveSpec>;
  pflash: (RawImage | undefined)[];
  /** The flash unit of each if=pflash drive, by drive id. */
  pflashUnits: ReadonlyMap<string, number>;
  /** The root node of each drive's medium, by drive id. */
  media: ReadonlyMap<string, BlockNode>;
}

export function drivesFrom(raw: RawDeviceArgs, machine: MachineClass, graph: BlockGraph): Drives {
  const byId = new Map<string, DriveSpec>();
  const pflash: (RawImage | undefined)[] = [];
  const pflashUnits = new Map<string, number>();
  const media = new Map<string, BlockNode>();
  for (const [index, text] of raw.drive.entries()) {
    const pflashTaken = new Set(pflashUnits.values());
    const { drive, pflashUnit } = parseDrive(text, raw.snapshot, index, machine, pflashTaken);
    if (byId.has(drive.id)) throw new OptsError(`${drive.source}: Duplicate ID '${drive.id}' for drive`);
    withSource(drive.source, () => graph.reserveDeviceName(drive.id));
    if (drive.image) media.set(drive.id, graph.addDriveMedium(drive.image));
    byId.set(drive.id, drive);
    if (pflashUnit !== undefined) {
      pflashUnits.set(drive.id, pflashUnit);
      pflash[pflashUnit] = drive.image;
    }
  }
  return { byId, pflash, pflashUnits, media };
}

/**
 * The virtio devices of the command line and the transports' version; the devices' places, and
 * the device using each drive (its qdev name) by drive id.
 */
export function virtioConfigFrom(
  raw: RawDeviceArgs,
  machine: MachineClass,
  drives: ReadonlyMap<string, DriveSpec>,
  graph: BlockGraph,
): { virtio: VirtioConfig; peripherals: Peripheral[]; attached: ReadonlyMap<string, AttachedDevice> } {
  const ctx: DeviceContext = {
    machine,
    drives,
    graph,
    devices: [],
    attached: new Map(),
    peripherals: new Peripherals(),
    bootIndexes: new Set(),
  };
  for (const text of raw.device) addDevice(text, ctx);
  return { virtio: { devices: ctx.devices, legacy: legacyFrom(raw.global) }, peripherals: ctx.peripherals.list, attached: ctx.attached };
}

/** A -drive as query-block reports it. */
export interface BlockBackendInfo {
  id: string;
  /** The root node of its medium. */
  node?: BlockNode;
  /** The QOM path (or id) of the device using it, if any. */
  device?: string;
  /** Whether that device reports I/O errors (virtio-blk does, flash does not). */
  ioStatus: boolean;
  /** Its device's requests (none for flash, which QEMU does not account either). */
  stats: BlockStats;
}

/** The drives in command-line order with the devices using them: -device ones, or the board's flash banks. */
export function blockBackends(drives: Drives, attached: ReadonlyMap<string, AttachedDevice>, machine: MachineClass): BlockBackendInfo[] {
  return [...drives.byId.values()].map((drive) => {
    const unit = drives.pflashUnits.get(drive.id);
    const user = attached.get(drive.id);
    const device = unit !== undefined ? `${machine.flashPath}${unit}` : user?.qdev;
    const node = drives.media.get(drive.id);
    return {
      id: drive.id,
      ...(node && { node }),
      ...(device !== undefined && { device }),
      ioStatus: user !== undefined,
      stats: user?.stats ?? new BlockStats(),
    };
  });
}
