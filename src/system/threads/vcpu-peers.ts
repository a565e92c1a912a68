/**
 * What one vCPU's engine on a worker thread tells the others' (`VcpuPeers`, docs/smp.md): after a
 * TLBI, or a write to memory holding translated code, every other vCPU is sent news (its engine's
 * cached translations, or its translated code, go) and asked to stop at its next block boundary
 * (its dispatcher's budget word set to 0); the writer goes on once each has taken the news or is not
 * running translated code (it takes its news before it runs again), as a TLBI IS completes once every
 * CPU's TLB has dropped the entries. While it waits it takes its own news, so two vCPUs doing this
 * at once do not wait for each other forever.
 */
import type { GuestMemory } from '../../memory/guest-memory';
import type { VcpuPeers } from '../cpu/system-cpu';
import { CODE_WRITTEN, TRANSLATIONS_CHANGED, type VcpuControl } from './vcpu-control';

/** How long a waiting vCPU sleeps before it asks a slow peer to stop again. */
const RETRY_MS = 1;

/** What a vCPU's engine does with the news it takes. */
export interface NewsActions {
  forgetTranslations(): void;
  forgetCode(): void;
}

/** vCPU `self`'s peers among `budgetWords.length` vCPUs, whose dispatchers' budget words are `budgetWords`. */
export function vcpuPeers(
  control: VcpuControl,
  self: number,
  memory: GuestMemory,
  budgetWords: readonly number[],
  actions: () => NewsActions,
): VcpuPeers {
  const others = budgetWords.map((_, index) => index).filter((index) => index !== self);
  const take = (): void => {
    const news = control.take(self);
    if (news & CODE_WRITTEN) actions().forgetCode();
    else if (news & TRANSLATIONS_CHANGED) actions().forgetTranslations();
  };
  const stopSoon = (vcpu: number): void => memory.view.setInt32(budgetWords[vcpu]!, 0, true);
  const broadcast = (bits: number): void => {
    for (const vcpu of others) {
      control.post(vcpu, bits);
      stopSoon(vcpu);
    }
    for (const vcpu of others) {
      for (let news = control.news(vcpu); news & bits && control.isActive(vcpu); news = control.news(vcpu)) {
        if (control.news(self) !== 0) take();
        control.waitForTaking(vcpu, news, RETRY_MS);
        stopSoon(vcpu);
      }
    }
  };
  return {
    pending: () => control.news(self) !== 0,
    take,
    tlbInvalidated: () => broadcast(TRANSLATIONS_CHANGED),
    codeWritten: () => broadcast(CODE_WRITTEN),
  };
}
