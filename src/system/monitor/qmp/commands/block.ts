/**
 * The block commands: query-block (the -drive backends in command-line order, then the devices on
 * -blockdev nodes, whose backends are anonymous), query-named-block-nodes (every node, newest
 * first, a -drive's two included), blockdev-add and blockdev-del. A node is described as QEMU
 * describes a raw image: no I/O throttling, the cache options it was given (tsemu always writes
 * through the host page cache: writeback, whatever a -drive's cache= says), I/O status for
 * virtio-blk.
 */
import type { BlockNode } from '../../../block/graph';
import { BlockStats } from '../../../block/stats';
import { BLOCKDEV_OPTIONS, blockdevOptions } from '../../../block/options';
import type { BlockBackendInfo } from '../../../cli/devices';
import type { QmpCommand } from '../command';
import { EMPTY, obj, optional, required, type Member } from '../schema';

const THROTTLING = ['bps', 'bps_rd', 'bps_wr', 'iops', 'iops_rd', 'iops_wr'] as const;

const IMAGE_INFO = obj({
  filename: required('str'),
  format: required('str'),
  'dirty-flag': optional('bool'),
  'actual-size': optional('int'),
  'virtual-size': required('int'),
});

const BLOCK_DEVICE_INFO = obj({
  file: required('str'),
  'node-name': optional('str'),
  ro: required('bool'),
  drv: required('str'),
  backing_file_depth: required('int'),
  encrypted: required('bool'),
  detect_zeroes: required({ enum: ['off', 'on', 'unmap'] }),
  ...Object.fromEntries(THROTTLING.map((k): [string, Member] => [k, required('int')])),
  image: required(IMAGE_INFO),
  cache: required(obj({ writeback: required('bool'), direct: required('bool'), 'no-flush': required('bool') })),
  write_threshold: required('int'),
});

const BLOCK_INFO = obj({
  device: required('str'),
  qdev: optional('str'),
  type: required('str'),
  removable: required('bool'),
  locked: required('bool'),
  inserted: optional(BLOCK_DEVICE_INFO),
  'io-status': optional({ enum: ['ok', 'failed', 'nospace'] }),
});

/** A node as QEMU describes it (BlockDeviceInfo): tsemu's are raw images, their own or a file node's. */
function inserted(node: BlockNode): Record<string, unknown> {
  const { image, options } = node;
  return {
    file: image.path,
    'node-name': node.name,
    ro: node.readOnly,
    drv: node.driver,
    backing_file_depth: 0,
    encrypted: false,
    detect_zeroes: options['detect-zeroes'] ?? 'off',
    ...Object.fromEntries(THROTTLING.map((k) => [k, 0])),
    image: { filename: image.path, format: node.driver, 'dirty-flag': false, 'actual-size': image.allocatedBytes(), 'virtual-size': image.size },
    cache: { writeback: true, direct: options.cache?.direct ?? false, 'no-flush': options.cache?.['no-flush'] ?? false },
    write_threshold: 0,
  };
}

/** A -drive: its id, the device using it (none leaves it "removable"), its medium. */
function driveInfo(backend: BlockBackendInfo): Record<string, unknown> {
  return {
    device: backend.id,
    ...(backend.device !== undefined && { qdev: backend.device }),
    type: 'unknown',
    removable: backend.device === undefined,
    locked: false,
    ...(backend.node && { inserted: inserted(backend.node) }),
    ...(backend.ioStatus && { 'io-status': 'ok' }),
  };
}

/** A device on a block node: its backend has no name, as QEMU's anonymous ones. */
function attachedInfo({ qdev, node }: { qdev: string; node: BlockNode }): Record<string, unknown> {
  return { device: '', qdev, type: 'unknown', removable: false, locked: false, inserted: inserted(node), 'io-status': 'ok' };
}

const COUNTERS = ['rd', 'wr', 'unmap'].flatMap((k) => [`${k}_bytes`, `${k}_merged`]).concat(
  ['rd', 'wr', 'flush', 'unmap'].flatMap((k) => [`${k}_operations`, `${k}_total_time_ns`, `failed_${k}_operations`, `invalid_${k}_operations`]),
  ['wr_highest_offset'],
);

