/**
 * What real management clients ask, answered as qemu-system-aarch64 answers it. libvirt's
 * capability probe (its start-up invocation, then query-target, query-kvm, query-qmp-schema,
 * qom-list-types, device-list-properties, query-machines, query-cpu-definitions,
 * query-command-line-options, query-migrate-capabilities, query-gic-capabilities...) and the
 * queries of python's QEMUMachine-style clients (query-name, query-uuid, query-memdev...) go to
 * both emulators started with the same arguments; replies must be equal, or, where tsemu has less
 * (CPU models, QOM types, properties, schema), a part of QEMU's answer. The differences that
 * remain are listed in docs/monitor.md.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, QmpClient, runScript, startWithQmp, tempDir, withTimeout, type Message, type QmpProcess } from './harness';

const QEMU = 'qemu-system-aarch64';
const TSEMU = `${BIN}-aarch64`;
/** How each emulator names itself at the start of its messages. */
const PROGRAM_NAME = /^(qemu-system-aarch64|tsemu-system):/gm;

/** JSON with sorted keys, so that equal values compare equal as strings. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const entries = Object.entries(value as Message).sort(([a], [b]) => (a < b ? -1 : 1));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
}

/** The elements of `ours` that `theirs` does not have. */
function notIn(ours: unknown, theirs: unknown): unknown[] {
  const have = new Set((theirs as unknown[]).map(canonical));
  return (ours as unknown[]).filter((e) => !have.has(canonical(e)));
}

/** A command's reply without its id. */
async function ask(client: QmpClient, name: string, args?: Message): Promise<Message> {
  const { id: _id, ...reply } = await client.execute(name, args);
  return reply;
}

const ARGS = [
  ...['-M', 'virt', '-nographic', '-S', '-nodefaults', '-smp', '2', '-m', '256M'],
  ...['-name', 'guest=vm1,debug-threads=on', '-uuid', '5A3B2C1D-0E0F-4a4b-8c8d-0123456789AB'],
];

describe('QMP queries of management clients, against qemu-system-aarch64', () => {
  let ours: QmpProcess;
  let theirs: QmpProcess;
  beforeAll(async () => {
    [ours, theirs] = await Promise.all([startWithQmp(TSEMU, ARGS), startWithQmp(QEMU, ARGS)]);
  }, 60_000);
  afterAll(() => {
    ours?.kill();
    theirs?.kill();
  });

  const both = async (name: string, args?: Message): Promise<[Message, Message]> => [
    await ask(ours.client, name, args),
    await ask(theirs.client, name, args),
  ];

  it.each<[string, Message?]>([
    ['query-target'],
    ['query-kvm'],
    ['query-name'],
    ['query-uuid'],
    ['query-status'],
    ['query-current-machine'],
    ['query-gic-capabilities'],
    ['query-hotpluggable-cpus'],
    ['query-iothreads'],
    ['query-memdev'],
    ['query-events'],
    ['query-frobnicate'],
    ['device-list-properties', { typename: 'frobnicator' }],
    ['device-list-properties', { typename: 'device' }],
    ['device-list-properties', { typename: 'virt-7.2-machine' }],
    ['qom-list-properties', { typename: 'frobnicator' }],
    ['qom-list-types', { implements: 'frobnicator' }],
    ['query-command-line-options', { option: 'frobnicate' }],
    ['query-command-line-options', { option: 1 }],
    ['query-command-line-options', { option: 'accel' }],
    ['query-command-line-options', { option: 'device' }],
    ['qom-list-types', { abstract: 'yes' }],
    ['device-list-properties', {}],
    ['qom-list-properties', { typename: 'virtio-blk-device', extra: true }],
    ['query-name', { name: 'x' }],
    ['qom-list-types', { implements: 'virtserialport' }],
  ])('%s %j', async (name, args) => {
    const [a, b] = await both(name, args);
    expect(a).toEqual(b);
  });

  it('query-cpus-fast: the -smp CPUs as QEMU lists them, but for their host thread ids', async () => {
    const withoutThreads = (reply: Message): unknown[] => (reply['return'] as Message[]).map(({ 'thread-id': _tid, ...cpu }) => cpu);
    const [a, b] = await both('query-cpus-fast');
    expect(withoutThreads(a)).toEqual(withoutThreads(b));
  });

  it('query-chardev-backends: the backends tsemu opens are QEMU backends', async () => {
    const [a, b] = await both('query-chardev-backends');
    expect(notIn(a['return'], b['return'])).toEqual([]);
  });

  it('query-cpu-definitions: the CPU models tsemu has, listed as QEMU lists them', async () => {
    const [a, b] = await both('query-cpu-definitions');
    expect((a['return'] as Message[]).length).toBeGreaterThan(0);
    expect(notIn(a['return'], b['return'])).toEqual([]);
  });

  it('query-machines: virt-7.2 (alias virt) and none as QEMU describes them, but for the default CPU', async () => {
    const [a, b] = await both('query-machines');
    const theirMachines = new Map((b['return'] as Message[]).map((m) => [m['name'], m]));
    for (const m of a['return'] as Message[]) {
      const { 'default-cpu-type': cpu, ...rest } = m;
      const { 'default-cpu-type': theirCpu, ...theirRest } = theirMachines.get(m['name'])!;
      expect(rest).toEqual(theirRest);
      expect(cpu === undefined).toBe(theirCpu === undefined);
    }
  });

  it('qom-list-types: each type tsemu has, with its parent and abstractness, is one of QEMU', async () => {
    for (const args of [{}, { abstract: true }, { implements: 'device', abstract: true }, { implements: 'machine' }]) {
      const [a, b] = await both('qom-list-types', args);
      expect(notIn(a['return'], b['return']), JSON.stringify(args)).toEqual([]);
    }
  });

  it('device-list-properties and qom-list-properties: the properties tsemu takes, described as in QEMU', async () => {
    const types = (await ask(ours.client, 'qom-list-types'))['return'] as Message[];
    for (const { name } of types) {
      for (const command of ['device-list-properties', 'qom-list-properties']) {
        const [a, b] = await both(command, { typename: name as string });
        if ('error' in b) expect(a, `${command} ${name}`).toEqual(b);
        else expect(notIn(a['return'], b['return']), `${command} ${name}`).toEqual([]);
      }
    }
  });

  it('query-command-line-options: each option and parameter tsemu takes is one of QEMU', async () => {
    const [a, b] = await both('query-command-line-options');
    const theirOptions = new Map((b['return'] as Message[]).map((o) => [o['option'], o['parameters'] as Message[]]));
    for (const { option, parameters } of a['return'] as { option: string; parameters: Message[] }[]) {
      const theirParameters = (theirOptions.get(option) ?? []).map(({ help: _help, ...p }) => p);
      expect(notIn(parameters, theirParameters), option).toEqual([]);
    }
  });

  it('query-qmp-schema: every command and event tsemu has, with argument, result and data types within QEMU', async () => {
    const [a, b] = await both('query-qmp-schema');
    const problems = schemaDifferences(a['return'] as SchemaInfo[], b['return'] as SchemaInfo[]);
    expect(problems).toEqual([]);
  });
});

