/**
 * -d items of tsemu-aarch64 on the guest test programs, checked against facts from the cross
 * binutils (objdump's words of main, nm's addresses, readelf's segments): in_asm lists the
 * instructions of main, op and out_asm follow, exec/cpu trace main's entry with argc in x0, page shows
 * the program's text mapping, -dfilter limits the block logs to its ranges.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AARCH64, REPO_ROOT, tsemuBinary } from '../lib/targets';
import { runProcess } from '../lib/run-process';
import { objdumpMain } from './objdump';

const ARGS = path.join(REPO_ROOT, 'test/guest/build/aarch64/args');
const TSEMU = tsemuBinary(AARCH64);

function symbol(program: string, name: string): { addr: number; size: number } {
  const line = execFileSync('aarch64-linux-gnu-nm', ['-S', program], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.endsWith(` ${name}`))!;
  const [addr, size] = line.split(' ');
  return { addr: parseInt(addr!, 16), size: parseInt(size!, 16) };
}

/** Our environment plus `extra` (the launcher needs PATH to find node). */
function hostEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
  return { ...env, ...extra };
}

const hex8 = (n: number): string => n.toString(16).padStart(8, '0');

async function runWithLog(items: string, args: string[] = [], env: Record<string, string> = {}): Promise<{ log: string; status: number | null }> {
  const logFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-log-')), 'log');
  const run = await runProcess(TSEMU, { args: ['-d', items, '-D', logFile, ARGS, ...args], env: hostEnv(env) });
  return { log: fs.readFileSync(logFile, 'utf8'), status: run.status };
}

describe('-d logs (aarch64 user mode)', () => {
  it('in_asm lists the guest instructions of main up to its first branch, with op and out_asm following', async () => {
    const { log, status } = await runWithLog('in_asm,op,out_asm');
    expect(status).toBe(0);
    const main = objdumpMain(AARCH64, ARGS);
    const firstBranch = main.findIndex((i) => /^(b|bl|blr|br|ret|cbz|cbnz|tbz|tbnz|b\..+)$/.test(i.mnemonic));
    expect(firstBranch).toBeGreaterThan(0);
    for (const insn of main.slice(0, firstBranch + 1)) {
      expect(log).toContain(`0x${hex8(insn.addr)}:  ${insn.encoding}`);
    }
    // The decode table names the family of the branch objdump names (cbz, bl...).
    const branch = main[firstBranch]!;
    const line = log.split('\n').find((l) => l.startsWith(`0x${hex8(branch.addr)}:  ${branch.encoding}  `))!;
    expect(line.split('  ')[2]!.toLowerCase().split('/')).toContain(branch.mnemonic);
    expect(log).toContain(`IR block 0x${main[0]!.addr.toString(16)}..`);
    expect(log).toMatch(/OUT: wasm module, \d+ bytes\n\(module\n/);
  });

  it('-dfilter keeps only blocks starting inside the ranges', async () => {
    const main = symbol(ARGS, 'main');
    const range = `0x${main.addr.toString(16)}+0x${main.size.toString(16)}`;
    const { log } = await runWithLog('in_asm', [], { TSEMU_DFILTER: range });
    const starts = [...log.matchAll(/IN: \n0x([0-9a-f]+):/g)].map((m) => parseInt(m[1]!, 16));
    expect(starts).toContain(main.addr);
    for (const s of starts) {
      expect(s).toBeGreaterThanOrEqual(main.addr);
      expect(s).toBeLessThan(main.addr + main.size);
    }
  });

  it('exec traces the ELF entry first and main later; cpu shows argc in X0 and the pc at main', async () => {
    const entry = symbol(ARGS, '_start').addr;
    const main = symbol(ARGS, 'main').addr;
    const { log } = await runWithLog('exec,cpu', ['a', 'b']);
    const traces = [...log.matchAll(/^Trace 0: 0x([0-9a-f]+)$/gm)].map((m) => parseInt(m[1]!, 16));
    expect(traces[0]).toBe(entry);
    expect(traces).toContain(main);
    const atMain = log.split(`Trace 0: 0x${main.toString(16).padStart(16, '0')}`)[0]!.split('Trace 0:').pop()!;
    expect(atMain).toMatch(/ X0=0000000000000003\b/);
    expect(atMain).toMatch(new RegExp(`PC=${main.toString(16).padStart(16, '0')}\\b`));
  });

  it('page shows the program text mapped where its first LOAD segment says, readable and executable', async () => {
    const segments = execFileSync('aarch64-linux-gnu-readelf', ['-lW', ARGS], { encoding: 'utf8' });
    const load = /LOAD\s+0x[0-9a-f]+ 0x([0-9a-f]+)/.exec(segments)!;
    const { log } = await runWithLog('page');
    const start = BigInt('0x' + load[1]!) & ~0xfffn;
    expect(log).toMatch(new RegExp(`^${start.toString(16).padStart(16, '0')}-[0-9a-f]{16} [0-9a-f]{16} r-x ${ARGS}$`, 'm'));
  });

  it('stats reports translations at exit', async () => {
    // Without the persistent cache: a cached earlier run of the program would leave nothing to translate.
    const { log } = await runWithLog('stats', [], { TSEMU_CACHE: 'off' });
    const translated = /blocks translated to IR: +(\d+)/.exec(log);
    expect(Number(translated?.[1])).toBeGreaterThan(0);
    expect(log).toMatch(/translation time: +[\d.]+ ms of [\d.]+ ms/);
  });

  it('-strace and -d stats of a forked child that closes its stderr: it ends as the native build does', async () => {
    const source = path.join(REPO_ROOT, 'test/guest/common/close_stderr.c');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-log-'));
    const native = path.join(dir, 'close_stderr_native');
    const guest = path.join(dir, 'close_stderr');
    execFileSync('gcc', ['-O2', '-o', native, source]);
    execFileSync(AARCH64.cc, [...AARCH64.cflags, '-o', guest, source]);
    const oracle = await runProcess(native, {});
    for (const items of [['-strace'], ['-d', 'stats']]) {
      const run = await runProcess(TSEMU, { args: [...items, guest], env: hostEnv() });
      expect(run.stdout).toBe(oracle.stdout);
      expect(run.status).toBe(oracle.status);
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a malformed -dfilter range is refused with one line and status 1', async () => {
    const run = await runProcess(TSEMU, { args: [ARGS], env: hostEnv({ TSEMU_DFILTER: '0x1000+' }) });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^tsemu-aarch64: Bad range specifier: 0x1000\+\n$/);
  });
});
