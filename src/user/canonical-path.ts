/** Program paths as the kernel names an executable in /proc/self/exe. */
import fs from 'node:fs';

/** The path without symbolic links; unchanged when it does not resolve. */
export function canonicalPath(file: string): string {
  try {
    return fs.realpathSync(file);
  } catch {
    return file;
  }
}
