/**
 * Blocks that go on past forward conditional branches. A block ending at every branch made each
 * taken-or-not decision a block transition: a tail call between wasm functions (V8's frame and stack
 * check, every guest register the block wrote stored and the next block's loaded again). A forward
 * conditional branch (an `if` of the guest's code) now leaves the block only when taken, through a
 * side exit, and the block goes on with the next instruction. Backward branches (loops) still end
 * the block, so a loop's blocks remain what region formation (wasm/regions.ts) joins into a wasm
 * `loop`. Code after such a branch that is also reached another way is translated twice: once inside
 * this block, once as a block of its own.
 */
import type { Temp } from './ir/block';
import type { IRBuilder } from './ir/builder';

/**
 * Forward conditional branches one block goes on past: 3 and 8 ran lua5.4 ppc64le alike, and 3 took
 * 5 to 17 % off sqlite3's and lua5.4's CPU time (docs/performance.md, "Blocks past forward branches").
 */
export const MAX_CONTINUED_BRANCHES = 3;

/** One block's side exits: the conditional branches it goes on past, counted against the limit. */
export class SideExits {
  private continued = 0;

  /**
   * A conditional branch from `pc` to the constant pc `target`, taken when `taken` (i32): when the
   * block goes on past it, emits the side exit, records `target` in `successors` and returns true;
   * otherwise emits nothing and returns false (the caller ends the block).
   */
  goOnPast(b: IRBuilder, pc: number, taken: Temp, target: number, successors: number[]): boolean {
    if (target <= pc || this.continued >= MAX_CONTINUED_BRANCHES) return false;
    this.continued++;
    successors.push(target);
    const onward = b.label();
    b.brcond(b.compare('eq', taken, b.i32(0)), onward);
    b.exit(b.i64(target));
    b.place(onward);
    return true;
  }
}
