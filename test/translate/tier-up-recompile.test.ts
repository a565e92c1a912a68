/**
 * A forked child's TurboFan recompile of a batch (src/translate/wasm/tiers.ts recompileOptimized)
 * against V8's native module cache, which keeps one compiled module per distinct wire bytes.
 *
 * The recompile must give TurboFan code although the batch's baseline module, same bytes, is alive;
 * and a module freed meanwhile must leave the cache usable. Switching the cache off around the
 * recompile (what tsemu did before) broke the second: a module freed while it was off kept a dead
 * entry, and the next compile of its bytes waited for it forever (a forked dpkg-deb of Debian's
 * second stage hung so). The runs are Node processes of their own, started with tsemu's flags; a
 * hang shows as the timeout.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../../src/user/reentry';
import { REPO_ROOT } from '../lib/targets';

/** Node's flags as tsemu's user mode runs: the processes' own, and the one the engine sets at start. */
const FLAGS = [...NODE_FLAGS, '--no-wasm-lazy-compilation'];

/** A module of one exported function `f` returning `k` (0 to 63). */
const MODULE =
  '(k) => new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 127, 3, 2, 1, 0, ' +
  '7, 5, 1, 1, 102, 0, 0, 10, 6, 1, 4, 0, 65, k, 11])';

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `body` in a Node process of its own, with `dist` and `moduleReturning` defined. */
function runScript(body: string, extraFlags: string[] = []): Ran {
  const dist = JSON.stringify(path.join(REPO_ROOT, 'dist'));
  const script = `const dist = ${dist}; const moduleReturning = ${MODULE};\n${body}`;
  const r = spawnSync(process.execPath, [...FLAGS, ...extraFlags, '-e', script], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("a forked child's TurboFan recompile and V8's native module cache", () => {
  it('gives TurboFan code while the baseline module of its bytes lives, which those bytes still give', () => {
    const r = runScript(`
      const { recompileOptimized } = require(dist + '/translate/wasm/tiers.js');
      const { native } = require(dist + '/native.js');
      const bytes = moduleReturning(7);
      const baseline = new WebAssembly.Module(bytes);
      const optimized = recompileOptimized(bytes);
      const again = new WebAssembly.Module(bytes);
      console.log(JSON.stringify({
        baselineHasTurboFanCode: native().serializeWasmModule(baseline) !== undefined,
        optimizedHasTurboFanCode: native().serializeWasmModule(optimized) !== undefined,
        optimizedReturns: new WebAssembly.Instance(optimized).exports.f(),
        sameBytesGiveBaseline: native().serializeWasmModule(again) === undefined,
      }));
    `);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      baselineHasTurboFanCode: false,
      optimizedHasTurboFanCode: true,
      optimizedReturns: 7,
      sameBytesGiveBaseline: true,
    });
  });

  it('compiles the bytes of a module freed during a recompile again, without waiting for it', () => {
    // Full collections at the start of every compile, where V8's own can fall (one for external
    // memory pressure, as a module's code is allocated, frees dead modules there and then). With
    // the cache switched off around the recompile, this hung 8 runs in 8 (killed at the timeout).
    const r = runScript(
      `
      const { recompileOptimized } = require(dist + '/translate/wasm/tiers.js');
      const Compile = WebAssembly.Module;
      WebAssembly.Module = function (bytes) {
        for (let i = 0; i < 3; i++) globalThis.gc();
        return new Compile(bytes);
      };
      const results = [];
      for (let i = 0; i < 32; i++) {
        new Compile(moduleReturning(i));
        recompileOptimized(moduleReturning(32 + i));
        results.push(new WebAssembly.Instance(new Compile(moduleReturning(i))).exports.f());
      }
      console.log(results.join(' '));
    `,
      ['--expose-gc'],
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(Array.from({ length: 32 }, (_, i) => i).join(' '));
  });
});
