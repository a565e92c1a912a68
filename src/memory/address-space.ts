/**
 * AddressSpace: Linux's mmap, munmap, mprotect, mremap and brk over the guest window.
 *
 * Guest pages are always host read-write (generated code relies on it); the guest's protection
 * lives only in the page flag table. Invariant: every guest page that is not mapped is zero on the
 * host and belongs to the window's own private memory, so fresh anonymous mappings need no work;
 * unmapping re-establishes it (discard, or undo the host mapping). Shared mappings (MAP_SHARED
 * anonymous or of a file) are real host mappings over the window range, so they stay shared with
 * forked processes and with the file; private file mappings are copies read from the file. SysV
 * shared memory segments are attached the same way (the host segment itself over the range).
 *
 * Addresses chosen by the kernel are handed out top-down below STACK_TOP and never below
 * MMAP_MIN; the private area is never part of any mapping. Results are the guest address or
 * -errno in host Linux numbering.
 */
import { constants } from 'node:os';
import type { GuestMemory } from './guest-memory';
import {
  DENY_EXEC,
  MMAP_MIN,
  PAGE_SIZE,
  PRIVATE_BASE,
  PRIVATE_END,
  PageFlags,
  STACK_TOP,
  WINDOW_SIZE,
} from './layout';
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_PRIVATE,
  MAP_SHARED,
  MAP_SHARED_VALIDATE,
  MAP_TYPE,
  MAP_VALIDATE_MASK,
  MREMAP_DONTUNMAP,
  MREMAP_FIXED,
  MREMAP_MAYMOVE,
  PROT_EXEC,
  PROT_READ,
  PROT_VALID,
  PROT_WRITE,
  protToPageFlags,
} from './linux-mm';
import { describeMappedFile, readFileInto, type MappedFile } from './mapped-file';
import { RegionList, slice, type MappedRegion, type Region, type ShmSegment } from './regions';
import { WindowPages } from './window-pages';

export type { MappedRegion, ShmSegment } from './regions';

const { errno } = constants;
/** fillFromFile's answer when a host mapping of the file lies under the range. */
const HOST_MAPPED = 1;

function pageUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}

function pageAligned(n: number): boolean {
  return n % PAGE_SIZE === 0;
}

/** Whether [start, end) is inside the window and clear of the private area. */
function guestRange(start: number, end: number): boolean {
  return start >= 0 && end <= WINDOW_SIZE && start <= end && !(start < PRIVATE_END && end > PRIVATE_BASE);
}

const ANONYMOUS: Omit<Region, 'start' | 'end' | 'prot' | 'shared'> = {
  offset: 0,
  path: '',
  device: 0,
  inode: 0,
  identity: '',
  hostBacked: false,
  mayWrite: true,
};

export class AddressSpace {
  /**
   * Called with [start, length) when pages that hold translated code are unmapped, remapped, or made
   * unreadable or not executable.
   */
  onCodeChange: (start: number, length: number) => void = () => {};
  /** Called as everything is unmapped at once (clear): every translation goes, in one step. */
  onClear: () => void = () => {};

  private readonly map = new RegionList();
  private readonly pages: WindowPages;
  private brkStart = 0;
  private brkCurrent = 0;

  constructor(readonly memory: GuestMemory) {
    this.pages = new WindowPages(memory);
  }

