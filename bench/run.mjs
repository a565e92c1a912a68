#!/usr/bin/env node
/**
 * Benchmark harness: builds each kernel in bench/kernels/ for AArch64 (static, run under tsemu
 * and qemu-aarch64) and natively for the host (same source, same flags), runs the three
 * interleaved N times, checks that their outputs agree, and prints the medians with the
 * tsemu/qemu and tsemu/native ratios and their geometric means. Results are also written to
 * bench/results/<date>-aarch64.json. See bench/README.md.
 */
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH_DIR = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH_DIR);
const KERNEL_DIR = path.join(BENCH_DIR, 'kernels');
const BUILD_DIR = path.join(BENCH_DIR, 'build');
const RESULTS_DIR = path.join(BENCH_DIR, 'results');

/** Same optimisation for every build; no FP contraction so x86-64 and AArch64 round alike. */
const CFLAGS = ['-O2', '-ffp-contract=off'];

const BUILDS = {
  aarch64: { cc: 'aarch64-linux-gnu-gcc', flags: ['-static', ...CFLAGS] },
  native: { cc: 'gcc', flags: CFLAGS },
};

function usage() {
  return `usage: node bench/run.mjs [--runs N] [--filter NAME] [--timeout SECONDS] [--no-json]
  --runs N         runs per kernel and runner (default 3); the median is reported
  --filter NAME    only kernels whose name contains NAME (repeatable)
  --timeout S      per-run time limit in seconds for tsemu (default 300; qemu and native get the same)
  --no-json        do not write bench/results/<date>-aarch64.json
environment: TSEMU_AARCH64 names the binary under test (default bin/tsemu-aarch64)`;
}

function parseArgs(argv) {
  const opts = { runs: 3, filters: [], timeoutS: 300, json: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--runs') opts.runs = Number(value());
    else if (a === '--filter') opts.filters.push(value());
    else if (a === '--timeout') opts.timeoutS = Number(value());
    else if (a === '--no-json') opts.json = false;
    else if (a === '-h' || a === '--help') {
      console.log(usage());
      process.exit(0);
    } else throw new Error(`unknown argument ${a}\n${usage()}`);
  }
  if (!Number.isInteger(opts.runs) || opts.runs < 1) throw new Error('--runs must be a positive integer');
  if (!(opts.timeoutS > 0)) throw new Error('--timeout must be positive');
  return opts;
}

