/**
 * A worker thread's bus accesses through the request channel (src/system/threads/): the worker
 * makes a series of accesses to a PL011 and a GICv2 distributor that live on the main thread, and
 * every value read, every write's answer, the bytes the UART transmitted and its interrupt line's
 * changes must be those of the same accesses made on the main thread to a bus of its own.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { Gicv2Distributor, Gicv2State } from '../../src/system/devices/gicv2';
import { MmioBus } from '../../src/system/devices/mmio';
import { Pl011 } from '../../src/system/devices/pl011';
import { busRanges, busRequests } from '../../src/system/threads/remote-bus';
import { createRequestChannel, serveRequests } from '../../src/system/threads/request-channel';

const UART = 0x09000000;
const GICD = 0x08000000;
const NOWHERE = 0x0a000000;

/** [address, size, value to write or undefined to read] */
type Access = readonly [number, number, bigint | undefined];
const ACCESSES: readonly Access[] = [
  ...Array.from({ length: 8 }, (_, i): Access => [UART + 0xfe0 + 4 * i, 4, undefined]),
  [UART + 0x30, 4, 0x301n],
  [UART + 0x38, 4, 0x10n],
  ...[...'hi\n'].map((c): Access => [UART, 1, BigInt(c.charCodeAt(0))]),
  [UART + 0x18, 4, undefined],
  [UART + 0x3c, 4, undefined],
  [UART + 0x30, 8, undefined],
  [GICD + 0x004, 4, undefined],
  [GICD + 0x000, 4, 1n],
  [GICD + 0x104, 4, 0xffn],
  [GICD + 0x104, 4, undefined],
  [GICD + 0x820, 8, 0x0102030405060708n],
  [GICD + 0x820, 8, undefined],
  [NOWHERE, 4, undefined],
  [NOWHERE, 4, 1n],
];

function board(): { bus: MmioBus; log: string[] } {
  const log: string[] = [];
  const bus = new MmioBus();
  bus.map(UART, new Pl011((level) => log.push(`irq ${level}`), (byte) => log.push(`tx ${byte}`)));
  bus.map(GICD, new Gicv2Distributor(new Gicv2State(1, () => undefined), () => 0));
  return { bus, log };
}

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { RemoteBus } = require(workerData.module);
const bus = new RemoteBus(workerData.channel, workerData.ranges);
const results = workerData.accesses.map(([address, size, value]) => {
  const at = BigInt(address);
  return value === undefined ? bus.read(at, size) : bus.write(at, size, value);
});
parentPort.postMessage({ results, claims: workerData.probes.map((a) => bus.claims(BigInt(a))) });
`;

describe('a worker thread’s bus accesses through the request channel', () => {
  it('read, write and claim as the same accesses on the main thread', async () => {
    const direct = board();
    const expected = ACCESSES.map(([address, size, value]) =>
      value === undefined ? direct.bus.read(BigInt(address), size) : direct.bus.write(BigInt(address), size, value),
    );
    const probes = [UART, UART + 0xfff, UART + 0x1000, GICD - 1, NOWHERE];

    const remote = board();
    const channel = createRequestChannel();
    const stop = serveRequests(channel, busRequests(remote.bus));
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        module: path.join(__dirname, '../../dist/system/threads/remote-bus.js'),
        channel,
        ranges: busRanges(remote.bus),
        accesses: ACCESSES,
        probes,
      },
    });
    const answer = await new Promise<{ results: unknown[]; claims: boolean[] }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    stop();
    await worker.terminate();

    expect(answer.results).toEqual(expected);
    expect(answer.claims).toEqual(probes.map((a) => direct.bus.claims(BigInt(a))));
    expect(remote.log).toEqual(direct.log);
    expect(direct.log.length).toBeGreaterThan(0);
  });
});
