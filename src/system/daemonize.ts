/**
 * -daemonize. QEMU forks early; forking a running Node process is not possible (its threads
 * would not survive), so the parent re-spawns itself detached (a new session) with the same
 * arguments, the descriptors named by `fd=` inherited at the same numbers, its stderr relayed
 * until the daemon is ready, and a readiness channel. The parent exits 0 once the daemon reports
 * ready (listeners open, pidfile written) and 1 if the daemon exits first.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { native } from '../native';

/** Set in the daemon's environment: the descriptor to report readiness on. */
const READY_FD_ENV = 'TSEMU_DAEMON_READY_FD';
const READY_MESSAGE = 'ready\n';

/** Whether this process is the daemon half of -daemonize. */
export function isDaemonChild(): boolean {
  return process.env[READY_FD_ENV] !== undefined;
}

/** Parent side: starts the daemon and exits with its readiness. Never returns. */
export function spawnDaemon(args: string[], inheritedFds: number[]): void {
  const readyFd = Math.max(2, ...inheritedFds) + 1;
  const stdio: ('ignore' | 'pipe' | number)[] = ['ignore', 'ignore', 'pipe'];
  for (let fd = 3; fd < readyFd; fd++) stdio.push(inheritedFds.includes(fd) ? fd : 'ignore');
  stdio.push('pipe');
  const child = spawn(process.execPath, [...process.execArgv, ...args], {
    stdio,
    detached: true,
    env: { ...process.env, [READY_FD_ENV]: String(readyFd) },
  });
  child.stderr!.pipe(process.stderr);
  let ready = '';
  const channel = child.stdio[readyFd] as NodeJS.ReadableStream;
  channel.setEncoding('utf8');
  channel.on('data', (text: string) => {
    ready += text;
    if (ready === READY_MESSAGE) {
      child.unref();
      process.exit(0);
    }
  });
  child.on('exit', () => process.exit(1));
}

/** Daemon side: reports readiness, detaches stdio (to /dev/null) and leaves the working directory, as QEMU does. */
export function daemonReady(): void {
  const fd = Number(process.env[READY_FD_ENV]);
  delete process.env[READY_FD_ENV];
  fs.writeSync(fd, READY_MESSAGE);
  native().closeFd(fd);
  const devNull = fs.openSync('/dev/null', 'r+');
  for (const target of [0, 1, 2]) native().dupTo(devNull, target);
  fs.closeSync(devNull);
  process.chdir('/');
}
