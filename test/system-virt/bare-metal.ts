/**
 * The bare-metal programs of test/guest/system/ and how the virt tests run them: built once with
 * the AArch64 cross compiler (rebuilt when a source is newer), then run under tsemu-system-aarch64
 * and under qemu-system-aarch64, the oracle, with the same arguments.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { runProcess, type RunResult } from '../lib/run-process';
import { REPO_ROOT } from '../lib/targets';

const SOURCES = path.join(REPO_ROOT, 'test', 'guest', 'system');
const BUILD = path.join(REPO_ROOT, 'test', 'guest', 'build', 'system');
/** Sources every program may include (virtio_wait.c is virtio.c with a wait at the end). */
const COMMON = ['start.S', 'virt.h', 'pagetable.h', 'gicv3.h', 'virtio.c'];
const CC = 'aarch64-linux-gnu-gcc';
const CFLAGS = [
  '-nostdlib',
  '-ffreestanding',
  '-O2',
  '-mgeneral-regs-only',
  '-static',
  '-Wl,--build-id=none',
  '-Wl,--no-warn-rwx-segments',
];

export const TSEMU_SYSTEM = path.join(REPO_ROOT, 'bin', 'tsemu-system-aarch64');
export const QEMU_SYSTEM = 'qemu-system-aarch64';
export const VIRT_ARGS = ['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128M', '-nographic'];

/** Builds test/guest/system/NAME.c with the shared start-up code and `script` into `output` (when a source is newer). */
function build(name: string, script: string, output: string): void {
  mkdirSync(BUILD, { recursive: true });
  const inputs = [`${name}.c`, script, ...COMMON].map((f) => path.join(SOURCES, f));
  const built = existsSync(output) ? statSync(output).mtimeMs : 0;
  if (inputs.some((f) => statSync(f).mtimeMs > built)) {
    execFileSync(CC, [
      ...CFLAGS,
      '-T',
      path.join(SOURCES, script),
      '-o',
      output,
      path.join(SOURCES, 'start.S'),
      path.join(SOURCES, `${name}.c`),
    ]);
  }
}

/** Builds test/guest/system/NAME.c as an ELF loaded into RAM (-kernel); returns its path. */
export function bareMetalProgram(name: string): string {
  const output = path.join(BUILD, `${name}.elf`);
  build(name, 'link.ld', output);
  return output;
}

/** Builds test/guest/system/NAME.c as a raw firmware image for the flash at 0x0 (-bios); returns its path. */
export function firmwareImage(name: string): string {
  const elf = path.join(BUILD, `${name}.flash.elf`);
  const output = path.join(BUILD, `${name}.bin`);
  build(name, 'link-flash.ld', elf);
  if (!existsSync(output) || statSync(elf).mtimeMs > statSync(output).mtimeMs)
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', elf, output]);
  return output;
}

const ENV = { PATH: process.env['PATH'] ?? '/usr/bin:/bin' };

export function runTsemu(args: readonly string[], input?: string): Promise<RunResult> {
  return runProcess(TSEMU_SYSTEM, {
    args,
    env: ENV,
    timeoutMs: 30_000,
    ...(input !== undefined && { input }),
  });
}

export function runQemu(args: readonly string[], input?: string): Promise<RunResult> {
  return runProcess(QEMU_SYSTEM, {
    args,
    env: ENV,
    timeoutMs: 30_000,
    ...(input !== undefined && { input }),
  });
}

/** An error message without the program name each emulator puts before it. */
export function withoutProgramName(stderr: string): string {
  return stderr.replace(/^(qemu-system-aarch64|tsemu-system): /gm, '');
}

/** Command-line arguments qemu-system-aarch64 refuses: tsemu must refuse them too, in QEMU's words, with status 1. */
export async function expectSameRefusal(args: readonly string[]): Promise<void> {
  const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
  expect(theirs.status).toBe(1);
  expect(ours.status).toBe(1);
  expect(withoutProgramName(ours.stderr)).toBe(withoutProgramName(theirs.stderr));
}
