/**
 * A device's system registers (the GICv3's CPU interface, ICC_*_EL1) as a vCPU on a worker thread
 * reaches them: the device stays on the main thread, and each MRS or MSR of one of its registers
 * is a synchronous request (request-channel.ts) the main thread carries out against the register
 * table the board made for that CPU. The worker is told which registers there are, with their
 * names and whether each reads and writes, so an access that is UNDEFINED costs no request.
 */
import type { CpuRegisters } from '../cpu/registers';
import type { SysRegDef } from '../cpu/sysregs';
import { RequestClient, type RequestHandler } from './request-channel';

enum SysRegOperation {
  Read = 1,
  Write = 2,
}

/** One register as a worker is told of it. */
export interface SysRegShape {
  key: number;
  name: string;
  readable: boolean;
  writable: boolean;
}

/** The registers of `registers`, to hand to a worker. */
export function sysRegShapes(registers: ReadonlyMap<number, SysRegDef>): SysRegShape[] {
  return [...registers].map(([key, def]) => ({
    key,
    name: def.name,
    readable: def.read !== undefined,
    writable: def.write !== undefined,
  }));
}

/** The main thread's answers to a worker's accesses to `cpu`'s registers of `registers`. */
export function sysRegRequests(cpu: CpuRegisters, registers: ReadonlyMap<number, SysRegDef>): RequestHandler {
  return (operation, [key, value]) => {
    const def = registers.get(Number(key));
    switch (operation) {
      case SysRegOperation.Read:
        return def?.read?.(cpu);
      case SysRegOperation.Write:
        def?.write?.(cpu, value!);
        return undefined;
      default:
        throw new RangeError(`unknown system register request ${operation}`);
    }
  };
}

/** The worker's register table: each access a request on `channel`. */
export function remoteSysRegs(channel: SharedArrayBuffer, shapes: readonly SysRegShape[]): Map<number, SysRegDef> {
  const client = new RequestClient(channel);
  return new Map(
    shapes.map(({ key, name, readable, writable }): [number, SysRegDef] => [
      key,
      {
        name,
        ...(readable && { read: () => client.call(SysRegOperation.Read, BigInt(key))! }),
        ...(writable && {
          write: (_cpu: CpuRegisters, value: bigint) => void client.call(SysRegOperation.Write, BigInt(key), value),
        }),
      },
    ]),
  );
}
