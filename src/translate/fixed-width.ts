/**
 * The block translation loop shared by ISAs whose instructions are all 32 bits wide (A64, Power):
 * fetch, decode through the ISA's table, emit, and end the block at a branch (but for forward
 * conditional ones, side-exit.ts), at maxInsns, or at a page boundary (invalidation works per page).
 */
import { extractFields as extractFieldsOf, type DecodeTable, type Fields } from './decode/pattern';
import type { IRBlock, Temp } from './ir/block';
import type { IRBuilder } from './ir/builder';
import { TrapKind } from './ir/ops';
import type { CodeSource, TranslateOptions } from './frontend';
import { FlagsReadingContext } from './flags-read';
import { SideExits } from './side-exit';

const PAGE_MASK = ~0xfff;

/** What the loop needs from an ISA's per-instruction translation context. */
export interface FixedWidthContext {
  readonly b: IRBuilder;
  pc: number;
  insn: number;
  ended: boolean;
  readonly successors: number[];
  /** Whether an emitter read the translation flags (IRBlock.readsFlags). */
  readonly readsFlags: boolean;
  trap(kind: TrapKind, arg?: Temp): void;
  jump(target: number): void;
  undefined(): unknown;
}

export type FixedWidthHandler<C> = (ctx: C, fields: Fields) => boolean;

/**
 * The state and block endings every fixed-width ISA context shares; each ISA's context extends it
 * with its register conventions.
 */
export abstract class BlockContext extends FlagsReadingContext implements FixedWidthContext {
  /** Address of the instruction being translated. */
  pc = 0;
  /** Its 32-bit encoding. */
  insn = 0;
  /** Set by emitters that end the block (branches, traps). */
  ended = false;
  /** Direct branch targets seen in this block. */
  readonly successors: number[] = [];
  /** The conditional branches this block goes on past (side-exit.ts). */
  private readonly sideExits = new SideExits();

  constructor(
    readonly b: IRBuilder,
    /** Translation flags in force (the frontend's flags.ts). */
    flags: number,
  ) {
    super(flags);
  }

  /** Unconditional direct branch. */
  jump(target: number): void {
    this.successors.push(target);
    this.b.exit(this.b.i64(target));
    this.ended = true;
  }
  /**
   * Branch to `target` if `taken` (i32) else fall through to the next instruction: in this block
   * when it goes on past the branch (side-exit.ts), else ending it with an exit for each way.
   */
  jumpIf(taken: Temp, target: number): void {
    const b = this.b;
    if (this.sideExits.goOnPast(b, this.pc, taken, target, this.successors)) return;
    const next = this.pc + 4;
    this.successors.push(target, next);
    // Two exits with constant pcs, so the code generator can chain both directly.
    const toTarget = b.label();
    b.brcond(taken, toTarget);
    b.exit(b.i64(next));
    b.place(toTarget);
    b.exit(b.i64(target));
    this.ended = true;
  }
  trap(kind: TrapKind, arg?: Temp): void {
    this.b.trap(kind, arg);
    this.ended = true;
  }
  /** The encoding is unallocated or unsupported: SIGILL in the guest. */
  undefined(): true {
    this.trap(TrapKind.Undefined);
    return true;
  }
}

/** Translates ctx.insn through `table`; false if no entry accepted it. */
export function decodeInto<C extends FixedWidthContext>(ctx: C, table: DecodeTable<FixedWidthHandler<C>>): boolean {
  for (const entry of table.matches(ctx.insn)) {
    if (entry.handler(ctx, extractFieldsOf(entry.pattern, ctx.insn))) return true;
  }
  return false;
}

/** Translates the block at `pc`; unaccepted encodings become Undefined traps (SIGILL). */
export function translateFixedWidthBlock<C extends FixedWidthContext>(
  ctx: C,
  table: DecodeTable<FixedWidthHandler<C>>,
  code: CodeSource,
  pc: number,
  options: TranslateOptions,
): IRBlock {
  const b = ctx.b;
  let at = pc;
  let count = 0;
  while (!ctx.ended) {
    const word = code.fetch32(at);
    if (word === undefined) {
      b.insnStart(at);
      if (count === 0) ctx.trap(TrapKind.MemoryFault, b.i64(at));
      else ctx.jump(at);
      break;
    }
    ctx.pc = at;
    ctx.insn = word;
    b.insnStart(at);
    if (!decodeInto(ctx, table)) ctx.undefined();
    at += 4;
    count++;
    if (!ctx.ended && (count >= options.maxInsns || (at & PAGE_MASK) !== (pc & PAGE_MASK))) ctx.jump(at);
  }
  return b.finish(pc, at, count, ctx.successors, ctx.readsFlags);
}
