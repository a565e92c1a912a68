/**
 * -d stats: what the engine did, printed at exit: blocks translated and run per tier, modules
 * compiled, time spent translating against the rest of the run (executing guest code and its
 * syscalls), how often a block lookup outside compiled code found a translation, invalidations.
 */
import type { EngineStats } from '../translate/engine/engine';

/**
 * Lookups that left compiled code (the dispatcher's own cache missed) and reached the engine's
 * translation cache: every interpreted block run and every hot block's compilation; each new IR
 * translation is one that found nothing.
 */
function hitRate(stats: EngineStats): string {
  const lookups = stats.interpreted + stats.modules;
  if (lookups === 0) return 'no lookups';
  const hits = Math.max(0, lookups - stats.translated - stats.cachedCold);
  return `${((100 * hits) / lookups).toFixed(1)}% of ${lookups} lookups outside compiled code`;
}

export function formatStats(stats: EngineStats, elapsedMs: number): string {
  const executing = Math.max(0, elapsedMs - stats.translateMs);
  return [
    'tsemu stats:',
    `  blocks translated to IR:        ${stats.translated}`,
    `  block runs in the interpreter:  ${stats.interpreted}`,
    `  blocks compiled to wasm:        ${stats.blocks} in ${stats.modules} modules (${stats.wasmBytes} bytes)`,
    `  translation cache hit rate:     ${hitRate(stats)}`,
    `  blocks from the disk cache:     ${stats.cached} in ${stats.cachedModules} modules` +
      ` (${stats.cachedWasmBytes} bytes)`,
    `  cached modules from V8's code:  ${stats.cachedFromCode} (not compiled again)`,
    `  cold blocks from the disk cache: ${stats.cachedCold} (their IR, not translated again)`,
    `  invalidations:                  ${stats.invalidations} (blocks discarded: ${stats.discardedCold} cold,` +
      ` ${stats.discardedCompiled} compiled)`,
    `  translation time:               ${stats.translateMs.toFixed(1)} ms of ${elapsedMs.toFixed(1)} ms`,
    `  execution time:                 ${executing.toFixed(1)} ms (guest code, interpreter and syscalls)`,
  ].join('\n');
}
