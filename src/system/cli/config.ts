/**
 * Builds the emulator's configuration from the raw option lists of the command line, with QEMU's
 * rules: -chardev/-mon pairs, the -qmp/-monitor/-serial shorthands, -nographic's default HMP on
 * stdio, TLS credentials objects, and the machine. Errors name the option they came from, as QEMU
 * prints them ("-chardev TEXT: message").
 */
import { chardevSpecFromOptString } from '../chardev/from-opts';
import { backendFromShorthand } from '../chardev/shorthand';
import type { ChardevBackend, ChardevSpec } from '../chardev/spec';
import { tlsCredsFromObjectOpts, type TlsCreds } from '../chardev/tls-creds';
import type { MachineClass, MachineOptions } from '../machine/machine';
import { findMachine } from '../machine/registry';
import type { MonitorMode } from '../monitor/monitor';
import { checkAccelerators, checkMachineAccelerators } from './accel';
import type { BlockGraph } from '../block/graph';
import { blockGraphFrom } from './blockdev';
import { blockBackends, drivesFrom, virtioConfigFrom, type BlockBackendInfo, type Peripheral, type RawDeviceArgs } from './devices';
import { guestIdentityFrom, type GuestIdentity } from './identity';
import { fdSetEntryFrom, type FdSetEntry } from '../fd-sets';
import { checkAudiodev, checkHostOption } from './host-options';
import { checkMemoryBackend, isMemoryBackendType, memoryBackendFromObjectOpts, type MemoryBackend } from './memory-backend';
import { checkKeys, fromOption, OptsError, parseBool, parseQemuOpts, type QemuOpts } from './qemu-opts';
import { loadSecret, secretFromObjectOpts, type Secret } from './secret';
import { smpTopologyFrom } from './smp';
import { checkVga } from './vga';
import { commandLineWarning } from './warnings';

/** The keys -mon takes. */
export const MON_KEYS = ['chardev', 'mode', 'pretty', 'id'];
/** The keys -machine takes on every board; boards add their own (MachineClass.props). */
export const MACHINE_KEYS = ['type', 'accel'];
/** The machine's QOM properties every board has (QEMU does not list them with -machine's keys). */
const MACHINE_PROPS = ['memory-backend', 'usb', 'dump-guest-core'];

/** The options as the command line parser collected them, repeated ones in order. */
export interface RawSystemArgs extends RawDeviceArgs {
  /** -machine/-M, each occurrence in order (they merge, later keys winning). */
  machine: string[];
  chardev: string[];
  mon: string[];
  serial: string[];
  qmp: string[];
  qmpPretty: string[];
  monitor: string[];
  object: string[];
  display?: string;
  vga?: string;
  nographic: boolean;
  nodefaults: boolean;
  /** -name and -uuid (the last of each). */
  name?: string;
  uuid?: string;
  startPaused: boolean;
  /** -no-reboot: a reset request ends the emulator instead. */
  noReboot: boolean;
  /** -no-shutdown: the guest's power-off stops the VM instead of ending the emulator. */
  noShutdown: boolean;
  /** -no-acpi: the board's acpi=off. */
  noAcpi: boolean;
  /** The host-policy options (-overcommit, -rtc, -boot, -msg) as [option, text], checked only. */
  hostOptions: [string, string][];
  audiodev: string[];
  /** -add-fd, each occurrence. */
  addFd: string[];
  /** -gdb DEV (or -s): the chardev gdb connects through. */
  gdb?: string;
  daemonize: boolean;
  pidfile?: string;
  memory?: string;
  cpu?: string;
  kernel?: string;
  bios?: string;
  initrd?: string;
  append?: string;
  dtb?: string;
  /** -smp, each occurrence in order (they merge). */
  smp: string[];
  /** -accel, each occurrence in order (the first that works is used). */
  accel: string[];
}

export interface MonitorSpec {
  chardev: string;
  mode: MonitorMode;
  pretty: boolean;
}

/** A chardev and the option text it came from (for error messages). */
export interface ChardevEntry {
  spec: ChardevSpec;
  source: string;
}

