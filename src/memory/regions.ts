/**
 * The list of mapped regions of the guest window (Linux's VMAs): sorted, non-overlapping,
 * page-aligned, with neighbours of identical attributes merged as Linux merges VMAs. Pure
 * bookkeeping: page contents and the page flag table are the AddressSpace's business.
 */

/** One mapped region, as /proc/self/maps lists it. */
export interface MappedRegion {
  readonly start: number;
  /** One past the last byte. */
  readonly end: number;
  /** PROT_READ | PROT_WRITE | PROT_EXEC. */
  readonly prot: number;
  /** MAP_SHARED rather than MAP_PRIVATE. */
  readonly shared: boolean;
  /** File offset of `start` (0 for anonymous memory). */
  readonly offset: number;
  /** '' for anonymous memory, '[heap]', '[stack]', or the mapped file's path. */
  readonly path: string;
  /** Host st_dev and st_ino of the mapped file (0 for anonymous memory). */
  readonly device: number;
  readonly inode: number;
  /** The mapped file's identity as mmap found it (mapped-file.ts fileIdentity); '' for anything else. */
  readonly identity: string;
}

/** A SysV shared memory segment as shmat attaches it. */
export interface ShmSegment {
  readonly id: number;
  /** shm_segsz: the attachment covers it rounded up to pages. */
  readonly size: number;
  /** What /proc/self/maps calls it ('/SYSV' and the key in 8 hex digits). */
  readonly name: string;
}

/** A region with what the AddressSpace needs to undo or change it. */
export interface Region extends MappedRegion {
  /** A host mapping (shared memory or a shared file) lies under the range instead of the window's own memory. */
  readonly hostBacked: boolean;
  /** Whether mprotect may add PROT_WRITE (false for shared mappings of read-only files: -EACCES). */
  readonly mayWrite: boolean;
  /** The segment a SysV shmat attached here (its `offset` is the offset into the segment). */
  readonly shm?: ShmSegment;
}

/** Whether a region's offset counts bytes of what it maps (a file, a shm segment), so it moves along when split. */
function hasOffset(r: Region): boolean {
  return r.inode !== 0 || r.shm !== undefined;
}

function sameMapping(a: Region, b: Region): boolean {
  const fileContinues = !hasOffset(a) || b.offset === a.offset + (a.end - a.start);
  return (
    a.end === b.start &&
    a.prot === b.prot &&
    a.shared === b.shared &&
    a.path === b.path &&
    a.device === b.device &&
    a.inode === b.inode &&
    a.identity === b.identity &&
    a.hostBacked === b.hostBacked &&
    a.mayWrite === b.mayWrite &&
    a.shm?.id === b.shm?.id &&
    fileContinues
  );
}

/** The part [start, end) of `r` (which must contain it), with its file offset moved along. */
export function slice(r: Region, start: number, end: number): Region {
  return { ...r, start, end, offset: hasOffset(r) ? r.offset + (start - r.start) : r.offset };
}

export class RegionList {
  private list: Region[] = [];

  all(): readonly Region[] {
    return this.list;
  }

  /** Index of the first region whose end is above `addr`. */
  private firstEndingAbove(addr: number): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.list[mid]!.end <= addr) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The region containing `addr`, if any. */
  at(addr: number): Region | undefined {
    const r = this.list[this.firstEndingAbove(addr)];
    return r && r.start <= addr ? r : undefined;
  }

  /** The regions overlapping [start, end), clipped to it, in address order. */
  overlapping(start: number, end: number): Region[] {
    const out: Region[] = [];
    for (let i = this.firstEndingAbove(start); i < this.list.length && this.list[i]!.start < end; i++) {
      const r = this.list[i]!;
      out.push(slice(r, Math.max(r.start, start), Math.min(r.end, end)));
    }
    return out;
  }

  isFree(start: number, end: number): boolean {
    const r = this.list[this.firstEndingAbove(start)];
    return !r || r.start >= end;
  }

  /** Whether [start, end) is mapped without holes. */
  isCovered(start: number, end: number): boolean {
    let at = start;
    for (const r of this.overlapping(start, end)) {
      if (r.start !== at) return false;
      at = r.end;
    }
    return at >= end;
  }

  /** Removes [start, end) from the map (splitting regions at its edges); returns the removed pieces. */
  remove(start: number, end: number): Region[] {
    const first = this.firstEndingAbove(start);
    let last = first;
    while (last < this.list.length && this.list[last]!.start < end) last++;
    if (first === last) return [];
    const removed: Region[] = [];
    const kept: Region[] = [];
    for (const r of this.list.slice(first, last)) {
      if (r.start < start) kept.push(slice(r, r.start, start));
      removed.push(slice(r, Math.max(r.start, start), Math.min(r.end, end)));
      if (r.end > end) kept.push(slice(r, end, r.end));
    }
    this.list.splice(first, last - first, ...kept);
    return removed;
  }

  /** Adds a region over a free range, merging it with identical neighbours. */
  insert(region: Region): void {
    let i = this.firstEndingAbove(region.start);
    let merged = region;
    const before = this.list[i - 1];
    if (before && sameMapping(before, merged)) {
      merged = { ...before, end: merged.end };
      this.list.splice(--i, 1);
    }
    const after = this.list[i];
    if (after && sameMapping(merged, after)) {
      merged = { ...merged, end: after.end };
      this.list.splice(i, 1);
    }
    this.list.splice(i, 0, merged);
  }

  /** The highest start of a free range of `length` bytes inside [low, high), or undefined. */
  highestGap(length: number, low: number, high: number): number | undefined {
    const above = this.firstEndingAbove(high);
    const straddling = this.list[above];
    let top = straddling && straddling.start < high ? straddling.start : high;
    for (let i = above - 1; ; i--) {
      const r = this.list[i];
      const bottom = r ? Math.max(r.end, low) : low;
      if (top - bottom >= length) return top - length;
      if (!r || r.start <= low) return undefined;
      top = r.start;
    }
  }
}
