/**
 * Descriptors a monitor holds by name (getfd/closefd; taken by chardev-add fd=NAME). Kept per
 * monitor, across its client connections, as QEMU does; all are closed when the emulator exits.
 */
import { native } from '../../native';
import { QmpError } from './qmp/errors';

export class FdStore {
  private readonly byName = new Map<string, number>();

  /** Stores `fd` as `name`, closing a descriptor that had the name before. */
  put(name: string, fd: number): void {
    if (/^\d/.test(name)) {
      native().closeFd(fd);
      throw QmpError.generic(`Parameter 'fdname' expects a name not starting with a digit`);
    }
    const old = this.byName.get(name);
    if (old !== undefined) native().closeFd(old);
    this.byName.set(name, fd);
  }

  /** Removes and returns the descriptor named `name`; the caller owns it. */
  take(name: string): number {
    const fd = this.byName.get(name);
    if (fd === undefined) throw QmpError.generic(`File descriptor named '${name}' has not been found`);
    this.byName.delete(name);
    return fd;
  }

  /** closefd: QEMU words its refusal differently from take's. */
  close(name: string): void {
    if (!this.byName.has(name)) throw QmpError.generic(`File descriptor named '${name}' not found`);
    native().closeFd(this.take(name));
  }

  closeAll(): void {
    for (const fd of this.byName.values()) native().closeFd(fd);
    this.byName.clear();
  }
}