describe('events, against qemu-system-aarch64', () => {
  /** The messages each command brings, in order, up to its reply (and, for quit, up to the hang-up). */
  async function sequence(binary: string): Promise<string[][]> {
    const { client, kill } = await startWithQmp(binary, ['-M', 'none', '-nodefaults', '-display', 'none', '-vga', 'none']);
    try {
      const steps: string[][] = [];
      for (const command of ['stop', 'cont', 'system_reset', 'system_powerdown', 'quit']) {
        const from = client.received.length;
        await client.execute(command);
        if (command === 'quit') await client.waitClosed();
        steps.push(client.received.slice(from).map((m) => (m['event'] as string | undefined) ?? 'return'));
      }
      return steps;
    } finally {
      kill();
    }
  }

  it('STOP, RESUME, RESET, POWERDOWN and SHUTDOWN come before the reply of the command that caused them', async () => {
    const [a, b] = await Promise.all([sequence(TSEMU), sequence(QEMU)]);
    expect(a).toEqual(b);
  });
});

describe("python's QEMUMachine way, against qemu-system-aarch64", () => {
  /**
   * What qemu.machine.QEMUMachine (QEMU's python/qemu) does, with the standard library: `-display
   * none -vga none`, and the monitor either on a socket the script listens on (the emulator
   * connects as a client) or on one end of a socketpair passed as `fd=N`.
   */
  const SCRIPT = `
import json, os, socket, subprocess, sys, tempfile
binary, mode = sys.argv[1], sys.argv[2]
args = [binary, '-display', 'none', '-vga', 'none', '-M', 'none', '-nodefaults']
if mode == 'listen':
    path = os.path.join(tempfile.mkdtemp(), 'qmp.sock')
    listener = socket.socket(socket.AF_UNIX)
    listener.bind(path)
    listener.listen(1)
    listener.settimeout(30)
    p = subprocess.Popen(args + ['-chardev', 'socket,id=mon,path=' + path, '-mon', 'chardev=mon,mode=control'])
    s, _ = listener.accept()
else:
    s, theirs = socket.socketpair()
    p = subprocess.Popen(args + ['-chardev', 'socket,id=mon,fd=%d' % theirs.fileno(), '-mon', 'chardev=mon,mode=control'], pass_fds=[theirs.fileno()])
    theirs.close()
s.settimeout(30)
f = s.makefile('rwb')
out = [sorted(json.loads(f.readline())['QMP'])]
for c in ['qmp_capabilities', 'query-status', 'query-name', 'quit']:
    f.write(json.dumps({'execute': c}).encode() + b'\\n')
    f.flush()
    while True:
        m = json.loads(f.readline())
        out.append(m.get('event') or m)
        if 'event' not in m:
            break
out.append(p.wait(30))
print(json.dumps(out))
`;
  it.each(['listen', 'socketpair'])('monitor on a %s', async (mode) => {
    const [a, b] = await Promise.all([TSEMU, QEMU].map((binary) => runScript('python3', SCRIPT, [binary, mode])));
    expect(JSON.parse(a)).toEqual(JSON.parse(b));
  });
});

