/**
 * Loading real AArch64 binaries: memory contents against the file and readelf, the initial stack
 * read back and parsed as a C runtime would, and the auxv against what qemu-aarch64 gives the same
 * program (AT_MINSIGSTKSZ, which QEMU 7.2 omits, against Linux's arm64 value).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { AuxType, LOADER_TARGETS, loadElf, readElfImage, type LoadedProgram } from '../../src/loader';
import { AddressSpace } from '../../src/memory/address-space';
import { GuestMemory } from '../../src/memory/guest-memory';
import { PAGE_SIZE, PageFlags, STACK_TOP } from '../../src/memory/layout';
import { PROGRAM_BASE } from '../../src/loader/map-image';
import { AUXV_PROGRAM, buildGuest, readelf } from './guest-binaries';

const target = LOADER_TARGETS.aarch64;
const RANDOM = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);

interface Loaded {
  memory: GuestMemory;
  space: AddressSpace;
  program: LoadedProgram;
}

function load(file: string, argv: string[], envp: string[], resolveInterpreter?: (p: string) => string): Loaded {
  const image = readElfImage(file, target);
  const memory = new GuestMemory(image.littleEndian);
  const space = new AddressSpace(memory);
  const program = loadElf(space, image, { target, argv, envp, random: RANDOM, resolveInterpreter });
  return { memory, space, program };
}

function cString(memory: GuestMemory, addr: number): string {
  return memory.readCString(addr)!.toString('utf8');
}

/** Parses the initial stack the way a C runtime's start code does. */
function parseStack(memory: GuestMemory, sp: number): { argv: string[]; envp: string[]; auxv: Map<number, number>; order: number[] } {
  const word = (i: number): number => Number(memory.read64(sp + i * 8));
  const argc = word(0);
  const argv = Array.from({ length: argc }, (_, i) => cString(memory, word(1 + i)));
  expect(word(1 + argc)).toBe(0);
  let i = 2 + argc;
  const envp: string[] = [];
  for (; word(i) !== 0; i++) envp.push(cString(memory, word(i)));
  i++;
  const auxv = new Map<number, number>();
  const order: number[] = [];
  for (; word(i) !== AuxType.AT_NULL; i += 2) {
    auxv.set(word(i), word(i + 1));
    order.push(word(i));
  }
  expect(word(i + 1)).toBe(0);
  return { argv, envp, auxv, order };
}

/** The auxv qemu-aarch64 gives the program (it prints its own). */
function qemuAuxv(file: string, argv0: string): Map<number, string> {
  const out = execFileSync('qemu-aarch64', ['-0', argv0, file], { encoding: 'utf8' });
  return new Map(out.trim().split('\n').map((l) => {
    const [type, value, text] = l.split(' ');
    return [Number(type), text ?? value!];
  }));
}

