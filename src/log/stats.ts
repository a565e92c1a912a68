/**
 * -d stats: what the engine did, printed at exit: blocks translated and run per tier, modules
 * compiled, time spent translating against the run's whole time, invalidations.
 */
import type { EngineStats } from '../translate/engine/engine';

export function formatStats(stats: EngineStats, elapsedMs: number): string {
  return [
    'tsemu stats:',
    `  blocks translated to IR:        ${stats.translated}`,
    `  block runs in the interpreter:  ${stats.interpreted}`,
    `  blocks compiled to wasm:        ${stats.blocks} in ${stats.modules} modules (${stats.wasmBytes} bytes)`,
    `  invalidations:                  ${stats.invalidations}`,
    `  translation time:               ${stats.translateMs.toFixed(1)} ms of ${elapsedMs.toFixed(1)} ms`,
  ].join('\n');
}
