/**
 * A program whose ELF entry point (e_entry) leads nowhere: low in unmapped memory, or far above
 * anything the guest can map. The load succeeds and the program dies of SIGSEGV at its first
 * step, under QEMU and under tsemu, on every user target. On big-endian PowerPC64 (ELFv1) the
 * entry is a function descriptor read before the first instruction: an unreadable one reads as 0,
 * as Linux's start_thread and QEMU leave it (tsemu used to stop with an internal error there).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { expectOracleEnding, expectSameBehaviour, runUnderBoth } from '../lib/oracle';
import { buildProgram, USER_TARGETS } from '../syscalls/user-targets';

const E_ENTRY = 0x18;
const EI_CLASS = 4;
const EI_DATA = 5;
const ELFCLASS64 = 2;
const ELFDATA2MSB = 2;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsemu-bad-entry-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** A copy of `program` with e_entry set to `entry`, in the file's class and byte order. */
function withEntry(program: string, entry: bigint, name: string): string {
  const bytes = fs.readFileSync(program);
  const big = bytes[EI_DATA] === ELFDATA2MSB;
  if (bytes[EI_CLASS] === ELFCLASS64) {
    if (big) bytes.writeBigUInt64BE(entry, E_ENTRY);
    else bytes.writeBigUInt64LE(entry, E_ENTRY);
  } else if (big) bytes.writeUInt32BE(Number(entry), E_ENTRY);
  else bytes.writeUInt32LE(Number(entry), E_ENTRY);
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes, { mode: 0o755 });
  return file;
}

const ENTRIES: readonly { title: string; entry64: bigint; entry32: bigint }[] = [
  { title: 'unmapped low page', entry64: 0x1000n, entry32: 0x1000n },
  { title: 'far above the address space', entry64: 0x7ff0_0000_0000n, entry32: 0xe000_0000n },
];

describe.concurrent('an entry point that leads nowhere dies of SIGSEGV, as under QEMU', () => {
  for (const target of USER_TARGETS) {
    for (const { title, entry64, entry32 } of ENTRIES) {
      it(`${target.title}: ${title}`, async () => {
        const program = await buildProgram(target, 'hello');
        const is64 = fs.readFileSync(program)[EI_CLASS] === ELFCLASS64;
        const broken = withEntry(
          program,
          is64 ? entry64 : entry32,
          `${target.title}-${title.replace(/\W+/g, '-')}`,
        );
        const results = await runUnderBoth(target.run, { program: broken });
        expectOracleEnding(results.qemu, { signal: 'SIGSEGV' });
        expectSameBehaviour(results, false);
      });
    }
  }
});
