/**
 * -blockdev, in its two syntaxes: JSON (`-blockdev '{"driver":"file",...}'`, what libvirt writes)
 * or keyval (`driver=file,filename=F,node-name=N,cache.direct=on`). Each opens its node in the
 * graph, in command-line order, before any -drive, as QEMU does.
 */
import { BlockError } from '../block/errors';
import { BlockGraph } from '../block/graph';
import { BLOCKDEV_OPTIONS, blockdevOptions } from '../block/options';
import { QmpError } from '../monitor/qmp/errors';
import { parseJsonOption } from './json-option';
import { keyvalObject } from './keyval';
import { OptsError } from './qemu-opts';

function optionsValue(text: string): Record<string, unknown> {
  if (!text.startsWith('{')) return keyvalObject(text, BLOCKDEV_OPTIONS, 'driver');
  return parseJsonOption(text) as Record<string, unknown>;
}

/** The graph of the -blockdev options. */
export function blockGraphFrom(texts: readonly string[]): BlockGraph {
  const graph = new BlockGraph();
  for (const text of texts) {
    try {
      graph.add(blockdevOptions(optionsValue(text)));
    } catch (e) {
      if (e instanceof OptsError || e instanceof BlockError || e instanceof QmpError) throw new OptsError(`-blockdev ${text}: ${e.message}`);
      throw e;
    }
  }
  return graph;
}
