/**
 * The bare-metal virtio driver (test/guest/system/virtio.c) on a disk, under tsemu-system-aarch64
 * and qemu-system-aarch64 with the same arguments, each on its own copy of one image made here:
 * the outputs must be equal, and the images afterwards are returned for comparison.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import { VIRT_ARGS, bareMetalProgram, runQemu, runTsemu } from './bare-metal';

const SECTOR = 512;

/** 64 KiB in `dir`: a text line in sectors 0 and 3, zeros elsewhere (the driver writes sector 2). */
export function makeImage(dir: string, name = 'disk.img'): string {
  const image = Buffer.alloc(128 * SECTOR);
  image.write('tsemu virtio-blk test image, sector 0\n', 0, 'latin1');
  image.write('sector three\n', 3 * SECTOR, 'latin1');
  const file = path.join(dir, name);
  writeFileSync(file, image);
  return file;
}

export interface Images {
  ours: Buffer;
  theirs: Buffer;
  original: Buffer;
}

let runs = 0;

/** Runs the driver under both emulators, `disk` giving each one's options for its own copy of the image. */
export async function compareOnDisk(dir: string, disk: (file: string) => string[]): Promise<Images> {
  const original = makeImage(dir);
  const copies = ['ours', 'theirs'].map((who) => {
    const copy = path.join(dir, `${who}-${runs}.img`);
    copyFileSync(original, copy);
    return copy;
  });
  runs++;
  const program = bareMetalProgram('virtio');
  const args = (file: string): string[] => [...VIRT_ARGS, ...disk(file), '-kernel', program];
  const [ours, theirs] = await Promise.all([runTsemu(args(copies[0]!)), runQemu(args(copies[1]!))]);
  expect(theirs.status, `qemu-system-aarch64: ${theirs.stderr}`).toBe(0);
  expect(theirs.stdout).toContain('empty transports=');
  expect(ours.stderr).toBe('');
  expect(ours.stdout).toBe(theirs.stdout);
  expect(ours.status).toBe(0);
  const [oursImage, theirsImage] = copies.map((f) => readFileSync(f));
  return { ours: oursImage!, theirs: theirsImage!, original: readFileSync(original) };
}
