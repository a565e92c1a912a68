/**
 * `-vga TYPE`: tsemu's boards have no VGA slot, as QEMU's virt and none: `none` is accepted
 * silently, QEMU's built-in VGA models with its warning, the ones qemu-system-aarch64 lacks with its
 * refusal (python's QEMUMachine passes `-vga none`).
 */
import { OptsError } from './qemu-opts';
import { commandLineWarning } from './warnings';

const NOT_USED = ['std', 'cirrus', 'vmware'];
const NOT_AVAILABLE: Record<string, string> = {
  qxl: 'QXL VGA',
  tcx: 'TCX framebuffer',
  cg3: 'CG3 framebuffer',
  virtio: 'Virtio VGA',
};

export function checkVga(type: string | undefined): void {
  if (type === undefined || type === 'none') return;
  if (NOT_USED.includes(type)) {
    commandLineWarning(
      'tsemu-system: warning: A -vga option was passed but this machine type does not use that option; No VGA device has been created\n',
    );
    return;
  }
  if (Object.hasOwn(NOT_AVAILABLE, type)) throw new OptsError(`${NOT_AVAILABLE[type]} not available`);
  throw new OptsError(`unknown vga type: ${type}`);
}
