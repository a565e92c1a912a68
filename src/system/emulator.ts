/**
 * One running tsemu-system: the machine, its run state and events, its chardevs, and the way out.
 * Monitor commands (QMP and HMP alike) act on this object; nothing here knows about protocols.
 */
import { BlockGraph } from './block/graph';
import { OptsError } from './cli/qemu-opts';
import { ChardevError, type Chardev } from './chardev/chardev';
import { MuxChardev } from './chardev/mux';
import { prepareChardev } from './chardev/prepare';
import { ChardevRegistry } from './chardev/registry';
import type { ChardevSpec } from './chardev/spec';
import type { TlsCreds } from './chardev/tls-creds';
import { EventBus } from './events';
import type { SerialSpec } from './cli/config';
import type { BlockBackendInfo, Peripheral } from './cli/devices';
import type { GuestIdentity } from './cli/identity';
import type { MemoryBackend } from './cli/memory-backend';
import { MachineError, type Machine, type MachineClass, type MachineHost, type MachineOptions } from './machine/machine';
import type { FdStore } from './monitor/fd-store';
import { RunState, type ShutdownCause } from './run-state';

export interface ChardevInfo {
  label: string;
  filename: string;
  'frontend-open': boolean;
}

/** What the command line says about the guest that monitors report (query-name, query-uuid, query-block). */
export interface GuestDescription {
  identity: GuestIdentity;
  blockBackends: readonly BlockBackendInfo[];
  /** The block nodes (-blockdev, blockdev-add) and the devices on them. */
  blockGraph: BlockGraph;
  peripherals: readonly Peripheral[];
  /** The -object memory backends, in command-line order. */
  memoryBackends?: readonly MemoryBackend[];
  /** The one of them that is the guest RAM (-machine memory-backend=); else the board makes its own. */
  ramBackend?: string;
}

export class Emulator {
  readonly events = new EventBus();
  readonly runState: RunState;
  readonly chardevs = new ChardevRegistry();
  readonly machine: Machine;
  /** Migration capabilities (migrate-set-capabilities): tsemu has `events` only, and never migrates. */
  readonly migrationCapabilities = new Map<string, boolean>([['events', false]]);
  private readonly exitHooks: (() => void)[] = [];
  private exiting = false;
  private quitting = false;
  private machineStarted = false;

  constructor(
    readonly machineClass: MachineClass,
    readonly tlsCreds: ReadonlyMap<string, TlsCreds>,
    startPaused: boolean,
    machineOptions: MachineOptions = { props: new Map() },
    /** -no-reboot: reset requests (the guest's or system_reset) shut down instead, as QEMU's do. */
    private readonly noReboot = false,
    /** What monitors report about the guest: -name and -uuid, the -drive backends. */
    readonly guest: GuestDescription = { identity: {}, blockBackends: [], blockGraph: new BlockGraph(), peripherals: [] },
    /** -no-shutdown: the guest's power-off stops the VM (run state `shutdown`) instead of ending the emulator, as QEMU's. */
    private readonly noShutdown = false,
  ) {
    this.machine = machineClass.create(machineOptions);
    this.runState = new RunState(this.events, startPaused);
  }

  /** Starts the machine's CPUs, with serial port n on `serials[n]`'s chardev. */
  startMachine(serials: readonly (SerialSpec | undefined)[]): void {
    const host: MachineHost = {
      serialChardev: (index) => {
        const spec = serials[index];
        return spec && this.chardevs.get(spec.chardev);
      },
      chardev: (id) => (this.chardevs.has(id) ? this.chardevs.get(id) : undefined),
      isRunning: () => this.runState.running,
      onRunStateChange: (listener) => {
        this.events.subscribe(listener);
      },
      shutdown: (cause) => void (this.noShutdown ? this.stopAtShutdown(cause) : this.quit(cause)),
      reset: (cause) => void this.reset(cause),
    };
    this.machine.start?.(host);
    this.machineStarted = true;
    for (const chardev of this.chardevs.list()) this.startMux(chardev);
  }