  /** Linux mmap on the guest window (generic PROT_/MAP_ values; fd is a host fd). Returns the address or -errno. */
  mmap(addr: number, length: number, prot: number, flags: number, fd: number, offset: number): number {
    const type = flags & MAP_TYPE;
    const anonymous = (flags & MAP_ANONYMOUS) !== 0;
    // Linux accepts MAP_SHARED_VALIDATE for files only.
    if (type !== MAP_SHARED && type !== MAP_PRIVATE && (anonymous || type !== MAP_SHARED_VALIDATE)) return -errno.EINVAL;
    if (type === MAP_SHARED_VALIDATE && flags & ~MAP_VALIDATE_MASK) return -errno.EOPNOTSUPP;
    const shared = type !== MAP_PRIVATE;
    const access = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
    if (offset < 0 || !pageAligned(offset) || length === 0) return -errno.EINVAL;
    // A negative length is a huge unsigned one.
    const len = pageUp(length);
    if (length < 0 || len > WINDOW_SIZE) return -errno.ENOMEM;

    let file: MappedFile | undefined;
    if (!anonymous) {
      const described = describeMappedFile(fd);
      if (typeof described === 'number') return described;
      if (!described.readable || (shared && access & PROT_WRITE && !described.writable)) return -errno.EACCES;
      if (offset + len > Number.MAX_SAFE_INTEGER) return -errno.EOVERFLOW;
      if (!described.isZeroDevice) file = described;
    }

    const fixed = (flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) !== 0;
    let start: number;
    if (fixed) {
      if (!pageAligned(addr)) return -errno.EINVAL;
      if (!guestRange(addr, addr + len)) return -errno.ENOMEM;
      if (addr < MMAP_MIN) return -errno.EPERM;
      if (flags & MAP_FIXED_NOREPLACE && !this.map.isFree(addr, addr + len)) return -errno.EEXIST;
      start = addr;
    } else {
      const found = this.findFree(addr, len);
      if (found === undefined) return -errno.ENOMEM;
      start = found;
    }

    this.unmapRange(start, start + len);
    let region: Region = { ...ANONYMOUS, start, end: start + len, prot: access, shared };
    if (file) {
      const r = this.fillFromFile(start, len, shared, file, offset);
      if (r < 0) return r;
      region = {
        ...region,
        offset,
        path: file.path,
        device: file.device,
        inode: file.inode,
        identity: file.identity,
        hostBacked: r === HOST_MAPPED,
        mayWrite: !shared || file.writable,
      };
    } else if (shared) {
      const r = this.pages.mapHost(start, len, true, -1, 0);
      if (r < 0) return r;
      region = { ...region, hostBacked: true };
    }
    this.map.insert(region);
    this.memory.setFlags(start, len, protToPageFlags(access));
    return start;
  }

  /** Linux munmap. Returns 0 or -errno. */
  munmap(addr: number, length: number): number {
    if (!pageAligned(addr) || length <= 0) return -errno.EINVAL;
    const end = addr + pageUp(length);
    if (addr < 0 || end > WINDOW_SIZE) return -errno.EINVAL;
    this.unmapRange(addr, end);
    return 0;
  }

  /** Linux mprotect. Returns 0 or -errno. */
  mprotect(addr: number, length: number, prot: number): number {
    if (!pageAligned(addr) || prot & ~PROT_VALID || length < 0) return -errno.EINVAL;
    if (length === 0) return 0;
    const end = addr + pageUp(length);
    if (end > WINDOW_SIZE) return -errno.ENOMEM;
    if (!this.map.isCovered(addr, end)) return -errno.ENOMEM;
    const access = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
    const pieces = this.map.overlapping(addr, end);
    if (access & PROT_WRITE && pieces.some((r) => !r.mayWrite)) return -errno.EACCES;
    this.map.remove(addr, end);
    for (const r of pieces) this.map.insert({ ...r, prot: access });
    this.setPageFlags(addr, end, protToPageFlags(access));
    return 0;
  }

