/**
 * Starts tsemu-system from a checked configuration: prepares every chardev (all refusals happen
 * here, before anything is created), opens them, attaches monitors, waits for `wait=on`
 * servers, writes the pidfile and reports readiness to a -daemonize parent. A failure after
 * something was created closes it all again, so a refused start leaves nothing behind.
 */
import { addToFdSets } from './fd-sets';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Chardev } from './chardev/chardev';
import { prepareChardev } from './chardev/prepare';
import type { SystemConfig } from './cli/config';
import { OptsError } from './cli/qemu-opts';
import { daemonReady, isDaemonChild, spawnDaemon } from './daemonize';
import { Emulator, isUserError } from './emulator';
import { Monitor } from './monitor/monitor';
import { SystemGdbFrontend } from '../gdbstub/system-session';

const PROGRAM = 'tsemu-system';

function fail(message: string): never {
  process.stderr.write(`${PROGRAM}: ${message}\n`);
  process.exit(1);
}

/** Descriptor numbers the command line hands to chardevs (kept open across -daemonize). */
function inheritedFds(config: SystemConfig): number[] {
  return [
    ...config.chardevs.flatMap(({ spec }) =>
      spec.backend.type === 'socket' && spec.backend.addr.type === 'fd' && /^\d+$/.test(spec.backend.addr.str) ? [Number(spec.backend.addr.str)] : [],
    ),
    ...config.fdSets.map((entry) => entry.fd),
  ];
}

export async function runSystem(config: SystemConfig, args: string[]): Promise<void> {
  for (const entry of config.fdSets) addToFdSets(entry);
  const prepared: { chardev: Chardev; source: string }[] = [];
  for (const { spec, source } of config.chardevs) {
    try {
      prepared.push({ chardev: prepareChardev(spec, { origin: { kind: 'cli' }, tlsCreds: config.tlsCreds }), source });
    } catch (e) {
      if (e instanceof OptsError) fail(`${source}: ${e.message}`);
      throw e;
    }
  }
  // Checked first, so a -daemonize launcher refuses bad descriptors itself (it could not pass them on).
  if (config.daemonize && !isDaemonChild()) {
    spawnDaemon(args, inheritedFds(config));
    return;
  }
  let emulator: Emulator;
  try {
    emulator = new Emulator(config.machine, config.tlsCreds, config.startPaused, config.machineOptions, config.noReboot, {
      identity: config.identity,
      blockBackends: config.blockBackends,
      blockGraph: config.blockGraph,
      peripherals: config.peripherals,
      memoryBackends: config.memoryBackends,
      ...(config.ramBackend !== undefined && { ramBackend: config.ramBackend }),
    }, config.noShutdown);
  } catch (e) {
    if (isUserError(e)) fail(e.message);
    throw e;
  }
  try {
    for (const { chardev, source } of prepared) {
      try {
        await emulator.chardevs.add(chardev);
      } catch (e) {
        if (isUserError(e)) throw new OptsError(`${source}: ${e.message}`);
        throw e;
      }
    }
    for (const m of config.monitors) emulator.chardevs.get(m.chardev).attachFrontend(new Monitor(emulator, m.mode, m.pretty));
    if (config.gdbChardev !== undefined) emulator.chardevs.get(config.gdbChardev).attachFrontend(new SystemGdbFrontend(emulator));
  } catch (e) {
    await emulator.chardevs.closeAll();
    if (isUserError(e)) fail(e.message);
    throw e;
  }
  for (const { spec, source } of config.chardevs) {
    if (spec.backend.type !== 'socket' || !spec.backend.wait) continue;
    const chardev = emulator.chardevs.get(spec.id);
    process.stderr.write(`${PROGRAM}: ${source}: info: QEMU waiting for connection on: ${chardev.filename}\n`);
    await chardev.waitForPeer();
  }
  if (config.pidfile !== undefined) {
    const pidfile = path.resolve(config.pidfile);
    try {
      fs.writeFileSync(pidfile, `${process.pid}\n`);
    } catch (e) {
      await emulator.chardevs.closeAll();
      fail(`cannot create PID file: ${(e as Error).message}`);
    }
    emulator.onExit(() => fs.rmSync(pidfile, { force: true }));
  }
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      process.stderr.write(`${PROGRAM}: terminating on signal ${os.constants.signals[signal]}\n`);
      void emulator.quit('host-signal');
    });
  }
  emulator.startMachine(config.serials);
  // The machine runs until a monitor or a signal ends it, even with no chardev keeping the loop busy.
  setInterval(() => undefined, 2 ** 30);
  if (isDaemonChild()) daemonReady();
}
