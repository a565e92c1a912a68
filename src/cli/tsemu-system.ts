/**
 * Command line of tsemu-system, in QEMU's syntax (single-dash long options, repeatable
 * -chardev/-mon/-object...). Parsing only: the configuration is built by src/system/cli/config.ts
 * and run by src/system/run.ts.
 */
import { tierUpForLongRuns } from './js-tiering';
import { list, parseQemuArgs } from './qemu-args';
import { ACCEL_HELP, isAccelHelp } from '../system/cli/accel';
import { buildSystemConfig, type RawSystemArgs } from '../system/cli/config';
import { OptsError } from '../system/cli/qemu-opts';
import { HOST_OPTIONS } from '../system/cli/host-options';
import { machineHelp } from '../system/machine/registry';
import { runSystem } from '../system/run';
import { versionText } from '../system/version';

interface OptionSpec {
  name: string;
  arg?: string;
  help: string;
}

const OPTIONS: OptionSpec[] = [
  { name: 'h', help: 'display this help and exit' },
  { name: 'help', help: '' },
  { name: 'version', help: 'display version information and exit' },
  { name: 'M', arg: 'machine', help: 'select emulated machine (-M help for list)' },
  { name: 'machine', arg: 'type=name', help: 'selects emulated machine' },
  { name: 'm', arg: 'size', help: 'configure guest RAM' },
  { name: 'accel', arg: 'tcg[,thread=single|multi]', help: 'select accelerator (only tcg; thread=multi runs as single: see docs/smp.md)' },
  { name: 'cpu', arg: 'cpu', help: 'select CPU (-M virt: cortex-a57)' },
  { name: 'smp', arg: '[cpus=]n[,maxcpus=cpus][,sockets=sockets][,clusters=clusters][,cores=cores][,threads=threads]', help: 'set the number of CPUs to \'n\' [default=1]' },
  { name: 'kernel', arg: 'bzImage', help: 'use \'bzImage\' as kernel image (arm64 Image or ELF)' },
  { name: 'bios', arg: 'file', help: 'set the filename for the BIOS (-M virt: loaded into the first flash bank)' },
  { name: 'initrd', arg: 'file', help: 'use \'file\' as initial ram disk' },
  { name: 'append', arg: 'cmdline', help: 'use \'cmdline\' as kernel command line' },
  { name: 'dtb', arg: 'file', help: 'use \'file\' as device tree image' },
  { name: 'name', arg: '[guest=]name[,process=name][,debug-threads=on|off]', help: 'set the name of the guest (query-name)' },
  { name: 'uuid', arg: '%08x-%04x-%04x-%04x-%012x', help: 'specify machine UUID (query-uuid)' },
  { name: 'blockdev', arg: 'driver=file,filename=F,node-name=N[,read-only=on]|driver=raw,file=N,node-name=M|JSON', help: 'a block node (file or raw)' },
  { name: 'drive', arg: 'file=FILE,if=none|virtio,format=raw,id=ID[,readonly=on][,snapshot=on]', help: 'a raw disk image' },
  { name: 'device', arg: 'virtio-blk-device,drive=ID|virtio-rng-device|virtio-serial-device|virtconsole,chardev=ID', help: 'add a virtio device' },
  { name: 'global', arg: 'virtio-mmio.force-legacy=on|off', help: 'virtio-mmio version 1 (default) or 2' },
  { name: 'snapshot', help: 'write to temporary files instead of disk image files' },
  { name: 'no-reboot', help: 'exit instead of rebooting' },
  { name: 'object', arg: 'tls-creds-x509,id=id,dir=dir,endpoint=server|client,verify-peer=on|off', help: 'TLS credentials' },
  { name: 'chardev', arg: 'backend,id=id[,...]', help: 'character device: socket (path=|host=,port=|fd=N), stdio, file, null, pty' },
  { name: 'mon', arg: '[chardev=]name[,mode=readline|control][,pretty=on|off]', help: 'monitor on a chardev' },
  { name: 'qmp', arg: 'dev', help: 'like -mon with mode=control (no fd=; use -chardev/-mon)' },
  { name: 'qmp-pretty', arg: 'dev', help: 'like -qmp with pretty JSON' },
  { name: 'monitor', arg: 'dev', help: 'redirect the monitor to char device \'dev\'' },
  { name: 'serial', arg: 'dev', help: 'redirect the serial port to char device \'dev\'' },
  { name: 'nographic', help: 'no graphical output; the default monitor is on stdio' },
  { name: 'display', arg: 'none', help: 'select display backend type (only none)' },
  { name: 'vga', arg: 'none', help: 'select video card type (the boards have none)' },
  { name: 'nodefaults', help: 'don\'t create default devices' },
  { name: 'no-user-config', help: 'do not load default user-provided config files (tsemu reads none)' },
  { name: 'S', help: 'freeze CPU at startup (use \'c\' to start execution)' },
  { name: 'gdb', arg: 'dev', help: 'accept gdb connection on \'dev\' (tcp::PORT, tcp:HOST:PORT, unix:PATH)' },
  { name: 's', help: 'shorthand for -gdb tcp::1234' },
  { name: 'daemonize', help: 'daemonize the emulator after initializing' },
  { name: 'pidfile', arg: 'file', help: 'write PID to \'file\'' },
  { name: 'add-fd', arg: 'fd=fd,set=set[,opaque=opaque]', help: 'add fd to an fd set (opened as /dev/fdset/set)' },
  { name: 'no-shutdown', help: 'stop before shutdown (the guest\'s power-off stops the VM instead of ending tsemu)' },
  { name: 'no-acpi', help: 'disable ACPI (-M virt: acpi=off)' },
  { name: 'overcommit', arg: 'mem-lock=off,cpu-pm=off', help: 'checked (tsemu never locks guest memory)' },
  { name: 'rtc', arg: 'base=utc[,clock=host|rt|vm][,driftfix=none|slew]', help: 'checked (the RTC reads the host\'s UTC clock)' },
  { name: 'boot', arg: '[order=drives][,strict=on|off][,...]', help: 'checked (-kernel or -bios boots; no boot menu)' },
  { name: 'msg', arg: 'timestamp=on|off[,guest-name=on|off]', help: 'checked (messages are not stamped)' },
  { name: 'audiodev', arg: 'none,id=id', help: 'checked (no sound device; only the none driver)' },
];

