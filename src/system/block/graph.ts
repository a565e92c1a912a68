/**
 * The block node graph of -blockdev and blockdev-add (QEMU's block layer, cut down to what tsemu
 * opens): `file` nodes over host files and `raw` nodes over another node, each named; devices
 * attach to a node as its root parent. Attaching checks the write permission down the graph as
 * QEMU does: a writable device needs `write` on its node, and through raw nodes on the file node
 * below; a device refuses to share `write` with any other parent (no share-rw); a read-only node
 * grants it to nobody. Parents are kept newest first, the order in which QEMU compares them, so a
 * conflict names the same two users QEMU names.
 */
import type { RawImage } from '../devices/virtio/raw-image';
import { BlockError } from './errors';
import { openImage } from './open-image';
import type { BlockStats } from './stats';
import type { BlockdevOptions, FileOptions, RawOptions } from './options';

/** What a parent asks of the node below it. */
interface Permissions {
  write: boolean;
  unsharesWrite: boolean;
}

/** A user of a node: a device (as its `root` child) or a raw node (its `file` child). */
interface Parent {
  /** How QEMU's messages name it: "block device 'QDEV'", "node 'NAME'". */
  desc: string;
  role: 'root' | 'file';
  permissions(): Permissions;
}

/** Options a node given inline takes from the one it is made for, unless it sets them (QEMU's inheritance). */
const INHERITED = ['read-only', 'auto-read-only', 'cache', 'discard'] as const;

const NODE_NAME_MAX = 31;

export class BlockNode {
  /** Newest first. */
  readonly parents: Parent[] = [];

  constructor(
    readonly name: string,
    readonly options: BlockdevOptions,
    /** The host file, a file node's own or the one under a raw node. */
    readonly image: RawImage,
    /** A raw node's `file` child. */
    readonly child?: BlockNode,
  ) {}

  get driver(): 'file' | 'raw' {
    return this.options.driver;
  }

  /** Read-only as asked, or (a file node under auto-read-only) because the file could only be read. */
  get readOnly(): boolean {
    return this.driver === 'file' ? this.image.readOnly : this.options['read-only'] === true;
  }

  /** The image as a device on this node sees it: read-only when the node is. */
  deviceImage(): RawImage {
    return this.readOnly ? this.image.asReadOnly() : this.image;
  }

  /** What this node's parents ask, together: what it asks of its own child. */
  cumulativePermissions(): Permissions {
    const all = this.parents.map((p) => p.permissions());
    return { write: all.some((p) => p.write), unsharesWrite: all.some((p) => p.unsharesWrite) };
  }
}

/** A device using a block backend: its qdev name (id or QOM path) and its requests' accounting. */
export interface AttachedDevice {
  qdev: string;
  stats: BlockStats;
}

/** The nodes and the devices attached to them. */
export class BlockGraph {
  /** By name, in the order they were made (list() gives them newest first). */
  private readonly nodes = new Map<string, BlockNode>();
  /** Nodes that -blockdev or blockdev-add made, which blockdev-del may delete. */
  private readonly roots = new Set<string>();
  /** The devices attached to nodes, in order: query-block's entries after the drives. */
  readonly attached: (AttachedDevice & { node: BlockNode })[] = [];
  /** The root nodes of the -drive media, in use by their drive's backend. */
  private readonly driveRoots = new Set<string>();
  /** The -drive ids: node names and drive ids share one namespace in QEMU. */
  private readonly deviceNames = new Set<string>();
  private generated = 0;

  /** A -drive's id, refused when a node has that name. */
  reserveDeviceName(id: string): void {
    if (this.nodes.has(id)) throw new BlockError(`Device name '${id}' conflicts with an existing node name`);
    this.deviceNames.add(id);
  }

  /** Every node, newest first. */
  list(): BlockNode[] {
    return [...this.nodes.values()].reverse();
  }

  find(name: string): BlockNode | undefined {
    return this.nodes.get(name);
  }

  /** Opens the node `options` describe (-blockdev, blockdev-add); throws BlockError or the schema's QmpError. */
  add(options: BlockdevOptions): BlockNode {
    if (options['node-name'] === undefined) throw new BlockError("'node-name' must be specified for the root node");
    const node = this.open(options);
    this.roots.add(node.name);
    return node;
  }

  /** blockdev-del: a node -blockdev or blockdev-add made, with no parent. */
  delete(name: string): void {
    const node = this.nodes.get(name);
    if (!node) throw new BlockError(`Failed to find node with node-name='${name}'`);
    if (this.driveRoots.has(name) || node.parents.some((p) => p.role === 'root')) throw new BlockError(`Node ${name} is in use`);
    if (!this.roots.has(name)) throw new BlockError(`Node ${name} is not owned by the monitor`);
    if (node.parents.length > 0) throw new BlockError(`Block device ${name} is in use`);
    this.roots.delete(name);
    this.remove(node);
  }

