/**
 * Test support: the Debian AArch64 cross toolchain and qemu-aarch64 as oracles, and decoding of
 * single words through the A64 table.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { IRBuilder } from '../../src/translate/ir/builder';
import { TrapKind } from '../../src/translate/ir/ops';
import { A64Context } from '../../src/translate/aarch64/context';
import { A64_TABLE } from '../../src/translate/aarch64/insns';
import { extractFields } from '../../src/translate/decode/pattern';

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export function withTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(path.join(tmpdir(), 'tsemu-a64-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const execFileAsync = promisify(execFile);

/**
 * Builds the A64 assembly `program` (a whole `_start` program, `-march=<march>`) and returns its
 * stdout under `qemu-aarch64 -cpu <cpu>`. Asynchronous: a differential test's oracle program holds
 * every snippet of a file at once, slow to build and run on a loaded machine, and a test worker
 * blocked past vitest's 60 s RPC deadline fails the run ("Timeout calling onTaskUpdate").
 */
export async function stdoutUnderQemu(program: string, march: string, cpu: string): Promise<Buffer> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tsemu-a64-'));
  try {
    const src = path.join(dir, 'p.s');
    const exe = path.join(dir, 'p');
    await writeFile(src, `${program}\n`);
    await execFileAsync('aarch64-linux-gnu-gcc', [`-march=${march}`, '-nostdlib', '-static', '-o', exe, src]);
    const { stdout } = await execFileAsync('qemu-aarch64', ['-cpu', cpu, exe], { encoding: 'buffer', maxBuffer: 1 << 28 });
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const DEFAULT_BASE = 0x10000;
/** The architecture the snippets are assembled for, alone or in a batch. */
const ASSEMBLER_ARCH = '-march=armv8.2-a+crc+lse';

/**
 * Assembles A64 source with aarch64-linux-gnu-as and links it at `base` (so PC-relative
 * relocations such as ADRP's are resolved); returns the .text bytes.
 */
export function assemble(source: string, base = DEFAULT_BASE): Buffer {
  return withTempDir((dir) => {
    const src = path.join(dir, 'a.s');
    const obj = path.join(dir, 'a.o');
    const elf = path.join(dir, 'a.elf');
    const bin = path.join(dir, 'a.bin');
    writeFileSync(src, `${source}\n`);
    execFileSync('aarch64-linux-gnu-as', [ASSEMBLER_ARCH, '-o', obj, src]);
    execFileSync('aarch64-linux-gnu-ld', ['-Ttext', `0x${base.toString(16)}`, '-e', '0', '-o', elf, obj]);
    execFileSync('aarch64-linux-gnu-objcopy', ['-O', 'binary', '-j', '.text', elf, bin]);
    return readFileSync(bin);
  });
}

/** Words of snippets already assembled, by base and source. */
const assembled = new Map<string, number[]>();
const assembledKey = (source: string, base: number): string => `${base}\n${source}`;

function wordsOf(bytes: Buffer): number[] {
  const words: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) words.push(bytes.readUInt32LE(i));
  return words;
}

/** The 32-bit instruction words of `lines`, one instruction per line, placed at `base`. */
export function assembleWords(lines: readonly string[], base = DEFAULT_BASE): number[] {
  const source = lines.join('\n');
  const key = assembledKey(source, base);
  let words = assembled.get(key);
  if (words === undefined) {
    words = wordsOf(assemble(source, base));
    assembled.set(key, words);
  }
  return words;
}

/** Section name to contents of a little-endian ELF64 file. */
function elfSections(elf: Buffer): Map<string, Buffer> {
  const shoff = Number(elf.readBigUInt64LE(0x28));
  const entsize = elf.readUInt16LE(0x3a);
  const count = elf.readUInt16LE(0x3c);
  const header = (i: number): number => shoff + i * entsize;
  const names = header(elf.readUInt16LE(0x3e));
  const namesAt = Number(elf.readBigUInt64LE(names + 0x18));
  const sections = new Map<string, Buffer>();
  for (let i = 1; i < count; i++) {
    const h = header(i);
    const nameAt = namesAt + elf.readUInt32LE(h);
    const name = elf.toString('latin1', nameAt, elf.indexOf(0, nameAt));
    const offset = Number(elf.readBigUInt64LE(h + 0x18));
    sections.set(name, elf.subarray(offset, offset + Number(elf.readBigUInt64LE(h + 0x20))));
  }
  return sections;
}

