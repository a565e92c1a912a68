/**
 * The command line libvirt 9.0 gives a guest it starts (`virsh start` of a type='qemu' aarch64 virt
 * domain with a direct kernel boot and its serial port in a log file, as libvirtd's log shows it) and
 * the QMP commands it sends then, under tsemu-system-aarch64 and qemu-system-aarch64: the same
 * replies and events, the same serial output in the file passed with -add-fd, and -no-shutdown's
 * stop at the guest's power-off (SHUTDOWN, then STOP, status `shutdown`; cont refused until
 * system_reset, which makes it `prelaunch`) until quit.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { killAll, startWithQmp, tempDir, withTimeout, type Message } from '../system/harness';
import { QEMU_SYSTEM, TSEMU_SYSTEM, VIRT_ARGS, bareMetalProgram, expectSameRefusal } from './bare-metal';

afterEach(killAll);

function libvirtArgs(dir: string): string[] {
  const key = path.join(dir, 'master-key.aes');
  fs.writeFileSync(key, Buffer.alloc(32, 7));
  return [
    ...['-name', 'guest=tsemu-echo,debug-threads=on', '-S'],
    ...['-object', `secret,id=masterKey0,format=raw,file=${key}`],
    ...['-machine', 'virt-7.2,usb=off,gic-version=2,dump-guest-core=off,memory-backend=mach-virt.ram'],
    ...['-accel', 'tcg', '-cpu', 'cortex-a57', '-m', '64'],
    ...['-object', 'memory-backend-ram,id=mach-virt.ram,size=67108864'],
    ...['-overcommit', 'mem-lock=off', '-smp', '1,sockets=1,cores=1,threads=1'],
    ...['-uuid', 'f2bca135-3e00-41ac-b07f-cb4277cc1a29', '-display', 'none', '-no-user-config', '-nodefaults'],
    ...['-rtc', 'base=utc', '-no-shutdown', '-no-acpi', '-boot', 'strict=on'],
    ...['-kernel', bareMetalProgram('hello')],
    // The serial log: descriptor 4 (startWithQmp's first extra descriptor) in fd set 0.
    ...['-add-fd', 'set=0,fd=4,opaque=serial0-source', '-chardev', 'file,id=charserial0,path=/dev/fdset/0,append=on'],
    ...['-serial', 'chardev:charserial0', '-audiodev', '{"id":"audio1","driver":"none"}', '-msg', 'timestamp=on'],
  ];
}

/** Runs the guest as libvirt does; the replies (without ids) and event names in order, and the serial log. */
async function run(binary: string): Promise<{ messages: unknown[]; serial: string; status: number | null }> {
  const dir = tempDir();
  const log = path.join(dir, 'serial.log');
  const fd = fs.openSync(log, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_APPEND);
  const emu = await startWithQmp(binary, libvirtArgs(dir), [fd]);
  native().closeFd(fd);
  const { client } = emu;
  const from = client.received.length;
  const reply = async (name: string, args?: Message): Promise<void> => void (await client.execute(name, args));
  await reply('migrate-set-capabilities', { capabilities: [{ capability: 'events', state: true }] });
  await reply('query-named-block-nodes', { flat: true });
  await reply('query-status');
  await reply('cont');
  await client.event('STOP');
  await reply('query-status');
  // Stopped at shutdown: cont is refused until a reset, which makes the VM prelaunch again.
  await reply('cont');
  await reply('system_reset');
  await reply('query-status');
  await reply('quit');
  const status = await withTimeout(emu.exited, 20000, 'exit');
  const messages = client.received
    .slice(from)
    .map((m) => ('event' in m ? { event: m['event'], data: m['data'] } : { return: m['return'], error: m['error'] }));
  return { messages, serial: fs.readFileSync(log, 'latin1'), status };
}

describe("libvirt's command line and start-up commands, against qemu-system-aarch64", () => {
  it('starts, runs the guest to its power-off, stops there and quits as QEMU', async () => {
    const [ours, theirs] = await Promise.all([run(TSEMU_SYSTEM), run(QEMU_SYSTEM)]);
    expect(ours.serial).toBe(theirs.serial);
    expect(ours.serial).toContain('bye');
    expect(ours.messages).toEqual(theirs.messages);
    expect(ours.status).toBe(theirs.status);
  });
});

describe('refusals of those options, against qemu-system-aarch64', () => {
  it.each([
    ['-add-fd without fd', ['-add-fd', 'set=0']],
    ['-add-fd of stdout', ['-add-fd', 'fd=1,set=0']],
    ['-add-fd of a closed descriptor', ['-add-fd', 'fd=57,set=0']],
    ['-add-fd with an unknown key', ['-add-fd', 'fd=1,set=0,bogus=1']],
    ['a /dev/fdset path without the set', ['-chardev', 'file,id=c,path=/dev/fdset/3', '-serial', 'chardev:c']],
    ['a secret without data or file', ['-object', 'secret,id=s']],
    ['a secret with both', ['-object', 'secret,id=s,data=abc,file=/etc/hostname']],
    ['a secret in a missing file', ['-object', 'secret,id=s,format=raw,file=/nonexistent']],
    ['a secret in an unknown format', ['-object', 'secret,id=s,data=abc,format=foo']],
    ['-rtc with an unknown key', ['-rtc', 'base=utc,bogus=1']],
    ['-overcommit with an unknown key', ['-overcommit', 'bogus=on']],
    ['-msg with a bad value', ['-msg', 'timestamp=maybe']],
    ['-machine usb with a bad value', ['-machine', 'usb=maybe']],
    ['-audiodev with a JSON value missing', ['-audiodev', '{"id":}']],
    ['-audiodev with JSON cut short', ['-audiodev', '{"id":"a"']],
    ['-audiodev with a bare JSON key', ['-audiodev', '{id:1}']],
    ['-audiodev with JSON and more', ['-audiodev', '{"id":"a","driver":"none"} x']],
  ])('%s', (_name, args) => expectSameRefusal([...VIRT_ARGS, ...args, '-kernel', bareMetalProgram('hello')]));
});
