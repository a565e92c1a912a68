/**
 * Queries about devices tsemu's machines do not have (a balloon, memory devices, mice, a display
 * console), answered as qemu-system-aarch64 7.2 answers them for a virt machine without such a
 * device (`-nodefaults -display none`): management applications ask them whatever the machine.
 */
import type { QmpCommand } from '../command';
import { EMPTY, obj, optional, required } from '../schema';
import { QmpError } from '../errors';

export const ABSENT_DEVICE_COMMANDS: QmpCommand[] = [
  {
    name: 'query-balloon',
    params: {},
    returns: obj({ actual: required('int') }),
    run: () => {
      throw new QmpError('DeviceNotActive', 'No balloon device has been activated');
    },
  },
  {
    name: 'query-memory-devices',
    params: {},
    returns: { array: { base: { type: required({ enum: [] }) }, tag: 'type', variants: {} } },
    run: () => [],
  },
  {
    name: 'query-mice',
    params: {},
    returns: {
      array: obj({
        name: required('str'),
        index: required('int'),
        current: required('bool'),
        absolute: required('bool'),
      }),
    },
    run: () => [],
  },
  {
    name: 'query-display-options',
    params: {},
    returns: { base: { type: required({ enum: ['none'] }) }, tag: 'type', variants: { none: {} } },
    run: () => ({ type: 'none' }),
  },
  {
    name: 'screendump',
    params: {
      filename: required('str'),
      device: optional('str'),
      head: optional('int'),
      format: optional({ enum: ['ppm', 'png'] }),
    },
    returns: EMPTY,
    run: () => {
      throw QmpError.generic('There is no console to take a screendump from');
    },
  },
];
