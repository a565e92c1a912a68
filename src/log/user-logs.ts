/**
 * The -d items of user mode that hook the engine: in_asm (guest instructions of each new block),
 * op (its IR), out_asm (each new module), exec (each block as it starts), cpu (registers before
 * each block), all limited to the -dfilter ranges. int, unimp and strace are logged where they
 * happen (CPU loop, syscall layer).
 */
import type { GuestMemory } from '../memory/guest-memory';
import type { EngineOptions } from '../translate/engine/engine';
import { formatBlock } from '../translate/ir/format';
import { descriptionOf } from '../gdbstub/targets';
import type { AddressFilter } from './address-filter';
import { dumpRegisters } from './cpu-dump';
import { listInstructions } from './disasm';
import { moduleText } from './wasm-text';

export interface UserLogContext {
  readonly items: ReadonlySet<string>;
  readonly log: (line: string) => void;
  readonly filter: AddressFilter;
  readonly frontend: string;
  readonly memory: GuestMemory;
  readonly stateBase: number;
}

type LogHooks = Pick<EngineOptions, 'onTranslate' | 'onModule' | 'onBlockStart'>;

export function engineLogHooks(ctx: UserLogContext): LogHooks {
  const { items, log, filter } = ctx;
  const hooks: LogHooks = {};
  if (items.has('in_asm') || items.has('op')) {
    hooks.onTranslate = (block) => {
      if (!filter(block.pc)) return;
      if (items.has('in_asm')) {
        log(['----------------', 'IN: ', ...listInstructions(ctx.frontend, ctx.memory, block.pc, block.end), ''].join('\n'));
      }
      if (items.has('op')) log(`OP:\n${formatBlock(block)}\n`);
    };
  }
  if (items.has('out_asm')) hooks.onModule = (bytes) => log(moduleText(bytes));
  const desc = descriptionOf(ctx.frontend, ctx.memory.littleEndian);
  const cpu = items.has('cpu') && desc !== undefined;
  if (items.has('exec') || cpu) {
    hooks.onBlockStart = (pc) => {
      if (!filter(pc)) return;
      if (cpu) log(dumpRegisters(desc, ctx.memory.view, ctx.stateBase));
      if (items.has('exec')) log(`Trace 0: 0x${pc.toString(16).padStart(16, '0')}`);
    };
  }
  return hooks;
}
