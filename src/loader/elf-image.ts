/**
 * Reading and validating an ELF executable (or interpreter) before anything is mapped: the header
 * and program headers are parsed with elfy, and every value it returns is checked against the
 * file and the guest window, so that a malformed file ends in a LoaderError and never in another
 * exception or a half-built address space.
 */
import fs from 'node:fs';
import { Parser, type ElfyHeader, type ElfyProgram } from 'elfy';
import { MMAP_MIN, PAGE_SIZE, PRIVATE_BASE, PRIVATE_END, WINDOW_SIZE } from '../memory/layout';
import { PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory/linux-mm';
import { LoaderError } from './loader-error';
import type { LoaderTarget } from './targets';

/** One PT_LOAD, validated. */
export interface LoadSegment {
  readonly vaddr: number;
  readonly memsz: number;
  readonly offset: number;
  readonly filesz: number;
  /** PROT_READ | PROT_WRITE | PROT_EXEC from p_flags. */
  readonly prot: number;
}

export interface ElfImage {
  /** Host path it was read from. */
  readonly path: string;
  /** Open host descriptor of the file (segments are mapped from it); closed by loadElf. */
  readonly fd: number;
  readonly littleEndian: boolean;
  /** ET_DYN (position independent: loaded at a chosen base) rather than ET_EXEC. */
  readonly positionIndependent: boolean;
  readonly entry: number;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
  /** PT_LOAD segments in ascending address order. */
  readonly segments: readonly LoadSegment[];
  /** Lowest page and end of the highest page the segments occupy (before the load bias). */
  readonly low: number;
  readonly high: number;
  /** Largest power-of-two p_align of a PT_LOAD, at least the page size (the base alignment for ET_DYN). */
  readonly alignment: number;
  /** Unbiased address of the program headers in memory, if a loaded segment contains them. */
  readonly phdrVaddr: number | undefined;
  /** PT_INTERP path, if any. */
  readonly interpreter: string | undefined;
  /** PT_GNU_STACK asks for an executable stack. */
  readonly execStack: boolean;
}

const ET_EXEC = 'exec';
const ET_DYN = 'dyn';
const EV_CURRENT = 1;
const EHDR_SIZE = { 32: 52, 64: 64 } as const;
const PHDR_SIZE = { 32: 32, 64: 56 } as const;
/** Linux refuses program header tables above 64 KiB. */
const MAX_PHDR_TABLE = 65536;

const hex = (n: number): string => `0x${n.toString(16)}`;

function pageDown(n: number): number {
  return Math.floor(n / PAGE_SIZE) * PAGE_SIZE;
}
function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/** strerror wording of the errors opening or reading a program commonly gives. */
const OPEN_ERRORS: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EPERM: 'Operation not permitted',
  EIO: 'Input/output error',
};

