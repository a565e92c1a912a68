/**
 * The VM run state as QEMU reports it (query-status, info status) and the transitions the monitor
 * asks for. Each transition emits QEMU's event before the command returns, as QEMU does.
 */
import type { EventBus } from './events';

/** The states tsemu reports, in QEMU's RunState spelling (query-qmp-schema lists them). */
export const RUN_STATUSES = ['prelaunch', 'running', 'paused', 'shutdown'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Why a reset or shutdown happened, in QEMU's ShutdownCause spelling. */
export const SHUTDOWN_CAUSES = [
  'host-qmp-quit',
  'host-qmp-system-reset',
  'host-signal',
  'host-ui',
  'guest-shutdown',
  'guest-reset',
] as const;
export type ShutdownCause = (typeof SHUTDOWN_CAUSES)[number];

export class RunState {
  private current: RunStatus;

  constructor(
    private readonly events: EventBus,
    startPaused: boolean,
  ) {
    this.current = startPaused ? 'prelaunch' : 'running';
  }

  get status(): RunStatus {
    return this.current;
  }

  get running(): boolean {
    return this.current === 'running';
  }

  stop(): void {
    if (this.current !== 'running') return;
    this.current = 'paused';
    this.events.emit('STOP');
  }

  /** The monitor's cont: refused while the VM is shut down (-no-shutdown) until a reset, as QEMU does. */
  contFromMonitor(): void {
    if (this.current === 'shutdown') throw new Error('Resetting the Virtual Machine is required');
    this.cont();
  }

  cont(): void {
    if (this.current === 'running') return;
    this.current = 'running';
    this.events.emit('RESUME');
  }

  /**
   * A reset; a VM not running (paused, or stopped at shutdown with -no-shutdown) is then ready to
   * start again (prelaunch), as QEMU's main loop leaves it.
   */
  reset(cause: ShutdownCause): void {
    this.events.emit('RESET', { guest: cause.startsWith('guest'), reason: cause });
    if (this.current !== 'running') this.current = 'prelaunch';
  }

  powerdown(): void {
    this.events.emit('POWERDOWN');
  }

  /**
   * Shut down; `stopped` (-no-shutdown): the VM stays, stopped, and STOP follows SHUTDOWN as in QEMU.
   * A VM stopped so shuts down again when it quits (a second SHUTDOWN, as QEMU sends).
   */
  shutdown(cause: ShutdownCause, stopped = false): void {
    const wasRunning = this.current === 'running';
    this.current = 'shutdown';
    this.events.emit('SHUTDOWN', { guest: cause.startsWith('guest'), reason: cause });
    if (stopped && wasRunning) this.events.emit('STOP');
  }
}