/** Compiles `source` for `build` unless the output is newer than the source and this script. */
function compile(kernel, source, buildName) {
  const { cc, flags } = BUILDS[buildName];
  const out = path.join(BUILD_DIR, buildName, kernel);
  const newest = Math.max(statSync(source).mtimeMs, statSync(fileURLToPath(import.meta.url)).mtimeMs);
  if (existsSync(out) && statSync(out).mtimeMs >= newest) return out;
  mkdirSync(path.dirname(out), { recursive: true });
  const r = spawnSync(cc, [...flags, '-o', out, source, '-lm'], { encoding: 'utf8' });
  if (r.error) throw new Error(`${cc} not usable: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`building ${kernel} with ${cc} failed:\n${r.stderr}`);
  return out;
}

/** One timed run; `ok` is false on a non-zero exit, a signal, a spawn error or a timeout. */
function timedRun(command, args, timeoutS) {
  const start = process.hrtime.bigint();
  const r = spawnSync(command, args, {
    encoding: 'latin1',
    timeout: timeoutS * 1000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  let failure = null;
  if (r.error?.code === 'ETIMEDOUT') failure = `timed out after ${timeoutS} s`;
  else if (r.error) failure = r.error.message;
  else if (r.signal) failure = `killed by ${r.signal}`;
  else if (r.status !== 0) failure = `exit status ${r.status}`;
  const detail = failure && r.stderr ? `: ${r.stderr.trim().split('\n').slice(-1)[0]}` : '';
  return { seconds, stdout: r.stdout ?? '', failure: failure && failure + detail };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function geomean(xs) {
  return xs.length ? Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length) : null;
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

function benchKernel(name, runners, opts) {
  const times = Object.fromEntries(runners.map((r) => [r.name, []]));
  const outputs = {};
  const failures = {};
  for (let i = 0; i < opts.runs; i++) {
    // Interleaved, so a change in machine load affects all three alike.
    for (const runner of runners) {
      if (failures[runner.name]) continue;
      const r = timedRun(runner.command, runner.args, opts.timeoutS);
      if (r.failure) {
        failures[runner.name] = r.failure;
        continue;
      }
      if (outputs[runner.name] !== undefined && outputs[runner.name] !== r.stdout) {
        failures[runner.name] = 'output differs between its own runs';
        continue;
      }
      outputs[runner.name] = r.stdout;
      times[runner.name].push(r.seconds);
    }
  }
  // The native build is the reference output; qemu must match it for the kernel to be valid.
  const reference = outputs.native;
  for (const runner of runners) {
    if (runner.name !== 'native' && !failures[runner.name] && reference !== undefined && outputs[runner.name] !== reference) {
      failures[runner.name] = 'output differs from native';
    }
  }
  const result = { kernel: name, checksum: reference?.trim().split('\n').slice(-1)[0] ?? null };
  for (const runner of runners) {
    result[runner.name] = failures[runner.name]
      ? { ok: false, error: failures[runner.name] }
      : { ok: true, median: median(times[runner.name]), runs: times[runner.name] };
  }
  const ok = (n) => result[n]?.ok;
  result.tsemuOverQemu = ok('tsemu') && ok('qemu') ? result.tsemu.median / result.qemu.median : null;
  result.tsemuOverNative = ok('tsemu') && ok('native') ? result.tsemu.median / result.native.median : null;
  result.qemuOverNative = ok('qemu') && ok('native') ? result.qemu.median / result.native.median : null;
  return result;
}

function formatTable(results) {
  const cell = (r) => (r.ok ? r.median.toFixed(3) : 'FAIL');
  const ratio = (x) => (x === null ? '-' : x.toFixed(2));
  const header = ['kernel', 'native s', 'qemu s', 'tsemu s', 'tsemu/qemu', 'tsemu/native', 'qemu/native'];
  const rows = results.map((r) => [
    r.kernel,
    cell(r.native),
    cell(r.qemu),
    cell(r.tsemu),
    ratio(r.tsemuOverQemu),
    ratio(r.tsemuOverNative),
    ratio(r.qemuOverNative),
  ]);
  const g = (key) => geomean(results.map((r) => r[key]).filter((x) => x !== null));
  rows.push(['geomean', '', '', '', ratio(g('tsemuOverQemu')), ratio(g('tsemuOverNative')), ratio(g('qemuOverNative'))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  const notes = [];
  for (const r of results) {
    for (const who of ['native', 'qemu', 'tsemu']) {
      if (!r[who].ok) notes.push(`${r.kernel}: ${who} ${r[who].error}`);
    }
  }
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...notes].join('\n');
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  const tsemu = process.env.TSEMU_AARCH64 || path.join(ROOT, 'bin', 'tsemu-aarch64');
  const kernels = readdirSync(KERNEL_DIR)
    .filter((f) => f.endsWith('.c'))
    .map((f) => f.slice(0, -2))
    .filter((k) => opts.filters.length === 0 || opts.filters.some((f) => k.includes(f)))
    .sort();
  if (kernels.length === 0) throw new Error('no kernel matches the filter');

  const results = [];
  for (const kernel of kernels) {
    const source = path.join(KERNEL_DIR, `${kernel}.c`);
    const guest = compile(kernel, source, 'aarch64');
    const native = compile(kernel, source, 'native');
    const runners = [
      { name: 'native', command: native, args: [] },
      { name: 'qemu', command: 'qemu-aarch64', args: [guest] },
      { name: 'tsemu', command: tsemu, args: [guest] },
    ];
    process.stderr.write(`${kernel}: ${opts.runs} run(s) each of native, qemu, tsemu\n`);
    results.push(benchKernel(kernel, runners, opts));
  }
  console.log(formatTable(results));

  if (opts.json) {
    mkdirSync(RESULTS_DIR, { recursive: true });
    const date = new Date().toISOString().slice(0, 10);
    const file = path.join(RESULTS_DIR, `${date}-aarch64.json`);
    const geo = (key) => geomean(results.map((r) => r[key]).filter((x) => x !== null));
    const report = {
      date: new Date().toISOString(),
      commit: gitCommit(),
      runs: opts.runs,
      host: { cpu: os.cpus()[0]?.model ?? null, cores: os.cpus().length, node: process.version },
      versions: { qemu: versionOf('qemu-aarch64', ['--version']), tsemu: versionOf(tsemu, ['-version']) },
      flags: { aarch64: BUILDS.aarch64.flags, native: BUILDS.native.flags },
      kernels: results,
      geomean: { tsemuOverQemu: geo('tsemuOverQemu'), tsemuOverNative: geo('tsemuOverNative'), qemuOverNative: geo('qemuOverNative') },
    };
    writeFileSync(file, JSON.stringify(report, null, 2) + '\n');
    console.log(`\nwritten ${path.relative(process.cwd(), file)}`);
  }
}

try {
  main();
} catch (e) {
  console.error(`bench: ${e.message}`);
  process.exit(1);
}
