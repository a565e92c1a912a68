/**
 * `tsemu-binfmt setup-chroot ROOT`: installs into a foreign root file system what the launcher
 * needs to run there, the way qemu-user-static's static binary needs nothing: a private runtime
 * directory (PRIVATE_RUNTIME) with the host's node, the host libraries node and the addon load
 * (and the host dynamic loader that starts node with exactly those), tsemu's JavaScript, its
 * production node_modules, the addon and the bin/js/tsemu-<arch> entry scripts (the start-up snapshot comes
 * with dist/, restamped for the copied node). The launcher itself is also copied to the path it is
 * registered under, so entries registered without F (which the kernel opens inside the chroot) work
 * too.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PRIVATE_RUNTIME, ensureLauncherLink, launcherDir, launcherPath } from './launcher';
import { SNAPSHOT_NAMES, snapshotPath, stampMatches, writeStamp } from '../cli/bundle-files';
import { ENTRY_SCRIPTS, installRoot } from '../install-root';
import { PRIVATE_NODE } from '../user/reentry';
import { BINFMT_TARGETS } from './targets';

export interface HostLibraries {
  /** The dynamic loader (ld-linux-x86-64.so.2). */
  loader: string;
  /** Shared libraries by the name they are loaded as. */
  libraries: Map<string, string>;
}

/** The shared libraries `files` load, as ldd reports them (the vdso has no file and is left out). */
export function hostLibraries(files: string[]): HostLibraries {
  const libraries = new Map<string, string>();
  let loader = '';
  for (const file of files) {
    const ldd = spawnSync('ldd', [file], { encoding: 'utf8' });
    if (ldd.error || ldd.status !== 0) throw new Error(`ldd ${file} failed: ${ldd.error?.message ?? ldd.stderr.trim()}`);
    for (const line of ldd.stdout.split('\n')) {
      const linked = /^\s*(\S+) => (\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
      if (linked) libraries.set(linked[1]!, linked[2]!);
      const interpreter = /^\s*(\/\S+) \(0x[0-9a-f]+\)$/.exec(line);
      if (interpreter) loader = interpreter[1]!;
    }
  }
  if (!loader) throw new Error(`ldd named no dynamic loader for ${files.join(', ')}`);
  return { loader, libraries };
}

/** Package names `name` needs at run time, itself included (dependencies and installed optional ones). */
function productionPackages(nodeModules: string, names: string[], seen = new Set<string>()): Set<string> {
  for (const name of names) {
    if (seen.has(name)) continue;
    const manifest = path.join(nodeModules, name, 'package.json');
    if (!fs.existsSync(manifest)) continue;
    seen.add(name);
    const pkg = JSON.parse(fs.readFileSync(manifest, 'utf8')) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    productionPackages(nodeModules, Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies }), seen);
  }
  return seen;
}

function copyFile(from: string, to: string): void {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(fs.realpathSync(from), to);
  fs.chmodSync(to, fs.statSync(from).mode & 0o7777);
}

/** Installs the runtime into `root`; returns the private directory it filled. */
export function setupChroot(root: string, tsemuRoot: string = installRoot()): string {
  if (!fs.statSync(root, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`${root} is not a directory`);
  const addon = path.join(launcherDir(tsemuRoot), 'tsemu_native.node');
  const node = fs.realpathSync(process.execPath);
  const runtime = path.join(root, PRIVATE_RUNTIME);
  fs.rmSync(runtime, { recursive: true, force: true });

  const host = hostLibraries([node, addon]);
  copyFile(host.loader, path.join(runtime, 'host', PRIVATE_NODE.loader));
  copyFile(node, path.join(runtime, 'host', PRIVATE_NODE.node));
  for (const [name, file] of host.libraries) copyFile(file, path.join(runtime, 'host', PRIVATE_NODE.libraries, name));

  // With their times: the start-up snapshot is used only while it is not older than the build.
  fs.cpSync(path.join(tsemuRoot, 'dist'), path.join(runtime, 'dist'), { recursive: true, preserveTimestamps: true });
  // A snapshot belongs to the node it was built by; the copy of that node is another file.
  for (const blob of SNAPSHOT_NAMES.map(snapshotPath)) {
    if (stampMatches(path.join(tsemuRoot, blob), node)) writeStamp(path.join(runtime, blob), path.join(runtime, 'host', PRIVATE_NODE.node));
  }
  copyFile(addon, path.join(launcherDir(runtime), 'tsemu_native.node'));
  for (const target of BINFMT_TARGETS) {
    const script = path.join(ENTRY_SCRIPTS, `tsemu-${target.emulator}`);
    copyFile(path.join(tsemuRoot, script), path.join(runtime, script));
  }
  const manifest = JSON.parse(fs.readFileSync(path.join(tsemuRoot, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  const nodeModules = path.join(tsemuRoot, 'node_modules');
  for (const name of productionPackages(nodeModules, Object.keys(manifest.dependencies ?? {}))) {
    fs.cpSync(path.join(nodeModules, name), path.join(runtime, 'node_modules', name), { recursive: true, dereference: true });
  }

  const registeredDir = path.join(root, launcherDir(tsemuRoot));
  copyFile(launcherPath(tsemuRoot), path.join(registeredDir, 'tsemu-launcher'));
  for (const target of BINFMT_TARGETS) {
    for (const preserve of [false, true]) ensureLauncherLink(registeredDir, target, preserve);
  }
  return runtime;
}
