#!/usr/bin/env node
/**
 * `npm test`: the whole suite as two vitest processes side by side. Debian's second stage under
 * binfmt_misc (test/binfmt/kernel.test.ts, 20 to 40 minutes alone) runs in one, every other file
 * one after another in the other, as vitest runs them on two CPUs: a two-core CI machine then
 * spends about as long as the longer of the two instead of their sum (over an hour).
 *
 * The suite's process builds (test/setup/global.ts: dist/, the bundle and its snapshots, the guest
 * programs) and signals through a file when that is done; only then does the kernel test's process
 * start, told to build nothing, so no test runs tsemu while the other process rewrites it. The
 * kernel test's output is kept in a file and printed when it ends; the status is the worse of the
 * two. With arguments, this is `vitest run ARGS` in one process.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.join(path.dirname(new URL(import.meta.url).pathname), '..');
const vitest = path.join(root, 'node_modules', '.bin', 'vitest');
const KERNEL_TEST = 'test/binfmt/kernel.test.ts';

/** Runs vitest with `args`; resolves to its exit status (1 when it died by a signal). */
function runVitest(args, env, stdio) {
  const child = spawn(vitest, ['run', ...args], { cwd: root, env: { ...process.env, ...env }, stdio });
  children.add(child);
  return new Promise((resolve) => {
    child.on('close', (status) => {
      children.delete(child);
      resolve(status ?? 1);
    });
  });
}

const children = new Set();
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    for (const child of children) child.kill(signal);
    process.exit(1);
  });
}

const userArgs = process.argv.slice(2);
if (userArgs.length > 0) process.exit(await runVitest(userArgs, {}, 'inherit'));

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-test-'));
const built = path.join(work, 'built');
const kernelLog = path.join(work, 'kernel-test.log');

const suite = runVitest(['--exclude', KERNEL_TEST], { TSEMU_TEST_BUILT_SIGNAL: built }, 'inherit');
let suiteEnded = false;
suite.then(() => (suiteEnded = true));
while (!fs.existsSync(built) && !suiteEnded) await new Promise((resolve) => setTimeout(resolve, 1000));

let kernel = Promise.resolve(0);
if (fs.existsSync(built)) {
  console.log(`\n${KERNEL_TEST} runs beside the suite; its output follows when it ends (${kernelLog})\n`);
  const log = fs.openSync(kernelLog, 'w');
  kernel = runVitest([KERNEL_TEST], { TSEMU_TEST_PREBUILT: '1' }, ['ignore', log, log]);
}
const suiteStatus = await suite;
const kernelStatus = await kernel;
if (fs.existsSync(kernelLog)) {
  console.log(`\n==> ${KERNEL_TEST} (exit status ${kernelStatus})\n`);
  process.stdout.write(fs.readFileSync(kernelLog));
}
fs.rmSync(work, { recursive: true, force: true });
console.log(`\nsuite: exit status ${suiteStatus}; ${KERNEL_TEST}: exit status ${kernelStatus}`);
process.exit(suiteStatus !== 0 ? suiteStatus : kernelStatus);
