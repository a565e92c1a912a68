/**
 * Descriptors a client sent with SCM_RIGHTS that no command has taken yet. They belong to the
 * command whose bytes they came with: once every command read so far has run and no command is
 * half-read, the leftovers are closed, so a client cannot make the emulator hoard descriptors.
 */
import { native } from '../../native';

// At most this many unclaimed descriptors are held (one SCM_RIGHTS message's worth).
const MAX_HELD = 253;

export class ReceivedFds {
  private readonly fds: number[] = [];

  add(fds: number[]): void {
    for (const fd of fds) {
      if (this.fds.length < MAX_HELD) this.fds.push(fd);
      else native().closeFd(fd);
    }
  }

  /** The oldest unclaimed descriptor, now owned by the caller. */
  take(): number | undefined {
    return this.fds.shift();
  }

  closeAll(): void {
    for (const fd of this.fds.splice(0)) native().closeFd(fd);
  }
}
