/**
 * A worker thread's accesses to the GICv3 CPU interface's registers through the request channel
 * (src/system/threads/): the worker sets the priority mask and group enable, sends itself an SGI,
 * acknowledges and ends it, reading the interface's registers on the way, against a GICv3 on the
 * main thread; every value must be the one the same accesses read from a GICv3 of the main
 * thread's own.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { findCpuModel } from '../../src/system/cpu/cpu-model';
import { CpuRegisters } from '../../src/system/cpu/registers';
import type { SysRegDef } from '../../src/system/cpu/sysregs';
import { Gicv3State } from '../../src/system/devices/gicv3';
import { gicv3CpuInterfaceRegisters } from '../../src/system/devices/gicv3-cpu-interface';
import { Gicv3Distributor } from '../../src/system/devices/gicv3-distributor';
import { Gicv3Redistributor } from '../../src/system/devices/gicv3-redistributor';
import { createRequestChannel, serveRequests } from '../../src/system/threads/request-channel';
import { sysRegRequests, sysRegShapes } from '../../src/system/threads/remote-sysregs';
import { STATE_SIZE } from '../../src/memory/layout';

/** [register name, value to write or undefined to read] */
type Access = readonly [string, bigint | undefined];
const ACCESSES: readonly Access[] = [
  ['ICC_SRE_EL1', undefined],
  ['ICC_CTLR_EL1', undefined],
  ['ICC_PMR_EL1', 0xf0n],
  ['ICC_PMR_EL1', undefined],
  ['ICC_IGRPEN1_EL1', 1n],
  ['ICC_HPPIR1_EL1', undefined],
  ['ICC_SGI1R_EL1', (3n << 24n) | 1n],
  ['ICC_HPPIR1_EL1', undefined],
  ['ICC_IAR1_EL1', undefined],
  ['ICC_RPR_EL1', undefined],
  ['ICC_AP1R0_EL1', undefined],
  ['ICC_EOIR1_EL1', 3n],
  ['ICC_IAR1_EL1', undefined],
  ['ICC_RPR_EL1', undefined],
];

/** A one-CPU GICv3 with the distributor's group 1 and the SGIs enabled, and that CPU's interface. */
function gic(): { cpu: CpuRegisters; registers: ReadonlyMap<number, SysRegDef> } {
  const state = new Gicv3State(1, () => 0, () => undefined);
  new Gicv3Distributor(state).write(0x0000, 4, 0x2);
  const redistributor = new Gicv3Redistributor(state);
  redistributor.write(0x10080, 4, 0xffffffff);
  redistributor.write(0x10100, 4, 0xffff);
  const cpu = new CpuRegisters(new DataView(new ArrayBuffer(STATE_SIZE)), 0, findCpuModel('cortex-a57')!);
  return { cpu, registers: gicv3CpuInterfaceRegisters(state, 0, () => undefined) };
}

const WORKER = `
const { workerData, parentPort } = require('node:worker_threads');
const { remoteSysRegs } = require(workerData.module);
const registers = remoteSysRegs(workerData.channel, workerData.shapes);
const byName = new Map([...registers.values()].map((def) => [def.name, def]));
parentPort.postMessage(workerData.accesses.map(([name, value]) => {
  const def = byName.get(name);
  return value === undefined ? def.read(null) : def.write(null, value);
}));
`;

describe('a worker thread’s GICv3 CPU interface through the request channel', () => {
  it('reads and writes its registers as the main thread does', async () => {
    const direct = gic();
    const byName = new Map([...direct.registers.values()].map((def) => [def.name, def]));
    const expected = ACCESSES.map(([name, value]) => {
      const def = byName.get(name)!;
      return value === undefined ? def.read!(direct.cpu) : def.write!(direct.cpu, value);
    });

    const remote = gic();
    const channel = createRequestChannel();
    const stop = serveRequests(channel, sysRegRequests(remote.cpu, remote.registers));
    const worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        module: path.join(__dirname, '../../dist/system/threads/remote-sysregs.js'),
        channel,
        shapes: sysRegShapes(remote.registers),
        accesses: ACCESSES,
      },
    });
    const answer = await new Promise<unknown[]>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    stop();
    await worker.terminate();

    expect(answer).toEqual(expected);
    expect(expected).toContain(3n);
  });
});
