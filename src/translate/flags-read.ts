/**
 * What every frontend's translation context has: the translation flags the block is translated
 * under, noting whether an emitter read them. A block whose translation never did is the same under
 * every value (IRBlock.readsFlags), so the engine keeps it once for all of them.
 */
export abstract class FlagsReadingContext {
  private flagsWereRead = false;

  constructor(private readonly flagsInForce: number) {}

  /** The translation flags in force (the frontend's flags.ts); reading them makes the block depend on them. */
  get flags(): number {
    this.flagsWereRead = true;
    return this.flagsInForce;
  }

  /** Whether an emitter read the translation flags (IRBlock.readsFlags). */
  get readsFlags(): boolean {
    return this.flagsWereRead;
  }
}
