/**
 * `-smp`: the bare-metal smp program (test/guest/system/smp.c) starts every CPU with PSCI CPU_ON,
 * shares a spinlock and a counter between them, prints each CPU's MPIDR in turn, sends SGIs from
 * CPU to CPU and takes each CPU's own timer interrupt, restarts a CPU that turned itself off and
 * powers off from it; its output must be qemu-system-aarch64's with the same -smp and GIC. The
 * -smp values QEMU refuses, tsemu refuses with QEMU's words. Through QMP, query-cpus-fast and the
 * HMP commands that name a CPU (info cpus, info registers and x of human-monitor-command's
 * cpu-index, cpu N) answer as QEMU's do with either `-accel tcg,thread=` mode (thread ids aside).
 * QMP's `stop` returns once every vCPU has stopped, as QEMU's does: registers read right after it
 * are the registers read later (spin.c counts in a register without end).
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  QEMU_SYSTEM,
  TSEMU_SYSTEM,
  VIRT_ARGS,
  bareMetalProgram,
  expectSameRefusal,
  runQemu,
  runTsemu,
} from './bare-metal';
import { startWithQmp, waitForOutput, type QmpMachine } from './linux-kernel';

const withMachine = (machine: string): string[] => VIRT_ARGS.map((a) => (a === 'virt' ? machine : a));

/** The replies to the monitor's CPU questions, thread ids replaced by 0, HMP's CRLF as LF. */
async function cpuAnswers(machine: QmpMachine): Promise<unknown[]> {
  const hmp = (line: string, cpu?: number) =>
    machine.client.execute('human-monitor-command', {
      'command-line': line,
      ...(cpu !== undefined && { 'cpu-index': cpu }),
    });
  const answers = [
    await machine.client.execute('query-cpus-fast'),
    await hmp('info cpus'),
    await hmp('info cpus', 2),
    await hmp('cpu 1'),
    await hmp('cpu 4'),
    await hmp('info registers', 3),
    await hmp('x /4xw 0x40080000', 1),
    await hmp('info cpus', 4),
  ];
  const text = JSON.stringify(answers)
    .replace(/("thread-id": ?|thread_id=)\d{2,}/g, (_, key: string) => `${key}0`)
    .replace(/\\r\\n/g, '\\n');
  return JSON.parse(text);
}

afterEach(() => {
  for (const m of started.splice(0)) m.kill();
});
const started: QmpMachine[] = [];

describe('tsemu-system -M virt -smp', () => {
  it.each([
    ['virt', '2'],
    ['virt', '4'],
    ['virt,gic-version=3', '2'],
  ])('runs CPUs started by PSCI CPU_ON as qemu-system-aarch64 does (-M %s -smp %s)', async (machine, smp) => {
    const args = [...withMachine(machine), '-smp', smp, '-kernel', bareMetalProgram('smp')];
    const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
    expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
    expect(ours.stderr).toBe('');
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(0);
  });

  it.each(['single', 'multi'])(
    'answers query-cpus-fast, info cpus, cpu N and per-CPU info registers and x as QEMU does (-accel tcg,thread=%s)',
    async (thread) => {
      const accel = ['-accel', `tcg,thread=${thread}`];
      const args = [
        ...VIRT_ARGS,
        ...accel,
        '-smp',
        '4,sockets=2,cores=2',
        '-S',
        '-kernel',
        bareMetalProgram('smp'),
      ];
      const machines = await Promise.all([startWithQmp(TSEMU_SYSTEM, args), startWithQmp(QEMU_SYSTEM, args)]);
      started.push(...machines);
      const [ours, theirs] = await Promise.all(machines.map(cpuAnswers));
      expect(ours).toEqual(theirs);
      // One host thread for every vCPU with thread=single, one each with thread=multi (tsemu's
      // workers report theirs once started).
      const threads = async (machine: QmpMachine): Promise<number> => {
        const reply = await machine.client.execute('query-cpus-fast');
        const cpus = reply['return'] as { 'thread-id': number }[];
        return new Set(cpus.map((cpu) => cpu['thread-id'])).size;
      };
      const theirThreads = await threads(machines[1]!);
      let ourThreads = await threads(machines[0]!);
      for (let tries = 0; tries < 50 && ourThreads !== theirThreads; tries++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        ourThreads = await threads(machines[0]!);
      }
      expect(ourThreads).toBe(theirThreads);
    },
  );

  it.each([
    [TSEMU_SYSTEM, 'single'],
    [TSEMU_SYSTEM, 'multi'],
    [QEMU_SYSTEM, 'multi'],
  ])('%s -accel tcg,thread=%s: stop returns once the vCPUs have stopped', async (command, thread) => {
    const args = [
      ...VIRT_ARGS,
      '-accel',
      `tcg,thread=${thread}`,
      '-smp',
      '2',
      '-kernel',
      bareMetalProgram('spin'),
    ];
    const machine = await startWithQmp(command, args);
    started.push(machine);
    await waitForOutput(machine, 'spinning', 20_000);
    const registers = async (): Promise<unknown> =>
      (await machine.client.execute('human-monitor-command', { 'command-line': 'info registers' }))['return'];
    // Running, the counter moves (a read may come before the vCPU's registers are written back).
    const running = await registers();
    let moved = false;
    for (let tries = 0; tries < 40 && !moved; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      moved = (await registers()) !== running;
    }
    expect(moved).toBe(true);
    await machine.client.execute('stop');
    const first = await registers();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await registers()).toEqual(first);
  });

  it.each(['9', 'cpus=3,sockets=2', 'cpus=4,maxcpus=2', 'abc', '2,foo=1', 'cpus=600', 'cpus=2,dies=2', '-1'])(
    'refuses -smp %s as QEMU does',
    async (smp) => {
      await expectSameRefusal([...VIRT_ARGS, '-smp', smp]);
    },
  );
});
