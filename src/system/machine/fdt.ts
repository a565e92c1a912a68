/**
 * A flattened device tree (devicetree specification v0.4, chapter 5) built as nodes and properties
 * and written out as a version 17 blob: header, empty memory reservation map, structure block,
 * strings block. Also a reader back into nodes, for `-dtb` files and for tests.
 */

export type FdtValue = Uint8Array;

export class FdtNode {
  readonly props: [string, FdtValue][] = [];
  readonly children: FdtNode[] = [];

  constructor(readonly name: string) {}

  child(name: string): FdtNode {
    const node = new FdtNode(name);
    this.children.push(node);
    return node;
  }

  /** Adds a property; chainable. */
  prop(name: string, value: FdtValue): this {
    this.props.push([name, value]);
    return this;
  }

  /** Finds a descendant by path ("/cpus/cpu@0"), relative to this node. */
  find(path: string): FdtNode | undefined {
    let node: FdtNode | undefined = this;
    for (const part of path.split('/').filter((p) => p !== ''))
      node = node?.children.find((c) => c.name === part);
    return node;
  }
}

/** Property value encoders. */
export const fdt = {
  empty: (): FdtValue => new Uint8Array(0),
  /** Big-endian 32-bit cells. */
  cells: (...values: (number | bigint)[]): FdtValue => {
    const out = new Uint8Array(values.length * 4);
    const view = new DataView(out.buffer);
    values.forEach((v, i) => view.setUint32(i * 4, Number(BigInt.asUintN(32, BigInt(v))), false));
    return out;
  },
  /** A 64-bit value as two cells (what #address-cells = <2> and #size-cells = <2> expect). */
  u64: (v: number | bigint): [bigint, bigint] => [BigInt(v) >> 32n, BigInt(v) & 0xffffffffn],
  /** NUL-terminated strings, concatenated (a string list). */
  strings: (...values: string[]): FdtValue => Buffer.from(values.map((s) => `${s}\0`).join(''), 'latin1'),
};

const FDT_MAGIC = 0xd00dfeed;
const FDT_BEGIN_NODE = 1;
const FDT_END_NODE = 2;
const FDT_PROP = 3;
const FDT_NOP = 4;
const FDT_END = 9;
const HEADER_SIZE = 40;
const VERSION = 17;
const LAST_COMP_VERSION = 16;

const align4 = (n: number): number => (n + 3) & ~3;

/** Serialises the tree rooted at `root` (whose name is ""). */
export function writeFdt(root: FdtNode): Buffer {
  const strings: string[] = [];
  const stringOffsets = new Map<string, number>();
  let stringsSize = 0;
  const nameOffset = (name: string): number => {
    let at = stringOffsets.get(name);
    if (at === undefined) {
      at = stringsSize;
      stringOffsets.set(name, at);
      strings.push(name);
      stringsSize += name.length + 1;
    }
    return at;
  };
  const chunks: Buffer[] = [];
  const word = (v: number): void => {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(v >>> 0);
    chunks.push(b);
  };
  const padded = (bytes: Uint8Array): void => {
    const b = Buffer.alloc(align4(bytes.length));
    b.set(bytes);
    chunks.push(b);
  };
  const emit = (node: FdtNode): void => {
    word(FDT_BEGIN_NODE);
    padded(Buffer.from(`${node.name}\0`, 'latin1'));
    for (const [name, value] of node.props) {
      word(FDT_PROP);
      word(value.length);
      word(nameOffset(name));
      padded(value);
    }
    node.children.forEach(emit);
    word(FDT_END_NODE);
  };
  emit(root);
  word(FDT_END);
  const struct = Buffer.concat(chunks);
  const stringsBlock = Buffer.from(strings.map((s) => `${s}\0`).join(''), 'latin1');
  const rsvOffset = HEADER_SIZE;
  const rsvSize = 16; // one all-zero terminating entry
  const structOffset = rsvOffset + rsvSize;
  const stringsOffset = structOffset + struct.length;
  const total = align4(stringsOffset + stringsBlock.length);
  const out = Buffer.alloc(total);
  const header = [
    FDT_MAGIC,
    total,
    structOffset,
    stringsOffset,
    rsvOffset,
    VERSION,
    LAST_COMP_VERSION,
    0,
    stringsBlock.length,
    struct.length,
  ];
  header.forEach((v, i) => out.writeUInt32BE(v >>> 0, i * 4));
  struct.copy(out, structOffset);
  stringsBlock.copy(out, stringsOffset);
  return out;
}

export class FdtError extends Error {}

/** Parses a blob back into nodes; throws FdtError on malformed input. */
export function readFdt(blob: Uint8Array): FdtNode {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const fail = (why: string): never => {
    throw new FdtError(`invalid device tree blob: ${why}`);
  };
  if (buf.length < HEADER_SIZE || buf.readUInt32BE(0) !== FDT_MAGIC) fail('bad magic');
  const structOffset = buf.readUInt32BE(8);
  const stringsOffset = buf.readUInt32BE(12);
  const stringsSize = buf.readUInt32BE(32);
  const structSize = buf.readUInt32BE(36);
  if (structOffset + structSize > buf.length || stringsOffset + stringsSize > buf.length)
    fail('blocks outside the blob');
  const stringAt = (off: number): string => {
    const start = stringsOffset + off;
    const end = buf.indexOf(0, start);
    if (off >= stringsSize || end < 0 || end >= stringsOffset + stringsSize) fail('bad property name offset');
    return buf.toString('latin1', start, end);
  };
  let at = structOffset;
  const end = structOffset + structSize;
  const next = (): number => {
    if (at + 4 > end) fail('truncated structure block');
    const v = buf.readUInt32BE(at);
    at += 4;
    return v;
  };
  const stack: FdtNode[] = [];
  let root: FdtNode | undefined;
  for (;;) {
    const token = next();
    if (token === FDT_BEGIN_NODE) {
      const close = buf.indexOf(0, at);
      if (close < 0 || close >= end) fail('unterminated node name');
      const node = new FdtNode(buf.toString('latin1', at, close));
      at = align4(close + 1 - structOffset) + structOffset;
      if (stack.length > 0) stack[stack.length - 1]!.children.push(node);
      else if (root) fail('two root nodes');
      else root = node;
      stack.push(node);
    } else if (token === FDT_END_NODE) {
      if (!stack.pop()) fail('unbalanced end of node');
    } else if (token === FDT_PROP) {
      const length = next();
      const name = stringAt(next());
      if (at + length > end || stack.length === 0) fail('property outside a node');
      stack[stack.length - 1]!.props.push([name, new Uint8Array(buf.subarray(at, at + length))]);
      at += align4(length);
    } else if (token === FDT_NOP) {
      continue;
    } else if (token === FDT_END) {
      break;
    } else {
      fail(`unknown token ${token}`);
    }
  }
  if (!root || stack.length > 0) fail('unterminated tree');
  return root!;
}
