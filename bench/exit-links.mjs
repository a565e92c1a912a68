// What a transition between two block functions of different modules costs, for exit links
// (src/translate/engine/exit-links.ts, docs/performance.md "Exit links"). N one-block modules; each
// block updates two "guest registers" in memory, steps a linear congruential generator and exits to
// one of two constant successors by a bit of it (a branch the host cannot predict, as in real code),
// until a step count runs out. Three ways to reach the next block:
//   dispatcher  the exit stores the pc and returns; a loop looks it up and call_indirects (one call site)
//   stub        the exit looks the pc up itself and tail-calls one shared stub that return_call_indirects
//   links       the exit return_call_indirects through a slot of its module's own table (a site per exit)
//   node bench/exit-links.mjs [BLOCKS] [STEPS]        (needs wat2wasm, from Debian's wabt)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const blocks = Number(process.argv[2] ?? 256);
const steps = Number(process.argv[3] ?? 20_000_000);
const LOOKUP = 4096;

let seed = 12345;
const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) >>> 8;
const successors = Array.from({ length: blocks }, () => [random() % blocks, random() % blocks]);

const dir = mkdtempSync(path.join(tmpdir(), 'exit-links-'));
function compile(text) {
  writeFileSync(path.join(dir, 'm.wat'), text);
  execFileSync('wat2wasm', ['--enable-tail-call', '--enable-threads', 'm.wat', '-o', 'm.wasm'], { cwd: dir });
  return new WebAssembly.Module(readFileSync(path.join(dir, 'm.wasm')));
}

const lookupEntry = (pc) => `(i32.add (i32.const ${LOOKUP}) (i32.shl (i32.and (i32.wrap_i64 (i64.shr_u ${pc} (i64.const 2))) (i32.const 1023)) (i32.const 4)))`;

function block(i, how) {
  const exit = (slot) => {
    const target = successors[i][slot];
    const setPc = `(i64.store (i32.const 0) (i64.const ${target * 4}))`;
    if (how === 'dispatcher') return `${setPc} (return (i32.const 0))`;
    if (how === 'links') return `${setPc} (return_call_indirect $links (type $block) (local.get 0) (i32.const ${slot}))`;
    return `${setPc} (return_call $enter (local.get 0) (i32.load offset=8 ${lookupEntry(`(i64.const ${target * 4})`)}))`;
  };
  return `(module
  (type $block (func (param i32) (result i32)))
  (import "env" "mem" (memory 1 1 shared))
  ${how === 'stub' ? '(import "env" "enter" (func $enter (param i32 i32) (result i32)))' : ''}
  ${how === 'links' ? '(table $links (export "links") 2 funcref)' : ''}
  (func (export "b") (type $block) (local $x i32)
    (i64.store (i32.const 64) (i64.add (i64.load (i32.const 64)) (i64.const ${i})))
    (i64.store (i32.const 72) (i64.xor (i64.load (i32.const 72)) (i64.load (i32.const 64))))
    (local.set $x (i32.add (i32.mul (i32.load (i32.const 8)) (i32.const 1103515245)) (i32.const 12345)))
    (i32.store (i32.const 8) (local.get $x))
    (i32.store (i32.const 12) (i32.sub (i32.load (i32.const 12)) (i32.const 1)))
    (if (i32.eqz (i32.load (i32.const 12))) (then (return (i32.const 1))))
    (if (i32.and (i32.shr_u (local.get $x) (i32.const 16)) (i32.const 1)) (then ${exit(0)}))
    ${exit(1)}))`;
}

const DISPATCHER = `(module
  (type $block (func (param i32) (result i32)))
  (import "env" "mem" (memory 1 1 shared))
  (import "env" "table" (table 1 funcref))
  (func (export "run") (param i32) (result i32) (local $pc i64) (local $entry i32) (local $status i32)
    (loop $next
      (local.set $pc (i64.load (i32.const 0)))
      (local.set $entry ${lookupEntry('(local.get $pc)')})
      (if (i64.ne (i64.load (local.get $entry)) (local.get $pc)) (then (return (i32.const 255))))
      (local.set $status (call_indirect (type $block) (local.get 0) (i32.load offset=8 (local.get $entry))))
      (if (local.get $status) (then (return (local.get $status))))
      (br $next))
    (i32.const 0)))`;

const STUB = `(module
  (type $block (func (param i32) (result i32)))
  (import "env" "table" (table 1 funcref))
  (func (export "enter") (param i32 i32) (result i32)
    (return_call_indirect (type $block) (local.get 0) (local.get 1))))`;

for (const how of ['dispatcher', 'stub', 'links']) {
  const mem = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const view = new DataView(mem.buffer);
  const table = new WebAssembly.Table({ initial: blocks, element: 'anyfunc' });
  const enter = new WebAssembly.Instance(compile(STUB), { env: { table } }).exports.enter;
  const instances = successors.map((_, i) => new WebAssembly.Instance(compile(block(i, how)), { env: { mem, enter } }));
  instances.forEach((instance, i) => {
    table.set(i, instance.exports.b);
    view.setBigUint64(LOOKUP + i * 16, BigInt(i * 4), true);
    view.setUint32(LOOKUP + i * 16 + 8, i, true);
    if (how === 'links') successors[i].forEach((s, slot) => instance.exports.links.set(slot, instances[s].exports.b));
  });
  const run = new WebAssembly.Instance(compile(DISPATCHER), { env: { mem, table } }).exports.run;
  const times = [];
  for (let round = 0; round < 5; round++) {
    view.setBigUint64(0, 0n, true);
    view.setUint32(12, steps, true);
    const start = process.hrtime.bigint();
    if (run(0) !== 1) throw new Error(`${how}: the walk did not run to its end`);
    times.push(Number(process.hrtime.bigint() - start) / steps);
  }
  times.sort((a, b) => a - b);
  console.log(`${how.padEnd(10)} ${blocks} modules: ${times[2].toFixed(2)} ns a step (median of 5)`);
}
rmSync(dir, { recursive: true, force: true });
