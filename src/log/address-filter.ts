/**
 * -dfilter: the guest address ranges per-block logs are limited to, in qemu's syntax: a comma
 * separated list of `start..end` (inclusive), `start+length`, or `end-length` (the length bytes
 * before and including end), numbers in C notation (0x hex, leading 0 octal, decimal).
 */

export interface AddressRange {
  readonly first: number;
  readonly last: number;
}

/** True for every address when no ranges are given. */
export type AddressFilter = (addr: number) => boolean;

function parseNumber(text: string): number {
  const t = text.trim();
  const value = /^0x/i.test(t) ? parseInt(t, 16) : /^0[0-7]+$/.test(t) ? parseInt(t, 8) : /^\d+$/.test(t) ? Number(t) : NaN;
  if (!Number.isFinite(value)) throw new Error(`Failed to parse range in: ${text}`);
  return value;
}

export function parseRanges(text: string): AddressRange[] {
  return text
    .split(',')
    .filter((r) => r.trim() !== '')
    .map((r) => {
      const m = /^(.+?)(\.\.|\+|-)(.+)$/.exec(r.trim());
      if (!m) throw new Error(`Bad range specifier: ${r}`);
      const a = parseNumber(m[1]!);
      const b = parseNumber(m[3]!);
      if (m[2] === '..') return { first: a, last: b };
      if (b === 0) throw new Error(`Bad range specifier: ${r}`);
      return m[2] === '+' ? { first: a, last: a + b - 1 } : { first: a - b + 1, last: a };
    });
}

export function addressFilter(text: string | undefined): AddressFilter {
  if (text === undefined || text.trim() === '') return () => true;
  const ranges = parseRanges(text);
  return (addr) => ranges.some((r) => addr >= r.first && addr <= r.last);
}
