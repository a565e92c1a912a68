/**
 * Runs a single IR block once through the WebAssembly backend: the counterpart of the reference
 * interpreter for differential tests (same contract as interpretBlock).
 */
import type { GuestMemory } from '../../memory/guest-memory';
import type { IRBlock } from '../ir/block';
import type { Endian, TrapKind } from '../ir/ops';
import { makeLoadCheck, makeSlowStore } from '../engine/slow-store';
import { compileBatch } from './module';

export function runBlockWasm(
  block: IRBlock,
  memory: GuestMemory,
  stateBase: number,
  endian: Endian,
  onCodeWrite: (addr: number, size: number) => void = () => {},
): TrapKind {
  const view = memory.view;
  const { functions } = compileBatch([block], {
    memory: memory.memory,
    endian,
    slowStore: makeSlowStore(memory, endian, onCodeWrite),
    loadCheck: makeLoadCheck(memory),
    chain: false,
    view,
  });
  return (functions[0] as (state: number) => number)(stateBase) as TrapKind;
}
