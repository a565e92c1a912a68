/**
 * The engine's exit links (src/translate/engine/exit-links.ts) on a real WebAssembly.Table: which
 * block function each slot holds as blocks arrive, are discarded and are replaced, and after its
 * instance is detached. Blocks are stand-in wasm functions returning their own number, so a slot's
 * content shows by calling it; they are resolved by pc and flags as the engine resolves them.
 */
import { describe, expect, it } from 'vitest';
import { ExitLinks } from '../../src/translate/engine/exit-links';
import { FunctionBody, ModuleBuilder } from '../../src/translate/wasm/emitter';
import { BLOCK_TYPE } from '../../src/translate/wasm/module';

const ANY = -1;
const UNLINKED = 0;

/** A block function `(state) -> value`. */
function blockReturning(value: number): Function {
  const mb = new ModuleBuilder();
  const body = new FunctionBody(1);
  body.code.byte(0x41).s32(value);
  mb.exportFunction('f', mb.addFunction(BLOCK_TYPE, body));
  return new WebAssembly.Instance(new WebAssembly.Module(mb.encode())).exports['f'] as Function;
}

interface Block {
  pc: number;
  flags: number;
  fn: Function;
}

/** An engine's view in miniature: compiled blocks by flags and pc, resolved as the engine does. */
function setUp() {
  const blocks = new Map<number, Map<number, Block>>();
  const add = (pc: number, flags: number, value: number): Block => {
    const block = { pc, flags, fn: blockReturning(value) };
    if (!blocks.has(flags)) blocks.set(flags, new Map());
    blocks.get(flags)!.set(pc, block);
    return block;
  };
  const remove = (block: Block): void => {
    blocks.get(block.flags)?.delete(block.pc);
  };
  const links = new ExitLinks<Block>({
    resolve: (pc, flags) => (flags === ANY ? undefined : blocks.get(flags)?.get(pc)) ?? blocks.get(ANY)?.get(pc),
    callable: (block) => block.fn,
    unlinked: blockReturning(UNLINKED),
  });
  const table = new WebAssembly.Table({ element: 'anyfunc', initial: 3 });
  const slot = (index: number): number => (table.get(index) as (state: number) => number)(0);
  return { add, remove, links, table, slot };
}

describe('exit links', () => {
  it('links each slot to the block of its pc, and a slot without one waits for it', () => {
    const { add, links, table, slot } = setUp();
    add(0x1000, ANY, 11);
    links.attach({ table, pcs: [0x1000, 0x2000, 0x3000] }, 5);
    expect([slot(0), slot(1), slot(2)]).toEqual([11, UNLINKED, UNLINKED]);
    add(0x2000, 5, 22);
    links.arrived(0x2000);
    expect([slot(0), slot(1), slot(2)]).toEqual([11, 22, UNLINKED]);
  });

  it('a discarded block\'s slots go to another block of its pc, or back to the dispatcher, and wait', () => {
    const { add, remove, links, table, slot } = setUp();
    const shared = add(0x1000, ANY, 11);
    const own = add(0x1000, 5, 12);
    links.attach({ table, pcs: [0x1000] }, 5);
    expect(slot(0)).toBe(12);
    remove(own);
    links.discarded(own);
    expect(slot(0)).toBe(11);
    remove(shared);
    links.discarded(shared);
    expect(slot(0)).toBe(UNLINKED);
    add(0x1000, 5, 13);
    links.arrived(0x1000);
    expect(slot(0)).toBe(13);
  });

  it('a block run by another callable takes its slots along', () => {
    const { add, links, table, slot } = setUp();
    const block = add(0x1000, ANY, 11);
    links.attach({ table, pcs: [0x1000] }, ANY);
    block.fn = blockReturning(21);
    links.replaced(block);
    expect(slot(0)).toBe(21);
  });

  it('a detached instance is unlinked and no longer followed', () => {
    const { add, links, table, slot } = setUp();
    links.attach({ table, pcs: [0x1000, 0x2000] }, ANY);
    const block = add(0x1000, ANY, 11);
    links.arrived(0x1000);
    expect(slot(0)).toBe(11);
    links.detach(table);
    expect(slot(0)).toBe(UNLINKED);
    add(0x2000, ANY, 22);
    links.arrived(0x2000);
    links.replaced(block);
    expect([slot(0), slot(1)]).toEqual([UNLINKED, UNLINKED]);
  });
});
