/**
 * Booting firmware (-bios): the image goes into the first flash bank and the CPU starts at its
 * first byte, with the device tree at the start of RAM for the firmware to find (x0 stays 0); a
 * -kernel goes to fw_cfg for the firmware, not into RAM.
 *
 * Direct kernel boot, as QEMU does it without firmware (hw/arm/boot.c facts):
 * - an ELF file is a bare-metal program: its segments are loaded at their addresses and it starts
 *   at its entry point with the device tree at the start of RAM (when the program leaves room);
 * - anything else is an arm64 Linux `Image` (gzip-compressed or not): loaded at RAM base plus the
 *   header's text_offset, the initrd after it, the device tree after that on a 2 MiB boundary,
 *   and started with x0 = the device tree's address (Documentation/arm64/booting.rst).
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { LOADER_TARGETS, LoaderError, readElfImage } from '../../../loader';
import type { GuestMemory } from '../../../memory/guest-memory';
import type { Pflash } from '../../devices/pflash';
import { MachineError } from '../machine';

const ARM64_IMAGE_MAGIC = 0x644d5241; // "ARM\x64" at offset 56
const ARM64_DEFAULT_TEXT_OFFSET = 0x80000;
const DTB_ALIGN = 2 * 2 ** 20;
const INITRD_MAX_OFFSET = 128 * 2 ** 20;

export interface Ram {
  base: number;
  size: number;
}

export interface BootImage {
  entry: number;
  /** Linux Image: x0 gets the device tree's address. */
  isLinux: boolean;
  /** Where the device tree goes, if anywhere. */
  dtbAddress?: number;
  initrd?: { start: number; end: number };
}

const hex = (n: number): string => `0x${n.toString(16)}`;

function readFile(path: string, what: string): Buffer {
  try {
    return fs.readFileSync(path);
  } catch (e) {
    throw new MachineError(
      `could not load ${what} '${path}': ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
    );
  }
}

function place(memory: GuestMemory, ram: Ram, at: number, bytes: Uint8Array, what: string): void {
  if (at < ram.base || at + bytes.length > ram.base + ram.size) {
    throw new MachineError(
      `${what} (${hex(at)}-${hex(at + bytes.length)}) does not fit in RAM ${hex(ram.base)}-${hex(ram.base + ram.size)}`,
    );
  }
  memory.writeBytes(at, bytes);
}

function loadElf(memory: GuestMemory, ram: Ram, path: string): BootImage {
  let image;
  try {
    image = readElfImage(path, LOADER_TARGETS.aarch64);
  } catch (e) {
    if (e instanceof LoaderError) throw new MachineError(e.message);
    throw e;
  }
  try {
    for (const seg of image.segments) {
      const bytes = new Uint8Array(seg.memsz);
      fs.readSync(image.fd, bytes, 0, seg.filesz, seg.offset);
      place(memory, ram, seg.vaddr, bytes, `ELF segment of '${path}'`);
    }
  } finally {
    fs.closeSync(image.fd);
  }
  // The device tree goes at the start of RAM unless the program is there.
  const dtbFree = image.segments.every(
    (s) => s.vaddr >= ram.base + DTB_ALIGN || s.vaddr + s.memsz <= ram.base,
  );
  return { entry: image.entry, isLinux: false, ...(dtbFree && { dtbAddress: ram.base }) };
}

function loadLinuxImage(
  memory: GuestMemory,
  ram: Ram,
  path: string,
  bytes: Buffer,
  initrdPath: string | undefined,
): BootImage {
  const hasHeader = bytes.length >= 64 && bytes.readUInt32LE(56) === ARM64_IMAGE_MAGIC;
  const textOffset =
    hasHeader && bytes.readBigUInt64LE(16) !== 0n
      ? Number(bytes.readBigUInt64LE(8))
      : ARM64_DEFAULT_TEXT_OFFSET;
  const entry = ram.base + textOffset;
  place(memory, ram, entry, bytes, `kernel '${path}'`);
  const kernelEnd = entry + bytes.length;
  let initrdStart = Math.max(
    ram.base + Math.min(ram.size / 2, INITRD_MAX_OFFSET),
    (kernelEnd + 0xfff) & ~0xfff,
  );
  let initrd: BootImage['initrd'];
  if (initrdPath !== undefined) {
    const data = readFile(initrdPath, 'initrd');
    place(memory, ram, initrdStart, data, `initrd '${initrdPath}'`);
    initrd = { start: initrdStart, end: initrdStart + data.length };
    initrdStart += data.length;
  }
  const dtbAddress = Math.ceil(initrdStart / DTB_ALIGN) * DTB_ALIGN;
  return { entry, isLinux: true, dtbAddress, ...(initrd && { initrd }) };
}

/**
 * Boots firmware: loads -bios FILE into `flash` (QEMU's messages for a file that is missing or does
 * not fit; without one, the bank holds its drive's image): the CPU starts at the bank's base, the
 * device tree goes at the start of RAM. Firmware loads a kernel itself, from fw_cfg
 * (firmware-config.ts).
 */
export function loadFirmware(flash: Pflash, ram: Ram, path: string | undefined): BootImage {
  const boot = { entry: flash.base, isLinux: false, dtbAddress: ram.base };
  if (path === undefined) return boot;
  let image: Buffer;
  try {
    image = fs.readFileSync(path);
  } catch {
    throw new MachineError(`Could not find ROM image '${path}'`);
  }
  if (image.length > flash.size) throw new MachineError(`Could not load ROM image '${path}'`);
  flash.load(image);
  return boot;
}

/** Loads -kernel (and -initrd for Linux) into RAM. */
export function loadKernel(
  memory: GuestMemory,
  ram: Ram,
  path: string,
  initrdPath: string | undefined,
): BootImage {
  let bytes = readFile(path, 'kernel');
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x7f454c46) {
    if (initrdPath !== undefined)
      throw new MachineError('-initrd needs a Linux kernel Image, not an ELF file');
    return loadElf(memory, ram, path);
  }
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(bytes);
    } catch (e) {
      throw new MachineError(`could not decompress kernel '${path}': ${(e as Error).message}`);
    }
  }
  return loadLinuxImage(memory, ram, path, bytes, initrdPath);
}
