/**
 * query-block (and query-named-block-nodes, their images): the -drive backends in command-line order, as QEMU describes a raw image: the
 * device using it (its id or QOM path; none leaves the drive "removable", as in QEMU), its medium,
 * no I/O throttling, the host page cache in writeback mode (how tsemu writes images, whatever
 * cache= says), and I/O status for virtio-blk. Node names are not reported: tsemu has no
 * block-node commands that would take them.
 */
import type { BlockBackendInfo } from '../../../cli/devices';
import type { RawImage } from '../../../devices/virtio/raw-image';
import type { QmpCommand } from '../command';
import { obj, optional, required, type Member } from '../schema';

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

/** The medium of a drive: a raw image file. */
function inserted(image: RawImage): Record<string, unknown> {
  return {
    file: image.path,
    ro: image.readOnly,
    drv: 'raw',
    backing_file_depth: 0,
    encrypted: false,
    detect_zeroes: 'off',
    ...Object.fromEntries(THROTTLING.map((k) => [k, 0])),
    image: { filename: image.path, format: 'raw', 'dirty-flag': false, 'actual-size': image.allocatedBytes(), 'virtual-size': image.size },
    cache: { writeback: true, direct: false, 'no-flush': false },
    write_threshold: 0,
  };
}

function blockInfo(backend: BlockBackendInfo): Record<string, unknown> {
  return {
    device: backend.id,
    ...(backend.device !== undefined && { qdev: backend.device }),
    type: 'unknown',
    removable: backend.device === undefined,
    locked: false,
    ...(backend.image && { inserted: inserted(backend.image) }),
    ...(backend.ioStatus && { 'io-status': 'ok' }),
  };
}

export const BLOCK_COMMANDS: QmpCommand[] = [
  { name: 'query-block', params: {}, returns: { array: BLOCK_INFO }, run: ({ emulator }) => emulator.guest.blockBackends.map(blockInfo) },
  {
    // One node per drive with a medium, the raw image itself (QEMU adds the file protocol node under it, and names both).
    name: 'query-named-block-nodes',
    params: { flat: optional('bool') },
    returns: { array: BLOCK_DEVICE_INFO },
    run: ({ emulator }) => emulator.guest.blockBackends.flatMap((backend) => (backend.image ? [inserted(backend.image)] : [])),
  },
];