  /** A multiplexed chardev opens to its frontends once they are all attached; its C-a x quits. */
  private startMux(chardev: Chardev): void {
    if (chardev instanceof MuxChardev)
      chardev.start({ quit: () => void this.quit('host-qmp-quit'), commitDisks: () => this.machine.commitDisks?.() });
  }

  /** Runs `hook` (synchronously) when the emulator exits: remove a pidfile, close held descriptors. */
  onExit(hook: () => void): void {
    this.exitHooks.push(hook);
  }

  /**
   * Requests, like QEMU's, are carried out by the main loop, after the command asking for one has
   * run; the promise settles once it is done. QEMU's QMP dispatcher yields to the main loop before
   * it replies, so a QMP command waits for it: the RESET/POWERDOWN/SHUTDOWN event comes before the
   * command's reply, as qemu-system-aarch64 7.2 sends them.
   */
  reset(cause: ShutdownCause): Promise<void> {
    if (this.noReboot) return this.quit(cause);
    return this.inMainLoop(() => {
      this.machine.reset();
      this.runState.reset(cause);
    });
  }

  /** The monitor's stop: settles once the CPUs have stopped, as QEMU's stop returns after pausing them. */
  async stop(): Promise<void> {
    this.runState.stop();
    await this.machine.cpusStopped?.();
  }

  powerdown(): Promise<void> {
    return this.inMainLoop(() => this.runState.powerdown());
  }

  /** Shuts down: the SHUTDOWN event, then (once a command's reply has gone out) exit 0 with monitor output flushed. */
  quit(cause: ShutdownCause): Promise<void> {
    return this.inMainLoop(() => {
      if (this.quitting || this.exiting) return;
      this.quitting = true;
      this.runState.shutdown(cause);
      setImmediate(() => void this.exit(0));
    });
  }

  /** -no-shutdown's power-off: the SHUTDOWN event, then the VM stops (STOP), until a reset. */
  private stopAtShutdown(cause: ShutdownCause): Promise<void> {
    return this.inMainLoop(() => this.runState.shutdown(cause, true));
  }

  private inMainLoop(request: () => void): Promise<void> {
    return new Promise((resolve) =>
      setImmediate(() => {
        request();
        resolve();
      }),
    );
  }

  /** Closes every chardev (flushing monitor output), runs the exit hooks, ends the process. */
  async exit(code: number): Promise<void> {
    if (this.exiting) return;
    this.exiting = true;
    await this.chardevs.closeAll();
    for (const hook of this.exitHooks.splice(0)) hook();
    process.exit(code);
  }

  /** chardev-add from a monitor: `fd=NAME` comes from that monitor's descriptor store. */
  async addChardev(spec: ChardevSpec, fds: FdStore): Promise<void> {
    if (this.chardevs.has(spec.id)) throw new ChardevError(`Chardev '${spec.id}' already exists`);
    const chardev = prepareChardev(spec, { origin: { kind: 'monitor', take: (name) => fds.take(name) }, tlsCreds: this.tlsCreds });
    await this.chardevs.add(chardev);
    if (this.machineStarted) this.startMux(chardev);
  }

  /** Every chardev, a multiplexer followed by the backend under it (`ID-base`), as QEMU lists them. */
  allChardevs(): Chardev[] {
    return this.chardevs.list().flatMap((c) => (c instanceof MuxChardev ? [c, c.base] : [c]));
  }

  chardevInfo(): ChardevInfo[] {
    return this.allChardevs().map((c) => ({ label: c.id, filename: c.filename, 'frontend-open': c.frontendOpen }));
  }
}

/** Errors whose message is meant for the user as is (bad options, chardev failures). */
export function isUserError(e: unknown): e is Error {
  return e instanceof OptsError || e instanceof ChardevError || e instanceof MachineError;
}
