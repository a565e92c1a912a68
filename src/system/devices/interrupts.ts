/** An interrupt line a device drives (level-sensitive): the board connects it to a controller input. */
export type IrqLine = (level: boolean) => void;

/** What a board asks of its interrupt controller, whichever GIC it has. */
export interface InterruptController {
  /** The line of interrupt `intid` (a PPI's or an SPI's) changed. */
  setLine(intid: number, level: boolean): void;
  /** The IRQ signal to the CPU. */
  irqAsserted(): boolean;
  /** The FIQ signal to the CPU, if the controller has one. */
  fiqAsserted?(): boolean;
}