function openAndRead(path: string): { fd: number; bytes: Buffer } {
  let fd: number | undefined;
  try {
    fd = fs.openSync(path, 'r');
    if (fs.fstatSync(fd).isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    return { fd, bytes: fs.readFileSync(fd) };
  } catch (e) {
    if (fd !== undefined) fs.closeSync(fd);
    const code = (e as NodeJS.ErrnoException).code ?? '';
    throw new LoaderError(path, OPEN_ERRORS[code] ?? `cannot read: ${(e as Error).message}`, 1);
  }
}

/** Reads `path` and checks that `target` can run it; throws LoaderError otherwise. */
export function readElfImage(path: string, target: LoaderTarget): ElfImage {
  const { fd, bytes } = openAndRead(path);
  try {
    return validate(path, fd, bytes, target);
  } catch (e) {
    fs.closeSync(fd);
    throw e;
  }
}

/** Validates the bytes of an ELF file. */
function validate(path: string, fd: number, bytes: Buffer, target: LoaderTarget): ElfImage {
  const fail = (message: string): never => {
    throw new LoaderError(path, message);
  };
  if (bytes.length < 16 || bytes.readUInt32BE(0) !== 0x7f454c46) throw new LoaderError(path, 'not an ELF file (Exec format error)', 1);
  const elfClass = bytes[4] === 1 ? 32 : bytes[4] === 2 ? 64 : fail(`invalid ELF class ${bytes[4]}`);
  if (bytes[5] !== 1 && bytes[5] !== 2) fail(`invalid ELF byte order ${bytes[5]}`);
  const littleEndian = bytes[5] === 1;
  if (bytes[6] !== EV_CURRENT) fail(`unsupported ELF version ${bytes[6]}`);
  if (elfClass !== target.elfClass) fail(`${elfClass}-bit ELF file, but ${target.name} runs ${target.elfClass}-bit programs`);
  if (!target.byteOrders.includes(littleEndian ? 'little' : 'big')) {
    fail(`${littleEndian ? 'little' : 'big'}-endian ELF file, but ${target.name} runs ${target.byteOrders.join(' or ')}-endian programs`);
  }
  // QEMU cannot read such a header either and ends as for a file that is no ELF file.
  if (bytes.length < EHDR_SIZE[elfClass]) throw new LoaderError(path, 'truncated ELF header', 1);

  const parser = new Parser();
  const header: ElfyHeader = parser.parseHeader(bytes);
  const rawMachine = littleEndian ? bytes.readUInt16LE(18) : bytes.readUInt16BE(18);
  if (rawMachine !== target.machine || header.machine !== target.machineName) {
    fail(`wrong architecture: ELF for ${header.machine ?? 'unknown machine'} (e_machine ${rawMachine}), expected ${target.machineName}`);
  }
  if (header.type !== ET_EXEC && header.type !== ET_DYN) fail(`not an executable (ELF type ${header.type ?? 'unknown'})`);
  if (header.version !== EV_CURRENT) fail(`unsupported ELF version ${header.version}`);
  if (header.phentsize !== PHDR_SIZE[elfClass]) fail(`bad program header size ${header.phentsize}`);
  if (header.phnum === 0) fail('no program headers');
  const tableSize = header.phnum * header.phentsize;
  if (tableSize > MAX_PHDR_TABLE) fail(`too many program headers (${header.phnum})`);
  if (header.phoff === 0 || header.phoff + tableSize > bytes.length) {
    fail(`program headers at ${hex(header.phoff)} outside the file (size ${hex(bytes.length)})`);
  }

  const programs: ElfyProgram[] = parser.parsePrograms(bytes, header);
  const segments: LoadSegment[] = [];
  let interpreter: string | undefined;
  let phdrVaddr: number | undefined;
  let execStack = false;
  let alignment = PAGE_SIZE;
  programs.forEach((p, index) => {
    const what = `program header ${index}`;
    // A range with no bytes needs no file behind it (Linux maps a bss-only segment whatever its offset).
    const inFile = (offset: number, size: number): boolean => size === 0 || offset + size <= bytes.length;
    switch (p.type) {
      case 'load': {
        if (p.memsz === 0) return;
        if (p.filesz > p.memsz) fail(`${what}: file size ${hex(p.filesz)} larger than memory size ${hex(p.memsz)}`);
        if (!inFile(p.offset, p.filesz)) {
          fail(`${what}: file range ${hex(p.offset)}-${hex(p.offset + p.filesz)} past the end of the file (size ${hex(bytes.length)})`);
        }
        if ((p.vaddr - p.offset) % PAGE_SIZE !== 0) fail(`${what}: address ${hex(p.vaddr)} and file offset ${hex(p.offset)} differ within a page`);
        if (p.vaddr + p.memsz > WINDOW_SIZE) fail(`${what}: ${hex(p.vaddr)}+${hex(p.memsz)} beyond the 4 GiB guest address space`);
        const previous = segments[segments.length - 1];
        if (previous && p.vaddr < previous.vaddr + previous.memsz) {
          fail(`${what}: segment at ${hex(p.vaddr)} overlaps or precedes the one ending at ${hex(previous.vaddr + previous.memsz)}`);
        }
        if (p.align > alignment && (p.align & (p.align - 1)) === 0) alignment = p.align;
        const prot = (p.flags['r'] ? PROT_READ : 0) | (p.flags['w'] ? PROT_WRITE : 0) | (p.flags['x'] ? PROT_EXEC : 0);
        segments.push({ vaddr: p.vaddr, memsz: p.memsz, offset: p.offset, filesz: p.filesz, prot });
        return;
      }
      case 'interp': {
        if (interpreter !== undefined) return;
        if (p.filesz < 2 || !inFile(p.offset, p.filesz) || p.data[p.filesz - 1] !== 0) fail(`${what}: malformed interpreter path`);
        interpreter = p.data.subarray(0, p.data.indexOf(0)).toString('utf8');
        if (interpreter === '') fail(`${what}: empty interpreter path`);
        return;
      }
      case 'phdr':
        phdrVaddr = p.vaddr;
        return;
      case 'gnu_stack':
        execStack = p.flags['x'] === true;
        return;
      default:
        return;
    }
  });
  if (segments.length === 0) fail('no loadable segments');

  const low = pageDown(segments[0]!.vaddr);
  const last = segments[segments.length - 1]!;
  const high = pageUp(last.vaddr + last.memsz);
  const positionIndependent = header.type === ET_DYN;
  if (positionIndependent) {
    if (high - low > PRIVATE_BASE - MMAP_MIN) fail(`image of ${hex(high - low)} bytes does not fit in the guest address space`);
  } else {
    if (low < MMAP_MIN) fail(`segment at ${hex(segments[0]!.vaddr)} below the lowest mappable address ${hex(MMAP_MIN)}`);
    if (low < PRIVATE_END && high > PRIVATE_BASE) {
      fail(`segments ${hex(low)}-${hex(high)} overlap tsemu's reserved area ${hex(PRIVATE_BASE)}-${hex(PRIVATE_END)}`);
    }
  }
  if (phdrVaddr === undefined) {
    const holder = segments.find((s) => s.offset <= header.phoff && header.phoff + tableSize <= s.offset + s.filesz);
    if (holder) phdrVaddr = header.phoff - holder.offset + holder.vaddr;
  }

  return {
    path,
    fd,
    littleEndian,
    positionIndependent,
    entry: header.entry,
    phoff: header.phoff,
    phentsize: header.phentsize,
    phnum: header.phnum,
    segments,
    low,
    high,
    alignment,
    phdrVaddr,
    interpreter,
    execStack,
  };
}
