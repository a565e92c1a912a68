/**
 * A real, unmodified FreeBSD/arm64 program from the npm registry: esbuild's statically linked Go
 * build (@esbuild/freebsd-arm64), fetched with `npm pack` into .cache/ at test time. The oracle is
 * the same esbuild version built for this host (@esbuild/linux-x64): version string and the bundle
 * it writes for a small two-module input must be identical. Go's runtime exercises thr_new (green
 * threads), _umtx_op, sigaltstack/sigaction per thread, sysctl, cpuset_getaffinity and mmap hints.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runProcess } from '../lib/run-process';
import { AARCH64, REPO_ROOT, tsemuBinary } from '../lib/targets';

const VERSION = '0.28.2';
const CACHE = path.join(REPO_ROOT, '.cache', 'npm-freebsd');

/** Unpacks `pkg`@VERSION from the registry (once) and returns the path of its bin/esbuild. */
function fetchEsbuild(pkg: string): string {
  const dir = path.join(CACHE, pkg.replace('/', '+'), VERSION);
  const binary = path.join(dir, 'package', 'bin', 'esbuild');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const tarball = execFileSync('npm', ['pack', '--silent', `${pkg}@${VERSION}`], {
    cwd: dir,
    encoding: 'utf8',
  })
    .trim()
    .split('\n')
    .pop()!;
  execFileSync('tar', ['xzf', tarball], { cwd: dir });
  return binary;
}

let freebsd = '';
let host = '';
let project = '';

beforeAll(() => {
  freebsd = fetchEsbuild('@esbuild/freebsd-arm64');
  host = fetchEsbuild('@esbuild/linux-x64');
  project = mkdtempSync(path.join(os.tmpdir(), 'tsemu-esbuild-'));
  writeFileSync(
    path.join(project, 'main.js'),
    'import { greet } from "./lib.js";\nconsole.log(greet("FreeBSD"), 40 + 2);\n',
  );
  writeFileSync(
    path.join(project, 'lib.js'),
    'export function greet(name) {\n  return `hello, ${name}`;\n}\nexport const unused = 1;\n',
  );
}, 120_000);

const env = { PATH: process.env['PATH'] ?? '' };

describe('esbuild for FreeBSD/arm64 (Go)', () => {
  it('prints its version and bundles a two-module input exactly as the host build does', async () => {
    const bundle = ['main.js', '--bundle', '--minify', '--format=esm'];
    const [version, bundled, hostVersion, hostBundled] = await Promise.all([
      runProcess(tsemuBinary(AARCH64), { args: [freebsd, '--version'], env, timeoutMs: 170_000 }),
      runProcess(tsemuBinary(AARCH64), { args: [freebsd, ...bundle], cwd: project, env, timeoutMs: 170_000 }),
      runProcess(host, { args: ['--version'], env }),
      runProcess(host, { args: bundle, cwd: project, env }),
    ]);
    expect(version.stdout).toBe(`${VERSION}\n`);
    expect(version.stdout).toBe(hostVersion.stdout);
    expect(version.status).toBe(0);
    expect(bundled.stderr).toBe(hostBundled.stderr);
    expect(bundled.stdout).toBe(hostBundled.stdout);
    expect(bundled.stdout).toContain('hello, ');
    expect(bundled.status).toBe(0);
  }, 180_000);
});