  /** Linux mremap. Returns the (possibly new) address or -errno. */
  mremap(oldAddr: number, oldSize: number, newSize: number, flags: number, newAddr: number): number {
    if (flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) return -errno.EINVAL;
    if (flags & (MREMAP_FIXED | MREMAP_DONTUNMAP) && !(flags & MREMAP_MAYMOVE)) return -errno.EINVAL;
    if (!pageAligned(oldAddr)) return -errno.EINVAL;
    let oldLen = pageUp(oldSize);
    const newLen = pageUp(newSize);
    // Duplicating a shared mapping (old size 0) is not supported.
    if (newLen === 0 || oldLen === 0) return -errno.EINVAL;
    const dontUnmap = (flags & MREMAP_DONTUNMAP) !== 0;
    if (dontUnmap && oldLen !== newLen) return -errno.EINVAL;
    const region = this.map.at(oldAddr);
    if (!region || oldAddr + oldLen > region.end) return -errno.EFAULT;
    if (dontUnmap && region.shared) return -errno.EINVAL;

    if (flags & MREMAP_FIXED) {
      if (!pageAligned(newAddr)) return -errno.EINVAL;
      if (newAddr < oldAddr + oldLen && oldAddr < newAddr + newLen) return -errno.EINVAL;
      if (!guestRange(newAddr, newAddr + newLen)) return -errno.ENOMEM;
      this.unmapRange(newAddr, newAddr + newLen);
      if (oldLen > newLen) {
        this.unmapRange(oldAddr + newLen, oldAddr + oldLen);
        oldLen = newLen;
      }
      return this.move(region, oldAddr, oldLen, newAddr, newLen, dontUnmap);
    }
    if (newLen <= oldLen) {
      this.unmapRange(oldAddr + newLen, oldAddr + oldLen);
      return oldAddr;
    }
    const growEnd = oldAddr + newLen;
    const canGrow =
      !region.shared &&
      oldAddr + oldLen === region.end &&
      guestRange(oldAddr, growEnd) &&
      this.map.isFree(region.end, growEnd);
    if (canGrow) {
      // Past a host mapping of a file (private), the window's own zero memory.
      this.map.insert(slice({ ...region, end: growEnd, hostBacked: false }, region.end, growEnd));
      this.memory.setFlags(region.end, growEnd - region.end, protToPageFlags(region.prot));
      return oldAddr;
    }
    if (!(flags & MREMAP_MAYMOVE)) return -errno.ENOMEM;
    const to = this.findFree(0, newLen);
    if (to === undefined) return -errno.ENOMEM;
    return this.move(region, oldAddr, oldLen, to, newLen, dontUnmap);
  }

  /**
   * SysV shmat's mapping: `segment` at `addr` (SHMLBA-aligned by the caller) or, when undefined,
   * where mmap would put it; a fixed range already in use is replaced only with `remap` (else -EINVAL, as
   * Linux). `attach` puts the host segment at a host address (host shmat); `access` is the guest's
   * PROT_ bits (without PROT_WRITE, mprotect cannot add it later: -EACCES). Returns the address or
   * -errno.
   */
  attachShm(segment: ShmSegment, addr: number | undefined, access: number, remap: boolean, attach: (hostAddr: number) => number): number {
    const len = pageUp(segment.size);
    if (len === 0 || len > WINDOW_SIZE) return -errno.EINVAL;
    let start: number;
    if (addr !== undefined) {
      if (!guestRange(addr, addr + len)) return -errno.EINVAL;
      if (addr < MMAP_MIN) return -errno.EPERM;
      if (!remap && !this.map.isFree(addr, addr + len)) return -errno.EINVAL;
      start = addr;
    } else {
      const found = this.findFree(0, len);
      if (found === undefined) return -errno.ENOMEM;
      start = found;
    }
    this.unmapRange(start, start + len);
    const r = attach(this.memory.hostAddress(start));
    if (r < 0) {
      // A failed host shmat may have left a hole in the window's reservation.
      this.pages.unmapHost(start, len);
      return r;
    }
    const region: Region = {
      ...ANONYMOUS,
      start,
      end: start + len,
      prot: access,
      shared: true,
      path: segment.name,
      inode: segment.id,
      hostBacked: true,
      mayWrite: (access & PROT_WRITE) !== 0,
      shm: segment,
    };
    this.map.insert(region);
    this.memory.setFlags(start, len, protToPageFlags(access));
    return start;
  }

