/**
 * The translation flags a block is translated under, noting whether its emitters read them: a
 * block whose translation never did is the same under every value (IRBlock.readsFlags), so the
 * engine keeps it once for all of them.
 */
export class FlagsRead {
  private wasRead = false;

  constructor(private readonly value: number) {}

  /** The flags in force; the block now depends on them. */
  get(): number {
    this.wasRead = true;
    return this.value;
  }

  /** Whether get() was called. */
  get read(): boolean {
    return this.wasRead;
  }
}
