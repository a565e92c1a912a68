/**
 * Bare-metal programs on `-M virt`, each compared with qemu-system-aarch64 running the same ELF with
 * the same arguments: UART output, CPU identity and PSCI answers (hello), synchronous exceptions and
 * their return, EL0 and back (exceptions), the virtual timer's interrupt through the GIC with WFI
 * (timer), the UART's receive interrupt waking WFI (echo), SYSTEM_RESET (reset), and stage-1
 * translation with page-table faults (mmu), the upper VA range (higher_half), mappings to other
 * addresses with TLB maintenance and code rewritten or remapped (remap), translations kept apart by
 * ASID and invalidated by ASID (asid), EL0/EL1 permissions (el0_perms), EL0's access to DAIF,
 * CTR_EL0, DC ZVA, the generic timer and the ID registers under SCTLR_EL1's and CNTKCTL_EL1's
 * controls (el0_sysregs), and serial input read by polling the UART's flags while it arrives
 * (pollrx). Each ends with PSCI SYSTEM_OFF, which must end both emulators with status 0.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { QEMU_SYSTEM, TSEMU_SYSTEM, VIRT_ARGS, bareMetalProgram, runQemu, runTsemu } from './bare-metal';

async function compare(name: string, input?: string, extra: string[] = []): Promise<void> {
  const args = [...VIRT_ARGS, ...extra, '-kernel', bareMetalProgram(name)];
  const [ours, theirs] = await Promise.all([runTsemu(args, input), runQemu(args, input)]);
  expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
  expect(ours.stderr).toBe('');
  expect(ours.stdout).toBe(theirs.stdout);
  expect(ours.status).toBe(0);
}

/** Runs `binary`, types `key` once the program has printed `prompt`; its output and status (null: killed after 30 s). */
function typeAfterPrompt(
  binary: string,
  args: string[],
  prompt: string,
  key: string,
): Promise<{ stdout: string; status: number | null }> {
  return new Promise((resolve) => {
    const child = spawn(binary, args, { env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' } });
    let stdout = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const before = stdout;
      stdout += chunk.toString('latin1');
      if (!before.includes(prompt) && stdout.includes(prompt)) child.stdin.end(key);
    });
    child.stdin.on('error', () => undefined);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ stdout, status });
    });
  });
}

describe('tsemu-system -M virt runs bare-metal programs as qemu-system-aarch64 does', () => {
  it('prints on the PL011, reads its ID registers, answers PSCI and powers off', () => compare('hello'));
  it.each(['cortex-a53', 'cortex-a72'])('identifies itself as the -cpu %s asked for', (cpu) =>
    compare('hello', undefined, ['-cpu', cpu]));
  it("identifies itself as QEMU's -cpu max does (its feature registers list what each emulator implements)", async () => {
    const args = [...VIRT_ARGS, '-cpu', 'max', '-kernel', bareMetalProgram('hello')];
    const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
    const midr = (out: string): string | undefined => /^MIDR_EL1=.*$/m.exec(out)?.[0];
    expect(midr(ours.stdout)).toBe(midr(theirs.stdout));
    expect(midr(ours.stdout)).toBeDefined();
    expect(ours.status).toBe(0);
  });
  it('takes SVC, undefined instruction, BRK, data aborts and EL0 SVC exceptions and returns from them', () =>
    compare('exceptions'));
  it('delivers the virtual timer interrupt through the GICv2 to a CPU waiting in WFI', () =>
    compare('timer'));
  it('reads and writes PSTATE.DAIF, taking a pending interrupt only when a write unmasks it', () =>
    compare('daif'));
  it.each(['cortex-a53', 'cortex-a57', 'cortex-a72', 'max'])(
    'lets EL0 at DAIF, CTR_EL0, DC ZVA, the counters and the timers (-cpu %s) as SCTLR_EL1 and CNTKCTL_EL1 say, trapping with EC 0x18 otherwise',
    (cpu) => compare('el0_sysregs', undefined, ['-cpu', cpu]),
  );
  it('wakes from WFI on the PL011 receive interrupt and echoes serial input', () =>
    compare('echo', 'hello world\nabc q'));
  it('turns the MMU on over identity page tables and takes translation, access flag and permission faults', () =>
    compare('mmu'));
  it('maps the program and the UART into the upper VA range through TTBR1 and runs code and vectors there', () =>
    compare('higher_half'));
  it('maps pages and the UART to other addresses, remaps them with TLBI by VA and ASID, and runs rewritten and remapped code', () =>
    compare('remap'));
  it('keeps non-global translations apart by ASID (TTBR0 or TTBR1, 8 or 16 bits) and invalidates them by VA, ASID and VA in all ASIDs', () =>
    compare('asid'));
  it('applies EL0 and EL1 permissions: AP[2:1], APTable, UXN/UXNTable, PXN and the PXN implied by EL0 write access', () =>
    compare('el0_perms'));
  it('restarts the program on PSCI SYSTEM_RESET, keeping RAM outside the reloaded image', () =>
    compare('reset'));
  it('ends with status 0 on PSCI SYSTEM_RESET under -no-reboot', () => compare('reset', undefined, ['-no-reboot']));
  it("reads a byte that arrives while it polls the PL011's flags, then powers off", async () => {
    const args = [...VIRT_ARGS, '-kernel', bareMetalProgram('pollrx')];
    const run = (binary: string) => typeAfterPrompt(binary, args, 'poll\n', 'x');
    const [ours, theirs] = await Promise.all([run(TSEMU_SYSTEM), run(QEMU_SYSTEM)]);
    expect(theirs).toEqual({ stdout: 'poll\ngot x\n', status: 0 });
    expect(ours).toEqual(theirs);
  });
    it('ends with status 0 and QEMU: Terminated on Ctrl-A x', async () => {
    const args = [...VIRT_ARGS, '-kernel', bareMetalProgram('echo')];
    // Before the program reads anything, so neither emulator echoes.
    const [ours, theirs] = await Promise.all([runTsemu(args, '\x01x'), runQemu(args, '\x01x')]);
    expect(theirs.stdout).toContain('QEMU: Terminated\n\r');
    expect(ours.stdout).toContain('QEMU: Terminated\n\r');
    expect([ours.status, theirs.status]).toEqual([0, 0]);
  });
});