  /**
   * SysV shmdt, as Linux does it: the first attachment found at or above `addr` whose offset into
   * its segment is its distance from `addr` is unmapped, with the further pieces of the same
   * attachment within the segment's size. Returns 0, or -EINVAL when there is none.
   */
  detachShm(addr: number): number {
    if (!pageAligned(addr)) return -errno.EINVAL;
    const pieces = this.map.overlapping(addr, WINDOW_SIZE);
    const isAttachment = (r: Region) => r.shm !== undefined && r.offset === r.start - addr;
    const first = pieces.find(isAttachment);
    if (!first) return -errno.EINVAL;
    const end = addr + pageUp(first.shm!.size);
    for (const r of pieces) {
      if (r.start >= first.start && r.end <= end && isAttachment(r) && r.shm!.id === first.shm!.id) this.unmapRange(r.start, r.end);
    }
    return 0;
  }

  /** Linux brk: returns the new break, or the unchanged one if it cannot move there. */
  brk(addr: number): number {
    if (addr < this.brkStart) return this.brkCurrent;
    const oldEnd = pageUp(this.brkCurrent);
    const newEnd = pageUp(addr);
    if (newEnd < oldEnd) {
      this.unmapRange(newEnd, oldEnd);
    } else if (newEnd > oldEnd) {
      // Like Linux, keep at least one page between the heap and the next mapping.
      const clearEnd = Math.min(newEnd + PAGE_SIZE, WINDOW_SIZE);
      if (!guestRange(oldEnd, newEnd) || !this.map.isFree(oldEnd, clearEnd)) return this.brkCurrent;
      this.map.insert({ ...ANONYMOUS, start: oldEnd, end: newEnd, prot: PROT_READ | PROT_WRITE, shared: false, path: '[heap]' });
      this.memory.setFlags(oldEnd, newEnd - oldEnd, protToPageFlags(PROT_READ | PROT_WRITE));
    }
    this.brkCurrent = addr;
    return addr;
  }

  /** Unmaps everything (execve's new image starts from an empty address space); the heap is set again by the loader. */
  clear(): void {
    this.onClear();
    for (const r of [...this.map.all()]) this.unmapRange(r.start, r.end);
    this.brkStart = this.brkCurrent = 0;
  }

  /**
   * The guest has ended: its private pages' host memory is given back (what is left to do before
   * the process leaves, saving the translation cache, then has it to spare). Nothing may read the
   * guest's memory afterwards.
   */
  releaseMemory(): void {
    for (const r of this.map.all()) if (!r.hostBacked) this.pages.release(r.start, r.end - r.start);
  }

  /** Set by the loader: start of the heap (rounded up to a page, as Linux does). */
  initBrk(start: number): void {
    this.brkStart = this.brkCurrent = pageUp(start);
  }

  /** Mapped regions in address order, for /proc/self/maps. */
  regions(): readonly MappedRegion[] {
    return this.map.all();
  }

  /** The mapped region containing guest address `addr`, if any. */
  regionAt(addr: number): MappedRegion | undefined {
    return this.map.at(addr);
  }

  /** Records the name of the mapped parts of [start, start + length) ('[stack]', an ELF's path). */
  nameRegion(start: number, length: number, name: string): void {
    const end = start + length;
    const pieces = this.map.remove(start, end);
    for (const r of pieces) this.map.insert({ ...r, path: name });
  }

  /**
   * A free range of `len` bytes: the page-aligned hint if it is usable, else the highest free range
   * below STACK_TOP.
   */
  private findFree(hint: number, len: number): number | undefined {
    if (hint !== 0) {
      const start = pageUp(hint);
      if (start >= MMAP_MIN && guestRange(start, start + len) && this.map.isFree(start, start + len)) return start;
    }
    return this.map.highestGap(len, MMAP_MIN, STACK_TOP);
  }

