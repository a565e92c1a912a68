/**
 * I/O accounting of a device's block backend, as QEMU's BlockAcctStats counts it (block/accounting.c):
 * operations, bytes and time per kind (read, write, flush, unmap), requests refused before they
 * started (`invalid`: out of range) and those that failed, and the time since the last one. The
 * device counts; query-blockstats reports.
 */
export type AccountKind = 'rd' | 'wr' | 'flush' | 'unmap';

const KINDS: readonly AccountKind[] = ['rd', 'wr', 'flush', 'unmap'];

interface Counters {
  operations: number;
  bytes: number;
  failed: number;
  invalid: number;
  timeNs: bigint;
}

export class BlockStats {
  private readonly counters = new Map<AccountKind, Counters>(
    KINDS.map((kind) => [kind, { operations: 0, bytes: 0, failed: 0, invalid: 0, timeNs: 0n }]),
  );
  /** When the last request ended (none yet: QEMU then reports no idle time). */
  private lastAccess?: bigint;

  /** Runs `request` (which returns whether it succeeded) as one `kind` request of `bytes`. */
  account(kind: AccountKind, bytes: number, request: () => boolean): boolean {
    const start = process.hrtime.bigint();
    const ok = request();
    const end = process.hrtime.bigint();
    const c = this.counters.get(kind)!;
    if (ok) {
      c.operations++;
      c.bytes += bytes;
      c.timeNs += end - start;
    } else {
      c.failed++;
    }
    this.lastAccess = end;
    return ok;
  }

  /** A request refused before it started. */
  invalid(kind: AccountKind): void {
    this.counters.get(kind)!.invalid++;
    this.lastAccess = process.hrtime.bigint();
  }

  /**
   * QEMU's BlockDeviceStats members, but for `wr_highest_offset`, which is the node's; `backend`:
   * a device's backend, which accounts invalid and failed requests (a node alone counts nothing).
   */
  report(backend: boolean): Record<string, unknown> {
    const members: Record<string, unknown> = {};
    for (const [kind, c] of this.counters) {
      members[`${kind}_operations`] = c.operations;
      members[`${kind}_total_time_ns`] = Number(c.timeNs);
      members[`failed_${kind}_operations`] = c.failed;
      members[`invalid_${kind}_operations`] = c.invalid;
      if (kind !== 'flush') {
        members[`${kind}_bytes`] = c.bytes;
        members[`${kind}_merged`] = 0;
      }
    }
    return {
      ...members,
      ...(this.lastAccess !== undefined && { idle_time_ns: Number(process.hrtime.bigint() - this.lastAccess) }),
      timed_stats: [],
      account_invalid: backend,
      account_failed: backend,
    };
  }
}
