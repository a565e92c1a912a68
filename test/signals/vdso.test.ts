/**
 * The PowerPC64 vDSO image tsemu maps (src/loader/vdso/), read by binutils' readelf as the
 * oracle for its ELF and DWARF structure, in both byte orders: the program headers glibc's
 * setup_vdso and Go's vDSO parser walk, the dynamic symbols with their LINUX_2.6.15 version, and
 * the CIE/FDE for __kernel_sigtramp_rt64 (a signal frame, return address column 67, covering the
 * nop before the trampoline through its sc, as Linux's sigtramp64.S has it). That glibc and libgcc
 * use it is shown by test/signals/unwind.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ppc64Vdso } from '../../src/loader/vdso/ppc64';

const dir = mkdtempSync(path.join(tmpdir(), 'tsemu-vdso-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SYMBOLS = [
  '__kernel_clock_gettime',
  '__kernel_clock_getres',
  '__kernel_gettimeofday',
  '__kernel_getcpu',
  '__kernel_sigtramp_rt64',
];

function readelf(littleEndian: boolean, args: string[]): string {
  const file = path.join(dir, littleEndian ? 'vdso-le.so' : 'vdso-be.so');
  writeFileSync(file, ppc64Vdso(littleEndian).bytes);
  const tool = littleEndian ? 'powerpc64le-linux-gnu-readelf' : 'powerpc64-linux-gnu-readelf';
  const run = spawnSync(tool, ['-W', ...args, file], { encoding: 'utf8' });
  expect(run.error).toBeUndefined();
  // readelf reports what it finds malformed on stderr.
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return run.stdout;
}

describe.each([true, false])('the ppc64 vDSO image, little-endian %s, read by readelf', (littleEndian) => {
  it('is an ELF64 shared object with one R+X PT_LOAD at 0, a read-only PT_DYNAMIC and PT_GNU_EH_FRAME', () => {
    const out = readelf(littleEndian, ['-h', '-l']);
    expect(out).toMatch(/Type:\s+DYN \(Shared object file\)/);
    expect(out).toMatch(/Machine:\s+PowerPC64/);
    expect(out).toMatch(littleEndian ? /Flags:\s+0x2, abiv2/ : /Flags:\s+0x1, abiv1/);
    expect(out).toMatch(/LOAD\s+0x0+ 0x0+ 0x0+ \S+ \S+ R E 0x1000/);
    expect(out).toMatch(/DYNAMIC\s+.* R   0x8/);
    expect(out).toMatch(/GNU_EH_FRAME\s+.* R   0x4/);
  });

  it('exports the trampoline and the time and cpu entry points as versioned functions, with a soname', () => {
    const out = readelf(littleEndian, ['--dyn-syms', '-d', '-V']);
    for (const name of SYMBOLS) {
      expect(out).toMatch(new RegExp(`FUNC\\s+GLOBAL\\s+DEFAULT\\s+\\d+ ${name}@@LINUX_2\\.6\\.15`));
    }
    expect(out).toContain('Library soname: [linux-vdso64.so.1]');
    expect(out).toMatch(/Flags: BASE\s+Index: 1\s+Cnt: 1\s+Name: linux-vdso64.so.1/);
    expect(out).toMatch(/Flags: none\s+Index: 2\s+Cnt: 1\s+Name: LINUX_2.6.15/);
  });

  it('describes the trampoline as a signal frame from the nop before it through its sc', () => {
    const syms = readelf(littleEndian, ['--dyn-syms']);
    const sigtramp = parseInt(/([0-9a-f]{16})\s+12 FUNC .* __kernel_sigtramp_rt64/.exec(syms)![1]!, 16);
    const frames = readelf(littleEndian, ['--debug-dump=frames']);
    expect(frames).toMatch(/Augmentation:\s+"zRS"/);
    expect(frames).toMatch(/Return address column: 67/);
    const fde = /FDE cie=00000000 pc=([0-9a-f]+)\.\.([0-9a-f]+)/.exec(frames)!;
    expect([parseInt(fde[1]!, 16), parseInt(fde[2]!, 16)]).toEqual([sigtramp - 4, sigtramp + 12]);
    // The CFA is r1 as the interrupted code had it: sigcontext.regs->gpr[1], found 352 bytes above r1.
    expect(frames).toContain(
      'DW_CFA_def_cfa_expression (DW_OP_breg1 (r1): 352; DW_OP_deref; DW_OP_plus_uconst: 8; DW_OP_deref)',
    );
    expect(frames).toContain('DW_CFA_expression: r67 (DW_OP_breg1 (r1): 352; DW_OP_deref; DW_OP_plus_uconst: 256)');
  });
});
