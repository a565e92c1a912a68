/**
 * ARM PrimeCell PL031 real-time clock (ARM DDI 0224): a seconds counter that starts at the host's
 * time of day, can be loaded, and raises its interrupt when it reaches the match register
 * (checked when the guest reads it, which is all Linux's driver relies on at boot).
 */
import { primeCellId, type MmioDevice } from './mmio';

const DR = 0x00;
const MR = 0x04;
const LR = 0x08;
const CR = 0x0c;
const IMSC = 0x10;
const RIS = 0x14;
const MIS = 0x18;
const ICR = 0x1c;

const PL031_ID = [0x31, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

const hostSeconds = (): number => Math.floor(Date.now() / 1000);

export class Pl031 implements MmioDevice {
  readonly name = 'pl031';
  readonly size = 0x1000;
  /** Guest time minus host time, in seconds. */
  private offset = 0;
  private match = 0;
  private imsc = 0;
  private ris = 0;

  reset(): void {
    this.offset = this.match = this.imsc = this.ris = 0;
  }

  private now(): number {
    return (hostSeconds() + this.offset) >>> 0;
  }

  read(offset: number): number {
    switch (offset) {
      case DR:
        return this.now();
      case MR:
        return this.match;
      case CR:
        return 1;
      case IMSC:
        return this.imsc;
      case RIS:
        return this.ris;
      case MIS:
        return this.ris & this.imsc;
      default:
        return primeCellId(offset, PL031_ID) ?? 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    if (offset === LR) this.offset = value - hostSeconds();
    else if (offset === MR) this.match = value >>> 0;
    else if (offset === IMSC) this.imsc = value & 1;
    else if (offset === ICR) this.ris &= ~value;
  }
}
