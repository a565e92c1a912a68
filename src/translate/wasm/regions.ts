/**
 * Groups the blocks of a batch into regions: the strongly connected components of the graph of
 * their direct branches and observed indirect ones (Tarjan's algorithm). A component of several
 * blocks is a loop whose blocks are lowered into one function, so the loop runs without leaving
 * wasm locals.
 */
import type { IRBlock } from '../ir/block';

/**
 * Returns the components as lists of block indices. A loop's list is in reverse postorder from its
 * first block in batch order (normally its header, where the batch entered it), so most of its
 * edges point forward and the back edges target the front.
 */
export function loopRegions(
  blocks: readonly IRBlock[],
  indirectTargets: (pc: number) => readonly number[] = () => [],
): number[][] {
  const indexOfPc = new Map<number, number>();
  blocks.forEach((b, i) => {
    if (!indexOfPc.has(b.pc)) indexOfPc.set(b.pc, i);
  });
  const edges = blocks.map((b) =>
    [...b.successors, ...indirectTargets(b.pc)]
      .map((pc) => indexOfPc.get(pc))
      .filter((i): i is number => i !== undefined),
  );
  const order: number[] = new Array(blocks.length).fill(-1);
  const low: number[] = new Array(blocks.length).fill(0);
  const onStack: boolean[] = new Array(blocks.length).fill(false);
  const stack: number[] = [];
  const components: number[][] = [];
  let counter = 0;

  const visit = (v: number): void => {
    order[v] = low[v] = counter++;
    stack.push(v);
    onStack[v] = true;
    for (const w of edges[v]!) {
      if (order[w] === -1) {
        visit(w);
        low[v] = Math.min(low[v]!, low[w]!);
      } else if (onStack[w]) {
        low[v] = Math.min(low[v]!, order[w]!);
      }
    }
    if (low[v] === order[v]) {
      const component: number[] = [];
      let w: number;
      do {
        w = stack.pop()!;
        onStack[w] = false;
        component.push(w);
      } while (w !== v);
      components.push(reversePostorder(component, edges));
    }
  };
  for (let v = 0; v < blocks.length; v++) if (order[v] === -1) visit(v);
  return components;
}

function reversePostorder(component: number[], edges: readonly number[][]): number[] {
  const members = new Set(component);
  const seen = new Set<number>();
  const post: number[] = [];
  const walk = (v: number): void => {
    seen.add(v);
    for (const w of edges[v]!) if (members.has(w) && !seen.has(w)) walk(w);
    post.push(v);
  };
  walk(Math.min(...component));
  return post.reverse();
}