/** A serial port's chardev. */
export interface SerialSpec {
  chardev: string;
}

export interface SystemConfig {
  machine: MachineClass;
  machineOptions: MachineOptions;
  /** Serial port n's chardev, by index. */
  serials: (SerialSpec | undefined)[];
  chardevs: ChardevEntry[];
  monitors: MonitorSpec[];
  tlsCreds: Map<string, TlsCreds>;
  /** The -object memory backends, in command-line order (query-memdev). */
  memoryBackends: MemoryBackend[];
  /** -machine memory-backend=ID: the backend that is the guest RAM. */
  ramBackend?: string;
  startPaused: boolean;
  noReboot: boolean;
  noShutdown: boolean;
  /** -add-fd's descriptors (opened as /dev/fdset/N). */
  fdSets: FdSetEntry[];
  identity: GuestIdentity;
  /** The -drive backends and what uses them (query-block). */
  blockBackends: BlockBackendInfo[];
  /** The -blockdev nodes and the devices on them. */
  blockGraph: BlockGraph;
  /** The -device devices' QOM places (qom-list). */
  peripherals: Peripheral[];
  /** The id of the chardev gdb connects through (-gdb, -s). */
  gdbChardev?: string;
  daemonize: boolean;
  pidfile?: string;
}

/**
 * The machine type and its properties (`-machine virt,dumpdtb=FILE`), merged over every -machine
 * (`-M virt -machine memory-backend=ram`, later keys winning), and whether one named an accelerator.
 */
function machineFrom(texts: readonly string[]): { machine: MachineClass; props: Map<string, string>; accel: boolean; memoryBackend?: string } {
  const opts: QemuOpts = new Map();
  for (const text of texts) for (const [key, value] of fromOption(`-machine ${text}`, () => parseQemuOpts(text, 'type'))) opts.set(key, value);
  const name = opts.get('type');
  if (name === undefined) throw new OptsError('No machine specified, and there is no default\nUse -machine help to list supported machines');
  const source = `-machine ${texts.join(',')}`;
  const machine = fromOption(source, () => {
    const m = findMachine(name);
    if (!m) throw new OptsError(`unsupported machine type "${name}"\nUse -machine help to list supported machines`);
    checkKeys(opts, [...MACHINE_KEYS, ...MACHINE_PROPS, ...(m.props ?? [])]);
    return m;
  });
  // The boards have no USB controller to create, and tsemu never dumps guest memory in a core file.
  // QEMU checks these when it sets the machine's properties, in words that do not name the option.
  for (const key of ['usb', 'dump-guest-core']) {
    const value = opts.get(key);
    if (value !== undefined) parseBool(key, value);
  }
  const props = new Map([...opts].filter(([key]) => !MACHINE_KEYS.includes(key) && !MACHINE_PROPS.includes(key)));
  const accel = opts.get('accel');
  if (accel !== undefined) checkMachineAccelerators(accel);
  const memoryBackend = opts.get('memory-backend');
  return { machine, props, accel: accel !== undefined, ...(memoryBackend !== undefined && { memoryBackend }) };
}

/** The -object options: TLS credentials, memory backends and secrets, by id (ids are unique among all objects). */
function objectsFrom(texts: readonly string[]): { tlsCreds: Map<string, TlsCreds>; memoryBackends: MemoryBackend[]; secrets: Secret[] } {
  const tlsCreds = new Map<string, TlsCreds>();
  const memoryBackends: MemoryBackend[] = [];
  const secrets: Secret[] = [];
  const ids = new Set<string>();
  const add = (source: string, id: string, message: string): void => {
    if (ids.has(id)) throw new OptsError(`${source}: ${message}`);
    ids.add(id);
  };
  for (const text of texts) {
    const source = `-object ${text}`;
    const type = fromOption(source, () => parseQemuOpts(text, 'qom-type').get('qom-type'));
    if (isMemoryBackendType(type)) {
      const backend = fromOption(source, () => memoryBackendFromObjectOpts(text));
      checkMemoryBackend(backend);
      add(source, backend.id, `Duplicate ID '${backend.id}' for object`);
      memoryBackends.push(backend);
    } else if (type === 'secret') {
      const spec = fromOption(source, () => secretFromObjectOpts(text));
      add(source, spec.id, `Duplicate ID '${spec.id}' for object`);
      secrets.push(loadSecret(spec));
    } else {
      const creds = fromOption(source, () => tlsCredsFromObjectOpts(text));
      add(source, creds.id, `attempt to add duplicate property '${creds.id}'`);
      tlsCreds.set(creds.id, creds);
    }
  }
  return { tlsCreds, memoryBackends, secrets };
}

