/**
 * Typing at an emulator the way a person does: one chunk of keys at a time, each sent once the
 * output has gone quiet after the previous one, so that what is compared between tsemu and QEMU
 * is what each answered to each chunk, not how fast either one started. Output is read as latin1
 * (the monitor's echo is bytes), with QEMU's micro version and the lines only QEMU's board has
 * (`parallel0` in `info chardev`) taken out.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';

const QUIET_MS = 400;
const FIRST_OUTPUT_MS = 30_000;
const STEP_MS = 15_000;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `output()` has grown past `from` and then stayed unchanged for QUIET_MS. */
async function settle(output: () => string, from: number, limitMs: number): Promise<void> {
  const deadline = Date.now() + limitMs;
  let seen = output().length;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const now = output().length;
    if (now !== seen) {
      seen = now;
      quietSince = Date.now();
    } else if (now > from && Date.now() - quietSince >= QUIET_MS) return;
  }
}

export function normalize(text: string): string {
  return text.replace(/QEMU 7\.2\.\d+ monitor/g, 'QEMU 7.2 monitor').replace(/parallel0: filename=\w+\r\r?\n/g, '');
}

/** What the emulator printed before the first chunk and after each chunk of `steps`. */
async function typeAt(output: () => string, write: (bytes: string) => void, steps: readonly string[]): Promise<string[]> {
  const replies: string[] = [];
  await settle(output, 0, FIRST_OUTPUT_MS);
  let mark = output().length;
  replies.push(normalize(output()));
  for (const step of steps) {
    write(step);
    await settle(output, mark, STEP_MS);
    replies.push(normalize(output().slice(mark)));
    mark = output().length;
  }
  return replies;
}

/** Replies paired with the keys that brought them (the first, before any key, named `first`), for readable diffs. */
export function labelled(keys: readonly string[], replies: readonly string[], first: string): { keys: string; reply: string }[] {
  return replies.map((reply, i) => ({ keys: keys[i - 1] ?? first, reply }));
}

/** Runs `binary args` with the keys on its stdin (a pipe), then kills it. */
export async function typeOnStdin(binary: string, args: readonly string[], steps: readonly string[]): Promise<string[]> {
  const child = spawn(binary, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stderr.on('data', (d: Buffer) => (out += d.toString('latin1')));
  child.stdin.on('error', () => undefined);
  try {
    return await typeAt(() => out, (keys) => child.stdin.write(Buffer.from(keys, 'latin1')), steps);
  } finally {
    child.kill('SIGKILL');
  }
}

/** Runs `binary args`, connects to the monitor socket `socketPath` it creates and types there. */
export async function typeOnSocket(binary: string, args: readonly string[], socketPath: string, steps: readonly string[]): Promise<string[]> {
  const child = spawn(binary, args, { stdio: 'ignore' });
  try {
    let socket: net.Socket | undefined;
    for (const deadline = Date.now() + FIRST_OUTPUT_MS; !socket; ) {
      socket = await new Promise<net.Socket | undefined>((resolve) => {
        const s = net.connect(socketPath, () => resolve(s));
        s.on('error', () => resolve(undefined));
      });
      if (!socket) {
        if (Date.now() > deadline) throw new Error(`no monitor at ${socketPath}`);
        await sleep(50);
      }
    }
    let out = '';
    const connected = socket;
    connected.on('data', (d: Buffer) => (out += d.toString('latin1')));
    const replies = await typeAt(() => out, (keys) => connected.write(Buffer.from(keys, 'latin1')), steps);
    connected.destroy();
    return replies;
  } finally {
    child.kill('SIGKILL');
  }
}
