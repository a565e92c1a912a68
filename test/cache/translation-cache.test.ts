/**
 * The persistent translation cache (TSEMU_CACHE_DIR, TSEMU_CACHE=off), run end to end on aarch64
 * guest programs built here with the cross compiler; every run's output and exit status must equal
 * qemu-aarch64's. The cache holds hot batches (blocks compiled to wasm together): a second run takes
 * them from the cache instead of compiling them (-d stats counts both), and the IR of the blocks it
 * ran cold instead of translating them again; a different dynamic program
 * takes the dynamic loader's and libc's hot batches from the first one's cache files; a shared library replaced under the same executable (even keeping its size and
 * modification time: the same cache file, different code at the same addresses) gives the new
 * library's results; a program's warm run compiles only the cached batches it used before, not
 * those other programs added to the shared files since (of code it runs cold);
 * a program that leaves by execve saves its translations, and a parent saving after its child keeps
 * what the child saved; a parent compiles the cached batches its forked children compiled, so that
 * its later children do not compile them again; a truncated or corrupted cache file, cold-block file or profile is ignored; ten
 * concurrent runs leave one complete cache file that the next run uses; TSEMU_CACHE=off writes none;
 * the directory is kept under TSEMU_CACHE_MAX_SIZE by removing the least recently used files, and
 * a save scans it only when its size estimate would pass the limit; a
 * ppc64le cache written by tsemu started from its bundle serves a start from the start-up snapshot,
 * and the reverse (their helper ids differ, and cold blocks' calls name helpers by id); a run makes
 * cached modules from V8's compiled code an earlier run kept of them, and a damaged file of that
 * code, or one of another V8 configuration, is not used; without /proc (a chroot that has none) the
 * mapped files' identities come from their descriptors and the cache works as with it.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runProcess, type RunResult } from '../lib/run-process';
import { AARCH64, REPO_ROOT, tsemuBinary } from '../lib/targets';
import { PPC64LE } from '../ppc64/targets';
import { NODE_FLAGS } from '../../src/user/reentry';

const TSEMU = tsemuBinary(AARCH64);
const SYSROOT = '/usr/aarch64-linux-gnu';
const SOURCES = path.join(__dirname, 'programs');

let work: string;
let hello: string;
let dynamicHello: string;
let formatLoop: string;
let execProgram: string;
let spawnProgram: string;
let printValue: string;
let libraryDir: string;
let convertLoop: string;
let forkTierUp: string;

function compile(args: string[]): void {
  execFileSync('aarch64-linux-gnu-gcc', ['-O1', ...args], { stdio: 'pipe' });
}

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-cache-test-'));
  hello = path.join(work, 'hello');
  compile(['-static', '-o', hello, path.join(SOURCES, 'hello.c')]);
  dynamicHello = path.join(work, 'dynamic-hello');
  compile(['-o', dynamicHello, path.join(SOURCES, 'hello.c')]);
  formatLoop = path.join(work, 'format-loop');
  compile(['-o', formatLoop, path.join(SOURCES, 'format-loop.c')]);
  execProgram = path.join(work, 'exec-program');
  compile(['-static', '-o', execProgram, path.join(SOURCES, 'exec-program.c')]);
  spawnProgram = path.join(work, 'spawn-program');
  compile(['-o', spawnProgram, path.join(SOURCES, 'spawn-program.c')]);
  for (const value of [3, 5]) {
    const library = path.join(work, `libvalue${value}.so`);
    compile(['-shared', '-fPIC', `-DVALUE=${value}`, '-o', library, path.join(SOURCES, 'library-value.c')]);
  }
  libraryDir = path.join(work, 'lib');
  fs.mkdirSync(libraryDir);
  fs.copyFileSync(path.join(work, 'libvalue3.so'), path.join(libraryDir, 'libvalue.so'));
  printValue = path.join(work, 'print-library-value');
  compile(['-o', printValue, path.join(SOURCES, 'print-library-value.c'), '-L', libraryDir, '-lvalue']);
  forkTierUp = path.join(work, 'fork-tier-up');
  const common = path.join(REPO_ROOT, 'test', 'guest', 'common');
  compile(['-pthread', '-I', common, '-o', forkTierUp, path.join(common, 'fork_tier_up.c')]);
  convertLoop = path.join(work, 'convert-loop');
  execFileSync(PPC64LE.cc, ['-O1', '-static', '-o', convertLoop, path.join(SOURCES, 'convert-loop.c'), '-lm'], { stdio: 'pipe' });
}, 60_000);

function baseEnv(extra: Record<string, string>): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LD_LIBRARY_PATH: libraryDir, ...extra };
}

function tsemu(args: string[], env: Record<string, string>): Promise<RunResult> {
  return runProcess(TSEMU, { args: ['-L', SYSROOT, ...args], env: baseEnv(env), timeoutMs: 120_000 });
}

function qemu(args: string[]): Promise<RunResult> {
  return runProcess('qemu-aarch64', { args: ['-L', SYSROOT, ...args], env: baseEnv({}) });
}

/** A counter of the -d stats summary tsemu prints (to stderr, no -D). */
function stat(run: RunResult, name: string): number {
  const m = new RegExp(`${name}: +(\\d+)`).exec(run.stderr);
  if (!m) throw new Error(`no "${name}" in:\n${run.stderr}`);
  return Number(m[1]);
}

