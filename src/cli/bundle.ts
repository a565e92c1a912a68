/**
 * The entry of tsemu's bundle (tools/build-bundle.mjs bundles dist/ from here into one file).
 * Required by a bin/ script (src/cli/start.ts), it gives runEntry. Run by
 * `node --build-snapshot` with TSEMU_SNAPSHOT naming one of the snapshots (bundle-files.ts), it
 * initialises the modules every user-mode start of that target needs and runs their translation
 * path once (snapshot-warm-up.ts), so that the start-up snapshot holds them ready and
 * compiled (system mode and tsemu-binfmt initialise theirs as they start, from the bundled code),
 * and makes the snapshot's main function run the binary whose entry script (bin/js/<name>) the
 * native launcher passes as the first argument (process.argv[1], where Node puts a script).
 */
import fs from 'node:fs';
import path from 'node:path';
import v8 from 'node:v8';
import { rootOfEntryScript, setInstallRoot } from '../install-root';
import { pagesPath, SNAPSHOT_ENV, snapshotName, snapshotPath } from './bundle-files';
import { SNAPSHOT_SETS } from './snapshot-sets';
import { isEntry, runEntry } from './entries';
import { shareSnapshotCopy } from './snapshot-copy';

export { runEntry };

/** The file `given` names, without symbolic links, or undefined. */
function realPath(given: string | undefined): string | undefined {
  try {
    return given === undefined ? undefined : fs.realpathSync(given);
  } catch {
    return undefined;
  }
}

/** The entry script named by the first argument, without symbolic links; the argument made absolute, as Node makes a script's. */
function binScript(): string {
  const script = realPath(process.argv[1]);
  if (script === undefined || !isEntry(path.basename(script))) {
    process.stderr.write('tsemu: start the snapshot as: node --snapshot-blob tsemu-<target>.blob <tsemu>/bin/js/<binary> [arguments]\n');
    process.exit(1);
  }
  process.argv[1] = path.resolve(process.argv[1]!);
  return script;
}

if (v8.startupSnapshot.isBuildingSnapshot()) {
  let script = '';
  // The first callback at deserialisation: those of the modules below may load the addon, which is
  // found from the install root.
  v8.startupSnapshot.addDeserializeCallback(() => {
    script = binScript();
    setInstallRoot(rootOfEntryScript(script));
  });
  const name = snapshotName(process.env[SNAPSHOT_ENV]);
  const set = SNAPSHOT_SETS[name]();
  /* eslint-disable @typescript-eslint/no-require-imports */
  require('./user');
  require('../user/run');
  require('../loader');
  (require('./snapshot-warm-up') as typeof import('./snapshot-warm-up')).warmUp(name, set);
  /* eslint-enable @typescript-eslint/no-require-imports */
  const pages = pagesPath(snapshotPath(name));
  v8.startupSnapshot.setDeserializeMainFunction(() => {
    const root = rootOfEntryScript(script);
    shareSnapshotCopy(path.join(root, pages));
    runEntry(path.basename(script), root);
  });
}
