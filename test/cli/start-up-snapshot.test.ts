/**
 * How tsemu starts (docs/performance.md, "Loading tsemu's own modules"): the native launcher, as
 * bin/tsemu-aarch64 and as the binfmt interpreter, starts Node from the start-up snapshot when that
 * node built it, else on the entry script bin/js/tsemu-aarch64, which loads the bundle, or dist/
 * when the bundle (and snapshot) are older than the TypeScript build. Each case
 * runs in a copy of the install tree holding only what that way of starting needs, so the run can
 * only succeed the way the case says; its output and status are compared with qemu-aarch64
 * running the same program. A snapshot blob that node did not build is what Node itself cannot
 * start from (it dies), so the launcher must never pass it. Started from the snapshot, Node's copy
 * of the snapshot's V8 data becomes pages of the snapshot's pages file (src/cli/snapshot-copy.ts),
 * seen in the running process's /proc/PID/maps.
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureLauncherLink, launcherDir } from '../../src/binfmt/launcher';
import { binfmtTarget } from '../../src/binfmt/targets';
import { BUILD_REFERENCE, BUNDLE, nodeIdentity, pagesPath, snapshotPath, stampPath } from '../../src/cli/bundle-files';
import { ENTRY_SCRIPTS } from '../../src/install-root';
import { AARCH64, guestProgram, REPO_ROOT } from '../lib/targets';

const HELLO = path.join(REPO_ROOT, 'examples', 'hello-aarch64');
const ADDON = 'build/Release/tsemu_native.node';
const LAUNCHER = 'build/Release/tsemu-launcher';
const SCRIPT = path.join(ENTRY_SCRIPTS, 'tsemu-aarch64');
/** The snapshot tsemu-aarch64 starts from. */
const SNAPSHOT = snapshotPath('aarch64');
const SNAPSHOT_PAGES = pagesPath(SNAPSHOT);

const trees: string[] = [];
afterAll(() => {
  for (const tree of trees) fs.rmSync(tree, { recursive: true, force: true });
});

/** A fresh tree with bin/tsemu-aarch64 (the link to the launcher), its entry script, the launcher and the addon, then `files` copied in order (later copies are newer). */
function treeWith(files: readonly string[]): string {
  const tree = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-start-'));
  trees.push(tree);
  for (const file of ['bin/tsemu-aarch64', SCRIPT, LAUNCHER, ADDON, ...files]) {
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, file), path.join(tree, file), { recursive: true, verbatimSymlinks: true });
  }
  return tree;
}

function run(command: string, args: readonly string[]): { status: number | null; signal: string | null; stdout: string; stderr: string } {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 60_000, env: { ...process.env, TSEMU_CACHE: 'off' } });
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

const expected = () => {
  const r = run('qemu-aarch64', [HELLO]);
  return { status: r.status, stdout: r.stdout };
};

/** The hello world run by the tree's bin/tsemu-aarch64 and by its binfmt interpreter. */
function hello(tree: string, ways: readonly ('bin' | 'launcher')[]): { status: number | null; stdout: string }[] {
  return ways.map((way) => {
    const command =
      way === 'bin' ? path.join(tree, 'bin', 'tsemu-aarch64') : ensureLauncherLink(launcherDir(tree), binfmtTarget('aarch64'), false);
    const r = run(command, [HELLO]);
    return { status: r.status, stdout: r.stdout };
  });
}

/**
 * Runs `command` on the guest program stdin_filter, which waits for its input: once the process
 * maps file `mapped` (checked every 50 ms for at most 60 s), gives it `input`; returns whether it
 * had, and its status and output.
 */
async function filterSeeingMapping(command: string, mapped: string, input: string): Promise<{ mapped: boolean; status: number | null; stdout: string }> {
  const child = spawn(command, [guestProgram(AARCH64, 'stdin_filter')], { env: { ...process.env, TSEMU_CACHE: 'off' }, stdio: ['pipe', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  // 'close': the process has exited and its output is all read.
  const closed = new Promise<number | null>((resolve) => child.on('close', (status) => resolve(status)));
  let seen = false;
  for (let waited = 0; !seen && waited < 60_000 && child.exitCode === null; waited += 50) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    seen = fs.readFileSync(`/proc/${child.pid}/maps`, 'latin1').includes(mapped);
  }
  child.stdin.end(input);
  return { mapped: seen, status: await closed, stdout };
}

describe('start-up', () => {
  it('the launcher starts from the snapshot alone (no bundle, no modules in dist/)', () => {
    const tree = treeWith([BUILD_REFERENCE, SNAPSHOT, stampPath(SNAPSHOT)]);
    expect(hello(tree, ['bin', 'launcher'])).toEqual([expected(), expected()]);
  });

  it("puts the snapshot's pages file in place of Node's copy of the snapshot's V8 data", async () => {
    const tree = treeWith([BUILD_REFERENCE, SNAPSHOT, stampPath(SNAPSHOT), SNAPSHOT_PAGES]);
    const input = 'first line\nsecond\n';
    const oracle = spawnSync('qemu-aarch64', [guestProgram(AARCH64, 'stdin_filter')], { input, encoding: 'utf8' });
    const r = await filterSeeingMapping(path.join(tree, 'bin', 'tsemu-aarch64'), path.join(tree, SNAPSHOT_PAGES), input);
    expect(r).toEqual({ mapped: true, status: oracle.status, stdout: oracle.stdout });
  });

  it('starts from the bundle when the snapshot was built by another node, which Node itself cannot start from', () => {
    const tree = treeWith([BUILD_REFERENCE, 'dist/cli/start.js', 'dist/cli/bundle-files.js', 'dist/install-root.js', BUNDLE]);
    const blob = path.join(tree, SNAPSHOT);
    fs.writeFileSync(blob, fs.readFileSync(path.join(REPO_ROOT, SNAPSHOT)).subarray(0, 4096));
    fs.writeFileSync(stampPath(blob), nodeIdentity('/bin/sh'));
    expect(run(process.execPath, ['--snapshot-blob', blob, path.join(tree, SCRIPT), HELLO]).status).not.toBe(0);
    expect(hello(tree, ['bin', 'launcher'])).toEqual([expected(), expected()]);
  });

  it('starts from dist/ when the bundle and snapshot are older than the TypeScript build', () => {
    const tree = treeWith(['dist']);
    fs.symlinkSync(path.join(REPO_ROOT, 'node_modules'), path.join(tree, 'node_modules'));
    const blob = path.join(tree, SNAPSHOT);
    // Built by this node, but from an older build: neither it nor the bundle is the code in dist/.
    fs.writeFileSync(blob, 'not a snapshot');
    fs.writeFileSync(path.join(tree, BUNDLE), 'throw new Error("stale bundle run");\n');
    fs.writeFileSync(stampPath(blob), nodeIdentity(process.execPath));
    const past = new Date(Date.now() - 3600_000);
    for (const file of [blob, path.join(tree, BUNDLE)]) fs.utimesSync(file, past, past);
    expect(hello(tree, ['bin', 'launcher'])).toEqual([expected(), expected()]);
  });
});