  /** A device attaches to `node` as its root. */
  attachDevice(node: BlockNode, device: AttachedDevice): void {
    const { qdev } = device;
    const parent: Parent = {
      desc: `block device '${qdev}'`,
      role: 'root',
      permissions: () => ({ write: !node.readOnly, unsharesWrite: true }),
    };
    node.parents.unshift(parent);
    try {
      this.checkPermissions(node);
    } catch (e) {
      node.parents.shift();
      throw e;
    }
    this.attached.push({ ...device, node });
  }

  /**
   * A -drive's medium: a raw node over a file node, both unnamed (QEMU names them `#blockNNN`),
   * listed with the rest but not for -device or blockdev-del, which take the drive's id.
   */
  addDriveMedium(image: RawImage): BlockNode {
    const readOnly = { 'read-only': image.readOnly };
    const file = this.insert(new BlockNode(this.generatedName(), { driver: 'file', filename: image.path, ...readOnly }, image));
    const root = this.stack({ driver: 'raw', file: file.name, ...readOnly }, this.generatedName(), file);
    this.driveRoots.add(root.name);
    return root;
  }

  private open(options: BlockdevOptions): BlockNode {
    const name = options['node-name'] ?? this.generatedName();
    if (options['node-name'] !== undefined) this.checkName(name);
    if (options.driver === 'raw') {
      const child = typeof options.file === 'string' ? this.reference(options.file) : this.open(inherit(options.file, options));
      return this.stack(options, name, child);
    }
    const image = openImage(options.filename, {
      readOnly: options['read-only'] === true,
      autoReadOnly: options['auto-read-only'] === true,
      snapshot: false,
    });
    return this.insert(new BlockNode(name, options, image));
  }

  /** A raw node over `child`, its `file`. */
  private stack(options: RawOptions, name: string, child: BlockNode): BlockNode {
    const node = new BlockNode(name, options, child.image, child);
    child.parents.unshift({ desc: `node '${name}'`, role: 'file', permissions: () => node.cumulativePermissions() });
    return this.insert(node);
  }

  private insert(node: BlockNode): BlockNode {
    this.nodes.set(node.name, node);
    return node;
  }

  private generatedName(): string {
    return `#block${this.generated++}`;
  }

  private reference(name: string): BlockNode {
    const node = this.nodes.get(name);
    if (!node) throw new BlockError(`Cannot find device='${name}' nor node-name='${name}'`);
    return node;
  }

  private checkName(name: string): void {
    if (!/^[A-Za-z][A-Za-z0-9._-]*$/.test(name)) throw new BlockError(`Invalid node-name: '${name}'`);
    if (this.deviceNames.has(name)) throw new BlockError(`node-name=${name} is conflicting with a device id`);
    if (this.nodes.has(name)) throw new BlockError(`Duplicate nodes with node-name='${name}'`);
    if (name.length > NODE_NAME_MAX) throw new BlockError('Node name too long');
  }

  /** Closes a node no one uses, and its child when that was the child's last user and no monitor owns it. */
  private remove(node: BlockNode): void {
    this.nodes.delete(node.name);
    const child = node.child;
    if (!child) {
      node.image.close();
      return;
    }
    child.parents.splice(child.parents.findIndex((p) => p.desc === `node '${node.name}'`), 1);
    if (child.parents.length === 0 && !this.roots.has(child.name)) this.remove(child);
  }

  /** QEMU's check from a node down: parents that conflict over `write`, then `write` on a read-only node. */
  private checkPermissions(node: BlockNode): void {
    const asked = node.parents.map((parent) => ({ parent, ...parent.permissions() }));
    for (const a of asked)
      for (const b of asked)
        if (a !== b && b.write && a.unsharesWrite)
          throw new BlockError(
            `Permission conflict on node '${node.name}': permissions 'write' are both required by ${b.parent.desc} ` +
              `(uses node '${node.name}' as '${b.parent.role}' child) and unshared by ${a.parent.desc} ` +
              `(uses node '${node.name}' as '${a.parent.role}' child).`,
          );
    if (asked.some((p) => p.write) && node.readOnly) throw new BlockError('Block node is read-only');
    if (node.child) this.checkPermissions(node.child);
  }
}

/** An inline child's options with what it inherits from its parent's. */
function inherit(child: FileOptions, parent: BlockdevOptions): FileOptions {
  const inherited: Partial<FileOptions> = {};
  for (const key of INHERITED) if (parent[key] !== undefined && child[key] === undefined) Object.assign(inherited, { [key]: parent[key] });
  return { ...child, ...inherited };
}
