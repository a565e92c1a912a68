/** An interrupt line a device drives (level-sensitive): the board connects it to a controller input. */
export type IrqLine = (level: boolean) => void;
