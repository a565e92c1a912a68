/**
 * -blockdev, compared with qemu-system-aarch64 given the same arguments: the bare-metal virtio
 * driver (test/guest/system/virtio.c) reads and writes its disk through the node graphs libvirt
 * and people write (a raw node on a named file node in JSON, an inline file node in keyval, a
 * read-only node), with the same output and the same image afterwards; then QEMU's refusals of
 * bad nodes, names, references and permission conflicts, message for message.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startWithQmp, type Message } from '../system/harness';
import { QEMU_SYSTEM, TSEMU_SYSTEM, bareMetalProgram, expectSameRefusal, runQemu, runTsemu, withoutProgramName } from './bare-metal';
import { compareOnDisk, makeImage, type Images } from './virtio-disk';

const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-blockdev-'));
const compare = (nodes: (disk: string) => string[]): Promise<Images> =>
  compareOnDisk(dir, (disk) => [...nodes(disk), '-device', 'virtio-rng-device']);

const device = ['-device', 'virtio-blk-device,drive=fmt,serial=tsemu-serial'];

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('-blockdev on tsemu-system -M virt, as qemu-system-aarch64 has it', () => {
  it("libvirt's JSON: a raw node on a named file node, the device on the raw node; the same disk afterwards", async () => {
    const { ours, theirs, original } = await compare((disk) => [
      ...['-blockdev', JSON.stringify({ driver: 'file', filename: disk, 'node-name': 'storage', 'auto-read-only': true, discard: 'unmap' })],
      ...['-blockdev', JSON.stringify({ 'node-name': 'fmt', 'read-only': false, driver: 'raw', file: 'storage' })],
      ...device,
    ]);
    expect(ours.equals(theirs)).toBe(true);
    expect(ours.equals(original)).toBe(false);
  }, 60_000);

  it('keyval syntax, an inline file node with cache options; a device on a file node directly', async () => {
    const inline = await compare((disk) => [
      ...['-blockdev', `driver=raw,node-name=fmt,file.driver=file,file.filename=${disk},cache.direct=off,cache.no-flush=off`],
      ...device,
    ]);
    expect(inline.ours.equals(inline.theirs)).toBe(true);
    const direct = await compare((disk) => [
      ...['-blockdev', `driver=file,filename=${disk},node-name=fmt`],
      ...device,
    ]);
    expect(direct.ours.equals(direct.theirs)).toBe(true);
  }, 60_000);

  it('a read-only raw node: the device is read-only and writes fail; two devices may share it', async () => {
    const { ours, original } = await compare((disk) => [
      ...['-blockdev', `driver=file,filename=${disk},node-name=storage`],
      ...['-blockdev', 'driver=raw,file=storage,node-name=fmt,read-only=on'],
      ...device,
      ...['-device', 'virtio-blk-device,drive=fmt'],
    ]);
    expect(ours.equals(original)).toBe(true);
  }, 60_000);

  it('refuses bad -blockdev options and node uses with QEMU messages', async () => {
    const disk = makeImage(dir, 'refusals.img');
    const file = (extra = ''): string[] => ['-blockdev', `driver=file,filename=${disk},node-name=f0${extra}`];
    const raw = (name: string, extra = ''): string[] => ['-blockdev', `driver=raw,file=f0,node-name=${name}${extra}`];
    const blk = (drive: string): string[] => ['-device', `virtio-blk-device,drive=${drive}`];
    const cases = [
      ['-blockdev', 'driver=foo,node-name=f0'],
      ['-blockdev', 'node-name=f0'],
      ['-blockdev', 'driver=file,node-name=f0'],
      ['-blockdev', `driver=file,filename=${disk}`],
      ['-blockdev', `driver=file,filename=${path.join(dir, 'missing.img')},node-name=f0`],
      ['-blockdev', `driver=file,filename=${dir},node-name=f0`],
      ['-blockdev', '[1]'],
      ...['{"driver":}', '{"driver":"file"', '{driver:1}', '{"driver":"file"} x'].map((json) => ['-blockdev', json]),
      file(',bogus=1'),
      file(',read-only=maybe'),
      file(',cache.direct=x'),
      file(',discard=foo'),
      ['-blockdev', `driver=file,filename=${disk},node-name=1f`],
      ['-blockdev', `driver=file,filename=${disk},node-name=${'a'.repeat(32)}`],
      [...file(), ...file()],
      ['-blockdev', JSON.stringify({ driver: 'file', filename: disk, 'node-name': 'f0', 'read-only': 'on' })],
      ['-blockdev', JSON.stringify({ driver: 'raw', file: { driver: 'file' }, 'node-name': 'r0' })],
      ['-blockdev', JSON.stringify({ driver: 'raw', file: 1, 'node-name': 'r0' })],
      ['-blockdev', 'driver=raw,node-name=r0'],
      ['-blockdev', 'driver=raw,file=zz,node-name=r0'],
      [...file(), ...blk('f0'), ...blk('f0')],
      [...file(), ...raw('r0'), ...blk('r0'), ...blk('f0')],
      [...file(), ...raw('r0'), ...blk('r0'), ...raw('r1'), ...blk('r1')],
      [...file(',read-only=on'), ...raw('r0'), ...blk('r0')],
      [...file(), '-drive', `if=none,id=f0,file=${disk},format=raw`],
      [...file(), '-device', 'virtio-blk-pci,drive=f0', '-M', 'none'],
      [...file(), ...blk('nope')],
      [...file(), '-device', 'virtio-blk-device,drive=f0,bootindex=x'],
      [...file(), '-device', 'virtio-blk-device,drive=f0,bootindex=99999999999'],
      [
        ...['-drive', `if=none,id=d0,file=${makeImage(dir, 'other.img')},format=raw`, ...file()],
        ...['-device', 'virtio-blk-device,drive=d0,bootindex=1', '-device', 'virtio-blk-device,drive=f0,bootindex=1'],
      ],
      [...file(), '-device', 'virtio-rng-device,bootindex=1'],
    ];
    const machine = ['-M', 'virt', '-display', 'none', '-S', '-monitor', 'none', '-serial', 'none'];
    for (const args of cases) await expectSameRefusal([...machine, ...args]);
    // tsemu reads raw images only: a qcow2 node is refused as QEMU refuses a driver it does not know.
    const [qcow2, unknown] = await Promise.all([
      runTsemu([...machine, '-blockdev', 'driver=qcow2,file=f0,node-name=q']),
      runQemu([...machine, '-blockdev', 'driver=qcow9,file=f0,node-name=q']),
    ]);
    expect(qcow2.status).toBe(1);
    expect(withoutProgramName(qcow2.stderr)).toBe(withoutProgramName(unknown.stderr).replaceAll('qcow9', 'qcow2'));
  }, 180_000);
});

/** A reply with the node names QEMU generates (`#block` and a number of its own) made equal. */
function generatedNamesOut(reply: Message): unknown {
  return JSON.parse(JSON.stringify(reply).replace(/#block\d+/g, '#block'));
}

describe('block commands on QMP, against qemu-system-aarch64', () => {
  it('query-block and query-named-block-nodes show nodes and devices as QEMU does; blockdev-add and blockdev-del, and their refusals', async () => {
    const [a, b, c] = ['a.img', 'b.img', 'c.img'].map((name) => makeImage(dir, name));
    const args = [
      ...['-M', 'virt', '-display', 'none', '-S', '-nodefaults'],
      ...['-blockdev', JSON.stringify({ driver: 'file', filename: a, 'node-name': 'storage', 'auto-read-only': true, discard: 'unmap' })],
      ...['-blockdev', JSON.stringify({ 'node-name': 'fmt', 'read-only': false, driver: 'raw', file: 'storage' })],
      ...['-device', 'virtio-blk-device,drive=fmt,id=vd0'],
      ...['-blockdev', `driver=file,filename=${b},node-name=ro,read-only=on,cache.direct=on,cache.no-flush=on,detect-zeroes=on`],
      ...['-device', 'virtio-blk-device,drive=ro'],
      ...['-drive', `file=${c},if=none,format=raw,id=d0`],
    ];
    const commands: [string, Message?][] = [
      ['query-block'],
      ['query-named-block-nodes', { flat: true }],
      ['blockdev-add', { driver: 'file', filename: c, 'node-name': 'n1' }],
      ['blockdev-add', { driver: 'file', filename: c, 'node-name': 'n1' }],
      ['blockdev-add', { driver: 'raw', file: 'n1', 'node-name': 'n2', 'read-only': true }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'n3', file: { driver: 'file', filename: path.join(dir, 'missing.img') } }],
      ['blockdev-add', { driver: 'raw', 'node-name': 'n4', file: { driver: 'file', filename: a, 'node-name': 'n5' } }],
      ['blockdev-add', { driver: 'file', filename: c, 'node-name': 'd0' }],
      ['blockdev-add', { driver: 'file', filename: c }],
      ['blockdev-add', { driver: 'file', filename: c, 'node-name': 'x', 'read-only': 'on' }],
      ['blockdev-add', { driver: 'raw', file: 'nope', 'node-name': 'x' }],
      ['blockdev-add', { driver: 'raw', file: 7, 'node-name': 'x' }],
      ['query-named-block-nodes'],
      ['blockdev-del', { 'node-name': 'n1' }],
      ['blockdev-del', { 'node-name': 'fmt' }],
      ['blockdev-del', { 'node-name': 'n5' }],
      ['blockdev-del', { 'node-name': 'nope' }],
      ['blockdev-del', {}],
      ['blockdev-del', { 'node-name': 'n4' }],
      ['blockdev-del', { 'node-name': 'n2' }],
      ['blockdev-del', { 'node-name': 'n1' }],
      ['query-named-block-nodes'],
      ['query-block'],
    ];
    const running = await Promise.all([startWithQmp(TSEMU_SYSTEM, args), startWithQmp(QEMU_SYSTEM, args)]);
    try {
      for (const [name, params] of commands) {
        const [ours, theirs] = await Promise.all(running.map(({ client }) => client.execute(name, params)));
        expect(generatedNamesOut(ours!), `${name} ${JSON.stringify(params)}`).toEqual(generatedNamesOut(theirs!));
      }
      // The -drive's two nodes, by the names each emulator gave them: its backend's root, and the file node below.
      const replies = await Promise.all(
        running.map(async ({ client }) => {
          const nodes = (await client.execute('query-named-block-nodes'))['return'] as Message[];
          const generated = nodes.map((n) => n['node-name'] as string).filter((n) => n.startsWith('#'));
          return Promise.all(generated.map((n) => client.execute('blockdev-del', { 'node-name': n })));
        }),
      );
      expect(replies[1]).toHaveLength(2);
      expect(replies[0]!.map(generatedNamesOut)).toEqual(replies[1]!.map(generatedNamesOut));
    } finally {
      running.forEach((r) => r.kill());
    }
  }, 60_000);

  it('query-blockstats: the requests each device made, on its nodes, as QEMU accounts them (times aside)', async () => {
    const started = ['ours', 'theirs'].map(async (who, i) => {
      const [a, b] = ['a', 'b'].map((name) => makeImage(dir, `stats-${who}-${name}.img`));
      const log = path.join(dir, `stats-${who}.log`);
      const args = [
        ...['-M', 'virt', '-cpu', 'cortex-a57', '-display', 'none', '-nodefaults', '-serial', `file:${log}`],
        ...['-blockdev', `driver=file,filename=${a},node-name=f0`, '-blockdev', 'driver=raw,file=f0,node-name=r0'],
        ...['-device', 'virtio-blk-device,drive=r0,id=vd0'],
        ...['-drive', `if=none,id=d0,file=${b},format=raw`, '-device', 'virtio-blk-device,drive=d0', '-drive', 'if=none,id=d1'],
        ...['-kernel', bareMetalProgram('virtio_wait')],
      ];
      const emulator = await startWithQmp(i === 0 ? TSEMU_SYSTEM : QEMU_SYSTEM, args);
      // The driver's requests are done when it waits for a 'q' that never comes.
      for (let waited = 0; !(existsSync(log) && readFileSync(log, 'latin1').includes('q ends')); waited += 100) {
        if (waited > 30_000) throw new Error(`${who}: the driver did not finish`);
        await new Promise((r) => setTimeout(r, 100));
      }
      return emulator;
    });
    const running = await Promise.all(started);
    /** Times (and the idle time's value, not its presence) differ from run to run. */
    const timesOut = (reply: Message): unknown =>
      JSON.parse(JSON.stringify(generatedNamesOut(reply), (key, value: unknown) => (key.endsWith('_time_ns') ? 0 : value)));
    try {
      for (const args of [undefined, { 'query-nodes': true }]) {
        const [ours, theirs] = await Promise.all(running.map(({ client }) => client.execute('query-blockstats', args)));
        expect(timesOut(ours!), JSON.stringify(args)).toEqual(timesOut(theirs!));
      }
    } finally {
      running.forEach((r) => r.kill());
    }
  }, 90_000);
});