/** The cached modules a run compiled, and their bytes (-d stats: "N in M modules (B bytes)"). */
function cachedModules(run: RunResult): { modules: number; bytes: number } {
  const m = /blocks from the disk cache: +\d+ in (\d+) modules \((\d+) bytes\)/.exec(run.stderr);
  if (!m) throw new Error(`no cached modules in:\n${run.stderr}`);
  return { modules: Number(m[1]), bytes: Number(m[2]) };
}

function expectLikeQemu(run: RunResult, oracle: RunResult): void {
  expect(run.stdout).toBe(oracle.stdout);
  expect(run.status).toBe(oracle.status);
}

function filesIn(dir: string): string[] {
  return fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
}

/** The translation cache files (one per mapped file), without the programs' profiles. */
function cacheFiles(dir: string): string[] {
  return filesIn(dir).filter((name) => name.endsWith('.tc'));
}

/** The files of cold blocks' IR, one beside each cache file that has any. */
function coldFiles(dir: string): string[] {
  return filesIn(dir).filter((name) => name.endsWith('.tb'));
}

/** The files of V8's compiled code, one per cached module that reached TurboFan in a run. */
function nativeCodeFiles(dir: string): string[] {
  return filesIn(dir).filter((name) => name.endsWith('.tn'));
}

/** The cache directory's size estimate: its bytes and the time of its last scan (file `usage`). */
function usage(dir: string): { bytes: number; scannedAt: number } {
  const m = /^(\d+) (\d+)\n$/.exec(fs.readFileSync(path.join(dir, 'usage'), 'latin1'));
  if (!m) throw new Error(`${dir}/usage is not "<bytes> <time>"`);
  return { bytes: Number(m[1]), scannedAt: Number(m[2]) };
}

function profileFiles(dir: string): string[] {
  return filesIn(dir).filter((name) => name.endsWith('.tp'));
}

function freshDir(): string {
  return fs.mkdtempSync(path.join(work, 'cache-'));
}

/** A file cut in half, one with a byte flipped, and one of other contents. */
function damagedCopies(good: Buffer): Buffer[] {
  const at = good.length >> 1;
  return [
    good.subarray(0, at),
    Buffer.concat([good.subarray(0, at), Buffer.from([good[at]! ^ 0xff]), good.subarray(at + 1)]),
    Buffer.from('not a cache file'),
  ];
}