describe('drives and devices, against qemu-system-aarch64', () => {
  it('query-block lists the drives with their devices and media as QEMU does (but for node names); qom-list and qom-get see the devices', async () => {
    const dir = tempDir();
    const image = (name: string, size: number): string => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, '');
      fs.truncateSync(file, size);
      return file;
    };
    const args = [
      ...['-M', 'virt', '-nographic', '-S', '-nodefaults'],
      ...['-drive', `file=${image('flash1.img', 64 << 20)},if=pflash,format=raw,unit=1`],
      ...['-device', 'virtio-rng-device'],
      ...['-drive', `file=${image('a.img', 1 << 20)},if=none,format=raw,id=d0,readonly=on`],
      ...['-device', 'virtio-blk-device,drive=d0,id=blk0'],
      ...['-drive', `file=${image('b.img', 2 << 20)},if=none,format=raw,id=d1`],
      ...['-device', 'virtio-blk-device,drive=d1'],
      ...['-drive', `file=${image('c.img', 3 << 20)},if=none,format=raw,id=d2,read-only=on`],
      ...['-drive', 'if=none,id=d3'],
    ];
    const running = await Promise.all([startWithQmp(TSEMU, args), startWithQmp(QEMU, args)]);
    try {
      const [a, b] = await Promise.all(running.map(({ client }) => ask(client, 'query-block')));
      // Each emulator generates its own names for a drive's nodes (QEMU: `#block` and a number of its own).
      for (const reply of [a, b]) for (const drive of reply['return'] as Message[]) delete (drive['inserted'] as Message | undefined)?.['node-name'];
      expect(a).toEqual(b);
      const qom: [string, Message][] = [
        ...['/', '/objects', '/chardevs', '/machine/peripheral', '/machine/peripheral-anon', '/frobnicator'].map(
          (p): [string, Message] => ['qom-list', { path: p }],
        ),
        ['qom-get', { path: '/machine', property: 'type' }],
        ['qom-get', { path: '/machine/peripheral/blk0', property: 'type' }],
        ['qom-get', { path: '/machine/peripheral-anon/device[1]', property: 'type' }],
        ['qom-get', { path: '/chardevs/mon', property: 'type' }],
        ['qom-get', { path: '/', property: 'machine' }],
        ['qom-get', { path: '/machine', property: 'frobnicate' }],
      ];
      for (const [command, args] of qom) {
        const [x, y] = await Promise.all(running.map(({ client }) => ask(client, command, args)));
        expect(x, `${command} ${JSON.stringify(args)}`).toEqual(y);
      }
      // /machine itself: the containers tsemu has are among QEMU's properties of the machine.
      const [m, n] = await Promise.all(running.map(({ client }) => ask(client, 'qom-list', { path: '/machine' })));
      expect(notIn(m['return'], n['return'])).toEqual([]);
    } finally {
      running.forEach((r) => r.kill());
    }
  });
});

type SchemaInfo = Message & { name: string; 'meta-type': string };

/**
 * Where tsemu's introspection is not contained in QEMU's: a command or event QEMU does not have,
 * or a type that is not QEMU's type with fewer optional members, fewer enum values or fewer
 * union cases. Type names are QEMU's masked numbers, so types are compared by structure.
 */
