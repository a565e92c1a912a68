/**
 * Text form of IR blocks, for `-d op` logs and test failure messages.
 */
import type { IRBlock, Insn, Temp } from './block';

function temp(t: Temp): string {
  return `t${t.id}:${t.type}`;
}

function imm(insn: Insn): string {
  const v = insn.imm;
  if (v === undefined) return '';
  if (v instanceof Uint8Array) return ` [${Buffer.from(v).toString('hex')}]`;
  if (typeof v === 'bigint') return ` 0x${v.toString(16)}`;
  return insn.op === 'get' || insn.op === 'set' || insn.op === 'insn' ? ` @0x${v.toString(16)}` : ` ${v}`;
}

export function formatInsn(insn: Insn): string {
  const dst = insn.dst ? `${temp(insn.dst)} = ` : '';
  const extra = [
    insn.simd,
    insn.rmw,
    insn.from ? `from ${insn.from}` : undefined,
    insn.mem ? `${insn.mem.size}${insn.mem.signed ? 's' : ''}` : undefined,
  ].filter(Boolean);
  const args = insn.args.map(temp).join(', ');
  return `${dst}${insn.op}.${insn.type}${extra.length ? ` <${extra.join(' ')}>` : ''}${args ? ' ' + args : ''}${imm(insn)}`;
}

export function formatBlock(block: IRBlock): string {
  const lines = [`IR block 0x${block.pc.toString(16)}..0x${block.end.toString(16)} (${block.insnCount} insns)`];
  for (const insn of block.insns) lines.push((insn.op === 'insn' ? ' ---- ' : '  ') + formatInsn(insn));
  return lines.join('\n');
}
