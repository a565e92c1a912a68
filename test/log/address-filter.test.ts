/**
 * -dfilter range syntax, as qemu's documentation and util/log.c define it: start..end inclusive,
 * start+length, end-length (the length bytes ending at end).
 */
import { describe, expect, it } from 'vitest';
import { addressFilter, parseRanges } from '../../src/log/address-filter';

describe('-dfilter ranges', () => {
  it('reads the three forms of qemu-options.hx example', () => {
    expect(parseRanges('0x8000..0x8fff,0xffffc000+0x200,0xffff6000-0x1000')).toEqual([
      { first: 0x8000, last: 0x8fff },
      { first: 0xffffc000, last: 0xffffc1ff },
      { first: 0xffff5001, last: 0xffff6000 },
    ]);
  });

  it('filters addresses by the ranges, and passes everything without ranges', () => {
    const f = addressFilter('0x1000+0x10');
    expect([0xfff, 0x1000, 0x100f, 0x1010].map(f)).toEqual([false, true, true, false]);
    expect(addressFilter(undefined)(0x1234)).toBe(true);
  });

  it('refuses malformed ranges and zero lengths', () => {
    expect(() => parseRanges('zz')).toThrow(/Bad range/);
    expect(() => parseRanges('0x1000+0')).toThrow(/Bad range/);
  });
});
