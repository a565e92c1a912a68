/**
 * The comparison driver: one list of QMP messages (raw lines too, and HMP commands through
 * human-monitor-command) sent to tsemu-system-aarch64 and to qemu-system-aarch64, both booted with
 * the same arguments and the same bare-metal program (echo.c, waiting in WFI for serial input,
 * stopped first so that registers and memory hold still). Every message each emulator sends back
 * is recorded, events included, and the two transcripts must be equal after normalising only what
 * must differ: event timestamps (ids are the driver's and the same for both), the temporary directory in paths, the `package` of the version
 * (QEMU's Debian build, tsemu's name) and host thread ids. Files written by memsave/pmemsave are
 * compared too. The fields that differ on purpose are in KNOWN_DIFFERENCES, each with its reason.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import {
  QmpClient,
  killAll,
  listenUnixFd,
  startWithQmp,
  tempDir,
  withTimeout,
  type Message,
} from '../system/harness';
import { QEMU_SYSTEM, TSEMU_SYSTEM, VIRT_ARGS, bareMetalProgram } from './bare-metal';

/**
 * A step: a QMP command (with arguments), a raw line sent as it is, or an HMP command line;
 * `differs` says why its reply differs on purpose (the step runs, its reply is not compared).
 */
type Step = ({ qmp: string; args?: Message } | { raw: string; replies?: number } | { hmp: string }) & {
  differs?: string;
};

const ARGS = [
  ...['-M', 'virt', '-cpu', 'cortex-a57', '-m', '128M', '-nodefaults', '-display', 'none'],
  ...['-name', 'sweep', '-uuid', '5a3b2c1d-0e0f-4a4b-8c8d-0123456789ab'],
];

