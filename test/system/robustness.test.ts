/**
 * Acceptance 5: a hostile or clumsy client cannot break the monitor. Malformed JSON, values far
 * beyond the size limit, unknown commands, wrong argument types, clients that vanish in the
 * middle of a command (also with descriptors in flight), and 1000 commands in a row: each gets
 * the error QEMU's QMP gives (class and wording from QEMU's qapi/qmp-dispatch.c and the QAPI
 * visitors), the monitor keeps serving, and the emulator's descriptor count comes back to where
 * it started.
 */
import net from 'node:net';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { native } from '../../src/native';
import { fdCount, killAll, listenUnixFd, qmpOnFd3, QmpClient, runScript, startEmulator, tempDir, type Message } from './harness';
import { MAX_VALUE_CHARS } from '../../src/system/monitor/qmp/json-splitter';

afterEach(killAll);

function errorOf(m: Message): { class: string; desc: string } {
  expect(m['error'], JSON.stringify(m)).toBeDefined();
  return m['error'] as { class: string; desc: string };
}

async function settledFdCount(pid: number, target: number): Promise<number> {
  const deadline = Date.now() + 5000;
  let n = fdCount(pid);
  while (n !== target && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    n = fdCount(pid);
  }
  return n;
}

describe('QMP robustness', () => {
  it('answers garbage with errors, survives disconnects and 1000 commands, leaks no descriptor', async () => {
    const dir = tempDir();
    const sock = path.join(dir, 'qmp.sock');
    const fd = listenUnixFd(sock);
    const emu = startEmulator(qmpOnFd3(), [fd]);
    native().closeFd(fd);
    const client = await QmpClient.connect(sock);
    await client.handshake();
    const pid = emu.child.pid!;
    const baseline = fdCount(pid);

    // Malformed input: errors without id, then the monitor still works.
    client.send('{"execute": }\n');
    expect(errorOf(await client.next()).desc).toMatch(/^JSON parse error/);
    client.send('nonsense\n');
    expect(errorOf(await client.next()).class).toBe('GenericError');
    client.send('[1, 2]\n');
    expect(errorOf(await client.next()).desc).toBe('QMP input must be a JSON object');
    client.send('}\n');
    expect(errorOf(await client.next()).desc).toMatch(/^JSON parse error/);
    client.send('{"execute": 5, "id": 1}\n');
    expect(await client.next()).toEqual({ error: { class: 'GenericError', desc: `QMP input member 'execute' must be a string` }, id: 1 });
    client.send('{"arguments": {}}\n');
    expect(errorOf(await client.next()).desc).toBe(`QMP input lacks member 'execute'`);
    client.send('{"execute": "query-status", "bogus": 1}\n');
    expect(errorOf(await client.next()).desc).toBe(`QMP input member 'bogus' is unexpected`);
    client.send('{"execute": "query-status", "arguments": [], "id": {"nested": [1]}}\n');
    expect(await client.next()).toEqual({
      error: { class: 'GenericError', desc: `QMP input member 'arguments' must be an object` },
      id: { nested: [1] },
    });
    // Several objects in one write, none ending in a newline, split across writes.
    client.send('{"execute": "query-status", "id": "a"}{"execute": "query-');
    client.send('status", "id": "b"}');
    expect((await client.next((m) => m['id'] === 'a'))['return']).toBeDefined();
    expect((await client.next((m) => m['id'] === 'b'))['return']).toBeDefined();

    // Huge input: beyond the limit is one error; a large value below it is parsed.
    client.send(`{"execute": "nosuch", "arguments": {"s": "${'A'.repeat(MAX_VALUE_CHARS + 1024)}"}}\n`);
    expect(errorOf(await client.next(undefined, 30000)).desc).toMatch(/value too long/);
    client.send(`{"execute": "nosuch", "id": "big", "arguments": {"s": "${'B'.repeat(1 << 20)}"}}\n`);
    expect(await client.next((m) => m['id'] === 'big')).toEqual({
      error: { class: 'CommandNotFound', desc: 'The command nosuch has not been found' },
      id: 'big',
    });
    client.send(`${'['.repeat(2000)}${']'.repeat(2000)}\n`);
    expect(errorOf(await client.next()).desc).toMatch(/too deep nesting/);

    // Unknown commands and wrong argument types.
    expect(errorOf(await client.execute('no-such-command'))).toEqual({ class: 'CommandNotFound', desc: 'The command no-such-command has not been found' });
    expect(errorOf(await client.execute('getfd', { fdname: 5 })).desc).toBe(`Invalid parameter type for 'fdname', expected: string`);
    expect(errorOf(await client.execute('query-status', { x: 1 })).desc).toBe(`Parameter 'x' is unexpected`);
    expect(errorOf(await client.execute('chardev-add', { id: 'c' })).desc).toBe(`Parameter 'backend' is missing`);
    expect(
      errorOf(
        await client.execute('chardev-add', {
          id: 'c',
          backend: { type: 'socket', data: { addr: { type: 'unix', data: { path: '/tmp/x' } }, server: 'yes' } },
        }),
      ).desc,
    ).toBe(`Invalid parameter type for 'backend.data.server', expected: boolean`);
    expect(errorOf(await client.execute('chardev-add', { id: 'c', backend: { type: 'serial', data: {} } })).desc).toBe(
      `Parameter 'backend.type' does not accept value 'serial'`,
    );
    expect(errorOf(await client.execute('qmp_capabilities')).class).toBe('CommandNotFound');

    // Clients vanishing mid-command, with and without descriptors in flight.
    for (let i = 0; i < 20; i++) {
      await new Promise<void>((resolve) => {
        const s = net.connect(sock, () => {
          s.write(i % 2 ? '{"execute": "qmp_capabilities"}{"execute": "query-st' : '{"execute": "qmp_capabilities"}\n{"execute": "query-status"}\n');
          s.destroy();
          resolve();
        });
        s.on('error', () => resolve());
      });
    }
    await runScript(
      'python3',
      `
import os, socket, sys
for i in range(10):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(sys.argv[1])
    r, w = os.pipe()
    msg = b'{"execute": "qmp_capabilities"}{"execute": "getfd", "arguments": {"fdna' if i % 2 else b'{"execute": "query-status"}'
    socket.send_fds(s, [msg], [r, w])
    os.close(r); os.close(w)
    s.close()
`,
      [sock],
    );

    // 1000 commands in a row.
    const ids: string[] = [];
    let batch = '';
    for (let i = 0; i < 1000; i++) {
      ids.push(`loop${i}`);
      batch += JSON.stringify({ execute: i % 3 ? 'query-status' : 'no-such', id: `loop${i}` }) + '\n';
    }
    client.send(batch);
    for (let i = 0; i < 1000; i++) {
      const reply = await client.next((m) => m['id'] === ids[i]);
      if (i % 3) expect(reply['return']).toEqual({ status: 'running', singlestep: false, running: true });
      else expect(errorOf(reply).class).toBe('CommandNotFound');
    }

    expect(await settledFdCount(pid, baseline)).toBe(baseline);
    expect((await client.execute('query-status'))['return']).toEqual({ status: 'running', singlestep: false, running: true });
    await client.execute('quit');
    await client.waitClosed();
  });
});
