/**
 * LoaderError: why a program cannot be loaded, as one line for the user. The CLI prints
 * `tsemu-<arch>: <path>: <message>` and exits 1, without a stack trace.
 */
export class LoaderError extends Error {
  constructor(
    /** Host path of the file at fault (the program or its interpreter). */
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'LoaderError';
  }
}
