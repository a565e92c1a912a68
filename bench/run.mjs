#!/usr/bin/env node
/**
 * Benchmark harness: for every target (bench/lib/targets.mjs) builds each kernel in
 * bench/kernels/ statically with the target's cross compiler and natively for the host (same
 * source, same flags), runs native, qemu-<arch> and tsemu interleaved N times, checks that the
 * outputs agree, and prints medians, peak RSS, the tsemu/qemu and tsemu/native ratios and their
 * geometric means, plus a start-up row (hello world under qemu and tsemu against `node -e 0`) and,
 * where Debian has the target's architecture, real Debian programs (lib/programs.mjs).
 * Writes the results as JSON and an SVG plot to bench/results/. See bench/README.md.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runInterleaved } from './lib/measure.mjs';
import { plotSvg } from './lib/plot.mjs';
import { programRuns } from './lib/programs.mjs';
import { formatSummary, formatTarget, geomeans, startupRatios, withRatios } from './lib/report.mjs';
import { NATIVE_BUILD, TARGETS, defaultTargets, guestFlags, tsemuBinary } from './lib/targets.mjs';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const KERNEL_DIR = path.join(BENCH_DIR, 'kernels');
const HELLO = path.join(BENCH_DIR, 'startup', 'hello.c');
const BUILD_DIR = path.join(BENCH_DIR, 'build');
const DATA_DIR = path.join(BUILD_DIR, 'data');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');

function usage() {
  return `usage: node bench/run.mjs [--target NAME]... [--runs N] [--filter NAME]... [--timeout SECONDS]
                        [--no-startup] [--no-programs] [--cpu] [--no-json]
  --target NAME    a target to run (repeatable): ${Object.keys(TARGETS).join(', ')}, or all;
                   default: ${defaultTargets.join(', ')}
  --runs N         runs per kernel and runner (default 3); the median is reported
  --filter NAME    only kernels and programs whose name contains NAME (repeatable)
  --timeout S      per-run time limit in seconds (default 300)
  --no-startup     skip the hello-world start-up row
  --no-programs    skip the real Debian programs (gzip, bzip2, xz, sqlite3, lua)
  --cpu            time by user + system CPU time instead of wall time
  --no-json        do not write bench/results/<date>-<targets>.json and .svg
environment: TSEMU_<TARGET> (TSEMU_AARCH64, TSEMU_PPC64LE, TSEMU_ARM_THUMB...) names the binary
under test for that target (default bin/tsemu-<arch>)`;
}

function parseArgs(argv) {
  const opts = { targets: [], runs: 3, filters: [], timeoutS: 300, startup: true, programs: true, cpu: false, json: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value\n${usage()}`);
      return argv[++i];
    };
    if (a === '--target') opts.targets.push(value());
    else if (a === '--runs') opts.runs = Number(value());
    else if (a === '--filter') opts.filters.push(value());
    else if (a === '--timeout') opts.timeoutS = Number(value());
    else if (a === '--no-startup') opts.startup = false;
    else if (a === '--no-programs') opts.programs = false;
    else if (a === '--cpu') opts.cpu = true;
    else if (a === '--no-json') opts.json = false;
    else if (a === '-h' || a === '--help') {
      console.log(usage());
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${usage()}`);
  }
  if (opts.targets.length === 0) opts.targets = defaultTargets;
  if (opts.targets.includes('all')) opts.targets = Object.keys(TARGETS);
  for (const t of opts.targets) {
    if (!TARGETS[t]) throw new Error(`unknown target ${t}; known: ${Object.keys(TARGETS).join(', ')}, all`);
  }
  opts.targets = [...new Set(opts.targets)];
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs must be a positive integer');
  if (!(opts.timeoutS > 0)) throw new Error('--timeout must be positive');
  return opts;
}

/** Compiles `source` into build/<buildName>/<name> unless it is newer than the source and harness. */
function compile(name, source, buildName, cc, flags) {
  const out = path.join(BUILD_DIR, buildName, name);
  const harness = [fileURLToPath(import.meta.url), path.join(BENCH_DIR, 'lib', 'targets.mjs')];
  const newest = Math.max(...[source, ...harness].map((f) => statSync(f).mtimeMs));
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return out;
  mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync(cc, [...flags, '-o', out, source, '-lm'], { encoding: 'utf8' });
  if (r.error) throw new Error(`${cc} not usable: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`building ${name} with ${cc} failed:\n${r.stderr}`);
  return out;
}

function versionOf(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n')[0].trim() : null;
}

function gitCommit() {
  try {
    return execFileSync('git', ['-C', ROOT, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}

function lastLine(text) {
  return text?.trim().split('\n').slice(-1)[0] ?? null;
}

function benchTarget(name, kernels, opts) {
  const target = TARGETS[name];
  const tsemu = tsemuBinary(name, ROOT);
  const kernelResults = [];
  for (const kernel of kernels) {
    const source = path.join(KERNEL_DIR, `${kernel}.c`);
    const guest = compile(kernel, source, name, target.cc, guestFlags(name));
    const native = compile(kernel, source, 'native', NATIVE_BUILD.cc, NATIVE_BUILD.flags);
    process.stderr.write(`${name} ${kernel}: ${opts.runs} run(s) each of native, qemu, tsemu\n`);
    const r = runInterleaved(
      [
        { name: 'native', command: native, args: [] },
        { name: 'qemu', command: target.qemu, args: [guest] },
        { name: 'tsemu', command: tsemu, args: [guest] },
      ],
      opts.runs,
      opts.timeoutS,
      'native',
      opts.cpu,
    );
    const { output, ...runs } = r;
    kernelResults.push(withRatios({ kernel, checksum: lastLine(output), ...runs }));
  }
  const programResults = [];
  const programs = opts.programs
    ? programRuns(name, { root: ROOT, benchDir: BENCH_DIR, dataDir: DATA_DIR, qemu: target.qemu, tsemu, filters: opts.filters })
    : [];
  for (const p of programs) {
    process.stderr.write(`${name} ${p.name}: ${opts.runs} run(s) each of ${p.runners.map((r) => r.name).join(', ')}\n`);
    const { output: _output, ...runs } = runInterleaved(p.runners, opts.runs, opts.timeoutS, p.reference, opts.cpu);
    programResults.push(withRatios({ kernel: p.name, ...runs }));
  }
  let startup = null;
  if (opts.startup) {
    const hello = compile('hello', HELLO, name, target.cc, guestFlags(name));
    process.stderr.write(`${name} start-up: ${opts.runs} run(s) each of node -e 0 (twice), qemu, tsemu\n`);
    // tsemu's launcher hands Node's variables (NODE_*, UV_*) to the guest, not to its own Node: `node
    // -e 0` started without them is what tsemu's own Node start costs (NODE_EXTRA_CA_CERTS alone
    // makes Node parse a certificate file at every start, 0.04 s).
    const nodeVariables = Object.keys(process.env).filter((v) => v.startsWith('NODE_') || v.startsWith('UV_'));
    const { output: _output, ...runs } = runInterleaved(
      [
        { name: 'node', command: process.execPath, args: ['-e', '0'], unchecked: true },
        {
          name: 'bareNode',
          command: 'env',
          args: [...nodeVariables.flatMap((v) => ['-u', v]), process.execPath, '-e', '0'],
          unchecked: true,
        },
        { name: 'qemu', command: target.qemu, args: [hello] },
        { name: 'tsemu', command: tsemu, args: [hello] },
      ],
      opts.runs,
      opts.timeoutS,
      'qemu',
      opts.cpu,
    );
    startup = startupRatios(runs);
  }
  return {
    target: name,
    compiler: `${target.cc} ${guestFlags(name).join(' ')}`,
    versions: { qemu: versionOf(target.qemu, ['--version']), tsemu: versionOf(tsemu, ['-version']) },
    kernels: kernelResults,
    geomean: geomeans(kernelResults),
    programs: programResults,
    programGeomean: geomeans(programResults),
    startup,
  };
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const kernels = readdirSync(KERNEL_DIR)
    .filter((f) => f.endsWith('.c'))
    .map((f) => f.slice(0, -2))
    .filter((k) => opts.filters.length === 0 || opts.filters.some((f) => k.includes(f)))
    .sort();

  console.log(`times: ${opts.cpu ? 'user + system CPU' : 'wall-clock'} seconds, median of ${opts.runs} run(s)\n`);
  const targets = [];
  for (const name of opts.targets) {
    const result = benchTarget(name, kernels, opts);
    targets.push(result);
    console.log(formatTarget(result) + '\n');
  }
  if (targets.length > 1) console.log(formatSummary(targets));

  if (opts.json) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const report = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      runs: opts.runs,
      time: opts.cpu ? 'cpu' : 'wall',
      host: { cpu: os.cpus()[0]?.model ?? null, cores: os.cpus().length, node: process.version },
      native: `${NATIVE_BUILD.cc} ${NATIVE_BUILD.flags.join(' ')}`,
      targets,
    };
    const base = path.join(RESULTS_DIR, `${report.date.slice(0, 10)}-${opts.targets.join('_')}`);
    writeFileSync(`${base}.json`, JSON.stringify(report, null, 2) + '\n');
    writeFileSync(`${base}.svg`, plotSvg(report));
    console.log(`\nwritten ${path.relative(process.cwd(), base)}.json and .svg`);
  }
}

try {
  main();
} catch (e) {
  console.error(`bench: ${e.message}`);
  process.exit(1);
}
