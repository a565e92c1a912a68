/**
 * Which ASIDs have translations cached, and where (ARM ARM D8.13: TLB entries made through
 * non-global descriptors hold the ASID in force when they were made and match only it, so changing
 * the current ASID needs no invalidation). Each ASID in use owns a context: a pair of software TLB
 * tables, the tag of its lookup-cache entries and its code-page translations. An ASID without one
 * takes a free context, else the least recently used, whose translations are dropped first (a TLB
 * may drop entries at any time). Global mappings are cached by whichever context walked them; that
 * is invisible to the guest, since invalidation by VA reaches every context and a global mapping
 * translates alike through every ASID's tables.
 */
import { TLB_CONTEXTS } from './tlb';

export class AsidContexts {
  /** The ASID each context holds translations for (undefined: free). */
  private readonly asids: (number | undefined)[] = new Array<number | undefined>(
    TLB_CONTEXTS,
  ).fill(undefined);
  private readonly lastUsed = new Array<number>(TLB_CONTEXTS).fill(0);
  private clock = 0;

  /**
   * The context of `asid`, which becomes the most recently used; `reused` when it was taken from
   * another ASID, whose translations the caller must drop.
   */
  select(asid: number): { context: number; reused: boolean } {
    let context = this.find(asid);
    let reused = false;
    if (context === undefined) {
      context = this.asids.indexOf(undefined);
      if (context < 0) {
        context = this.lastUsed.indexOf(Math.min(...this.lastUsed));
        reused = true;
      }
      this.asids[context] = asid;
    }
    this.lastUsed[context] = ++this.clock;
    return { context, reused };
  }

  /** The context holding `asid`'s translations, if any. */
  find(asid: number): number | undefined {
    const context = this.asids.indexOf(asid);
    return context < 0 ? undefined : context;
  }

  /** Every context is free (all translations were dropped). */
  clear(): void {
    this.asids.fill(undefined);
  }
}