describe('persistent translation cache', () => {
  it('a second run takes its translations from the cache', async () => {
    const dir = freshDir();
    const oracle = await qemu([hello]);
    const first = await tsemu(['-d', 'stats', hello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(first, oracle);
    expect(stat(first, 'blocks from the disk cache')).toBe(0);
    expect(cacheFiles(dir)).toHaveLength(1);
    const second = await tsemu(['-d', 'stats', hello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(second, oracle);
    expect(stat(second, 'blocks from the disk cache')).toBeGreaterThan(0);
    expect(stat(second, 'blocks compiled to wasm')).toBeLessThan(stat(first, 'blocks compiled to wasm') / 4);
  });

  it('a second run takes the IR of the blocks it runs cold from the cache', async () => {
    const dir = freshDir();
    const oracle = await qemu([dynamicHello]);
    const first = await tsemu(['-d', 'stats', dynamicHello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(first, oracle);
    expect(stat(first, 'cold blocks from the disk cache')).toBe(0);
    // The program's, the dynamic loader's and libc's.
    expect(coldFiles(dir)).toHaveLength(3);
    const second = await tsemu(['-d', 'stats', dynamicHello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(second, oracle);
    expect(stat(second, 'cold blocks from the disk cache')).toBeGreaterThan(
      stat(first, 'blocks translated to IR') / 2,
    );
    expect(stat(second, 'blocks translated to IR')).toBe(0);
  });

  it('a library replaced under the same executable runs its new code, not the cached one', async () => {
    const dir = freshDir();
    const library = path.join(libraryDir, 'libvalue.so');
    const before = await qemu([printValue]);
    for (let i = 0; i < 2; i++) expectLikeQemu(await tsemu([printValue], { TSEMU_CACHE_DIR: dir }), before);
    fs.copyFileSync(path.join(work, 'libvalue5.so'), library);
    try {
      const after = await qemu([printValue]);
      expect(after.stdout).not.toBe(before.stdout);
      const run = await tsemu(['-d', 'stats', printValue], { TSEMU_CACHE_DIR: dir });
      expectLikeQemu(run, after);
      // The executable's cache was used for everything else.
      expect(stat(run, 'blocks from the disk cache')).toBeGreaterThan(0);
    } finally {
      fs.copyFileSync(path.join(work, 'libvalue3.so'), library);
    }
  });

  it("a different program takes the dynamic loader and libc from the first one's cache files", async () => {
    const oracle = await qemu([dynamicHello]);
    const alone = await tsemu(['-d', 'stats', dynamicHello], { TSEMU_CACHE_DIR: freshDir() });
    expectLikeQemu(alone, oracle);
    const dir = freshDir();
    expectLikeQemu(await tsemu([printValue], { TSEMU_CACHE_DIR: dir }), await qemu([printValue]));
    const after = await tsemu(['-d', 'stats', dynamicHello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(after, oracle);
    expect(stat(after, 'blocks from the disk cache')).toBeGreaterThan(stat(alone, 'blocks compiled to wasm') / 2);
    expect(stat(after, 'blocks compiled to wasm')).toBeLessThan(stat(alone, 'blocks compiled to wasm') / 2);
  });

  it("a warm run compiles the cached batches it used before, not other programs' additions", async () => {
    const dir = freshDir();
    const oracle = await qemu([dynamicHello]);
    for (let i = 0; i < 2; i++) expectLikeQemu(await tsemu([dynamicHello], { TSEMU_CACHE_DIR: dir }), oracle);
    const warm = await tsemu(['-d', 'stats', dynamicHello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(warm, oracle);
    expect(profileFiles(dir)).toHaveLength(1);
    // Another program runs libc's printf code hot that the hello world runs once, and saves its
    // hot batches of it in the same libc cache file.
    const loopOracle = await qemu([formatLoop]);
    const other = await tsemu(['-d', 'stats', formatLoop], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(other, loopOracle);
    expect(stat(other, 'blocks compiled to wasm')).toBeGreaterThan(0);
    const after = await tsemu(['-d', 'stats', dynamicHello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(after, oracle);
    expect(cachedModules(after)).toEqual(cachedModules(warm));
    expect(stat(after, 'blocks compiled to wasm')).toBe(stat(warm, 'blocks compiled to wasm'));
    // Its own second run compiles nothing its first compiled.
    const otherAgain = await tsemu(['-d', 'stats', formatLoop], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(otherAgain, loopOracle);
    expect(stat(otherAgain, 'blocks compiled to wasm')).toBeLessThan(stat(other, 'blocks compiled to wasm') / 4);
  });

  it('a library replaced in place with its size and modification time kept is not run stale', async () => {
    const dir = freshDir();
    const library = path.join(libraryDir, 'libvalue.so');
    const replacement = path.join(work, 'libvalue5.so');
    // The premise: the same inode, size and mtime (the cache file's key), only the code differs.
    expect(fs.statSync(replacement).size).toBe(fs.statSync(library).size);
    // Whole seconds, which utimes sets exactly.
    const time = 1_700_000_000;
    fs.utimesSync(library, time, time);
    const before = await qemu([printValue]);
    for (let i = 0; i < 2; i++) expectLikeQemu(await tsemu([printValue], { TSEMU_CACHE_DIR: dir }), before);
    const { ino, mtimeMs } = fs.statSync(library);
    fs.copyFileSync(replacement, library);
    fs.utimesSync(library, time, time);
    try {
      expect(fs.statSync(library).ino).toBe(ino);
      expect(fs.statSync(library).mtimeMs).toBe(mtimeMs);
      const after = await qemu([printValue]);
      expect(after.stdout).not.toBe(before.stdout);
      expectLikeQemu(await tsemu([printValue], { TSEMU_CACHE_DIR: dir }), after);
    } finally {
      fs.copyFileSync(path.join(work, 'libvalue3.so'), library);
    }
  });

  it('a program that leaves by execve saves its translations first', async () => {
    const dir = freshDir();
    const exec = await tsemu([execProgram, hello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(exec, await qemu([hello]));
    expect(cacheFiles(dir)).toHaveLength(2);
    const again = await tsemu(['-d', 'stats', execProgram], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(again, await qemu([execProgram]));
    expect(stat(again, 'blocks from the disk cache')).toBeGreaterThan(0);
  });

  it('a parent saving libc after its child keeps what the child added to it', async () => {
    const dir = freshDir();
    const oracle = await qemu([dynamicHello]);
    // The parent read libc's cache file before its child wrote it, and writes it last.
    expectLikeQemu(await tsemu([spawnProgram, dynamicHello], { TSEMU_CACHE_DIR: dir }), oracle);
    const alone = await tsemu(['-d', 'stats', dynamicHello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(alone, oracle);
    expect(stat(alone, 'blocks compiled to wasm')).toBeLessThan(10);
  });

  it('a parent compiles the cached batches its forked children compiled, for its later children', async () => {
    const dir = freshDir();
    const args = [spawnProgram, '-n', '3', dynamicHello];
    // qemu-aarch64 cannot run the children's exec without binfmt_misc: three runs of the child's program.
    const once = await qemu([dynamicHello]);
    const oracle = { ...once, stdout: once.stdout.repeat(3) };
    expectLikeQemu(await tsemu(args, { TSEMU_CACHE_DIR: dir }), oracle);
    // Warm: each child installs the batches of printf's code that the parent never ran.
    const warm = await tsemu(['-d', 'stats', ...args], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(warm, oracle);
    // Each child prints its -d stats as it exits, the parent last; each counts what it inherited.
    const counts = warm.stderr.matchAll(/blocks from the disk cache: +\d+ in (\d+) modules/g);
    const modules = [...counts].map((m) => Number(m[1]));
    expect(modules).toHaveLength(4);
    const [first, , last, parent] = modules as [number, number, number, number];
    expect(first).toBeGreaterThan(0);
    // The parent compiled before its second fork what its first child compiled: the last child
    // compiled nothing the parent did not have (without that, the parent ends with fewer).
    expect(parent).toBeGreaterThanOrEqual(last);
  });

  /**
   * Fills a fresh cache with a run of `hello`, then runs it again once per damaged copy of the
   * file `filesOf` names first: each run must still behave as under qemu, without an error.
   * Returns how many blocks each of those runs took from the disk cache (-d stats counter `counter`).
   */
  async function blocksFromDamaged(
    filesOf: (dir: string) => string[],
    counter = 'blocks from the disk cache',
  ): Promise<number[]> {
    const dir = freshDir();
    const oracle = await qemu([hello]);
    expectLikeQemu(await tsemu([hello], { TSEMU_CACHE_DIR: dir }), oracle);
    const file = path.join(dir, filesOf(dir)[0]!);
    const taken: number[] = [];
    for (const bytes of damagedCopies(fs.readFileSync(file))) {
      fs.writeFileSync(file, bytes);
      const run = await tsemu(['-d', 'stats', hello], { TSEMU_CACHE_DIR: dir });
      expectLikeQemu(run, oracle);
      expect(run.stderr).not.toMatch(/error|Error/);
      taken.push(stat(run, counter));
    }
    return taken;
  }

  it('a truncated or corrupted cache file is ignored', async () => {
    for (const blocks of await blocksFromDamaged(cacheFiles)) expect(blocks).toBe(0);
  });

  it('a truncated or corrupted cold-block file is ignored', async () => {
    const counter = 'cold blocks from the disk cache';
    for (const blocks of await blocksFromDamaged(coldFiles, counter)) expect(blocks).toBe(0);
  });

  it('a truncated or corrupted profile is ignored: the run takes any cached batch', async () => {
    for (const blocks of await blocksFromDamaged(profileFiles)) expect(blocks).toBeGreaterThan(0);
  });

  /** A cache directory where formatLoop's second run has kept V8's code of its modules. */
  async function withNativeCode(oracle: RunResult): Promise<string> {
    const dir = freshDir();
    // The first run adds its hot batches; the second installs them from the cache and keeps V8's
    // code of those whose functions reached TurboFan.
    for (let i = 0; i < 2; i++) expectLikeQemu(await tsemu([formatLoop], { TSEMU_CACHE_DIR: dir }), oracle);
    expect(nativeCodeFiles(dir).length).toBeGreaterThan(0);
    return dir;
  }

  it("a run makes cached modules from V8's code an earlier run kept of them", async () => {
    const oracle = await qemu([formatLoop]);
    const dir = await withNativeCode(oracle);
    const warm = await tsemu(['-d', 'stats', formatLoop], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(warm, oracle);
    expect(stat(warm, "cached modules from V8's code")).toBeGreaterThan(0);
  });

  it("a forked child keeps V8's code of what its own tier-up compiled, and the next run reads it", async () => {
    const dir = freshDir();
    const oracle = await qemu([forkTierUp]);
    // A first run keeps no code of its own compiles (the parent's are kept from the run that next
    // installs them): these files are the child's, whose batches it compiled again with TurboFan.
    expectLikeQemu(await tsemu([forkTierUp], { TSEMU_CACHE_DIR: dir }), oracle);
    const kept = nativeCodeFiles(dir);
    expect(kept.length).toBeGreaterThan(0);
    // Reading a cache file marks its use (its times set to now).
    const past = new Date(Date.now() - 3_600_000);
    for (const name of kept) fs.utimesSync(path.join(dir, name), past, past);
    expectLikeQemu(await tsemu([forkTierUp], { TSEMU_CACHE_DIR: dir }), oracle);
    const read = kept.filter((name) => fs.statSync(path.join(dir, name)).mtimeMs > past.getTime() + 60_000);
    expect(read.length).toBeGreaterThan(0);
  });

  it("a damaged file of V8's code, or one of other V8 flags, is not used", async () => {
    const oracle = await qemu([formatLoop]);
    const base = await withNativeCode(oracle);
    /** The file with its V8 flag hash (bytes 12 to 15 of the code, after the 40-byte seal) changed, sealed again. */
    const foreign = (good: Buffer): Buffer => {
      const body = Buffer.from(good.subarray(40));
      body[12] = body[12]! ^ 0xff;
      return Buffer.concat([good.subarray(0, 8), createHash('sha256').update(body).digest(), body]);
    };
    for (const variant of [0, 1, 2, 3]) {
      const dir = freshDir();
      fs.cpSync(base, dir, { recursive: true });
      for (const name of nativeCodeFiles(dir)) {
        const file = path.join(dir, name);
        const good = fs.readFileSync(file);
        fs.writeFileSync(file, [...damagedCopies(good), foreign(good)][variant]!);
      }
      const run = await tsemu(['-d', 'stats', formatLoop], { TSEMU_CACHE_DIR: dir });
      expectLikeQemu(run, oracle);
      expect(run.stderr).not.toMatch(/error|Error/);
      expect(stat(run, "cached modules from V8's code")).toBe(0);
      expect(stat(run, 'blocks from the disk cache')).toBeGreaterThan(0);
    }
  });

  it('ten concurrent runs leave one complete cache file, which the next run uses', async () => {
    const dir = freshDir();
    const oracle = await qemu([hello]);
    const concurrent = Array.from({ length: 10 }, () => tsemu([hello], { TSEMU_CACHE_DIR: dir }));
    const runs = await Promise.all(concurrent);
    for (const run of runs) expectLikeQemu(run, oracle);
    expect(cacheFiles(dir)).toHaveLength(1);
    expect(profileFiles(dir)).toHaveLength(1);
    expect(coldFiles(dir)).toHaveLength(1);
    expect(filesIn(dir).filter((name) => name !== 'usage')).toHaveLength(3);
    const next = await tsemu(['-d', 'stats', hello], { TSEMU_CACHE_DIR: dir });
    expectLikeQemu(next, oracle);
    expect(stat(next, 'blocks from the disk cache')).toBeGreaterThan(0);
    expect(stat(next, 'cold blocks from the disk cache')).toBeGreaterThan(0);
  }, 180_000);

  it('TSEMU_CACHE=off neither reads nor writes a cache', async () => {
    const dir = freshDir();
    const oracle = await qemu([hello]);
    for (let i = 0; i < 2; i++) {
      const run = await tsemu(['-d', 'stats', hello], { TSEMU_CACHE_DIR: dir, TSEMU_CACHE: 'off' });
      expectLikeQemu(run, oracle);
      expect(stat(run, 'blocks from the disk cache')).toBe(0);
    }
    expect(filesIn(dir)).toEqual([]);
  });

  it('TSEMU_CACHE_MAX_SIZE: the least recently used files go, the one just written stays', async () => {
    const dir = freshDir();
    const old = ['aarch64-old1.tc', 'aarch64-old2.tc', 'aarch64-recent.tc', 'notes.txt'];
    old.forEach((name, i) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, Buffer.alloc(1024 * 1024));
      fs.utimesSync(file, 1000 + i, 1000 + i);
    });
    const run = await tsemu([hello], { TSEMU_CACHE_DIR: dir, TSEMU_CACHE_MAX_SIZE: '1500K' });
    expectLikeQemu(run, await qemu([hello]));
    const left = filesIn(dir);
    expect(left).not.toContain('aarch64-old1.tc');
    expect(left).not.toContain('aarch64-old2.tc');
    expect(left).toContain('notes.txt');
    // The program's cache file, its cold blocks and its profile, and the directory's size estimate.
    const written = left.filter((name) => !old.includes(name));
    expect(written.filter((name) => name !== 'usage')).toHaveLength(3);
    const size = (name: string): number => fs.statSync(path.join(dir, name)).size;
    const cached = [...cacheFiles(dir), ...coldFiles(dir), ...profileFiles(dir), ...nativeCodeFiles(dir)];
    const cacheBytes = cached.reduce((sum, name) => sum + size(name), 0);
    expect(cacheBytes).toBeLessThanOrEqual(1500 * 1024);
    expect(usage(dir).bytes).toBe(cacheBytes);
  });

  it('TSEMU_CACHE_MAX_SIZE: a save that keeps the directory under it adds to the size estimate without scanning; one past it, or five minutes after the last scan, trims', async () => {
    const dir = freshDir();
    const limit = { TSEMU_CACHE_DIR: dir, TSEMU_CACHE_MAX_SIZE: '4M' };
    // Files a scan would delete first, but which an estimate below the limit does not account for.
    const old = ['aarch64-old1.tc', 'aarch64-old2.tc'];
    for (const name of old) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, Buffer.alloc(2 * 1024 * 1024));
      fs.utimesSync(file, 1000, 1000);
    }
    const scannedAt = Date.now();
    fs.writeFileSync(path.join(dir, 'usage'), `1000 ${scannedAt}\n`);
    expectLikeQemu(await tsemu([hello], limit), await qemu([hello]));
    expect(filesIn(dir)).toEqual(expect.arrayContaining(old));
    const size = (name: string): number => fs.statSync(path.join(dir, name)).size;
    const kept = (): string[] => [
      ...cacheFiles(dir),
      ...coldFiles(dir),
      ...profileFiles(dir),
      ...nativeCodeFiles(dir),
    ];
    const written = kept().filter((name) => !old.includes(name));
    expect(written).toHaveLength(3);
    expect(usage(dir)).toEqual({ bytes: 1000 + written.reduce((sum, name) => sum + size(name), 0), scannedAt });
    // An estimate the next save takes past the limit: the directory is scanned, and trimmed oldest first.
    fs.writeFileSync(path.join(dir, 'usage'), `${4 * 1024 * 1024} ${scannedAt}\n`);
    expectLikeQemu(await tsemu([dynamicHello], limit), await qemu([dynamicHello]));
    expect(filesIn(dir)).not.toContain('aarch64-old1.tc');
    expect(usage(dir).bytes).toBe(kept().reduce((sum, name) => sum + size(name), 0));
    expect(usage(dir).scannedAt).toBeGreaterThan(scannedAt);
    // An estimate under the limit whose scan is older than five minutes: scanned all the same.
    const old3 = path.join(dir, 'aarch64-old3.tc');
    fs.writeFileSync(old3, Buffer.alloc(3 * 1024 * 1024));
    fs.utimesSync(old3, 1000, 1000);
    fs.writeFileSync(path.join(dir, 'usage'), `1000 ${Date.now() - 6 * 60 * 1000}\n`);
    expectLikeQemu(await tsemu([formatLoop], limit), await qemu([formatLoop]));
    expect(filesIn(dir)).not.toContain('aarch64-old3.tc');
    expect(usage(dir).bytes).toBe(kept().reduce((sum, name) => sum + size(name), 0));
  }, 180_000);

  it('a cache written by a start from the bundle serves a start from the snapshot, and the reverse', async () => {
    const oracle = await runProcess(PPC64LE.qemu, { args: [convertLoop] });
    // The launcher starts Node from the snapshot (every target's modules loaded); the entry script it
    // falls back to loads the bundle, which defines only the helpers the run needs.
    type Start = (dir: string) => Promise<RunResult>;
    const fromSnapshot: Start = (dir) =>
      runProcess(tsemuBinary(PPC64LE), { args: ['-d', 'stats', convertLoop], env: baseEnv({ TSEMU_CACHE_DIR: dir }), timeoutMs: 120_000 });
    const fromBundle: Start = (dir) =>
      runProcess(process.execPath, {
        args: [path.join(REPO_ROOT, 'bin', 'js', `tsemu-${PPC64LE.name}`), '-d', 'stats', convertLoop],
        env: baseEnv({ TSEMU_CACHE_DIR: dir }),
        timeoutMs: 120_000,
      });
    const orders: [Start, Start][] = [[fromBundle, fromSnapshot], [fromSnapshot, fromBundle]];
    for (const [write, read] of orders) {
      const dir = freshDir();
      expectLikeQemu(await write(dir), oracle);
      const second = await read(dir);
      expectLikeQemu(second, oracle);
      expect(stat(second, 'blocks from the disk cache')).toBeGreaterThan(0);
      expect(stat(second, 'cold blocks from the disk cache')).toBeGreaterThan(0);
    }
  });

  // A chroot without /proc (a debootstrap first stage's) names no mapped file: the identities come
  // from the descriptors.
  const notRoot = process.getuid?.() !== 0;
  it.skipIf(notRoot)('without /proc (a mount namespace without it, as root), a second run uses the cache', async () => {
    const dir = freshDir();
    // Node started with tsemu's flags already: restarting it to add them goes through /proc/self/exe.
    const withoutProc = (): Promise<RunResult> =>
      runProcess('unshare', {
        args: [
          ...['-m', 'sh', '-c', 'umount -l /proc && exec "$@"', 'sh'],
          ...[process.execPath, ...NODE_FLAGS, path.join(REPO_ROOT, 'bin', 'js', 'tsemu-aarch64')],
          ...['-L', SYSROOT, '-d', 'stats', dynamicHello],
        ],
        env: baseEnv({ TSEMU_CACHE_DIR: dir }),
        timeoutMs: 120_000,
      });
    const oracle = await qemu([dynamicHello]);
    const first = await withoutProc();
    expectLikeQemu(first, oracle);
    expect(stat(first, 'blocks from the disk cache')).toBe(0);
    expect(coldFiles(dir)).toHaveLength(3);
    const second = await withoutProc();
    expectLikeQemu(second, oracle);
    expect(stat(second, 'blocks translated to IR')).toBe(0);
    expect(stat(second, 'cold blocks from the disk cache')).toBeGreaterThan(0);
  });

  it('without TSEMU_CACHE_DIR the cache lives in $XDG_CACHE_HOME/tsemu', async () => {
    const xdg = freshDir();
    expectLikeQemu(await tsemu([hello], { XDG_CACHE_HOME: xdg }), await qemu([hello]));
    expect(cacheFiles(path.join(xdg, 'tsemu'))).toHaveLength(1);
  });
});
