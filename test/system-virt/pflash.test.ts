/**
 * virt's flash banks as QEMU's pflash_cfi01 and `-drive if=pflash`, compared with
 * qemu-system-aarch64: test/guest/system/pflash.c (run from RAM) queries CFI and the IDs, reads the
 * status register, erases and programs blocks of both banks, bank 1 backed by an image each emulator
 * gets its own copy of: same output, and the same image afterwards (written in place, untouched when
 * read-only or under -snapshot). Firmware boots from a unit 0 drive as from -bios. Bad drives are
 * refused in QEMU's words.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  VIRT_ARGS,
  bareMetalProgram,
  expectSameRefusal,
  firmwareImage,
  runQemu,
  runTsemu,
  withoutProgramName,
} from './bare-metal';

const BANK = 64 * 2 ** 20;
const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-pflash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A bank-sized image whose first MiB holds a pattern (the rest is a hole, reading as zeros). */
function patternImage(name: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, Uint8Array.from({ length: 2 ** 20 }, (_, i) => (i * 7 + 3) & 0xff));
  truncateSync(file, BANK);
  return file;
}

/** Runs both emulators with `args` plus a bank 1 drive (`options`), each on its own copy of `image`. */
async function compareWithDrive(
  image: string,
  options: string,
  extra: string[] = [],
): Promise<{ stdout: string; ours: Buffer; theirs: Buffer }> {
  const [oursFile, theirsFile] = ['tsemu', 'qemu'].map((who) => {
    const copy = path.join(dir, `${who}-${path.basename(image)}`);
    copyFileSync(image, copy);
    return copy;
  });
  const args = (file: string): string[] => [
    ...VIRT_ARGS,
    ...extra,
    '-kernel',
    bareMetalProgram('pflash'),
    '-drive',
    `if=pflash,format=raw,unit=1,file=${file}${options}`,
  ];
  const [ours, theirs] = await Promise.all([runTsemu(args(oursFile!)), runQemu(args(theirsFile!))]);
  expect(withoutProgramName(ours.stderr)).toBe(withoutProgramName(theirs.stderr));
  expect(ours.stdout).toBe(theirs.stdout);
  expect(ours.status).toBe(theirs.status);
  expect(theirs.status).toBe(0);
  return { stdout: theirs.stdout, ours: readFileSync(oursFile!), theirs: readFileSync(theirsFile!) };
}

describe('flash on tsemu-system -M virt, as qemu-system-aarch64 has it', () => {
  const image = patternImage('vars.img');
  const original = readFileSync(image);

  it('answers CFI, ID and status reads, erases and programs, and the writes land in the image', async () => {
    const r = await compareWithDrive(image, '');
    expect(r.stdout).toContain('buffer programmed 0xa5000000');
    expect(r.theirs.equals(original)).toBe(false);
    expect(r.ours.equals(r.theirs)).toBe(true);
  });

  it('sets the error bits and leaves the image alone when the drive is read-only', async () => {
    const r = await compareWithDrive(image, ',readonly=on');
    expect(r.theirs.equals(original)).toBe(true);
    expect(r.ours.equals(original)).toBe(true);
  });

  it('keeps the writes in memory under -snapshot', async () => {
    const r = await compareWithDrive(image, '', ['-snapshot']);
    expect(r.theirs.equals(original)).toBe(true);
    expect(r.ours.equals(original)).toBe(true);
  });

  it('boots firmware from a unit 0 drive as from -bios', async () => {
    const code = path.join(dir, 'code.img');
    copyFileSync(firmwareImage('bios'), code);
    truncateSync(code, BANK);
    const args = [...VIRT_ARGS, '-drive', `if=pflash,format=raw,readonly=on,file=${code}`];
    const [ours, theirs] = await Promise.all([runTsemu(args), runQemu(args)]);
    expect(theirs.stdout).toContain('running in the first flash bank');
    expect(ours.stdout).toBe(theirs.stdout);
    expect(ours.status).toBe(theirs.status);
  });

  it('refuses drives QEMU refuses, with its messages', async () => {
    const small = path.join(dir, 'small.img');
    writeFileSync(small, new Uint8Array(4096));
    const drive = (options: string): string[] => ['-drive', `if=pflash,format=raw,${options}`];
    await Promise.all(
      [
        drive(`file=${small}`),
        drive(`file=${image},unit=2`),
        drive(`file=${image},unit=1,bus=1`),
        [...drive(`file=${image},unit=1,readonly=on`), ...drive(`file=${image},unit=1,readonly=on`)],
        ['-bios', firmwareImage('bios'), ...drive(`file=${image},unit=0,readonly=on`)],
        drive(`file=${path.join(dir, 'missing.img')}`),
        drive('unit=1'),
        // No format=: QEMU's warning that it probed the format comes first.
        ['-drive', `if=pflash,file=${small}`],
      ].map((args) => expectSameRefusal([...VIRT_ARGS, ...args])),
    );
  });
});