/**
 * Assembles every snippet not assembled yet at `base` in one run of the assembler and the linker
 * (each snippet a section of its own, all linked at `base`), so that a file of N snippets starts
 * two processes instead of 3N; assembleWords then answers from what this kept. A batch that fails
 * (a snippet that does not assemble, labels clashing between snippets) keeps nothing, and each
 * snippet is assembled alone when asked for, reporting its own error.
 */
export function preassemble(snippets: readonly (readonly string[])[], base = DEFAULT_BASE): void {
  const sources = [...new Set(snippets.map((lines) => lines.join('\n')))].filter(
    (source) => !assembled.has(assembledKey(source, base)),
  );
  if (sources.length === 0) return;
  const at = `0x${base.toString(16)}`;
  try {
    withTempDir((dir) => {
      const src = path.join(dir, 'a.s');
      const script = path.join(dir, 'a.ld');
      const obj = path.join(dir, 'a.o');
      const elf = path.join(dir, 'a.elf');
      writeFileSync(src, sources.map((source, i) => `.section .s${i},"ax"\n${source}\n`).join(''));
      const placed = sources.map((_, i) => `.s${i} ${at} : { *(.s${i}) }`);
      writeFileSync(script, `SECTIONS {\n${placed.join('\n')}\n}\n`);
      execFileSync('aarch64-linux-gnu-as', [ASSEMBLER_ARCH, '-o', obj, src], { stdio: 'pipe' });
      // -N: sections packed in the file, not each on a page of its own; they overlap in memory by design.
      const link = ['-N', '--no-check-sections', '-T', script, '-e', '0', '-o', elf, obj];
      execFileSync('aarch64-linux-gnu-ld', link, { stdio: 'pipe' });
      const sections = elfSections(readFileSync(elf));
      sources.forEach((source, i) => {
        assembled.set(assembledKey(source, base), wordsOf(sections.get(`.s${i}`) ?? Buffer.alloc(0)));
      });
    });
  } catch {
    // Assembled one by one on demand instead.
  }
}

export interface Decoded {
  /** Name of the table row that accepted the word, or undefined. */
  name?: string;
  /** The emitted IR raises an Undefined trap (SIGILL). */
  undefinedTrap: boolean;
  ctx: A64Context;
}

/** Translates one word at `pc` the way the frontend does, reporting which row accepted it. */
export function decodeWord(word: number, pc = 0x400000): Decoded {
  const ctx = new A64Context(new IRBuilder(), 0);
  ctx.pc = pc;
  ctx.insn = word;
  for (const entry of A64_TABLE.matches(word)) {
    if (entry.handler(ctx, extractFields(entry.pattern, word))) {
      const undefinedTrap = ctx.b.insns.some((i) => i.op === 'trap' && i.imm === TrapKind.Undefined);
      return { name: entry.name, undefinedTrap, ctx };
    }
  }
  return { undefinedTrap: true, ctx };
}

/** objdump's disassembly of the given words: one `[mnemonic, operands]` per word. */
export function disassembleWords(words: readonly number[]): [string, string][] {
  return withTempDir((dir) => {
    const src = path.join(dir, 'w.s');
    const obj = path.join(dir, 'w.o');
    writeFileSync(src, words.map((w) => `.inst 0x${(w >>> 0).toString(16)}`).join('\n') + '\n');
    execFileSync('aarch64-linux-gnu-as', ['-o', obj, src]);
    const out = execFileSync('aarch64-linux-gnu-objdump', ['-d', obj], { maxBuffer: 1 << 28 }).toString();
    return parseObjdump(out).map(({ mnemonic, operands }) => [mnemonic, operands]);
  });
}

export interface ObjdumpLine {
  address: number;
  word: number;
  mnemonic: string;
  operands: string;
}

/** The instruction lines of `objdump -d` output. */
export function parseObjdump(out: string): ObjdumpLine[] {
  const lines: ObjdumpLine[] = [];
  for (const line of out.split('\n')) {
    const m = /^\s*([0-9a-f]+):\s+([0-9a-f]{8})\s+(\S+)\s*([^\n]*)$/.exec(line);
    if (!m) continue;
    lines.push({ address: parseInt(m[1]!, 16), word: parseInt(m[2]!, 16), mnemonic: m[3]!, operands: m[4]!.trim() });
  }
  return lines;
}
