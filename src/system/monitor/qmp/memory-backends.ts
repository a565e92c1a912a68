/**
 * The memory backend objects of a running emulator, for query-memdev and the QOM tree: the -object
 * ones, and the memory-backend-ram the board makes for its RAM (with its id, `mach-virt.ram` on
 * virt) unless -machine memory-backend= named one of them.
 */
import type { MemoryBackend } from '../../cli/memory-backend';
import type { Emulator } from '../../emulator';

export interface MemoryBackendObject {
  id?: string;
  backend: Omit<MemoryBackend, 'id'>;
}

export function memoryBackendObjects(emulator: Emulator): MemoryBackendObject[] {
  const given = (emulator.guest.memoryBackends ?? []).map(({ id, ...backend }) => ({ id, backend }));
  const size = emulator.machine.ramSize;
  if (emulator.guest.ramBackend !== undefined || size === undefined) return given;
  const id = emulator.machineClass.defaultRamId;
  const board: MemoryBackendObject = { ...(id !== undefined && { id }), backend: { type: 'memory-backend-ram', size, share: false, prealloc: false } };
  return [...given, board];
}
