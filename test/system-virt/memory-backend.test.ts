/**
 * Guest RAM from a memory backend (`-object memory-backend-file|ram,... -machine memory-backend=ID`),
 * compared with qemu-system-aarch64 given the same arguments: a bare-metal program reads a word the
 * test put in the file and writes two more; with share=on the file holds the guest's writes (the
 * whole file equal to QEMU's), with share=off it is unchanged. Refused command lines get QEMU's
 * words; query-memdev and qom-list answer as QEMU's.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bareMetalProgram, expectSameRefusal, runQemu, runTsemu } from './bare-metal';

const RAM = 64 * 2 ** 20;
/** Where ramfile.c reads and writes, from the start of RAM. */
const MARK = 0x1000000;
const BASE_ARGS = ['-M', 'virt', '-cpu', 'cortex-a57', '-nographic'];

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-memory-backend-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A RAM-sized file with a word at MARK. */
function ramFile(name: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, '');
  fs.truncateSync(file, RAM);
  const word = Buffer.alloc(8);
  word.writeBigUInt64LE(0x0123456789abcdefn);
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, word, 0, 8, MARK);
  fs.closeSync(fd);
  return file;
}

const fileBackend = (file: string, extra = ''): string[] => [
  '-object',
  `memory-backend-file,id=ram0,size=64M,mem-path=${file}${extra}`,
  '-machine',
  'memory-backend=ram0',
];

async function runBoth(args: (emulator: 'ours' | 'theirs') => string[]): Promise<void> {
  const program = ['-kernel', bareMetalProgram('ramfile')];
  const [ours, theirs] = await Promise.all([runTsemu([...args('ours'), ...program]), runQemu([...args('theirs'), ...program])]);
  expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
  expect(ours.stderr).toBe('');
  expect(ours.stdout).toBe(theirs.stdout);
  expect(ours.status).toBe(0);
}

describe('guest RAM from a memory backend, against qemu-system-aarch64', () => {
  it('share=on: the guest reads the file and its writes reach it', async () => {
    const files = { ours: ramFile('shared-ours'), theirs: ramFile('shared-theirs') };
    await runBoth((e) => [...BASE_ARGS, '-m', '64M', ...fileBackend(files[e], ',share=on')]);
    expect(fs.readFileSync(files.ours).equals(fs.readFileSync(files.theirs))).toBe(true);
  });

  it('share=off: the guest reads the file, which keeps its bytes', async () => {
    const files = { ours: ramFile('private-ours'), theirs: ramFile('private-theirs') };
    await runBoth((e) => [...BASE_ARGS, ...fileBackend(files[e], ',share=off,prealloc=off')]);
    expect(fs.readFileSync(files.ours).equals(fs.readFileSync(ramFile('private-fresh')))).toBe(true);
    expect(fs.readFileSync(files.ours).equals(fs.readFileSync(files.theirs))).toBe(true);
  });

  it('mem-path a directory: RAM in an unnamed file of its own, the directory left empty', async () => {
    const dirs = { ours: path.join(dir, 'd-ours'), theirs: path.join(dir, 'd-theirs') };
    for (const d of Object.values(dirs)) fs.mkdirSync(d);
    await runBoth((e) => [...BASE_ARGS, ...fileBackend(dirs[e], ',share=on')]);
    expect(fs.readdirSync(dirs.ours)).toEqual(fs.readdirSync(dirs.theirs));
  });

  it('a missing file is created and grown to the RAM size', async () => {
    const files = { ours: path.join(dir, 'new-ours'), theirs: path.join(dir, 'new-theirs') };
    await runBoth((e) => [...BASE_ARGS, ...fileBackend(files[e], ',share=on')]);
    expect(fs.readFileSync(files.ours).equals(fs.readFileSync(files.theirs))).toBe(true);
  });

  it('memory-backend-ram', () =>
    runBoth(() => [...BASE_ARGS, '-object', 'memory-backend-ram,id=mem,size=64M', '-M', 'memory-backend=mem']));

  it.each([
    ['no mem-path', ['-object', 'memory-backend-file,id=m,size=64M', '-machine', 'memory-backend=m']],
    ['no size', ['-object', `memory-backend-file,id=m,mem-path=${dir}`, '-machine', 'memory-backend=m']],
    ['size 0', ['-object', `memory-backend-file,id=m,size=0,mem-path=${dir}`]],
    ['a bad size', ['-object', `memory-backend-ram,id=m,size=64X`]],
    ['an unknown parameter', ['-object', `memory-backend-file,id=m,size=64M,mem-path=${dir},bogus=1`]],
    ['a duplicate id', ['-object', 'memory-backend-ram,id=m,size=64M', '-object', 'memory-backend-ram,id=m,size=64M']],
    ['an unknown backend', ['-object', 'memory-backend-ram,id=m,size=64M', '-machine', 'memory-backend=x']],
    ['-m other than the size', ['-m', '128M', '-object', 'memory-backend-ram,id=m,size=64M', '-machine', 'memory-backend=m']],
    ['an unreachable file', ['-object', 'memory-backend-file,id=m,size=64M,mem-path=/nonexistent/ram', '-machine', 'memory-backend=m']],
  ])('refuses %s as QEMU does', (_name, args) => expectSameRefusal([...BASE_ARGS, ...args, '-kernel', bareMetalProgram('ramfile')]));

  it('refuses a file shorter than the RAM as QEMU does', () => {
    const file = path.join(dir, 'short');
    fs.writeFileSync(file, Buffer.alloc(4096));
    return expectSameRefusal([...BASE_ARGS, ...fileBackend(file), '-kernel', bareMetalProgram('ramfile')]);
  });

  it('query-memdev and qom-list /objects answer as QEMU', async () => {
    const commands = [
      { execute: 'qmp_capabilities' },
      { execute: 'query-memdev' },
      { execute: 'qom-list', arguments: { path: '/objects' } },
      { execute: 'quit' },
    ];
    const input = commands.map((c) => JSON.stringify(c)).join('\n') + '\n';
    const args = (file: string): string[] => [
      ...BASE_ARGS.filter((a) => a !== '-nographic'),
      '-nodefaults',
      '-display',
      'none',
      '-S',
      '-qmp',
      'stdio',
      ...fileBackend(file, ',share=on'),
      '-object',
      'memory-backend-ram,id=spare,size=1M',
    ];
    const [ours, theirs] = await Promise.all([runTsemu(args(path.join(dir, 'qmp-ours')), input), runQemu(args(path.join(dir, 'qmp-theirs')), input)]);
    const replies = (stdout: string): unknown[] =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>)
        .filter((m) => 'return' in m)
        .map((m) => (Array.isArray(m['return']) ? sortById(m['return'] as Record<string, unknown>[]) : m['return']));
    expect(replies(ours.stdout)).toEqual(replies(theirs.stdout));
    expect(replies(ours.stdout)).toHaveLength(4);
  });
});

/** QEMU lists /objects' children in hash order: compared as sets. */
function sortById(entries: Record<string, unknown>[]): Record<string, unknown>[] {
  const key = (e: Record<string, unknown>): string => String(e['id'] ?? e['name']);
  return [...entries].sort((a, b) => key(a).localeCompare(key(b)));
}
