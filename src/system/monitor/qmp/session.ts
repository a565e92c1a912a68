/**
 * One QMP client connection: the greeting, capabilities negotiation, then commands executed one
 * at a time in arrival order (some, like chardev-add, finish asynchronously), with `id` echoed,
 * errors in QEMU's classes and wording, and events once negotiated. Every message ends in CRLF,
 * as QEMU's monitor writes it.
 */
import { StringDecoder } from 'node:string_decoder';
import type { CharStream, StreamHandlers } from '../../chardev/stream';
import type { Emulator } from '../../emulator';
import { versionInfo } from '../../version';
import type { FdStore } from '../fd-store';
import { ReceivedFds } from '../received-fds';
import type { CommandContext } from './command';
import { findQmpCommand } from './commands';
import { QmpError } from './errors';
import { toQmpJson } from './json-out';
import { JsonSplitter, type SplitItem } from './json-splitter';
import { check, checkMembers } from './schema';

const REQUEST_MEMBERS = new Set(['execute', 'arguments', 'id']);

type Request = Record<string, unknown>;

export class QmpSession {
  private negotiated = false;
  private readonly splitter = new JsonSplitter();
  private readonly decoder = new StringDecoder('utf8');
  private readonly received = new ReceivedFds();
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe?: () => void;
  private ended = false;
  private readonly context: CommandContext;

  constructor(
    private readonly stream: CharStream,
    emulator: Emulator,
    fds: FdStore,
    private readonly pretty: boolean,
  ) {
    this.context = { emulator, fds, takeReceivedFd: () => this.received.take() };
    this.send({ QMP: { version: versionInfo(), capabilities: [] } });
  }

  get handlers(): StreamHandlers {
    return { data: (chunk, fds) => this.onData(chunk, fds), end: () => this.onEnd() };
  }

  private send(message: unknown): void {
    if (!this.ended) this.stream.write(`${toQmpJson(message, this.pretty)}\r\n`);
  }

  private enqueue(step: () => void | Promise<void>): void {
    this.queue = this.queue.then(step).catch(() => undefined);
  }

  private onData(chunk: Buffer, fds: number[]): void {
    this.received.add(fds);
    for (const item of this.splitter.push(this.decoder.write(chunk))) this.enqueue(() => this.handle(item));
    if (!this.splitter.pending) this.enqueue(() => this.received.closeAll());
  }

  private onEnd(): void {
    this.ended = true;
    this.unsubscribe?.();
    this.enqueue(() => this.received.closeAll());
  }

  /** Runs even after the peer left (only the reply is dropped): a client may send `quit` and hang up at once. */
  private async handle(item: SplitItem): Promise<void> {
    if (item.kind === 'error') {
      this.send({ error: QmpError.generic(item.message) });
      return;
    }
    let request: unknown;
    try {
      request = JSON.parse(item.text);
    } catch (e) {
      this.send({ error: QmpError.generic(`JSON parse error, ${(e as Error).message}`) });
      return;
    }
    if (typeof request !== 'object' || request === null || Array.isArray(request)) {
      this.send({ error: QmpError.generic('QMP input must be a JSON object') });
      return;
    }
    const id = (request as Request)['id'];
    try {
      const result = await this.execute(request as Request);
      this.send({ return: result ?? {}, id });
    } catch (e) {
      this.send({ error: QmpError.from(e), id });
    }
  }

  private async execute(request: Request): Promise<unknown> {
    for (const key of Object.keys(request)) {
      if (!REQUEST_MEMBERS.has(key)) throw QmpError.generic(`QMP input member '${key}' is unexpected`);
    }
    const name = request['execute'];
    if (name === undefined) throw QmpError.generic(`QMP input lacks member 'execute'`);
    if (typeof name !== 'string') throw QmpError.generic(`QMP input member 'execute' must be a string`);
    const args = request['arguments'] ?? {};
    if (typeof args !== 'object' || args === null || Array.isArray(args)) {
      throw QmpError.generic(`QMP input member 'arguments' must be an object`);
    }
    if (!this.negotiated) {
      if (name !== 'qmp_capabilities')
        throw new QmpError('CommandNotFound', `Expecting capabilities negotiation with 'qmp_capabilities'`);
      this.negotiate(args as Request);
      return {};
    }
    const command = findQmpCommand(name);
    if (!command) throw new QmpError('CommandNotFound', `The command ${name} has not been found`);
    if (command.boxed) check(args, command.boxed, '');
    else checkMembers(args as Request, command.params, '');
    return await command.run(this.context, args as Request);
  }

  private negotiate(args: Request): void {
    checkMembers(args, { enable: { schema: 'any', optional: true } }, '');
    const enable = args['enable'];
    if (enable !== undefined) {
      if (!Array.isArray(enable))
        throw QmpError.generic(`Invalid parameter type for 'enable', expected: array`);
      for (const cap of enable) {
        if (typeof cap !== 'string')
          throw QmpError.generic(`Invalid parameter type for 'enable[0]', expected: string`);
        // QEMU's enum visitor names a list element 'null'; oob is a capability QEMU knows, tsemu does not offer.
        if (cap !== 'oob') throw QmpError.generic(`Parameter 'null' does not accept value '${cap}'`);
        throw QmpError.generic(`Capability '${cap}' not available`);
      }
    }
    this.negotiated = true;
    this.unsubscribe = this.context.emulator.events.subscribe((e) => this.send(e));
  }
}
