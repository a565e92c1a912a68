/** An interrupt line a device drives (level-sensitive): the board connects it to a controller input. */
export type IrqLine = (level: boolean) => void;

/** What a board asks of its interrupt controller, whichever GIC it has. CPUs are named by index. */
export interface InterruptController {
  /** The line of interrupt `intid` (an SPI's, or CPU `cpu`'s line of a PPI) changed. */
  setLine(intid: number, level: boolean, cpu?: number): void;
  /** The IRQ signal to CPU `cpu`. */
  irqAsserted(cpu: number): boolean;
  /** The FIQ signal to CPU `cpu`, if the controller has one. */
  fiqAsserted?(cpu: number): boolean;
}