function schemaDifferences(ours: SchemaInfo[], theirs: SchemaInfo[]): string[] {
  const our = new Map(ours.map((e) => [e.name, e]));
  const their = new Map(theirs.map((e) => [e.name, e]));
  const problems: string[] = [];
  const within = (o: string, t: string, at: string): void => {
    const a = our.get(o)!;
    const b = their.get(t)!;
    if (a['meta-type'] !== b['meta-type']) {
      problems.push(`${at}: ${a['meta-type']} is ${b['meta-type']} in QEMU`);
      return;
    }
    switch (a['meta-type']) {
      case 'builtin':
        if (a.name !== b.name) problems.push(`${at}: ${a.name} is ${b.name} in QEMU`);
        return;
      case 'enum':
        for (const v of a['values'] as string[]) if (!(b['values'] as string[]).includes(v)) problems.push(`${at}: no value ${v} in QEMU`);
        return;
      case 'array':
        within(a['element-type'] as string, b['element-type'] as string, `${at}[]`);
        return;
      case 'object': {
        type M = { name: string; type: string; default?: null };
        const theirMembers = new Map((b['members'] as M[]).map((m) => [m.name, m]));
        for (const m of a['members'] as M[]) {
          const t = theirMembers.get(m.name);
          if (!t) problems.push(`${at}.${m.name}: not in QEMU`);
          else if ('default' in m !== 'default' in t) problems.push(`${at}.${m.name}: optional differs`);
          else within(m.type, t.type, `${at}.${m.name}`);
        }
        for (const t of theirMembers.values()) {
          if (!('default' in t) && !(a['members'] as M[]).some((m) => m.name === t.name)) problems.push(`${at}.${t.name}: QEMU requires it`);
        }
        if (a['tag'] !== b['tag']) problems.push(`${at}: tag ${String(a['tag'])} is ${String(b['tag'])} in QEMU`);
        type V = { case: string; type: string };
        const theirCases = new Map(((b['variants'] ?? []) as V[]).map((v) => [v.case, v.type]));
        for (const v of (a['variants'] ?? []) as V[]) {
          const t = theirCases.get(v.case);
          if (t === undefined) problems.push(`${at}: no case ${v.case} in QEMU`);
          else within(v.type, t, `${at}(${v.case})`);
        }
        return;
      }
    }
  };
  for (const e of ours) {
    if (e['meta-type'] !== 'command' && e['meta-type'] !== 'event') continue;
    const t = their.get(e.name);
    if (!t) {
      problems.push(`${e.name}: not in QEMU`);
      continue;
    }
    within(e['arg-type'] as string, t['arg-type'] as string, `${e.name} arguments`);
    if (e['meta-type'] === 'command') within(e['ret-type'] as string, t['ret-type'] as string, `${e.name} result`);
  }
  return problems;
}

describe("libvirt's probing invocation", () => {
  /** Runs the invocation with `binary`, then asks query-status and quits; what it printed and answered. */
  async function probe(binary: string, machine: string): Promise<Message> {
    const dir = tempDir();
    const sock = path.join(dir, 'qmp.sock');
    const pidfile = path.join(dir, 'qemu.pid');
    const args = ['-S', '-no-user-config', '-nodefaults', '-nographic', '-machine', machine];
    const r = spawnSync(binary, [...args, '-qmp', `unix:${sock},server=on,wait=off`, '-pidfile', pidfile, '-daemonize'], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    const stderr = r.stderr.replace(PROGRAM_NAME, 'PROGRAM:');
    if (r.status !== 0) return { status: r.status, stderr };
    const pid = Number(fs.readFileSync(pidfile, 'utf8'));
    const client = await QmpClient.connect(sock);
    await client.handshake();
    const status = await ask(client, 'query-status');
    await client.execute('quit');
    await client.waitClosed();
    for (const deadline = Date.now() + 10_000; fs.existsSync(`/proc/${pid}`) && Date.now() < deadline; )
      await new Promise((resolve) => setTimeout(resolve, 20));
    return { status: r.status, stderr, query: status, exited: !fs.existsSync(`/proc/${pid}`), pidfileLeft: fs.existsSync(pidfile) };
  }

  it.each(['none,accel=kvm:tcg', 'none', 'none,accel=kvm'])('-machine %s', async (machine) => {
    const [a, b] = await withTimeout(Promise.all([probe(TSEMU, machine), probe(QEMU, machine)]), 60_000, 'probe');
    expect(a).toEqual(b);
  });

  it.each([
    ['-M', 'virt', '-nographic', '-serial', 'null', '-qmp', 'null'],
    ['-M', 'virt', '-nographic', '-nodefaults'],
    ['-M', 'none', '-nographic'],
    ['-M', 'none', '-nographic', '-qmp', 'null'],
  ])('-daemonize with -nographic: %j', (...args) => {
    const run = (binary: string): { status: number | null; stderr: string } => {
      const pidfile = path.join(tempDir(), 'pid');
      const r = spawnSync(binary, [...args, '-daemonize', '-pidfile', pidfile], { encoding: 'utf8', timeout: 30_000 });
      if (fs.existsSync(pidfile)) process.kill(Number(fs.readFileSync(pidfile, 'utf8')), 'SIGTERM');
      return { status: r.status, stderr: r.stderr.replace(PROGRAM_NAME, 'PROGRAM:') };
    };
    expect(run(TSEMU)).toEqual(run(QEMU));
  });
});
