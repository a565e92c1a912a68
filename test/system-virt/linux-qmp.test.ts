/**
 * QMP on a machine booting Debian's arm64 kernel, through the management application's flow (a
 * listening socket handed over as descriptor 3): once the kernel has printed its command line, the
 * client stops the machine (the console goes quiet), reads query-status and `info registers`
 * (human-monitor-command), resumes it, and the boot carries on. qemu-system-aarch64 goes through the
 * same steps: the answers must match, and `info registers` must have QEMU's layout, values aside,
 * with the CPU in the kernel at EL1.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QEMU_SYSTEM, TSEMU_SYSTEM } from './bare-metal';
import { debianArm64Kernel, startWithQmp, waitForOutput, type QmpMachine } from './linux-kernel';

const APPEND = 'earlycon console=ttyAMA0 panic=-1';
const STOP_AT = `Kernel command line: ${APPEND}`;
/** A message printed after the command line, a few seconds later under tsemu. */
const RESUMED_TO = 'Memory: ';
const BOOT_LIMIT_MS = 90_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

interface Inspection {
  running: unknown;
  paused: unknown;
  registers: string;
  quietWhileStopped: boolean;
  resumed: unknown;
}

/** Stops a booting machine, inspects it and resumes it; the boot must then reach RESUMED_TO. */
async function inspectDuringBoot(machine: QmpMachine): Promise<Inspection> {
  const { client } = machine;
  await waitForOutput(machine, STOP_AT, BOOT_LIMIT_MS);
  const running = (await client.execute('query-status'))['return'];
  await client.execute('stop');
  await client.event('STOP');
  const paused = (await client.execute('query-status'))['return'];
  const registers = (
    (await client.execute('human-monitor-command', { 'command-line': 'info registers' }))['return'] as string
  ).replace(/\r\n/g, '\n');
  const atStop = machine.output().length;
  await sleep(500);
  const quietWhileStopped = machine.output().length === atStop;
  await client.execute('cont');
  await client.event('RESUME');
  const resumed = (await client.execute('query-status'))['return'];
  await waitForOutput(machine, RESUMED_TO, BOOT_LIMIT_MS, atStop);
  return { running, paused, registers, quietWhileStopped, resumed };
}

/** `info registers` with the values taken out: the register names, their order and the line breaks. */
function layout(registers: string): string {
  return registers.replace(/=[0-9a-f]+/g, '=').replace(/^(PSTATE=) [-NZCV]{4}/m, '$1');
}

describe("QMP on a machine booting Debian's arm64 kernel", () => {
  let kernel = '';
  const machines: QmpMachine[] = [];
  beforeAll(async () => {
    kernel = await debianArm64Kernel();
  }, 600_000);
  afterAll(() => machines.forEach((m) => m.kill()));

  it('stops, inspects and resumes the booting machine as qemu-system-aarch64 does', async () => {
    const args = [
      ...['-M', 'virt', '-cpu', 'cortex-a57', '-m', '512M', '-nographic'],
      ...['-kernel', kernel, '-append', APPEND],
    ];
    const [ours, theirs] = await Promise.all(
      [TSEMU_SYSTEM, QEMU_SYSTEM].map(async (binary) => {
        const machine = await startWithQmp(binary, args);
        machines.push(machine);
        return inspectDuringBoot(machine);
      }),
    );
    expect(ours.running).toEqual({ status: 'running', singlestep: false, running: true });
    expect(ours.paused).toEqual({ status: 'paused', singlestep: false, running: false });
    expect(ours.quietWhileStopped).toBe(true);
    expect(ours.resumed).toEqual(ours.running);
    const answers = (i: Inspection): unknown[] => [i.running, i.paused, i.resumed];
    expect(answers(theirs)).toEqual(answers(ours));
    // The kernel runs in the upper half of the address space, at EL1.
    expect(ours.registers).toMatch(/^\nCPU#0\n PC=ffff[0-9a-f]{12} .*\nPSTATE=[0-9a-f]{8} [-NZCV]{4} EL1h /s);
    expect(layout(ours.registers)).toEqual(layout(theirs.registers));
  }, 180_000);
});
