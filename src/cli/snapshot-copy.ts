/**
 * Node keeps its own copy of the V8 data of the start-up snapshot it started from (7.2 MiB of
 * tsemu's), in a block malloc'd as it starts and never freed, wholly resident for the process's
 * life, though V8 reads it again only to deserialise another context. This puts clean pages of the
 * same bytes in its place: tools/build-bundle.mjs writes each snapshot's pages file (bundle-files.ts,
 * pagesPath), the data laid out as in the copy's mapping (page n of the file is page n of the
 * mapping), and the addon maps it over each whole page of the copy after checking that their
 * bytes are equal. The pages are then file pages, not resident until read. The mapping's first page (malloc's header) and its last, partly
 * used page stay as they are. Nothing happens when no mapping has the file's bytes.
 */
import fs from 'node:fs';
import { native } from '../native';

const PAGE = 4096;

/**
 * Start addresses of the private anonymous read-write mappings that could hold a malloc'd block of
 * `bytes` bytes (its header included); none when /proc is not there (a chroot without it).
 */
function anonymousMappings(bytes: number): number[] {
  const found: number[] = [];
  let maps: string;
  try {
    maps = fs.readFileSync('/proc/self/maps', 'latin1');
  } catch {
    return found;
  }
  for (const line of maps.split('\n')) {
    const [range, perms, offset, , inode, name] = line.split(/\s+/);
    if (!range || perms !== 'rw-p' || offset !== '00000000' || inode !== '0' || name) continue;
    const [start, end] = range.split('-').map((h) => parseInt(h, 16)) as [number, number];
    if (end - start >= bytes && end - start < bytes + PAGE + 8) found.push(start);
  }
  return found;
}

/** Replaces Node's copy of the snapshot's V8 data by the same bytes from file `pages`; whether it did. */
export function shareSnapshotCopy(pages: string): boolean {
  let fd: number;
  try {
    fd = fs.openSync(pages, 'r');
  } catch {
    return false;
  }
  try {
    const size = fs.fstatSync(fd).size;
    const whole = Math.floor(size / PAGE) * PAGE - PAGE;
    if (whole <= 0) return false;
    const addon = native();
    return anonymousMappings(size).some(
      (start) => addon.hostMapIdentical(start + PAGE, whole, fd, PAGE) === 0,
    );
  } finally {
    fs.closeSync(fd);
  }
}