describe('a static executable', () => {
  let file: string;
  let loaded: Loaded;
  beforeAll(() => {
    file = buildGuest(AUXV_PROGRAM, ['-static']);
    loaded = load(file, ['./auxv', 'first arg', ''], ['HOME=/root', 'LANG=C.UTF-8']);
  });

  it('maps every PT_LOAD with the file contents, a zeroed bss and flags from p_flags', () => {
    const bytes = fs.readFileSync(file);
    const { memory } = loaded;
    const loads = readelf(file).programs.filter((p) => p.type === 'LOAD');
    for (const seg of loads) {
      expect(Buffer.from(memory.readBytes(seg.vaddr, seg.filesz)).equals(bytes.subarray(seg.offset, seg.offset + seg.filesz))).toBe(true);
      const bssEnd = Math.ceil((seg.vaddr + seg.memsz) / PAGE_SIZE) * PAGE_SIZE;
      if (seg.memsz > seg.filesz) expect(memory.readBytes(seg.vaddr + seg.filesz, bssEnd - seg.vaddr - seg.filesz).every((b) => b === 0)).toBe(true);
      const expected =
        (seg.flags.includes('R') ? 0 : PageFlags.NoRead) |
        (seg.flags.includes('W') ? 0 : PageFlags.NoWrite) |
        (seg.flags.includes('E') ? 0 : PageFlags.NoExec);
      for (let a = seg.vaddr; a < seg.vaddr + seg.memsz; a += PAGE_SIZE) expect(memory.pageFlags(a)).toBe(expected);
    }
    const last = loads[loads.length - 1]!;
    expect(loaded.program.brk).toBe(Math.ceil((last.vaddr + last.memsz) / PAGE_SIZE) * PAGE_SIZE);
    expect(loaded.space.brk(0)).toBe(loaded.program.brk);
  });

  it('builds the initial stack: aligned sp, argc/argv/envp/auxv that parse back', () => {
    const { memory, program } = loaded;
    expect(program.sp % 16).toBe(0);
    expect(program.sp).toBeLessThan(STACK_TOP);
    const stack = parseStack(memory, program.sp);
    expect(stack.argv).toEqual(['./auxv', 'first arg', '']);
    expect(stack.envp).toEqual(['HOME=/root', 'LANG=C.UTF-8']);
    expect([...stack.auxv.entries()]).toEqual(program.auxv.map(([t, v]) => [t, v]));
    expect(cString(memory, stack.auxv.get(AuxType.AT_EXECFN)!)).toBe(file);
    expect(cString(memory, stack.auxv.get(AuxType.AT_PLATFORM)!)).toBe('aarch64');
    expect(memory.readBytes(stack.auxv.get(AuxType.AT_RANDOM)!, 16)).toEqual(RANDOM);
    // Linux's order: the arm64 entry first, then create_elf_tables' generic list.
    expect(stack.order).toEqual([51, 16, 6, 17, 3, 4, 5, 7, 8, 9, 11, 12, 13, 14, 23, 25, 26, 31, 15]);
    // The strings sit above the tables, with AT_EXECFN last, just below a null word at the top.
    const execfn = stack.auxv.get(AuxType.AT_EXECFN)!;
    expect(execfn + file.length + 1).toBe(STACK_TOP - 8);
    expect(memory.read64(STACK_TOP - 8)).toBe(0n);
  });

  it('points AT_PHDR at the program headers in memory', () => {
    const bytes = fs.readFileSync(file);
    const { memory, program } = loaded;
    const auxv = new Map(program.auxv);
    const phoff = Number(bytes.readBigUInt64LE(32));
    const size = auxv.get(AuxType.AT_PHENT)! * auxv.get(AuxType.AT_PHNUM)!;
    expect(Buffer.from(memory.readBytes(auxv.get(AuxType.AT_PHDR)!, size)).equals(bytes.subarray(phoff, phoff + size))).toBe(true);
  });

  it('gives the auxv values qemu-aarch64 gives', () => {
    const qemu = qemuAuxv(file, './auxv');
    const { memory, program } = loaded;
    const ours = new Map(program.auxv);
    const sameValue = [AuxType.AT_PHDR, AuxType.AT_PHENT, AuxType.AT_PHNUM, AuxType.AT_PAGESZ, AuxType.AT_BASE, AuxType.AT_FLAGS,
      AuxType.AT_ENTRY, AuxType.AT_UID, AuxType.AT_EUID, AuxType.AT_GID, AuxType.AT_EGID, AuxType.AT_SECURE, AuxType.AT_CLKTCK];
    for (const t of sameValue) expect([t, ours.get(t)]).toEqual([t, Number(qemu.get(t))]);
    expect(cString(memory, ours.get(AuxType.AT_PLATFORM)!)).toBe(qemu.get(AuxType.AT_PLATFORM));
    expect(cString(memory, ours.get(AuxType.AT_EXECFN)!)).toBe(qemu.get(AuxType.AT_EXECFN));
    expect(new Set(ours.keys())).toEqual(new Set([...qemu.keys(), AuxType.AT_MINSIGSTKSZ]));
    expect(ours.get(AuxType.AT_ENTRY)).toBe(parseInt(readelf(file).header.get('Entry point address')!, 16));
    expect(program.entry).toBe(ours.get(AuxType.AT_ENTRY));
  });

  it('lists the mappings with the file, the stack and its guard page', () => {
    const regions = loaded.space.regions();
    const named = regions.filter((r) => r.path === file);
    expect(named.map((r) => r.offset)).toEqual(
      readelf(file).programs.filter((p) => p.type === 'LOAD').map((p) => p.offset - (p.offset % PAGE_SIZE)),
    );
    const stack = regions.find((r) => r.path === '[stack]')!;
    expect(stack.end).toBe(STACK_TOP);
    expect(stack.end - stack.start).toBe(target.defaultStackSize);
    expect(loaded.memory.pageFlags(stack.start - PAGE_SIZE) & PageFlags.NoRead).toBeTruthy();
  });
});

