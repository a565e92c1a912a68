/** A refusal of the block layer (a node that cannot be opened, added, attached or deleted), in QEMU's words. */
export class BlockError extends Error {}
