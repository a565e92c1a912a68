/**
 * ext4 disk images built and read at test time without root privileges, with e2fsprogs: the tree
 * (described as for an initramfs: directories, files, symbolic links) is written to a temporary
 * directory that `mke2fs -d` copies into a new image; `debugfs` reads a file back from an image
 * and `e2fsck -n` checks one, neither mounting it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { type CpioEntry, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './cpio';

const execFileAsync = promisify(execFile);

/** e2fsprogs lives in /sbin, which an unprivileged user's PATH may lack. */
const env = { PATH: `${process.env['PATH'] ?? '/usr/bin:/bin'}:/usr/sbin:/sbin` };

function writeTree(dir: string, entries: readonly CpioEntry[]): void {
  for (const entry of entries) {
    const file = path.join(dir, entry.name);
    const data = entry.data ?? '';
    switch (entry.mode & S_IFMT) {
      case S_IFDIR:
        mkdirSync(file, { recursive: true, mode: entry.mode & 0o7777 });
        break;
      case S_IFREG:
        writeFileSync(file, data, { mode: entry.mode & 0o7777 });
        break;
      case S_IFLNK:
        symlinkSync(Buffer.from(data).toString(), file);
        break;
      default:
        throw new Error(`${entry.name}: an ext4 image here holds directories, files and symbolic links only`);
    }
  }
}

/**
 * Writes an ext4 image of `sizeMiB` MiB holding `entries`; returns its path. Inode tables and the
 * journal are written out now (no lazy initialisation), so the kernel that mounts the image has
 * nothing to zero in the background and writes only what its user space asks for.
 */
export async function ext4Image(entries: readonly CpioEntry[], sizeMiB: number): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsemu-ext4-'));
  const tree = path.join(dir, 'root');
  mkdirSync(tree);
  writeTree(tree, entries);
  const image = path.join(dir, 'root.img');
  const options = ['-q', '-t', 'ext4', '-E', 'lazy_itable_init=0,lazy_journal_init=0,root_owner=0:0'];
  await execFileAsync('mke2fs', [...options, '-d', tree, image, `${sizeMiB}M`], { env });
  return image;
}

/** The contents of `file` (an absolute path inside the image) in the ext4 image `image`. */
export async function readExtFile(image: string, file: string): Promise<string> {
  const { stdout } = await execFileAsync('debugfs', ['-R', `cat ${file}`, image], { env });
  return stdout;
}

/** What `e2fsck -fn` (a full check that changes nothing) says of `image`; status 0 when clean. */
export async function checkExtImage(image: string): Promise<{ status: number; output: string }> {
  try {
    const { stdout } = await execFileAsync('e2fsck', ['-fn', image], { env });
    return { status: 0, output: stdout };
  } catch (e) {
    const failure = e as { code?: number; stdout?: string; stderr?: string };
    return { status: failure.code ?? -1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}
