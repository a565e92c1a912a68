/**
 * The device tree `-M virt` generates (with its GICv2, and with a GICv3; one CPU, or several with
 * -smp and their topology), dumped with
 * `-machine dumpdtb=FILE` by tsemu and by qemu-system-aarch64 with the same options: every node
 * tsemu emits exists in QEMU's tree with the same properties and values (the random rng-seed and
 * kaslr-seed excepted), and QEMU's nodes tsemu leaves out are exactly those of the devices it does
 * not model yet.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readFdt, type FdtNode } from '../../src/system/machine/fdt';
import { QEMU_SYSTEM, TSEMU_SYSTEM } from './bare-metal';
import { runProcess } from '../lib/run-process';

const RANDOM_PROPS = new Set(['rng-seed', 'kaslr-seed']);
/** QEMU virt devices tsemu does not have yet (PCIe, GPIO, PMU, GICv2m, the GICv3 ITS). */
const NOT_MODELLED =
  /^\/(pcie@10000000|gpio-keys|pl061@9030000|pmu|platform-bus@c000000|intc@8000000\/(v2m@8020000|its@8080000))(\/|$)/;

function nodesByPath(root: FdtNode): Map<string, FdtNode> {
  const out = new Map<string, FdtNode>();
  const walk = (node: FdtNode, at: string): void => {
    out.set(at || '/', node);
    for (const child of node.children) walk(child, `${at}/${child.name}`);
  };
  walk(root, '');
  return out;
}

const props = (node: FdtNode): Map<string, string> =>
  new Map(
    node.props.map(([name, value]) => [
      name,
      RANDOM_PROPS.has(name) ? `<${value.length} random bytes>` : Buffer.from(value).toString('hex'),
    ]),
  );

describe('-M virt device tree', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsemu-dtb-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // The default GICv2, and the GICv3 asked for by number and as the newest there is; one CPU, and
  // several (the cpu nodes, cpu-map, phandles and the GICv2 PPIs' CPU mask depend on them).
  it.each([
    ['virt', '1'],
    ['virt,gic-version=3', '1'],
    ['virt,gic-version=max', '1'],
    ['virt', '2'],
    ['virt', '4,sockets=2,cores=2'],
    ['virt', '8,cores=2,threads=2,clusters=2'],
    ['virt,gic-version=3', '2'],
  ])(
    'matches the nodes of qemu-system-aarch64 -machine %s,dumpdtb -smp %s for the devices tsemu models',
    async (machine, smp) => {
      const dump = async (binary: string, file: string): Promise<Map<string, FdtNode>> => {
        const args = ['-M', `${machine},dumpdtb=${file}`, '-smp', smp, '-cpu', 'cortex-a57', '-m', '256M', '-nographic'];
        const r = await runProcess(binary, {
          args,
          env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
          timeoutMs: 30_000,
        });
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toContain(`info: dtb dumped to ${file}. Exiting.`);
        return nodesByPath(readFdt(readFileSync(file)));
      };
      const [ours, theirs] = await Promise.all([
        dump(TSEMU_SYSTEM, path.join(dir, 'tsemu.dtb')),
        dump(QEMU_SYSTEM, path.join(dir, 'qemu.dtb')),
      ]);
      for (const [at, node] of ours) {
        const qemuNode = theirs.get(at);
        expect(qemuNode, `QEMU has no ${at}`).toBeDefined();
        expect(Object.fromEntries(props(node)), at).toEqual(Object.fromEntries(props(qemuNode!)));
      }
      const missing = [...theirs.keys()].filter((at) => !ours.has(at));
      expect(missing.filter((at) => !NOT_MODELLED.test(at))).toEqual([]);
    },
  );
});
