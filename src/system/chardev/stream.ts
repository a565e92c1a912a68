/**
 * The connection between a chardev backend and its frontend (a monitor, later a UART): one byte
 * stream to one peer. Backends produce streams (one per accepted client, or one for stdio/pty);
 * the frontend, once attached, says what to do with the bytes.
 */

/** What a frontend does with a stream's input. */
export interface StreamHandlers {
  /** Bytes from the peer, with any descriptors that came with them (SCM_RIGHTS); the handler owns the descriptors. */
  data(chunk: Buffer, fds: number[]): void;
  /** The peer went away or the stream was closed; called once. */
  end(): void;
  /** On a multiplexed chardev: this frontend got (true) or lost (false) the input focus. */
  focus?(focused: boolean): void;
  /** A break condition on the line (a multiplexed chardev's `C-a b`), in order with the data. */
  break?(): void;
}

export interface CharStream {
  /** Whether descriptors sent by the peer reach data() (a unix socket read by recvmsg). */
  readonly canReceiveFds: boolean;
  /** The peer as query-chardev shows it after `<->`, or '' when there is no address. */
  readonly peer: string;
  /** On a multiplexed chardev: whether this frontend has the input focus as the stream opens. */
  readonly focused?: boolean;
  /** Starts delivering input to `handlers`. */
  start(handlers: StreamHandlers): void;
  write(data: string | Buffer): void;
  /** Closes after pending output is written (the wait is bounded); resolves once closed. */
  close(): Promise<void>;
}

/** How long close() waits for pending output to reach a slow peer. */
export const CLOSE_FLUSH_TIMEOUT_MS = 2000;
