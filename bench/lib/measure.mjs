/**
 * Timed runs: each command runs under lib/rusage.py, which reports wall time and peak RSS
 * (wait4's rusage) on file descriptor 3, plus the interleaved repetition of several runners and
 * the statistics the table shows.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const RUSAGE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rusage.py');

/**
 * One run: { seconds, maxRssMiB, stdout, failure } where failure is null or a reason; `seconds` is
 * wall time, or user + system CPU time with `cpu` (steadier on a machine shared with other work).
 */
export function timedRun(command, args, timeoutS, cpu = false) {
  const r = spawnSync('python3', [RUSAGE, String(timeoutS), command, ...args], {
    encoding: 'latin1',
    maxBuffer: 64 << 20,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  if (r.error) throw new Error(`python3 not usable: ${r.error.message}`);
  const report = r.output[3]?.trim();
  if (r.status !== 0 || !report) throw new Error(`measuring ${command} failed: ${r.stderr.trim()}`);
  const m = JSON.parse(report);
  let failure = null;
  if (m.timedOut) failure = `timed out after ${timeoutS} s`;
  else if (m.signal !== null) failure = `killed by signal ${m.signal}`;
  else if (m.status !== 0) failure = `exit status ${m.status}`;
  const detail = failure && r.stderr ? `: ${r.stderr.trim().split('\n').slice(-1)[0]}` : '';
  return { seconds: cpu ? m.cpuSeconds : m.seconds, maxRssMiB: m.maxRssKiB / 1024, stdout: r.stdout, failure: failure && failure + detail };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function geomean(xs) {
  return xs.length ? Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length) : null;
}

/**
 * Runs every runner `runs` times, interleaved (a change in machine load hits all alike), and
 * checks that each runner's output is stable and equals the reference runner's (`reference`;
 * runners marked `unchecked` are exempt). Returns { output } plus, per runner,
 * { ok, median, runs, maxRssMiB } or { ok: false, error }.
 */
export function runInterleaved(runners, runs, timeoutS, reference, cpu = false) {
  const times = Object.fromEntries(runners.map((r) => [r.name, []]));
  const rss = Object.fromEntries(runners.map((r) => [r.name, 0]));
  const outputs = {};
  const failures = {};
  for (let i = 0; i < runs; i++) {
    for (const runner of runners) {
      if (failures[runner.name]) continue;
      const r = timedRun(runner.command, runner.args, timeoutS, cpu);
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
      rss[runner.name] = Math.max(rss[runner.name], r.maxRssMiB);
    }
  }
  const expected = reference && outputs[reference];
  const result = { output: expected ?? null };
  for (const runner of runners) {
    if (!runner.unchecked && !failures[runner.name] && expected !== undefined && outputs[runner.name] !== expected) {
      failures[runner.name] = `output differs from ${reference}`;
    }
    result[runner.name] = failures[runner.name]
      ? { ok: false, error: failures[runner.name] }
      : { ok: true, median: median(times[runner.name]), runs: times[runner.name], maxRssMiB: rss[runner.name] };
  }
  return result;
}
