#!/usr/bin/env node
/**
 * Builds tsemu's bundle and start-up snapshot from tsc's output (run after `tsc`: npm's build and
 * prepare scripts, the test suite's global setup):
 *
 *   dist/bundle/tsemu.js        dist/ in one file (esbuild), so starting needs no module resolution
 *   dist/bundle/tsemu-<target>.blob       a V8 start-up snapshot of Node after loading that file and
 *                                         initialising the target's user-mode modules
 *                                         (src/cli/bundle.ts), one per target (SNAPSHOTS)
 *   dist/bundle/tsemu-<target>.blob.node  the node binary it belongs to (src/cli/bundle-files.ts)
 *   dist/bundle/tsemu-<target>.blob.pages its V8 data as Node's copy lies in memory
 *
 * Why: docs/performance.md ("Loading tsemu's own modules"). Each file is replaced by a rename, so a
 * tsemu starting meanwhile sees an old or a new file, never half of one. A failed snapshot build is
 * reported and leaves no snapshot: that target's binaries then start from the bundle, as they do
 * under another node.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = (await import('node:module')).createRequire(import.meta.url);
const { BUNDLE, SNAPSHOTS, SNAPSHOT_ENV, SNAPSHOT_FLAGS, pagesPath, snapshotPath, snapshotV8Data, stampPath, writeStamp } = require(path.join(ROOT, 'dist', 'cli', 'bundle-files.js'));
const { ENTRY_SCRIPTS } = require(path.join(ROOT, 'dist', 'install-root.js'));
const { HUGE_PAGE_SIZE, PAGE_SIZE } = require(path.join(ROOT, 'dist', 'memory', 'layout.js'));
/** The flags tsemu's user mode runs with (src/user/reentry.ts); the snapshot is built under them too. */
const { NODE_FLAGS } = require(path.join(ROOT, 'dist', 'user', 'reentry.js'));

const bundle = path.join(ROOT, BUNDLE);

/** Writes `file` through `write` into a private temporary name, renamed over it once complete. */
function replace(file, write) {
  const fresh = `${file}.${process.pid}.new`;
  try {
    write(fresh);
    fs.renameSync(fresh, file);
  } finally {
    fs.rmSync(fresh, { force: true });
  }
}

fs.mkdirSync(path.dirname(bundle), { recursive: true });

const bundled = await build({
  entryPoints: [path.join(ROOT, 'dist', 'cli', 'bundle.js')],
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  write: false,
  outfile: bundle,
  logLevel: 'warning',
  // Without indentation and line breaks (names and code as they were): the snapshot holds the
  // bundle's source, which a start reads, copies and parses functions from as it first calls them
  // (2.07 -> 1.45 MB of source, snapshot 9.09 -> 8.46 MB; docs/performance.md).
  minifyWhitespace: true,
  // The entry (tsc's CommonJS) fills `exports`, which `node --build-snapshot` does not provide.
  banner: { js: "var exports = typeof exports === 'object' ? exports : {};" },
});
replace(bundle, (out) => fs.writeFileSync(out, bundled.outputFiles[0].contents));

/** Runs node with `args` (and the variables `env` besides the environment); throws its error output unless it succeeds. */
function node(args, env = {}) {
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
  if (r.status !== 0) throw new Error(r.error?.message ?? (r.stderr.trim() || `exit status ${r.status}, signal ${r.signal}`));
}

/**
 * glibc's header before the bytes of a block it allocates with mmap (two size fields on a 64-bit
 * host): Node's copy of the snapshot's V8 data lies that far into its mapping's first page.
 */
const MALLOC_MMAP_HEADER = 16;

/**
 * The snapshot's V8 data as Node's copy of it lies in its mapping: a file whose page n holds the
 * bytes of that mapping's page n (src/cli/snapshot-copy.ts maps it over them). Absent when the
 * blob's layout is not the one known.
 */
function writePages(blob, pages) {
  const bytes = fs.readFileSync(blob);
  const v8Data = snapshotV8Data(bytes.subarray(0, 4096));
  if (!v8Data || v8Data.offset + v8Data.length > bytes.length) {
    fs.rmSync(pages, { force: true });
    return;
  }
  const end = v8Data.offset + v8Data.length;
  replace(pages, (out) => fs.writeFileSync(out, bytes.subarray(v8Data.offset - MALLOC_MMAP_HEADER, end)));
}

/**
 * Pads `blob` with zeros (Node reads the file whole and ignores what follows the snapshot) to a
 * size whose buffer, the bytes and glibc's header, fills a whole number of huge pages: Node reads
 * the blob into a buffer of its size, for which glibc makes a mapping of its own; the kernel places
 * a mapping of whole huge pages on a huge-page boundary, and under the launcher's GLIBC_TUNABLES
 * (glibc.malloc.hugetlb=1) glibc asks for huge pages in it, so the buffer is faulted in 2 MiB at a
 * time rather than 4 KiB (docs/performance.md, "Start-up: malloc in huge pages").
 */
function padToHugePages(blob) {
  const size = fs.statSync(blob).size;
  // A page less than whole huge pages: glibc's header and its rounding up to pages fill it.
  const padded = Math.ceil((size + PAGE_SIZE) / HUGE_PAGE_SIZE) * HUGE_PAGE_SIZE - PAGE_SIZE;
  fs.appendFileSync(blob, Buffer.alloc(padded - size));
}

/** Builds the snapshot `name`, checked by starting its binary `binary`. */
function buildSnapshot(name, binary) {
  const blob = path.join(ROOT, snapshotPath(name));
  const pages = path.join(ROOT, pagesPath(snapshotPath(name)));
  try {
    replace(blob, (out) => {
      node([...NODE_FLAGS, ...SNAPSHOT_FLAGS, '--snapshot-blob', out, '--build-snapshot', bundle], { [SNAPSHOT_ENV]: name });
      padToHugePages(out);
      // Node refuses a snapshot whose V8 flags differ from its own (a module that set a V8 flag while
      // the snapshot was built, instead of through atProcessStart), and every start would then fail:
      // try both ways the launcher starts it, with the user-mode flags and without.
      node([...NODE_FLAGS, ...SNAPSHOT_FLAGS, '--snapshot-blob', out, path.join(ROOT, ENTRY_SCRIPTS, binary), '-version']);
      node([...SNAPSHOT_FLAGS, '--snapshot-blob', out, path.join(ROOT, ENTRY_SCRIPTS, 'tsemu-system'), '-version']);
    });
    writeStamp(blob, process.execPath);
    writePages(blob, pages);
  } catch (e) {
    fs.rmSync(stampPath(blob), { force: true });
    fs.rmSync(blob, { force: true });
    fs.rmSync(pages, { force: true });
    process.stderr.write(`build-bundle: no start-up snapshot ${name} (its binaries start from the bundle): ${e.message}\n`);
  }
}

for (const [name, binary] of Object.entries(SNAPSHOTS)) buildSnapshot(name, binary);
// The single snapshot of earlier builds, which nothing starts from any more.
for (const old of ['tsemu.blob', 'tsemu.blob.node', 'tsemu.blob.pages']) {
  fs.rmSync(path.join(path.dirname(bundle), old), { force: true });
}