/**
 * The guest RAM's size and host file: -machine memory-backend=ID's backend (whose size -m, if
 * given, must equal), else -m's size in the window's own memory.
 */
function ramFrom(
  memory: string | undefined,
  backendId: string | undefined,
  backends: readonly MemoryBackend[],
): Pick<MachineOptions, 'ramSize' | 'ramFile'> {
  const ramSize = ramSizeFrom(memory);
  if (backendId === undefined) return ramSize === undefined ? {} : { ramSize };
  const backend = backends.find((b) => b.id === backendId);
  if (!backend) throw new OptsError(`Memory backend '${backendId}' not found`);
  if (ramSize !== undefined && ramSize !== backend.size)
    throw new OptsError('Machine memory size does not match the size of the memory backend');
  return {
    ramSize: backend.size,
    ...(backend.memPath !== undefined && { ramFile: { path: backend.memPath, share: backend.share } }),
  };
}

/** -m SIZE: mebibytes by default, or with a K/M/G/T suffix (QEMU's size syntax). */
function ramSizeFrom(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const m = /^(?:size=)?(\d+(?:\.\d+)?)([KMGT]?)i?B?$/i.exec(text);
  if (!m) throw new OptsError(`-m ${text}: Parameter 'size' expects a non-negative number below 2^64`);
  const scale = { '': 2 ** 20, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2]!.toUpperCase()]!;
  return Math.floor(Number(m[1]) * scale);
}

/** The chardev QEMU makes for -gdb (query-chardev lists it under this label). */
const GDB_CHARDEV = 'gdb';

/**
 * -gdb DEV: a chardev in the shorthand syntax; a `tcp:` one becomes a server that does not wait
 * for gdb, as QEMU's gdbserver_start makes it (`tcp::1234` listens on every interface).
 */
function gdbBackend(device: string): ChardevBackend {
  return fromOption(`-gdb ${device}`, () => {
    const backend = backendFromShorthand('-gdb', device);
    if (device.startsWith('tcp:') && backend.type === 'socket') return { ...backend, server: true, wait: false, reconnect: 0 };
    return backend;
  });
}

