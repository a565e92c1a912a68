/**
 * What a vCPU on a worker thread asks of its board beyond the bus and the device registers: its
 * interrupt lines brought up to date, HVC and SMC (PSCI, which reads and writes the calling CPU's
 * registers in their shared state block) and whether a flash bank reads as memory, each a
 * synchronous request (request-channel.ts) the main thread answers with the board's own
 * `CpuBoard` (docs/smp.md).
 */
import type { CpuRegisters } from '../cpu/registers';
import type { CpuBoard } from '../cpu/system-cpu';
import { RequestClient, type RequestHandler } from './request-channel';

enum BoardOperation {
  UpdateLines = 1,
  HypervisorCall = 2,
  SecureMonitorCall = 3,
  RomReadsAsMemory = 4,
}

/** The main thread's answers, with `board` and the main thread's view of each CPU's registers. */
export function boardRequests(board: CpuBoard, registersOf: (cpu: number) => CpuRegisters): RequestHandler {
  return (operation, [first, second]) => {
    switch (operation) {
      case BoardOperation.UpdateLines:
        board.updateLines(Number(first));
        return undefined;
      case BoardOperation.HypervisorCall:
        return board.hypervisorCall(registersOf(Number(first)), Number(second)) ? 1n : 0n;
      case BoardOperation.SecureMonitorCall:
        return board.secureMonitorCall(registersOf(Number(first)), Number(second)) ? 1n : 0n;
      case BoardOperation.RomReadsAsMemory:
        return board.rom?.[Number(first)]?.readsAsMemory?.() === false ? 0n : 1n;
      default:
        throw new RangeError(`unknown board request ${operation}`);
    }
  };
}

/** The worker's side of the same: the parts of a CpuBoard that are requests on `channel`. */
export function remoteBoardCalls(
  channel: SharedArrayBuffer,
): Pick<CpuBoard, 'updateLines' | 'hypervisorCall' | 'secureMonitorCall'> & { romReadsAsMemory(bank: number): boolean } {
  const client = new RequestClient(channel);
  return {
    updateLines: (cpu) => void client.call(BoardOperation.UpdateLines, BigInt(cpu)),
    hypervisorCall: (cpu, imm) => client.call(BoardOperation.HypervisorCall, BigInt(cpu.index), BigInt(imm)) === 1n,
    secureMonitorCall: (cpu, imm) =>
      client.call(BoardOperation.SecureMonitorCall, BigInt(cpu.index), BigInt(imm)) === 1n,
    romReadsAsMemory: (bank) => client.call(BoardOperation.RomReadsAsMemory, BigInt(bank)) === 1n,
  };
}