describe('a static-pie executable', () => {
  it('is loaded at an aligned base with AT_PHDR and AT_ENTRY relocated', () => {
    const file = buildGuest(AUXV_PROGRAM, ['-static-pie']);
    const info = readelf(file);
    expect(info.header.get('Type')).toMatch(/^DYN/);
    const { memory, space, program } = load(file, ['pie'], []);
    const align = Math.max(...info.programs.filter((p) => p.type === 'LOAD').map((p) => p.align));
    expect(align).toBeGreaterThanOrEqual(PAGE_SIZE);
    expect(program.loadBias % align).toBe(0);
    expect(program.loadBias).toBeGreaterThan(0);
    const auxv = new Map(program.auxv);
    expect(auxv.get(AuxType.AT_ENTRY)).toBe(program.loadBias + parseInt(info.header.get('Entry point address')!, 16));
    const phdrSeg = info.programs.find((p) => p.type === 'PHDR');
    const bytes = fs.readFileSync(file);
    const phoff = Number(bytes.readBigUInt64LE(32));
    if (phdrSeg) expect(auxv.get(AuxType.AT_PHDR)).toBe(program.loadBias + phdrSeg.vaddr);
    const size = 56 * Number(info.header.get('Number of program headers'));
    expect(Buffer.from(memory.readBytes(auxv.get(AuxType.AT_PHDR)!, size)).equals(bytes.subarray(phoff, phoff + size))).toBe(true);
    expect(auxv.get(AuxType.AT_BASE)).toBe(0);
    // Like Linux's static-pie (and unlike an image placed just below the stack), the heap can grow.
    expect(program.loadBias).toBe(PROGRAM_BASE);
    expect(space.brk(program.brk + 0x100000)).toBe(program.brk + 0x100000);
  });
});

describe('a dynamic executable', () => {
  const sysroot = '/usr/aarch64-linux-gnu';
  it('gets its PT_INTERP interpreter at a separate base: AT_BASE, entry at the interpreter', () => {
    const file = buildGuest(AUXV_PROGRAM, []);
    const { memory, program } = load(file, ['dyn'], [], (p) => sysroot + p);
    const auxv = new Map(program.auxv);
    const base = auxv.get(AuxType.AT_BASE)!;
    expect(base).toBeGreaterThan(0);
    expect(base % PAGE_SIZE).toBe(0);
    expect(program.interpreterBase).toBe(base);
    // The interpreter's ELF header is mapped at AT_BASE, and execution starts at its entry point.
    const interp = fs.realpathSync(sysroot + '/lib/ld-linux-aarch64.so.1');
    const interpEntry = parseInt(readelf(interp).header.get('Entry point address')!, 16);
    expect(Buffer.from(memory.readBytes(base, 4)).toString('latin1')).toBe('\x7fELF');
    expect(program.entry).toBe(base + interpEntry);
    expect(auxv.get(AuxType.AT_ENTRY)).not.toBe(program.entry);
  });
});
