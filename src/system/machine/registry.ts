/** The machine types `-M` can name; boards add one line each. */
import type { MachineClass } from './machine';
import { NONE_MACHINE } from './none';
import { VIRT_MACHINE } from './virt/virt';

export const MACHINES: readonly MachineClass[] = [NONE_MACHINE, VIRT_MACHINE];

export function findMachine(name: string): MachineClass | undefined {
  return MACHINES.find((m) => m.name === name || m.qemuName === name);
}

/** The text of `-M help`. */
export function machineHelp(): string {
  return [
    'Supported machines are:',
    ...MACHINES.map((m) => `${m.name.padEnd(20)} ${m.description}${m.isDefault ? ' (default)' : ''}`),
  ].join('\n');
}
