/**
 * The MMIO bus as a vCPU on a worker thread reaches it: every device stays on the main thread, and
 * each access the worker makes is a synchronous request (request-channel.ts) the main thread
 * carries out on the real bus. Which addresses a device decodes is known on both sides (the map
 * is fixed once the board is built), so the memory path's question whether an address is a
 * device's costs no request.
 */
import type { DeviceBus, MmioBus } from '../devices/mmio';
import { RequestClient, type RequestHandler } from './request-channel';

enum BusOperation {
  Read = 1,
  Write = 2,
}

/** Where the bus's devices are, as a worker is told: each one's base and size. */
export interface BusRange {
  base: number;
  size: number;
}

/** The ranges the devices of `bus` decode, to hand to a worker. */
export function busRanges(bus: MmioBus): BusRange[] {
  return bus.mappings.map(({ base, device }) => ({ base, size: device.size }));
}

/** The main thread's answers to a worker's bus accesses. */
export function busRequests(bus: MmioBus): RequestHandler {
  return (operation, [address, size, value]) => {
    switch (operation) {
      case BusOperation.Read:
        return bus.read(address!, Number(size));
      case BusOperation.Write:
        return bus.write(address!, Number(size), value!) ? 1n : 0n;
      default:
        throw new RangeError(`unknown bus request ${operation}`);
    }
  };
}

/** The worker's bus. */
export class RemoteBus implements DeviceBus {
  private readonly client: RequestClient;

  constructor(
    channel: SharedArrayBuffer,
    private readonly ranges: readonly BusRange[],
    /** Called after each access (the main thread's device may have changed what the CPU caches). */
    private readonly accessed: () => void = () => undefined,
  ) {
    this.client = new RequestClient(channel);
  }

  claims(address: bigint): boolean {
    return this.ranges.some(({ base, size }) => address >= BigInt(base) && address < BigInt(base + size));
  }

  read(address: bigint, size: number): bigint | undefined {
    const value = this.client.call(BusOperation.Read, address, BigInt(size));
    this.accessed();
    return value;
  }

  write(address: bigint, size: number, value: bigint): boolean {
    const done = this.client.call(BusOperation.Write, address, BigInt(size), value) === 1n;
    this.accessed();
    return done;
  }
}
