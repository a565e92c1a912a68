// The code generator's own cost, apart from the guest's: runs a user-mode program under tsemu (the
// modules of DIST, as tsc wrote them), records every batch the engine compiles, and when the guest
// exits lowers them all again with encodeBatch, REPS times (default 3), printing the CPU seconds of
// each pass. With VERIFY=OTHER_DIST it also lowers each batch with OTHER_DIST's encodeBatch and
// counts the batches whose module bytes differ (a change to the lowering that should not change
// its output: 0). The guest's own run is timed by /usr/bin/time as usual; docs/performance.md,
// "Lowering lukewarm code".
//
//   TSEMU_CACHE=off node --single-threaded-gc --no-concurrent-recompilation bench/relower.cjs dist \
//     -L ROOT ROOT/usr/bin/perl -e 'use Debconf::Db'
'use strict';
const path = require('node:path');

const dist = path.resolve(process.argv[2]);
process.argv.splice(2, 1);
const batchModule = require(path.join(dist, 'translate/wasm/module.js'));
const recorded = [];
const compileBatch = batchModule.compileBatch;
// The engine calls it through the module's exports, so this sees every batch.
batchModule.compileBatch = (blocks, env) => {
  recorded.push([blocks, env]);
  return compileBatch(blocks, env);
};

function relowerAll(encodeBatch) {
  return recorded.map(([blocks, env]) => encodeBatch(blocks, env).bytes);
}

require(path.join(dist, 'user/leave.js')).atGuestExit(() => {
  const passes = [];
  let bytes = 0;
  for (let r = 0; r < Number(process.env.REPS || 3); r++) {
    const before = process.cpuUsage();
    bytes = relowerAll(batchModule.encodeBatch).reduce((n, b) => n + b.length, 0);
    const spent = process.cpuUsage(before);
    passes.push(((spent.user + spent.system) / 1e6).toFixed(3));
  }
  if (process.env.VERIFY) {
    const other = path.resolve(process.env.VERIFY);
    // The other build's lowering must name helpers by this run's registry.
    const helpers = 'translate/ir/helpers.js';
    require.cache[path.join(other, helpers)] = require.cache[path.join(dist, helpers)];
    const theirs = relowerAll(require(path.join(other, 'translate/wasm/module.js')).encodeBatch);
    const ours = relowerAll(batchModule.encodeBatch);
    const differ = ours.filter((b, i) => Buffer.compare(b, theirs[i]) !== 0).length;
    process.stderr.write(`relower: ${differ} of ${recorded.length} batches differ from ${other}\n`);
  }
  process.stderr.write(`relower: ${recorded.length} batches, ${bytes} bytes; passes ${passes.join(' ')} s of CPU\n`);
});
require(path.join(dist, 'cli/user.js')).main('aarch64');