  /**
   * Backs a fresh (zero, unmapped) range with a file's contents: HOST_MAPPED when a host mapping of
   * the file lies under it, 0 when its contents were read into the window, or -errno.
   *
   * A private mapping of a regular file is the host's private mapping of it over the pages the file
   * covers (a page wholly past its end stays the window's zero memory: the host would answer it with
   * SIGBUS): its pages come from the page cache as they are touched, sixteen to a fault, and stay
   * shared until written, where a copy read into the window faulted in every page and kept it. Each
   * fault costs 13 to 21 us on a PVM guest, and a forked child's exec of a dynamic program read
   * ~2.5 MB of libraries (docs/performance.md). The whole range counts as host-backed (unmapped by
   * mapping the window's memory back); mremap cannot move one that reaches past the file's end.
   */
  private fillFromFile(start: number, len: number, shared: boolean, file: MappedFile, offset: number): number {
    if (shared) {
      // A read-only descriptor cannot be mapped shared and writable on the host; a private host
      // mapping sees the same file contents, and the guest can never write to it (mayWrite).
      const r = this.pages.mapHost(start, len, file.writable, file.fd, offset);
      return r < 0 ? r : HOST_MAPPED;
    }
    const covered = Math.min(len, pageUp(Math.max(0, file.size - offset)));
    if (file.regular && offset % PAGE_SIZE === 0 && covered > 0) {
      if (this.pages.mapHost(start, covered, false, file.fd, offset) === 0) return HOST_MAPPED;
    }
    const r = readFileInto(file, this.memory.u8.subarray(start, start + len), offset);
    if (r < 0) this.pages.zero(start, len);
    return r;
  }

  /** Unmaps [start, end) (private area and unmapped parts excepted), restoring the invariant. */
  private unmapRange(start: number, end: number): void {
    const pieces = this.map.remove(start, end);
    for (const r of pieces) {
      this.setPageFlags(r.start, r.end, PageFlags.Unmapped);
      if (r.hostBacked) this.pages.unmapHost(r.start, r.end - r.start);
      else this.pages.zero(r.start, r.end - r.start);
    }
  }

  /** Moves [from, from + oldLen) of `region` to the free range [to, to + newLen). */
  private move(region: Region, from: number, oldLen: number, to: number, newLen: number, keepOld: boolean): number {
    const moved = slice(region, from, from + oldLen);
    this.setPageFlags(from, from + oldLen, PageFlags.Unmapped);
    this.map.remove(from, from + oldLen);
    if (region.hostBacked) {
      const r = this.pages.moveHost(from, oldLen, newLen, to);
      if (r < 0) {
        this.map.insert(moved);
        this.memory.setFlags(from, oldLen, protToPageFlags(region.prot));
        return r;
      }
    } else {
      this.memory.u8.copyWithin(to, from, from + Math.min(oldLen, newLen));
      this.pages.zero(from, oldLen);
    }
    if (keepOld) {
      this.map.insert(moved);
      this.memory.setFlags(from, oldLen, protToPageFlags(region.prot));
    }
    this.map.insert({ ...moved, start: to, end: to + newLen });
    this.memory.setFlags(to, newLen, protToPageFlags(region.prot));
    return to;
  }

  /**
   * Sets the flags of the pages of [start, end), first telling the engine about pages holding
   * translated code that may no longer run it (unmapped, unreadable or not executable: it discards
   * that code and clears HasCode); HasCode bits it leaves are kept. A page that only gains or loses
   * write permission keeps its translations (a JIT switching its code between RWX and RX, as V8
   * does): a store to it still discards the code it overlaps.
   */
  private setPageFlags(start: number, end: number, flags: number): void {
    const table = this.memory.flagTable;
    const first = start / PAGE_SIZE;
    const last = end / PAGE_SIZE;
    let runStart = -1;
    for (let page = first; page <= last; page++) {
      const old = page < last ? table[page]! : 0;
      const changingCode = page < last && old & PageFlags.HasCode && flags & DENY_EXEC;
      if (changingCode && runStart < 0) runStart = page;
      if (!changingCode && runStart >= 0) {
        this.onCodeChange(runStart * PAGE_SIZE, (page - runStart) * PAGE_SIZE);
        runStart = -1;
      }
    }
    for (let page = first; page < last; page++) {
      table[page] = flags | (table[page]! & PageFlags.HasCode);
    }
    this.memory.refreshNeighbourBits(first, last - 1);
  }
}
