/**
 * QemuOpts syntax as QEMU documents it (docs/system/invocation, "-chardev" and the QemuOpts
 * rules in util/qemu-option.c): `,,` is a literal comma, the first bare item is the implied key,
 * bare `server` means server=on and `nowait` means wait=off.
 */
import { describe, expect, it } from 'vitest';
import { chardevSpecFromOptString } from '../../src/system/chardev/from-opts';
import { OptsError, parseQemuOpts } from '../../src/system/cli/qemu-opts';

describe('QemuOpts parsing', () => {
  it('escapes commas by doubling them', () => {
    expect(chardevSpecFromOptString('socket,id=m,path=/tmp/a,,b.sock,server=on,wait=off').backend).toEqual({
      type: 'socket',
      addr: { type: 'unix', path: '/tmp/a,b.sock' },
      server: true,
      wait: false,
      tlsCreds: undefined,
      reconnect: 0,
    });
  });

  it('accepts the legacy bare server/nowait flags', () => {
    const spec = chardevSpecFromOptString('socket,fd=3,server,nowait,id=mon');
    expect(spec).toEqual({ id: 'mon', backend: { type: 'socket', addr: { type: 'fd', str: '3' }, server: true, wait: false, tlsCreds: undefined, reconnect: 0 } });
  });

  it('defaults wait to on for servers, as QEMU 7.2 does', () => {
    expect(chardevSpecFromOptString('socket,id=m,host=127.0.0.1,port=4444,server=on').backend).toMatchObject({ server: true, wait: true });
  });

  it('refuses wait for a client and reconnect for a server', () => {
    expect(() => chardevSpecFromOptString('socket,id=m,path=/x,wait=off')).toThrow(OptsError);
    expect(() => chardevSpecFromOptString('socket,id=m,path=/x,server=on,reconnect=1')).toThrow(OptsError);
  });

  it('keeps the last value of a repeated key and rejects unknown bare words', () => {
    expect(parseQemuOpts('a=1,a=2').get('a')).toBe('2');
    expect(() => parseQemuOpts('socket,bogus', 'backend')).toThrow(`Invalid parameter 'bogus'`);
  });
});
