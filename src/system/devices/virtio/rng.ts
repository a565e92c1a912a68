/**
 * virtio-rng (virtio 1.2 spec, 5.4; `-device virtio-rng-device`): one queue whose device-writable
 * buffers are filled with the host's randomness.
 */
import { randomBytes } from 'node:crypto';
import type { VirtioDevice } from './device';
import type { Virtqueue } from './virtqueue';

const NO_CONFIG = new Uint8Array(0);

export class VirtioRng implements VirtioDevice {
  readonly name = 'virtio-rng-device';
  readonly deviceId = 4;
  readonly queueCount = 1;
  readonly queueSize = 8;

  features(common: bigint): bigint {
    return common;
  }

  config(): Uint8Array {
    return NO_CONFIG;
  }

  notify(queue: Virtqueue): void {
    for (let element = queue.pop(); element; element = queue.pop()) {
      const length = element.write(0, randomBytes(element.writableSize));
      queue.push(element, length);
    }
  }

  reset(): void {}
}