/** What differs between the emulators by design, replaced in both transcripts. */
const KNOWN_DIFFERENCES: [RegExp, string][] = [
  // tsemu follows QEMU 7.2 and says 7.2.0; Debian's QEMU is a later stable release (7.2.N).
  [/"micro":\d+/g, '"micro":MICRO'],
  // tsemu offers no out-of-band execution (docs/monitor.md, Input limits).
  [/"capabilities":\["oob"\]/g, '"capabilities":[]'],
  // The package: QEMU's Debian build string, tsemu's name and version (docs/monitor.md, Version).
  [/"package":"[^"]*"/g, '"package":"PACKAGE"'],
  [/7\.2\.\d+ ?\(?(Debian|tsemu) [^"\\]*/g, 'VERSION'],
  // Host thread ids: tsemu runs every vCPU on its one thread.
  [/"thread-id":\d+/g, '"thread-id":TID'],
  [/thread_id=\d+/g, 'thread_id=TID'],
];

/** JSON with sorted keys: the order of an object's members means nothing to a client (QEMU's follows its hash table). */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value as Message).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** A message as compared: its timestamp gone, the temporary directory named $DIR, known differences replaced. */
function normalise(message: Message, dir: string): string {
  const { timestamp: _t, ...rest } = message;
  let text = canonical(rest).split(dir).join('$DIR');
  for (const [pattern, replacement] of KNOWN_DIFFERENCES) text = text.replace(pattern, replacement);
  return text;
}

interface Transcript {
  /** Per step, the messages that came until its reply. */
  steps: string[][];
  /** The files the steps wrote, by name, hex-encoded. */
  files: Record<string, string>;
}

/**
 * Runs `binary` with `args` and QMP on a socket passed as descriptor 3, waits `settleMs`, then sends
 * `before` (nothing negotiated yet: the greeting is the first step) and, after qmp_capabilities, `steps`.
 */
async function transcript(
  binary: string,
  args: readonly string[],
  steps: readonly Step[],
  settleMs = 300,
): Promise<Transcript> {
  const dir = tempDir();
  const fd = listenUnixFd(path.join(dir, 'qmp.sock'));
  const qmp = ['-chardev', 'socket,fd=3,server=on,wait=off,id=mon', '-mon', 'chardev=mon,mode=control'];
  const child = spawn(binary, [...args, ...qmp], { stdio: ['ignore', 'ignore', 'ignore', fd] });
  native().closeFd(fd);
  try {
    const client = await QmpClient.connect(path.join(dir, 'qmp.sock'));
    const out: string[][] = [[normalise(await client.next(), dir)]];
    await new Promise((resolve) => setTimeout(resolve, settleMs));
    let id = 0;
    for (const step of steps) {
      const from = client.received.length;
      const tag = `s${id++}`;
      if ('raw' in step) client.send(step.raw.split('$DIR').join(dir));
      else {
        const [execute, stepArgs] =
          'hmp' in step
            ? ['human-monitor-command', { 'command-line': step.hmp.split('$DIR').join(dir) }]
            : [step.qmp, step.args];
        const message = {
          execute,
          ...(stepArgs && { arguments: JSON.parse(JSON.stringify(stepArgs).split('$DIR').join(dir)) }),
          id: tag,
        };
        client.send(`${JSON.stringify(message)}\n`);
      }
      // A raw line's replies may carry no id (QEMU cannot read one from malformed input).
      const isReply = (m: Message): boolean => !('event' in m) && ('raw' in step || m['id'] === tag);
      const replies = 'raw' in step ? (step.replies ?? 1) : 1;
      for (let n = 0; n < replies; n++) await client.next(isReply, 10_000);
      const messages = client.received.slice(from).map((m) => normalise(m, dir));
      out.push(step.differs === undefined ? messages : [`differs: ${step.differs}`]);
    }
    const files: Record<string, string> = {};
    for (const name of fs.readdirSync(dir).filter((f) => f !== 'qmp.sock'))
      files[name] = fs.readFileSync(path.join(dir, name)).toString('hex');
    return { steps: out, files };
  } finally {
    child.kill('SIGKILL');
  }
}

/** Runs `steps` on both emulators and expects the same transcripts, step by step (labelled for a readable failure). */
async function compare(steps: readonly Step[], args: readonly string[] = ARGS): Promise<void> {
  const [ours, theirs] = await withTimeout(
    Promise.all([transcript(TSEMU_SYSTEM, args, steps), transcript(QEMU_SYSTEM, args, steps)]),
    60_000,
    'transcripts',
  );
  const label = (i: number): string => (i === 0 ? 'greeting' : JSON.stringify(steps[i - 1]));
  const labelled = (t: Transcript): Record<string, string[]> =>
    Object.fromEntries(t.steps.map((s, i) => [`${i} ${label(i)}`, s]));
  expect(labelled(ours)).toEqual(labelled(theirs));
  expect(ours.files).toEqual(theirs.files);
}

const program = (): string[] => [...ARGS, '-kernel', bareMetalProgram('echo')];

/** Compares `steps` sent once capabilities are negotiated and echo.c is stopped. */
const compareStopped = (steps: readonly Step[]): Promise<void> =>
  compare([{ qmp: 'qmp_capabilities' }, { qmp: 'stop' }, ...steps], program());

describe('the same QMP and HMP commands to tsemu-system-aarch64 and qemu-system-aarch64', () => {
  it('capabilities negotiation, ids of every JSON type, malformed and refused input', async () => {
    const raw = (line: string): Step => ({ raw: `${line}\n` });
    await compare(
      [
        raw('{"execute": "query-status", "id": 1}'),
        raw('{"execute": "qmp_capabilities", "arguments": {"enable": ["frob"]}, "id": 2}'),
        raw('{"execute": "qmp_capabilities", "arguments": {"enable": "oob"}, "id": 3}'),
        raw('{"execute": "qmp_capabilities", "arguments": {"enable": [1]}, "id": 3}'),
        raw('{"execute": "qmp_capabilities", "arguments": {"x": 1}, "id": 4}'),
        raw('{"execute": "qmp_capabilities", "id": 5}'),
        raw('{"execute": "qmp_capabilities", "id": 6}'),
        ...[
          '1.5',
          '"x"',
          'null',
          'true',
          '[1, 2]',
          '{"a": {"b": []}}',
          '-1',
          '1e3',
          '""',
          '18446744073709551615',
        ].map((id) => raw(`{"execute": "query-name", "id": ${id}}`)),
        raw('{"execute": "query-frobnicate", "id": 7}'),
        raw('{"execute": 1, "id": 8}'),
        raw('{"exec": "query-name", "id": 9}'),
        raw('{"id": 10}'),
        raw('{}'),
        raw('[1, 2]'),
        raw('1'),
        raw('"query-name"'),
        raw('{"execute": "query-name", "arguments": [], "id": 11}'),
        raw('{"execute": "query-name", "arguments": {"a": 1}, "id": 12}'),
        raw('{"execute": "query-name", "frob": 1, "id": 13}'),
        raw('{"execute": "query-name", "control": {}, "id": 14}'),
        raw('{"execute": "query-name", "id": 15, "exec-oob": "x"}'),
        raw('{"exec-oob": "query-name", "id": 16}'),
        raw('{"execute": "human-monitor-command", "id": 17}'),
        raw('{"execute": "human-monitor-command", "arguments": {"command-line": 1}, "id": 18}'),
        raw(
          '{"execute": "human-monitor-command", "arguments": {"command-line": "info name", "cpu-index": "0"}, "id": 19}',
        ),
        raw(
          '{"execute": "human-monitor-command", "arguments": {"command-line": "info name", "cpu-index": 5}, "id": 20}',
        ),
        raw('{"execute": "memsave", "arguments": {"val": -1, "size": 1.5, "filename": "f"}, "id": 21}'),
        raw(
          '{"execute": "pmemsave", "arguments": {"val": 18446744073709551616, "size": 1, "filename": "f"}, "id": 22}',
        ),
        raw('{"execute": "closefd", "arguments": {"fdname": "nope"}, "id": 23}'),
        raw('{"execute": "getfd", "arguments": {"fdname": "x"}, "id": 24}'),
        raw('{"execute": "cont", "arguments": {"x": null}, "id": 25}'),
        { raw: '{"execute": "query-name", "id": 26}{"execute": "query-uuid", "id": 27}\n', replies: 2 },
        raw('{"execute": "query-name", "id": "\\u00e9\\ud83d\\ude00"}'),
        raw('{"execute": "query-status", "id": 28}'),
      ],
      program(),
    );
  });

  it('run state and its events: stop and cont twice, system_reset, system_powerdown', async () => {
    await compare(
      [
        { qmp: 'qmp_capabilities' },
        ...['query-status', 'stop', 'stop', 'query-status', 'cont', 'cont', 'query-status'].map((qmp) => ({
          qmp,
        })),
        ...[
          'system_reset',
          'query-status',
          'stop',
          'system_reset',
          'query-status',
          'cont',
          'system_powerdown',
        ].map((qmp) => ({ qmp })),
        ...['stop', 'info status', 'c', 'info status', 's', 'system_reset', 'system_powerdown', 'cont'].map(
          (hmp) => ({ hmp }),
        ),
        { qmp: 'query-status' },
      ],
      program(),
    );
  });

  it('queries of the management applications', async () => {
    await compareStopped([
      ...[
        'query-status',
        'query-name',
        'query-uuid',
        'query-kvm',
        'query-target',
        'query-version',
        'query-cpus-fast',
        'query-hotpluggable-cpus',
        'query-iothreads',
        'query-memdev',
        'query-memory-devices',
        'query-balloon',
        'query-mice',
        'query-display-options',
        'query-migrate',
        'query-fdsets',
        'query-events',
        'query-block',
        'query-named-block-nodes',
      ].map((qmp) => ({ qmp })),
    ]);
  });

  it('memsave, pmemsave and screendump', async () => {
    await compareStopped([
      { qmp: 'pmemsave', args: { val: 0x40080000, size: 4096, filename: '$DIR/p1' } },
      { qmp: 'pmemsave', args: { val: 0x40080100, size: 3000, filename: '$DIR/p2' } },
      { qmp: 'memsave', args: { val: 0x40080000, size: 2048, filename: '$DIR/v1' } },
      { qmp: 'memsave', args: { val: 0x40080000, size: 16, filename: '$DIR/v2', 'cpu-index': 0 } },
      { qmp: 'memsave', args: { val: 0x40080000, size: 16, filename: '$DIR/v3', 'cpu-index': 1 } },
      { qmp: 'memsave', args: { val: 0x40080000, size: 16, filename: '$DIR/v4', 'cpu-index': -1 } },
      { qmp: 'pmemsave', args: { val: 0x40080000, size: 16, filename: '$DIR/nodir/x' } },
      { qmp: 'pmemsave', args: { val: 0x9000000, size: 8, filename: '$DIR/uart' } },
      { qmp: 'pmemsave', args: { val: 0x40080000, size: 0, filename: '$DIR/empty' } },
      { qmp: 'pmemsave', args: { val: 0x40080000, size: '16', filename: '$DIR/p3' } },
      { qmp: 'pmemsave', args: { val: 0x40080000, filename: '$DIR/p4' } },
      { qmp: 'pmemsave', args: { val: 0x40080000, size: 16, filename: '$DIR/p5', extra: 1 } },
      { qmp: 'screendump', args: { filename: '$DIR/screen.ppm' } },
      { qmp: 'screendump', args: { filename: '$DIR/screen.png', format: 'png' } },
      { qmp: 'screendump', args: {} },
      { hmp: 'pmemsave 0x40080000 64 $DIR/h1' },
      { hmp: 'memsave 0x40080000 64 $DIR/h2' },
      { hmp: 'memsave 0x40080000 64' },
      { hmp: 'memsave 0x40080000 0x100000000 $DIR/h3' },
      { hmp: 'pmemsave 0x40080000+0x10 8*8 "$DIR/h4"' },
      { hmp: 'pmemsave 0x40080000 8 $DIR/h5 extra' },
    ]);
  });

  it('HMP print, x/xp with remembered formats, gva2gpa and expressions', async () => {
    await compareStopped([
      ...[
        'p 1+2',
        'print 1 + 2 & 3',
        'p /x 255',
        'p/x -1',
        'p /o 8',
        'p /u -1',
        'p /d -1',
        'p /c 65',
        'p /c 10',
        'p /x 0',
        'p /o 0',
        'p (1+2)*3',
        'p ~0',
        "p 'a'",
        'p 10/0',
        'p 10%0',
        'p 7%3',
        'p -7/2',
        'p 010',
        'p 0x',
        'p 99999999999999999999',
        'p $pc',
        'p $x0',
        'p (1',
        'p 1 2',
        'p',
        'p /z 1',
        'p /2x 1',
        'p 1+',
        "p 'ab'",
        'x /4xw 0x40080000',
        'x 0x40080010',
        'x /2 0x40080000',
        'xp /3ug 0x40080000',
        'xp 0x40080000',
        'x /s 0x40080000',
        'x /4cb 0x40080000',
        { hmp: 'x /i 0x40080000', differs: "tsemu has no disassembler (QEMU prints capstone's)" },
        'xp /2xL 0x40080000',
        'xp/2x 0x40080000',
        'x /4xb 0xffffffffffffffff',
        'xp /1xg 0x40080000+8',
        'x',
        'gva2gpa 0x40080000',
        'gva2gpa 0x12345',
        'gva2gpa 0xffff000000000000',
        'gva2gpa 0xfffffffffff',
        'gva2gpa 0x100000000000',
        'x /1xg 0x0001000000000000',
        'gva2gpa',
      ].map((hmp) => (typeof hmp === 'string' ? { hmp } : hmp)),
    ]);
  });

  it('more HMP commands: arguments of info registers, screendump, absent devices, argument errors', async () => {
    await compareStopped([
      {
        qmp: 'query-chardev',
        differs: 'QEMU names a socket given by descriptor by its address (unix:PATH), tsemu as fd:3',
      },
      ...[
        'info registers -a',
        'info registers 0',
        'info registers 5',
        'info registers -b',
        'info registers 0 1',
        'help info registers',
        'info network',
        'info numa',
        'info irq',
        'info pic',
        'screendump',
        'screendump $DIR/s.ppm',
        'screendump $DIR/s.png -f png',
        'help screendump',
        'info balloon',
        'x /3s 0',
        'nosuch',
        'cont extra',
        'stop 1',
        'p 1 +',
        'xp /2wx 0x40080000',
        'x/2wx 0x40080000',
        'xp /2w 0x40080000 ',
        'info',
      ].map((hmp) => (hmp === 'info' ? { hmp, differs: 'tsemu has fewer info subcommands' } : { hmp })),
    ]);
  });

  it('HMP info subcommands and help', async () => {
    await compareStopped([
      ...[
        'info status',
        'info name',
        'info uuid',
        'info kvm',
        'info balloon',
        'info memdev',
        'info memory-devices',
        'info iothreads',
        'info hotpluggable-cpus',
        'info mice',
        'info cpus',
        'info version',
        'info registers',
        'info frobnicate',
        'info status extra',
        'help print',
        'help p',
        'help memsave',
        'help pmemsave',
        'help gva2gpa',
        'help x',
        'help info name',
        'help info mice',
        'help info balloon',
        'help nosuch',
        'cpu 1',
        'cpu 0',
        'cpu',
        'cpu x',
      ].map((hmp) => ({ hmp })),
    ]);
  });
});

describe('stop latency and -S, against qemu-system-aarch64', () => {
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const hmp = async (client: QmpClient, line: string): Promise<string> =>
    (await client.execute('human-monitor-command', { 'command-line': line }))['return'] as string;

  /**
   * ticker.c prints without end: `info registers` right after `stop` (its STOP event) and again
   * 300 ms later must show the same state, and the serial output must not grow after the STOP.
   * Started with -S, the guest prints nothing until `cont`, then within a second.
   */
  async function behaviour(binary: string): Promise<Message> {
    const emu = await startWithQmp(binary, [...VIRT_ARGS, '-S', '-kernel', bareMetalProgram('ticker')]);
    try {
      await sleep(300);
      const beforeCont = emu.stdout().length;
      await emu.client.execute('cont');
      const contAt = Date.now();
      while (emu.stdout().length === 0 && Date.now() - contAt < 5000) await sleep(10);
      const printedWithinASecond = Date.now() - contAt < 1000;
      await sleep(300);
      await emu.client.execute('stop');
      const first = await hmp(emu.client, 'info registers');
      const atStop = emu.stdout().length;
      await sleep(300);
      const second = await hmp(emu.client, 'info registers');
      return {
        beforeCont,
        printedWithinASecond,
        stable: first === second,
        grewAfterStop: emu.stdout().length !== atStop,
      };
    } finally {
      emu.kill();
    }
  }

  it('stop at once gives a stable CPU state; -S holds the guest until cont', async () => {
    const [ours, theirs] = await Promise.all([behaviour(TSEMU_SYSTEM), behaviour(QEMU_SYSTEM)]);
    expect(theirs).toEqual({ beforeCont: 0, printedWithinASecond: true, stable: true, grewAfterStop: false });
    expect(ours).toEqual(theirs);
  });
});
