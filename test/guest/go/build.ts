/**
 * Builds the Go guest programs (test/guest/go/<name>/, one main package each) with the host's Go
 * toolchain (Debian's golang-go: it cross-compiles without cgo, so no sysroot is needed) into
 * test/guest/build/go/<goarch>/<name>, with the Go build cache beside them. A program is rebuilt
 * only when a source is newer than the output or its build command or the Go version changed (both
 * kept next to the output in <name>.cmd). A missing `go` is an error naming the package to install.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { REPO_ROOT } from '../../lib/targets';

const execFileAsync = promisify(execFile);
const BUILD_ROOT = path.join(REPO_ROOT, 'test', 'guest', 'build', 'go');

/** A Go port: GOARCH and the variables that pick its variant (GOARM). */
export interface GoArch {
  readonly goarch: string;
  readonly env?: Readonly<Record<string, string>>;
}

function goVersion(): string {
  const probe = spawnSync('go', ['version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    const why = probe.error?.message ?? `exit ${probe.status}`;
    throw new Error(`go is not usable (${why}): install golang-go (see .ci/run) to build the Go guest programs`);
  }
  return probe.stdout.trim();
}

function newestSource(dir: string): number {
  return Math.max(...readdirSync(dir).map((f) => statSync(path.join(dir, f)).mtimeMs));
}

/** Builds test/guest/go/<name> for `arch` when out of date; returns the program's path. */
export async function buildGoProgram(name: string, arch: GoArch): Promise<string> {
  const source = path.join(__dirname, name);
  const outDir = path.join(BUILD_ROOT, arch.goarch);
  const output = path.join(outDir, name);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: BUILD_ROOT,
    GOCACHE: path.join(BUILD_ROOT, 'cache'),
    GOTOOLCHAIN: 'local',
    CGO_ENABLED: '0',
    GOOS: 'linux',
    GOARCH: arch.goarch,
    ...arch.env,
  };
  const args = ['build', '-trimpath', '-o', output, '.'];
  const command = [goVersion(), ...Object.entries(arch.env ?? {}).map(([k, v]) => `${k}=${v}`), 'go', ...args].join(' ');
  const cmdFile = `${output}.cmd`;
  const fresh =
    existsSync(output) &&
    existsSync(cmdFile) &&
    readFileSync(cmdFile, 'utf8') === command &&
    newestSource(source) <= statSync(output).mtimeMs;
  if (fresh) return output;
  mkdirSync(outDir, { recursive: true });
  try {
    await execFileAsync('go', args, { cwd: source, env });
  } catch (e) {
    const stderr = (e as { stderr?: string }).stderr ?? '';
    throw new Error(`building Go guest program ${name} for ${arch.goarch} failed:\ngo ${args.join(' ')}\n${stderr}`);
  }
  writeFileSync(cmdFile, command);
  return output;
}
