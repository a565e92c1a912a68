/**
 * The sigreturn trampoline: handlers installed without SA_RESTORER return to code that calls
 * rt_sigreturn. Linux has it in the vDSO: where tsemu maps one for the target (PowerPC64), that is
 * where handlers return. Elsewhere (as QEMU does) tsemu maps one page holding the target's
 * trampoline, once per process, the first time a handler needs it.
 */
import { vdsoBase } from '../../loader/vdso/map-vdso';
import { MAP_ANONYMOUS, MAP_PRIVATE, PROT_EXEC, PROT_READ, PROT_WRITE } from '../../memory/linux-mm';
import { PAGE_SIZE } from '../../memory/layout';
import type { GuestProcess } from '../process';
import type { SignalFrameTarget } from './frame-target';

const pages = new WeakMap<GuestProcess, number>();

/** Guest address of the trampoline (mapping its page on first use). */
export function trampolineAddress(proc: GuestProcess, frame: SignalFrameTarget): number {
  const vdso = frame.vdsoTrampolineOffset ? vdsoBase(proc.space) : undefined;
  if (vdso !== undefined) return vdso + frame.vdsoTrampolineOffset!(proc.memory.littleEndian);
  let at = pages.get(proc);
  if (at === undefined) {
    at = proc.space.mmap(0, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (at < 0) throw new Error(`cannot map the sigreturn trampoline page: ${at}`);
    frame.trampoline.forEach((word, i) => proc.memory.write32(at! + i * 4, word));
    proc.space.mprotect(at, PAGE_SIZE, PROT_READ | PROT_EXEC);
    proc.space.nameRegion(at, PAGE_SIZE, '[sigpage]');
    pages.set(proc, at);
  }
  return at;
}

/** Forgets the trampoline page: an execve emptied the address space that held it. */
export function forgetTrampoline(proc: GuestProcess): void {
  pages.delete(proc);
}