const TIMED_STATS = obj({
  interval_length: required('int'),
  ...Object.fromEntries(
    ['min', 'max', 'avg'].flatMap((m) => ['rd', 'wr', 'flush'].map((k): [string, Member] => [`${m}_${k}_latency_ns`, required('int')])),
  ),
  avg_rd_queue_depth: required('number'),
  avg_wr_queue_depth: required('number'),
});

const BLOCK_DEVICE_STATS = obj({
  ...Object.fromEntries(COUNTERS.map((k): [string, Member] => [k, required('int')])),
  idle_time_ns: optional('int'),
  // Latency statistics over intervals, kept only for intervals asked for on the command line (none here).
  timed_stats: required({ array: TIMED_STATS }),
  account_invalid: required('bool'),
  account_failed: required('bool'),
});

const FILE_STATS = { 'discard-nb-ok': required('int'), 'discard-nb-failed': required('int'), 'discard-bytes-ok': required('int') };

/** BlockStats, for a node and the ones below it through their primary child (QEMU's `parent`, oddly named). */
const NODE_STATS_MEMBERS = {
  'node-name': optional('str'),
  stats: required(BLOCK_DEVICE_STATS),
  'driver-specific': optional({ base: { driver: required({ enum: ['file'] }) }, tag: 'driver', variants: { file: FILE_STATS } }),
};
const BLOCK_STATS = obj({
  device: optional('str'),
  qdev: optional('str'),
  ...NODE_STATS_MEMBERS,
  parent: optional(obj(NODE_STATS_MEMBERS)),
});

/** A node's statistics: nothing accounted but the highest write; `accounted`: a device's requests on it. */
function nodeStats(node: BlockNode, accounted?: BlockStats): Record<string, unknown> {
  return {
    'node-name': node.name,
    stats: { ...(accounted ?? new BlockStats()).report(accounted !== undefined), wr_highest_offset: node.image.highestWrite },
    ...(node.driver === 'file' && { 'driver-specific': { driver: 'file', 'discard-nb-ok': 0, 'discard-nb-failed': 0, 'discard-bytes-ok': 0 } }),
    ...(node.child && { parent: nodeStats(node.child) }),
  };
}

/** A backend's statistics: its device's requests, on its root node (none: a drive without medium). */
function backendStats(device: string, qdev: string | undefined, stats: BlockStats, node: BlockNode | undefined): Record<string, unknown> {
  return {
    device,
    ...(qdev !== undefined && { qdev }),
    ...(node ? nodeStats(node, stats) : { stats: { ...stats.report(true), wr_highest_offset: 0 } }),
  };
}

export const BLOCK_COMMANDS: QmpCommand[] = [
  {
    name: 'query-blockstats',
    params: { 'query-nodes': optional('bool') },
    returns: { array: BLOCK_STATS },
    run: ({ emulator }, args) => {
      const { blockBackends, blockGraph } = emulator.guest;
      // QEMU walks the nodes oldest first here (query-named-block-nodes: newest first).
      if (args['query-nodes'] === true) return blockGraph.list().reverse().map((node) => nodeStats(node));
      return [
        ...blockBackends.map((b) => backendStats(b.id, b.device, b.stats, b.node)),
        ...blockGraph.attached.map((a) => backendStats('', a.qdev, a.stats, a.node)),
      ];
    },
  },
  {
    name: 'query-block',
    params: {},
    returns: { array: BLOCK_INFO },
    run: ({ emulator }) => [...emulator.guest.blockBackends.map(driveInfo), ...emulator.guest.blockGraph.attached.map(attachedInfo)],
  },
  {
    name: 'query-named-block-nodes',
    params: { flat: optional('bool') },
    returns: { array: BLOCK_DEVICE_INFO },
    run: ({ emulator }) => emulator.guest.blockGraph.list().map(inserted),
  },
  {
    name: 'blockdev-add',
    params: {},
    boxed: BLOCKDEV_OPTIONS,
    returns: EMPTY,
    run: ({ emulator }, args) => {
      emulator.guest.blockGraph.add(blockdevOptions(args));
      return {};
    },
  },
  {
    name: 'blockdev-del',
    params: { 'node-name': required('str') },
    returns: EMPTY,
    run: ({ emulator }, args) => {
      emulator.guest.blockGraph.delete(args['node-name'] as string);
      return {};
    },
  },
];
