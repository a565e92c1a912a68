/**
 * Acceptance 2: descriptors passed at run time. A Python client (socket.send_fds, SCM_RIGHTS)
 * sends a new listening socket with `getfd` on the same message, adds a chardev on it by name
 * with `chardev-add`, connects a client to that socket and finds the chardev in query-chardev;
 * the same over HMP. Unknown names and numeric descriptors in a monitor are errors.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { killAll, listenUnixFd, qmpOnFd3, runScript, startEmulator, tempDir, withTimeout } from './harness';

afterEach(killAll);

const QMP_SCRIPT = `
import json, os, socket, sys
mon_path, dir = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(mon_path)
f = s.makefile('rb')
def read_reply():
    while True:
        m = json.loads(f.readline())
        if 'event' not in m:
            return m
def cmd(obj, fds=None):
    data = json.dumps(obj).encode() + b'\\n'
    if fds:
        socket.send_fds(s, [data], fds)
    else:
        s.sendall(data)
    return read_reply()
out = {}
f.readline()
cmd({'execute': 'qmp_capabilities'})
newsock = os.path.join(dir, 'added.sock')
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(newsock)
listener.listen(1)
out['getfd_nofd'] = cmd({'execute': 'getfd', 'arguments': {'fdname': 'x'}})
out['getfd'] = cmd({'execute': 'getfd', 'arguments': {'fdname': 'myfd'}}, [listener.fileno()])
listener.close()
out['add'] = cmd({'execute': 'chardev-add', 'arguments': {'id': 'added', 'backend': {'type': 'socket',
    'data': {'addr': {'type': 'fd', 'data': {'str': 'myfd'}}, 'server': True, 'wait': False}}}})
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(10)
c.connect(newsock)
out['query'] = cmd({'execute': 'query-chardev'})
out['reuse'] = cmd({'execute': 'chardev-add', 'arguments': {'id': 'again', 'backend': {'type': 'socket',
    'data': {'addr': {'type': 'fd', 'data': {'str': 'myfd'}}, 'server': True}}}})
out['numeric'] = cmd({'execute': 'chardev-add', 'arguments': {'id': 'num', 'backend': {'type': 'socket',
    'data': {'addr': {'type': 'fd', 'data': {'str': '3'}}, 'server': True}}}})
out['closefd_unknown'] = cmd({'execute': 'closefd', 'arguments': {'fdname': 'nosuch'}})
r, w = os.pipe()
cmd({'execute': 'getfd', 'arguments': {'fdname': 'pipe'}}, [r])
out['closefd'] = cmd({'execute': 'closefd', 'arguments': {'fdname': 'pipe'}})
out['remove'] = cmd({'execute': 'chardev-remove', 'arguments': {'id': 'added'}})
out['remove_busy'] = cmd({'execute': 'chardev-remove', 'arguments': {'id': 'mon'}})
out['query2'] = cmd({'execute': 'query-chardev'})
out['quit'] = cmd({'execute': 'quit'})
print(json.dumps(out))
`;

const HMP_SCRIPT = `
import json, os, socket, sys, time
mon_path, dir = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
# The emulator creates this socket itself: wait (bounded) until it listens.
deadline = time.time() + 10
while True:
    try:
        s.connect(mon_path)
        break
    except (FileNotFoundError, ConnectionRefusedError):
        if time.time() > deadline:
            raise
        time.sleep(0.05)
buf = b''
def until_prompt():
    global buf
    while b'(qemu) ' not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise SystemExit('eof')
        buf += chunk
    text, _, buf = buf.partition(b'(qemu) ')
    return text.decode().replace('\\r\\n', '\\n')
def cmd(line, fds=None):
    data = (line + '\\n').encode()
    if fds:
        socket.send_fds(s, [data], fds)
    else:
        s.sendall(data)
    # The monitor echoes the line as it is typed (QEMU's readline); its output follows the newline.
    return until_prompt().partition('\\n')[2]
out = {'banner': until_prompt()}
newsock = os.path.join(dir, 'hmp-added.sock')
listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
listener.bind(newsock)
listener.listen(1)
out['getfd'] = cmd('getfd myfd', [listener.fileno()])
listener.close()
out['numeric'] = cmd('chardev-add socket,fd=3,server=on,wait=off,id=num')
out['add'] = cmd('chardev-add socket,fd=myfd,server=on,wait=off,id=added')
c = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
c.settimeout(10)
c.connect(newsock)
out['info'] = cmd('info chardev')
out['closefd_unknown'] = cmd('closefd nosuch')
out['unknown'] = cmd('frobnicate')
out['remove'] = cmd('chardev-remove added')
out['info2'] = cmd('info chardev')
s.sendall(b'quit\\n')
print(json.dumps(out))
`;

function start(extra: string[] = []): { sock: string; dir: string; exited: Promise<number | null> } {
  const dir = tempDir();
  const sock = path.join(dir, 'mon.sock');
  const fd = listenUnixFd(sock);
  const emu = startEmulator([...qmpOnFd3(), ...extra], [fd]);
  native().closeFd(fd);
  return { sock, dir, exited: emu.exited };
}

describe('descriptor passing through the monitor', () => {
  it('QMP getfd (SCM_RIGHTS) + chardev-add with a named fd, query-chardev, closefd', async () => {
    const { sock, dir, exited } = start();
    const out = JSON.parse(await runScript('python3', QMP_SCRIPT, [sock, dir])) as Record<string, Record<string, unknown>>;
    expect(out['getfd_nofd']).toEqual({ error: { class: 'GenericError', desc: 'No file descriptor supplied via SCM_RIGHTS' } });
    expect(out['getfd']).toEqual({ return: {} });
    expect(out['add']).toEqual({ return: {} });
    const added = (out['query']!['return'] as { label: string; filename: string; 'frontend-open': boolean }[]).find((c) => c.label === 'added');
    expect(added).toBeDefined();
    expect(added!['frontend-open']).toBe(false);
    // chardev-add consumed the name.
    expect((out['reuse']!['error'] as Record<string, string>)['desc']).toBe(`File descriptor named 'myfd' has not been found`);
    expect((out['numeric']!['error'] as Record<string, string>)['class']).toBe('GenericError');
    expect((out['numeric']!['error'] as Record<string, string>)['desc']).toMatch(/descriptor number is only valid on the command line/);
    // QEMU's closefd says "not found" (test/system-virt/qmp-sweep compares it), getfd's users "has not been found".
    expect(out['closefd_unknown']!['error']).toEqual({ class: 'GenericError', desc: `File descriptor named 'nosuch' not found` });
    expect(out['closefd']).toEqual({ return: {} });
    expect(out['remove']).toEqual({ return: {} });
    expect((out['remove_busy']!['error'] as Record<string, string>)['desc']).toBe(`Chardev 'mon' is busy`);
    expect((out['query2']!['return'] as { label: string }[]).map((c) => c.label)).toEqual(['mon']);
    expect(out['quit']).toEqual({ return: {} });
    expect(await withTimeout(exited, 10000, 'exit')).toBe(0);
  });

  it('HMP getfd + chardev-add fd=NAME; a numeric fd is refused', async () => {
    const dir = tempDir();
    const hmpSock = path.join(dir, 'hmp.sock');
    const { exited } = start(['-chardev', `socket,path=${hmpSock},server=on,wait=off,id=hmp`, '-mon', 'chardev=hmp,mode=readline']);
    const out = JSON.parse(await runScript('python3', HMP_SCRIPT, [hmpSock, dir])) as Record<string, string>;
    expect(out['banner']).toMatch(/monitor - type 'help' for more information/);
    expect(out['getfd']).toBe('');
    expect(out['numeric']).toMatch(/^Error: .*descriptor number is only valid on the command line/);
    expect(out['add']).toBe('');
    expect(out['info']).toMatch(/^added: filename=\S+,server=on$/m);
    expect(out['info']).toMatch(/^hmp: filename=unix:/m);
    expect(out['closefd_unknown']).toBe(`Error: File descriptor named 'nosuch' not found\n`);
    expect(out['unknown']).toBe(`unknown command: 'frobnicate'\n`);
    expect(out['remove']).toBe('');
    expect(out['info2']).not.toMatch(/^added:/m);
    expect(await withTimeout(exited, 10000, 'exit')).toBe(0);
  });
});
