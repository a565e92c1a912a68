/**
 * LoaderError: why a program cannot be loaded, as one line for the user. The CLI prints
 * `tsemu-<arch>: <path>: <message>` and exits with `status`, without a stack trace.
 */
export class LoaderError extends Error {
  constructor(
    /** Host path of the file at fault (the program or its interpreter). */
    readonly path: string,
    message: string,
    /**
     * The emulator's exit status, QEMU's: 1 when the program cannot be opened or is no ELF file
     * (its loader_exec failing), 255 for an ELF image or interpreter it cannot load (load_elf_image's
     * and load_elf_interp's exit(-1): another machine's program, a missing dynamic loader).
     */
    readonly status: 1 | 255 = 255,
  ) {
    super(message);
    this.name = 'LoaderError';
  }
}
