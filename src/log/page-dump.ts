/**
 * -d page: the guest's mappings when user-mode emulation starts, as qemu prints them
 * (start-end size protection, plus the mapped file's name).
 */
import type { MappedRegion } from '../memory/regions';

const PROT_READ = 1;
const PROT_WRITE = 2;
const PROT_EXEC = 4;

export function dumpPages(regions: readonly MappedRegion[]): string {
  const lines = ['start            end              size             prot'];
  for (const r of regions) {
    const prot = `${r.prot & PROT_READ ? 'r' : '-'}${r.prot & PROT_WRITE ? 'w' : '-'}${r.prot & PROT_EXEC ? 'x' : '-'}`;
    const hex = (n: number): string => n.toString(16).padStart(16, '0');
    lines.push(`${hex(r.start)}-${hex(r.end)} ${hex(r.end - r.start)} ${prot}${r.path ? ` ${r.path}` : ''}`);
  }
  return lines.join('\n');
}
