/**
 * Packet framing of the GDB remote protocol (gdb manual, "Overview" and "Binary Data"): the
 * checksum is the payload's byte sum modulo 256 in two hex digits; `$`, `#`, `}` and `*` are sent as
 * `}` followed by the byte xor 0x20.
 */
import { describe, expect, it } from 'vitest';
import { PacketReader, encodePacket, unescapeBinary } from '../../src/gdbstub/packet';

describe('RSP packets', () => {
  it('frames a payload with its checksum', () => {
    expect(encodePacket('OK').toString('latin1')).toBe('$OK#9a');
    expect(encodePacket('').toString('latin1')).toBe('$#00');
  });

  it('escapes the four special bytes', () => {
    expect(encodePacket(Buffer.from([0x24, 0x23, 0x7d, 0x2a])).toString('latin1')).toBe('$}\x04}\x03}]}\x0a#' + sumHex('}\x04}\x03}]}\x0a'));
    expect([...unescapeBinary('a}\x04b')]).toEqual([0x61, 0x24, 0x62]);
  });

  it('splits a stream into packets, interrupts and naks, across reads', () => {
    const reader = new PacketReader();
    expect(reader.feed(Buffer.from('+$qSupported:multiprocess+#c6$g'))).toEqual([{ kind: 'packet', payload: 'qSupported:multiprocess+' }]);
    expect(reader.feed(Buffer.from('#67\x03-'))).toEqual([{ kind: 'packet', payload: 'g' }, { kind: 'interrupt' }, { kind: 'nak' }]);
  });
});

function sumHex(s: string): string {
  let sum = 0;
  for (const c of Buffer.from(s, 'latin1')) sum += c;
  return (sum & 0xff).toString(16).padStart(2, '0');
}
