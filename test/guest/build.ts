/**
 * Builds the guest test programs of one target with its Debian cross compiler into
 * test/guest/build/<target>/. A program is rebuilt only when a source is newer than the output
 * or its compile command changed (the command is kept next to the output in <name>.cmd).
 * A missing cross compiler is an error naming the package to install.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { guestBuildDir, type GuestTarget } from '../lib/targets';
import { programsFor, type GuestProgramSpec } from './programs';

const execFileAsync = promisify(execFile);
const SOURCE_DIR = __dirname;

function compileCommand(target: GuestTarget, spec: GuestProgramSpec, output: string): string[] {
  const sources = spec.sources.map((s) => path.join(SOURCE_DIR, s));
  // Libraries (-l...) must follow the sources that use them.
  const flags = spec.cflags ?? [];
  const libs = flags.filter((f) => f.startsWith('-l'));
  const others = flags.filter((f) => !f.startsWith('-l'));
  return [...target.cflags, ...others, '-o', output, ...sources, ...libs];
}

function upToDate(spec: GuestProgramSpec, output: string, cmdFile: string, command: string): boolean {
  if (!existsSync(output) || !existsSync(cmdFile)) return false;
  if (readFileSync(cmdFile, 'utf8') !== command) return false;
  const built = statSync(output).mtimeMs;
  return spec.sources.every((s) => statSync(path.join(SOURCE_DIR, s)).mtimeMs <= built);
}

function requireCompiler(target: GuestTarget): void {
  const probe = spawnSync(target.cc, ['--version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      `${target.cc} is not usable (${probe.error?.message ?? `exit ${probe.status}`}): ` +
        `install ${target.ccPackage} (see .ci/run) to build the ${target.name} guest programs`,
    );
  }
}

/** Builds every out-of-date guest program of `target`; returns the names it (re)built. */
export async function buildGuestPrograms(target: GuestTarget): Promise<string[]> {
  return buildPrograms(target, programsFor(target.name));
}

/** Builds the out-of-date programs among `specs` for `target` (a suite's own programs); returns the names it (re)built. */
export async function buildPrograms(target: GuestTarget, specs: readonly GuestProgramSpec[]): Promise<string[]> {
  requireCompiler(target);
  const outDir = guestBuildDir(target);
  mkdirSync(outDir, { recursive: true });
  const pending = specs.filter((spec) => {
    const output = path.join(outDir, spec.name);
    const command = [target.cc, ...compileCommand(target, spec, output)].join(' ');
    return !upToDate(spec, output, `${output}.cmd`, command);
  });
  const queue = [...pending];
  const workers = Array.from({ length: Math.max(1, Math.min(os.availableParallelism(), 4)) }, async () => {
    for (let spec = queue.shift(); spec; spec = queue.shift()) {
      const output = path.join(outDir, spec.name);
      const args = compileCommand(target, spec, output);
      try {
        await execFileAsync(target.cc, args);
      } catch (e) {
        const stderr = (e as { stderr?: string }).stderr ?? '';
        throw new Error(`building guest program ${spec.name} failed:\n${target.cc} ${args.join(' ')}\n${stderr}`);
      }
      writeFileSync(`${output}.cmd`, [target.cc, ...args].join(' '));
    }
  });
  await Promise.all(workers);
  return pending.map((s) => s.name);
}
