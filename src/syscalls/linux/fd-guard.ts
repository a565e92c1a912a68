/**
 * Host descriptors the guest must not close or replace: the ones Node and libuv had open when the
 * guest started (event loop, signal pipes, inspector...), apart from stdin, stdout and stderr,
 * which are the guest's. Closing them would break tsemu itself; the guest gets -EBADF, as if they
 * were not open. Guest descriptors are otherwise host descriptors, as under QEMU.
 */
import fs from 'node:fs';

function isOpen(fd: number): boolean {
  try {
    fs.fstatSync(fd);
    return true;
  } catch {
    return false;
  }
}

let reserved: ReadonlySet<number> | undefined;

function reservedFds(): ReadonlySet<number> {
  if (!reserved) {
    const open = fs.readdirSync('/proc/self/fd').map(Number);
    // readdirSync's own directory descriptor is in the listing but closed again by now.
    reserved = new Set(open.filter((fd) => fd > 2 && isOpen(fd)));
  }
  return reserved;
}

/** Whether `fd` belongs to tsemu's host process rather than to the guest. */
export function isHostReserved(fd: number): boolean {
  return reservedFds().has(fd);
}

/** Takes the snapshot if not yet taken (the dispatcher does so before the guest's first syscall). */
export function reserveHostFds(): void {
  reservedFds();
}

/** [first, last] without the reserved descriptors, as consecutive sub-ranges. */
export function guestRanges(first: number, last: number): [number, number][] {
  const out: [number, number][] = [];
  let start = first;
  for (const fd of [...reservedFds()].filter((f) => f >= first && f <= last).sort((a, b) => a - b)) {
    if (fd > start) out.push([start, fd - 1]);
    start = fd + 1;
  }
  if (start <= last) out.push([start, last]);
  return out;
}
