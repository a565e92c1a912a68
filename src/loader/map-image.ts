/**
 * Mapping a validated ELF image into the address space as Linux's load_elf_binary does: each
 * PT_LOAD's file pages mapped privately from the file with the segment's protection, the rest of
 * the last file page zeroed, the remaining bss as anonymous memory. ET_EXEC images go at their
 * addresses; ET_DYN images at a base the address space chooses (top-down, as QEMU does), aligned
 * to the largest segment alignment.
 */
import type { AddressSpace } from '../memory/address-space';
import { PAGE_SIZE, STACK_TOP } from '../memory/layout';
import { MAP_ANONYMOUS, MAP_FIXED, MAP_FIXED_NOREPLACE, MAP_NORESERVE, MAP_PRIVATE, PROT_NONE } from '../memory/linux-mm';
import type { ElfImage } from './elf-image';
import { LoaderError } from './loader-error';

export interface MappedImage {
  /** Added to every address of the file (0 for ET_EXEC). */
  readonly bias: number;
  /** Entry point in guest memory. */
  readonly entry: number;
  /** Where the program headers are in guest memory (0 if no segment holds them). */
  readonly phdr: number;
  /** Page-aligned end of the highest segment: where the heap starts. */
  readonly end: number;
}

function pageDown(n: number): number {
  return Math.floor(n / PAGE_SIZE) * PAGE_SIZE;
}
function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

/**
 * Where a position-independent program goes when that range is free: two thirds of the way up to
 * the stack (rounded to 2 MiB), like Linux's ELF_ET_DYN_BASE, leaving room above it for the heap and below the stack
 * for mmap. (Interpreters go wherever mmap puts them, as in Linux.)
 */
export const PROGRAM_BASE = Math.floor((STACK_TOP * 2) / 3 / 0x200000) * 0x200000;

/** Picks the load bias of a position-independent image: a free, suitably aligned range, at `hint` if possible. */
function chooseBias(space: AddressSpace, image: ElfImage, hint: number): number {
  const span = image.high - image.low;
  const slack = image.alignment - PAGE_SIZE;
  const reserved = space.mmap(hint, span + slack, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (reserved < 0) throw new LoaderError(image.path, `no room for an image of 0x${span.toString(16)} bytes`);
  space.munmap(reserved, span + slack);
  const base = Math.ceil(reserved / image.alignment) * image.alignment;
  return base - image.low;
}

/**
 * Maps `image` into `space` (a position-independent one at `hint` if free, else where mmap puts
 * it); throws LoaderError if its addresses are taken.
 */
export function mapImage(space: AddressSpace, image: ElfImage, hint = 0): MappedImage {
  const bias = image.positionIndependent ? chooseBias(space, image, hint) : 0;
  const fail = (what: string, r: number): never => {
    throw new LoaderError(image.path, `cannot map ${what} (errno ${-r}): the range is taken or invalid`);
  };
  if (!image.positionIndependent) {
    // Like MAP_FIXED_NOREPLACE on the whole image: refuse to land on the stack or another image.
    const span = image.high - image.low;
    const r = space.mmap(image.low, span, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (r < 0) fail(`0x${image.low.toString(16)}-0x${image.high.toString(16)}`, r);
    space.munmap(image.low, span);
  }
  const u8 = space.memory.u8;
  for (const seg of image.segments) {
    const start = seg.vaddr + bias;
    const mapStart = pageDown(start);
    const fileEnd = start + seg.filesz;
    const memEnd = start + seg.memsz;
    const fileMapEnd = seg.filesz > 0 ? pageUp(fileEnd) : mapStart;
    if (fileMapEnd > mapStart) {
      const r = space.mmap(mapStart, fileMapEnd - mapStart, seg.prot, MAP_PRIVATE | MAP_FIXED, image.fd, seg.offset - (start - mapStart));
      if (r < 0) fail(`segment at 0x${start.toString(16)}`, r);
      // The rest of the last file page belongs to the bss: zero all of it, past memsz too, as Linux's
      // padzero does (the file may have bytes there, and ld.so's start-up malloc uses that tail of
      // its last page expecting zeros).
      if (seg.memsz > seg.filesz) u8.fill(0, fileEnd, fileMapEnd);
    }
    const bssStart = Math.max(fileMapEnd, mapStart);
    const bssEnd = pageUp(memEnd);
    if (bssEnd > bssStart) {
      const r = space.mmap(bssStart, bssEnd - bssStart, seg.prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
      if (r < 0) fail(`bss at 0x${bssStart.toString(16)}`, r);
    }
  }
  return {
    bias,
    entry: image.entry + bias,
    phdr: image.phdrVaddr === undefined ? 0 : image.phdrVaddr + bias,
    end: image.high + bias,
  };
}