export function buildSystemConfig(raw: RawSystemArgs): SystemConfig {
  checkVga(raw.vga);
  if (raw.display !== undefined && raw.display !== 'none') throw new OptsError(`-display ${raw.display}: Display '${raw.display}' is not available`);
  // Firmware may take a kernel (fw_cfg), but a command line or an initrd needs one.
  if (raw.kernel === undefined && raw.append !== undefined)
    throw new OptsError('-append only allowed with -kernel option');
  if (raw.kernel === undefined && raw.initrd !== undefined)
    throw new OptsError('-initrd only allowed with -kernel option');
  const { machine, props, accel, memoryBackend } = machineFrom(raw.machine);
  const tcg = checkAccelerators(raw.accel, accel);
  for (const [option, text] of raw.hostOptions) checkHostOption(option, text);
  for (const text of raw.audiodev) checkAudiodev(text);
  // As QEMU 7.2's, -no-acpi turns ACPI off on the boards that have it and is ignored by the others.
  if (raw.noAcpi && machine.props?.includes('acpi')) props.set('acpi', 'off');
  const { tlsCreds, memoryBackends } = objectsFrom(raw.object);
  const blockGraph = blockGraphFrom(raw.blockdev);
  const drives = drivesFrom(raw, machine, blockGraph);
  const { virtio, peripherals, attached } = virtioConfigFrom(raw, machine, drives.byId, blockGraph);
  const gdb = raw.gdb !== 'none' ? raw.gdb : undefined;
  const debugged = gdb !== undefined;
  // The gdb stub debugs the main thread's CPUs; a vCPU of thread=multi runs on a worker's copy of it.
  const multiThreaded = tcg.threads === 'multi' && !debugged;
  if (tcg.threads === 'multi' && debugged)
    commandLineWarning(
      'tsemu-system: warning: -gdb: the vCPUs run on one host thread (thread=single), where gdb reaches them\n',
    );
  const machineOptions: MachineOptions = {
    props,
    ...ramFrom(raw.memory, memoryBackend, memoryBackends),
    ...(raw.cpu !== undefined && { cpu: raw.cpu }),
    ...(raw.kernel !== undefined && { kernel: raw.kernel }),
    ...(raw.bios !== undefined && { bios: raw.bios }),
    ...(raw.initrd !== undefined && { initrd: raw.initrd }),
    ...(raw.append !== undefined && { append: raw.append }),
    ...(raw.dtb !== undefined && { dtb: raw.dtb }),
    ...(raw.nographic && { nographic: true }),
    ...(raw.smp.length > 0 && { smp: smpTopologyFrom(raw.smp, machine) }),
    ...(multiThreaded && { multiThreaded: true }),
    virtio,
    ...(drives.pflash.length > 0 && { pflash: drives.pflash }),
  };
  const serials: (SerialSpec | undefined)[] = [];

  const chardevs: ChardevEntry[] = raw.chardev.map((text) => {
    const source = `-chardev ${text}`;
    return { spec: fromOption(source, () => chardevSpecFromOptString(text)), source };
  });
  const monitors: MonitorSpec[] = raw.mon.map((text) =>
    fromOption(`-mon ${text}`, () => {
      const opts = parseQemuOpts(text, 'chardev', new Set(['pretty']));
      checkKeys(opts, MON_KEYS);
      const chardev = opts.get('chardev');
      if (chardev === undefined) throw new OptsError(`Parameter 'chardev' is missing`);
      const mode = opts.get('mode') ?? 'readline';
      if (mode !== 'control' && mode !== 'readline') throw new OptsError(`unknown monitor mode '${mode}'`);
      return { chardev, mode, pretty: parseBool('pretty', opts.get('pretty') ?? 'off') };
    }),
  );

  /** `mon:BACKEND`: serial port `index` and a monitor multiplexed on one chardev. */
  const addMuxedSerial = (index: number, text: string, source: string): void => {
    const backend = fromOption(source, () => backendFromShorthand('-serial', text.slice(4)));
    // On stdio, C-c goes to the guest (QEMU's compat syntax turns signals off there).
    if (backend.type === 'stdio') backend.signal = false;
    const id = `serial${index}`;
    chardevs.push({ spec: { id, backend, mux: true }, source });
    serials[index] = { chardev: id };
    monitors.push({ chardev: id, mode: 'readline', pretty: false });
  };

  let compatIndex = 0;
  const addShorthandMonitor = (option: string, text: string, mode: MonitorMode, pretty: boolean): void => {
    if (text === 'none') return;
    if (text.startsWith('chardev:')) {
      monitors.push({ chardev: text.slice(8), mode, pretty });
      return;
    }
    const id = `compat_monitor${compatIndex++}`;
    const backend = fromOption(`${option} ${text}`, () => backendFromShorthand(option, text, mode));
    chardevs.push({ spec: { id, backend }, source: `${option} ${text}` });
    monitors.push({ chardev: id, mode, pretty });
  };
  for (const text of raw.qmp) addShorthandMonitor('-qmp', text, 'control', false);
  for (const text of raw.qmpPretty) addShorthandMonitor('-qmp-pretty', text, 'control', true);
  for (const text of raw.monitor) addShorthandMonitor('-monitor', text, 'readline', false);
  const monitorGiven = raw.mon.length + raw.qmp.length + raw.qmpPretty.length + raw.monitor.length > 0;
  // QEMU refuses -nographic with -daemonize while a default device would be on stdio.
  const defaultDevices = [machine.parallelPort ?? false, machine.hasSerial && raw.serial.length === 0, !monitorGiven];
  if (raw.daemonize && raw.nographic && !raw.nodefaults && defaultDevices.some(Boolean))
    throw new OptsError('-nographic cannot be used with -daemonize');
  // -nographic puts the first serial port on stdio, shared with the default monitor (QEMU's
  // `-serial mon:stdio`, Ctrl-A escapes included) unless a monitor was given; on boards without a
  // serial port the default monitor has stdio to itself.
  const nographicSerial = raw.nographic && machine.hasSerial && raw.serial.length === 0 && !raw.nodefaults;
  if (nographicSerial && !monitorGiven) {
    addMuxedSerial(0, 'mon:stdio', '-nographic');
  } else if (nographicSerial) {
    chardevs.push({ spec: { id: 'serial0', backend: { type: 'stdio', signal: true } }, source: '-nographic' });
    serials[0] = { chardev: 'serial0' };
  } else if (raw.nographic && !monitorGiven && !raw.nodefaults) {
    addShorthandMonitor('-nographic', 'stdio', 'readline', false);
  }

  raw.serial.forEach((text, index) => {
    if (text === 'none') return;
    if (text.startsWith('chardev:')) {
      const id = text.slice(8);
      if (!chardevs.some((c) => c.spec.id === id)) throw new OptsError(`-serial ${text}: chardev "${id}" not found`);
      serials[index] = { chardev: id };
      return;
    }
    if (text.startsWith('mon:')) {
      addMuxedSerial(index, text, `-serial ${text}`);
      return;
    }
    const backend = fromOption(`-serial ${text}`, () => backendFromShorthand('-serial', text));
    chardevs.push({ spec: { id: `serial${index}`, backend }, source: `-serial ${text}` });
    serials[index] = { chardev: `serial${index}` };
  });

  let gdbChardev: string | undefined;
  if (gdb !== undefined) {
    gdbChardev = GDB_CHARDEV;
    chardevs.push({ spec: { id: GDB_CHARDEV, backend: gdbBackend(gdb) }, source: `-gdb ${gdb}` });
  }

  const seen = new Set<string>();
  for (const c of chardevs) {
    if (seen.has(c.spec.id)) throw new OptsError(`${c.source}: duplicate chardev id '${c.spec.id}'`);
    seen.add(c.spec.id);
  }
  for (const device of machineOptions.virtio?.devices ?? []) {
    if (device.model !== 'virtio-serial-device') continue;
    for (const port of device.ports)
      if (port.chardev !== undefined && !seen.has(port.chardev))
        throw new OptsError(`${port.source}: Property '${port.isConsole ? 'virtconsole' : 'virtserialport'}.chardev' can't find value '${port.chardev}'`);
  }
  const used = new Set<string>();
  for (const m of monitors) {
    if (!seen.has(m.chardev)) throw new OptsError(`-mon chardev=${m.chardev}: chardev "${m.chardev}" not found`);
    if (used.has(m.chardev)) throw new OptsError(`-mon chardev=${m.chardev}: Chardev '${m.chardev}' is busy`);
    used.add(m.chardev);
  }
  return {
    machine,
    machineOptions,
    serials,
    chardevs,
    monitors,
    tlsCreds,
    memoryBackends,
    ...(memoryBackend !== undefined && { ramBackend: memoryBackend }),
    startPaused: raw.startPaused,
    noReboot: raw.noReboot,
    noShutdown: raw.noShutdown,
    fdSets: raw.addFd.map((text) => fromOption(`-add-fd ${text}`, () => fdSetEntryFrom(text))),
    identity: guestIdentityFrom(raw.name, raw.uuid),
    blockBackends: blockBackends(drives, attached, machine),
    blockGraph,
    peripherals,
    ...(gdbChardev !== undefined && { gdbChardev }),
    daemonize: raw.daemonize,
    pidfile: raw.pidfile,
  };
}