const FLAGS = new Set(['h', 'help', 'version', 'nographic', 'nodefaults', 'S', 's', 'daemonize', 'snapshot', 'no-reboot', 'no-shutdown', 'no-acpi', 'no-user-config']);

function usage(): string {
  const lines = ['usage: tsemu-system [options]', ''];
  for (const o of OPTIONS) {
    if (o.help) lines.push(`-${o.name}${o.arg ? ' ' + o.arg : ''}\n                ${o.help}`);
  }
  return lines.join('\n');
}

function last(v: unknown): string | undefined {
  const all = list(v);
  return all[all.length - 1];
}

/** -s is -gdb tcp::1234; when both are given the later one wins, as in QEMU. */
function gdbDevice(argv: string[], s: boolean, gdb: string | undefined): string | undefined {
  if (!s) return gdb;
  if (gdb === undefined) return 'tcp::1234';
  const at = (names: string[]): number => Math.max(...names.map((n) => argv.lastIndexOf(n)));
  return at(['-s', '--s']) > at(['-gdb', '--gdb']) ? 'tcp::1234' : gdb;
}

type Parsed = RawSystemArgs | 'help' | 'version' | 'machine-help' | 'accel-help';

/** Parses argv (without node and script). */
export function parseSystemArgs(argv: string[]): Parsed {
  const parsed = parseQemuArgs(argv, {
    names: OPTIONS.map((o) => o.name),
    flags: FLAGS,
    stopAtNonOption: false,
    aliases: { machine: ['M'] },
  });
  if (parsed.unknown !== undefined) throw new OptsError(`-${parsed.unknown}: invalid option`);
  if (parsed.positional.length > 0) throw new OptsError(`${parsed.positional[0]}: invalid option`);
  const args = parsed.values;
  if (args['h'] || args['help']) return 'help';
  if (args['version']) return 'version';
  const machine = list(args['machine']);
  if (machine.some((text) => text === 'help' || text === '?')) return 'machine-help';
  const accel = list(args['accel']);
  if (accel.some(isAccelHelp)) return 'accel-help';
  return {
    machine,
    chardev: list(args['chardev']),
    mon: list(args['mon']),
    serial: list(args['serial']),
    qmp: list(args['qmp']),
    qmpPretty: list(args['qmp-pretty']),
    monitor: list(args['monitor']),
    object: list(args['object']),
    display: last(args['display']),
    vga: last(args['vga']),
    nographic: Boolean(args['nographic']),
    nodefaults: Boolean(args['nodefaults']),
    name: last(args['name']),
    uuid: last(args['uuid']),
    startPaused: Boolean(args['S']),
    noReboot: Boolean(args['no-reboot']),
    noShutdown: Boolean(args['no-shutdown']),
    noAcpi: Boolean(args['no-acpi']),
    hostOptions: HOST_OPTIONS.flatMap((option) => list(args[option]).map((text): [string, string] => [option, text])),
    audiodev: list(args['audiodev']),
    addFd: list(args['add-fd']),
    gdb: gdbDevice(argv, Boolean(args['s']), last(args['gdb'])),
    daemonize: Boolean(args['daemonize']),
    pidfile: last(args['pidfile']),
    memory: last(args['m']),
    cpu: last(args['cpu']),
    smp: list(args['smp']),
    accel,
    kernel: last(args['kernel']),
    bios: last(args['bios']),
    initrd: last(args['initrd']),
    append: last(args['append']),
    dtb: last(args['dtb']),
    blockdev: list(args['blockdev']),
    drive: list(args['drive']),
    device: list(args['device']),
    global: list(args['global']),
    snapshot: Boolean(args['snapshot']),
  };
}

/** Entry of bin/tsemu-system. */
export function main(): void {
  tierUpForLongRuns();
  let parsed: Parsed;
  let config: ReturnType<typeof buildSystemConfig>;
  try {
    parsed = parseSystemArgs(process.argv.slice(2));
    if (parsed === 'help') {
      process.stdout.write(usage() + '\n');
      process.exit(0);
    }
    if (parsed === 'version') {
      process.stdout.write(`QEMU emulator version ${versionText()}\nCopyright (c) 2026 the tsemu developers\n`);
      process.exit(0);
    }
    if (parsed === 'machine-help') {
      process.stdout.write(machineHelp() + '\n');
      process.exit(0);
    }
    if (parsed === 'accel-help') {
      process.stdout.write(ACCEL_HELP);
      process.exit(0);
    }
    config = buildSystemConfig(parsed);
  } catch (e) {
    if (e instanceof OptsError) {
      process.stderr.write(`tsemu-system: ${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  runSystem(config, process.argv.slice(1)).catch((e: unknown) => {
    process.stderr.write(`tsemu-system: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  });
}
