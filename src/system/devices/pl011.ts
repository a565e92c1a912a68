/**
 * ARM PrimeCell PL011 UART (ARM DDI 0183): transmit goes straight to the chardev, received bytes
 * wait in a 16-entry FIFO (1 entry with FIFOs disabled). The interrupt line is raised while any
 * unmasked interrupt status bit is set (UARTMIS != 0); transmit is always ready. A break arrives
 * as a FIFO entry of data 0 with the break error bit (DR.BE); reading it sets RSR.BE until RSR is
 * written, and it raises the receive interrupt, as QEMU's PL011 does (not the break interrupt).
 */
import { primeCellId, type MmioDevice } from './mmio';
import type { IrqLine } from './interrupts';

const DR = 0x00;
const RSR = 0x04;
const FR = 0x18;
const ILPR = 0x20;
const IBRD = 0x24;
const FBRD = 0x28;
const LCR_H = 0x2c;
const CR = 0x30;
const IFLS = 0x34;
const IMSC = 0x38;
const RIS = 0x3c;
const MIS = 0x40;
const ICR = 0x44;
const DMACR = 0x48;

/** DR's error bits (11:8) of a received entry are RSR's bits 3:0 once it is read. */
const DR_ERROR_SHIFT = 8;
const DR_BE = 1 << 10;

const FR_RXFE = 1 << 4;
const FR_RXFF = 1 << 6;
const FR_TXFE = 1 << 7;
const INT_RX = 1 << 4;
const INT_TX = 1 << 5;
const LCR_FEN = 1 << 4;
const FIFO_DEPTH = 16;

const PL011_ID = [0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1];

export class Pl011 implements MmioDevice {
  readonly name = 'pl011';
  readonly size = 0x1000;
  /** Received entries: a byte and its error bits, as DR reads them. */
  private rx: number[] = [];
  private rsr = 0;
  private lcr = 0;
  private cr = 0x300;
  private ibrd = 0;
  private fbrd = 0;
  private ifls = 0x12;
  private imsc = 0;
  private ris = 0;
  private ilpr = 0;
  private dmacr = 0;

  constructor(
    private readonly irq: IrqLine,
    /** Where transmitted bytes go (the serial chardev's stream, or nowhere). */
    private readonly transmit: (byte: number) => void,
  ) {}

  reset(): void {
    this.rx = [];
    this.rsr = 0;
    this.lcr = 0;
    this.cr = 0x300;
    this.ibrd = this.fbrd = this.imsc = this.ris = this.ilpr = this.dmacr = 0;
    this.ifls = 0x12;
    this.update();
  }

  private get depth(): number {
    return this.lcr & LCR_FEN ? FIFO_DEPTH : 1;
  }

  /** Called when the receive FIFO has emptied, so the chardev side can offer more input. */
  onRxSpace: () => void = () => undefined;

  /** Bytes arriving from the chardev: takes as many as the FIFO has room for, returns that count. */
  receive(bytes: Uint8Array): number {
    const taken = Math.min(bytes.length, this.depth - this.rx.length);
    for (let i = 0; i < taken; i++) this.rx.push(bytes[i]!);
    if (this.rx.length > 0) this.ris |= INT_RX;
    this.update();
    return taken;
  }

  /**
   * A break on the line: a FIFO entry of its own, taken even past the FIFO's depth as QEMU's PL011
   * takes it (up to the 16 entries the FIFO has).
   */
  receiveBreak(): void {
    if (this.rx.length < FIFO_DEPTH) this.rx.push(DR_BE);
    this.ris |= INT_RX;
    this.update();
  }

  private update(): void {
    this.irq((this.ris & this.imsc) !== 0);
  }

  read(offset: number): number {
    switch (offset) {
      case DR: {
        const entry = this.rx.shift() ?? 0;
        this.rsr = entry >> DR_ERROR_SHIFT;
        if (this.rx.length === 0) {
          this.ris &= ~INT_RX;
          this.onRxSpace();
        }
        this.update();
        return entry;
      }
      case RSR:
        return this.rsr;
      case FR:
        return FR_TXFE | (this.rx.length === 0 ? FR_RXFE : 0) | (this.rx.length >= this.depth ? FR_RXFF : 0);
      case ILPR:
        return this.ilpr;
      case IBRD:
        return this.ibrd;
      case FBRD:
        return this.fbrd;
      case LCR_H:
        return this.lcr;
      case CR:
        return this.cr;
      case IFLS:
        return this.ifls;
      case IMSC:
        return this.imsc;
      case RIS:
        return this.ris;
      case MIS:
        return this.ris & this.imsc;
      case DMACR:
        return this.dmacr;
      default:
        return primeCellId(offset, PL011_ID) ?? 0;
    }
  }

  write(offset: number, _size: number, value: number): void {
    switch (offset) {
      case DR:
        this.transmit(value & 0xff);
        this.ris |= INT_TX;
        break;
      case RSR:
        this.rsr = 0;
        break;
      case ILPR:
        this.ilpr = value & 0xff;
        break;
      case IBRD:
        this.ibrd = value & 0xffff;
        break;
      case FBRD:
        this.fbrd = value & 0x3f;
        break;
      case LCR_H:
        this.lcr = value & 0xff;
        break;
      case CR:
        this.cr = value & 0xffff;
        break;
      case IFLS:
        this.ifls = value & 0x3f;
        break;
      case IMSC:
        this.imsc = value & 0x7ff;
        break;
      case ICR:
        this.ris &= ~value;
        break;
      case DMACR:
        this.dmacr = value & 7;
        break;
      default:
        break;
    }
    this.update();
  }
}
