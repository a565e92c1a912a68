/**
 * memsave (virtual addresses, as a CPU sees them) and pmemsave (physical): `size` bytes from `val`
 * into a new file, as QEMU's qmp_memsave/qmp_pmemsave write it. The file is created first, so a
 * failed virtual read leaves it with what was read before (in QEMU's 1 KiB steps); physical
 * addresses with nothing behind them read as zeros, as QEMU's do. HMP's memsave and pmemsave run these.
 */
import fs from 'node:fs';
import { hostErrorReason } from '../../../fd-sets';
import type { Machine } from '../../../machine/machine';
import type { CommandContext, QmpCommand } from '../command';
import { QmpError } from '../errors';
import { EMPTY, optional, required } from '../schema';

/** QEMU's buffer: a chunk is written only when all of it could be read. */
const CHUNK = 1024;

function readChunk(
  machine: Machine,
  address: bigint,
  length: number,
  virtual: boolean,
  cpu: number,
): Uint8Array | undefined {
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    const v = machine.readMemory?.(BigInt.asUintN(64, address + BigInt(i)), 1, virtual, cpu);
    if (v === undefined && virtual) return undefined;
    bytes[i] = Number(v ?? 0n);
  }
  return bytes;
}

export interface MemorySave {
  address: bigint;
  size: number;
  filename: string;
  virtual: boolean;
  cpu: number;
}

export function saveMemory(ctx: CommandContext, save: MemorySave): void {
  const { machine } = ctx.emulator;
  if (save.virtual && (save.cpu < 0 || save.cpu >= machine.cpus().length))
    throw QmpError.generic("Parameter 'cpu-index' expects a CPU number");
  let fd: number;
  try {
    fd = fs.openSync(save.filename, 'w');
  } catch (e) {
    throw QmpError.generic(`Could not open '${save.filename}': ${hostErrorReason(e)}`);
  }
  try {
    for (let done = 0; done < save.size; done += CHUNK) {
      const bytes = readChunk(
        machine,
        save.address + BigInt(done),
        Math.min(CHUNK, save.size - done),
        save.virtual,
        save.cpu,
      );
      if (!bytes) {
        const address = BigInt.asUintN(64, save.address).toString(16).padStart(16, '0');
        throw QmpError.generic(`Invalid addr 0x${address}/size ${save.size} specified`);
      }
      fs.writeSync(fd, bytes);
    }
  } finally {
    fs.closeSync(fd);
  }
}

export const MEMORY_SAVE_COMMANDS: QmpCommand[] = [
  {
    name: 'memsave',
    params: {
      val: required('int'),
      size: required('int'),
      filename: required('str'),
      'cpu-index': optional('int'),
    },
    returns: EMPTY,
    run: (ctx, args) => {
      const cpu = (args['cpu-index'] as number | undefined) ?? 0;
      saveMemory(ctx, {
        address: BigInt(args['val'] as number),
        size: args['size'] as number,
        filename: args['filename'] as string,
        virtual: true,
        cpu,
      });
      return {};
    },
  },
  {
    name: 'pmemsave',
    params: { val: required('int'), size: required('int'), filename: required('str') },
    returns: EMPTY,
    run: (ctx, args) => {
      saveMemory(ctx, {
        address: BigInt(args['val'] as number),
        size: args['size'] as number,
        filename: args['filename'] as string,
        virtual: false,
        cpu: 0,
      });
      return {};
    },
  },
];
