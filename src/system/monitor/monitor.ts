/**
 * A monitor (`-mon chardev=ID,mode=control|readline[,pretty=on]`): the frontend of one chardev,
 * starting a QMP or HMP session for each client that connects, and owning the named descriptors
 * its clients pass with getfd.
 */
import type { CharFrontend } from '../chardev/chardev';
import type { CharStream, StreamHandlers } from '../chardev/stream';
import type { Emulator } from '../emulator';
import { FdStore } from './fd-store';
import { HmpSession } from './hmp/session';
import { QmpSession } from './qmp/session';

export type MonitorMode = 'control' | 'readline';

export class Monitor implements CharFrontend {
  readonly fds = new FdStore();

  constructor(
    private readonly emulator: Emulator,
    private readonly mode: MonitorMode,
    private readonly pretty: boolean,
  ) {
    emulator.onExit(() => this.fds.closeAll());
  }

  open(stream: CharStream): StreamHandlers {
    if (this.mode === 'control') return new QmpSession(stream, this.emulator, this.fds, this.pretty).handlers;
    return new HmpSession(stream, this.emulator, this.fds).handlers;
  }
}
