/**
 * Which operating system an ELF executable was built for (its "brand"), as FreeBSD's imgact_elf
 * decides: the EI_OSABI byte of e_ident, else an ABI note (NT_FREEBSD_ABI_TAG named "FreeBSD" in a
 * PT_NOTE segment, what FreeBSD's crt1 puts in .note.tag). elfy misreads EI_OSABI (DESIGN.md), so
 * the bytes are read here directly. Anything unreadable is 'linux': the loader reports the error.
 */
import fs from 'node:fs';

export type ElfBrand = 'linux' | 'freebsd';

const EI_OSABI = 7;
const ELFOSABI_FREEBSD = 9;
const PT_NOTE = 4;
const NT_FREEBSD_ABI_TAG = 1;
const FREEBSD_NOTE_NAME = 'FreeBSD\0';
/** Enough for the ELF header, the program headers and their notes of any sane executable. */
const READ_LIMIT = 64 * 1024;

/** Whether a note list holds the FreeBSD ABI tag. */
function hasFreebsdNote(bytes: Buffer, start: number, end: number, le: boolean): boolean {
  const u32 = (at: number): number => (le ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  for (let at = start; at + 12 <= end;) {
    const namesz = u32(at);
    const descsz = u32(at + 4);
    const type = u32(at + 8);
    const name = at + 12;
    if (name + namesz > end) return false;
    if (type === NT_FREEBSD_ABI_TAG && bytes.toString('latin1', name, name + namesz) === FREEBSD_NOTE_NAME)
      return true;
    at = name + Math.ceil(namesz / 4) * 4 + Math.ceil(descsz / 4) * 4;
  }
  return false;
}

/** The brand of the executable at `path` (64- and 32-bit, either byte order). */
export function elfBrand(path: string): ElfBrand {
  let bytes: Buffer;
  try {
    const fd = fs.openSync(path, 'r');
    try {
      bytes = Buffer.alloc(READ_LIMIT);
      bytes = bytes.subarray(0, fs.readSync(fd, bytes, 0, READ_LIMIT, 0));
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return 'linux';
  }
  if (bytes.length < 52 || bytes.toString('latin1', 0, 4) !== '\x7fELF') return 'linux';
  if (bytes[EI_OSABI] === ELFOSABI_FREEBSD) return 'freebsd';
  const is64 = bytes[4] === 2;
  const le = bytes[5] === 1;
  const word = (at: number): number =>
    is64
      ? Number(le ? bytes.readBigUInt64LE(at) : bytes.readBigUInt64BE(at))
      : le
        ? bytes.readUInt32LE(at)
        : bytes.readUInt32BE(at);
  const half = (at: number): number => (le ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const phoff = word(is64 ? 32 : 28);
  const phentsize = half(is64 ? 54 : 42);
  const phnum = half(is64 ? 56 : 44);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    if (ph + (is64 ? 56 : 32) > bytes.length) break;
    if ((le ? bytes.readUInt32LE(ph) : bytes.readUInt32BE(ph)) !== PT_NOTE) continue;
    const offset = word(ph + (is64 ? 8 : 4));
    const size = word(ph + (is64 ? 32 : 16));
    if (offset + size <= bytes.length && hasFreebsdNote(bytes, offset, offset + size, le)) return 'freebsd';
  }
  return 'linux';
}
