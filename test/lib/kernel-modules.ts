/**
 * Kernel modules in the order an initramfs must load them (with busybox insmod, which resolves
 * nothing itself), read from a kernel package's lib/modules/<version>/: a module's `depends=`
 * (modules whose symbols it uses) and `softdep=pre:` entries (modules modprobe loads before it,
 * such as ext4's `crypto-crc32c`, an alias the kernel would otherwise ask a modprobe for) come
 * before it. Each module's .modinfo strings are found in the file as `key=value\0`; module names
 * map to files through modules.order, aliases through the modules' own `alias=` entries, as
 * depmod's modules.alias would (the package ships no depmod output).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The `key=value` strings of a module's .modinfo section for `key`. */
function modinfo(file: Buffer, key: string): string[] {
  const values: string[] = [];
  const needle = Buffer.from(`\0${key}=`);
  for (let at = file.indexOf(needle); at >= 0; at = file.indexOf(needle, at + 1)) {
    const start = at + needle.length;
    values.push(file.toString('latin1', start, file.indexOf(0, start)));
  }
  return values;
}

/** Module names as the kernel spells them: `_` where file names and softdeps may have `-`. */
const canonical = (name: string): string => name.replace(/-/g, '_');

const moduleName = (file: string): string => canonical(path.basename(file, '.ko'));

/** The names after `pre:` in a module's softdeps (`softdep=pre: crypto-crc32c`). */
function preSoftdeps(file: Buffer): string[] {
  const lists = modinfo(file, 'softdep').map((s) => /\bpre:(.*?)(?:post:|$)/.exec(s)?.[1] ?? '');
  return lists.flatMap((l) => l.split(' ')).filter(Boolean);
}

/** The .ko files (absolute paths) of `names` and what they need, each after what it needs. */
export function moduleLoadOrder(modulesDir: string, names: readonly string[]): string[] {
  const files = readFileSync(path.join(modulesDir, 'modules.order'), 'latin1')
    .split('\n')
    .filter((l) => l.endsWith('.ko'))
    .map((l) => path.join(modulesDir, l));
  const byName = new Map(files.map((f) => [moduleName(f), f]));
  /** The first module in modules.order that names `alias` among its aliases (modprobe's choice). */
  const byAlias = (alias: string): string => {
    const file = files.find((f) => modinfo(readFileSync(f), 'alias').includes(alias));
    if (!file) throw new Error(`no module in ${modulesDir} has the alias ${alias}`);
    return file;
  };
  const order: string[] = [];
  const visit = (file: string, chain: readonly string[]): void => {
    if (order.includes(file)) return;
    if (chain.includes(file)) throw new Error(`module dependency cycle: ${[...chain, file].join(' -> ')}`);
    const data = readFileSync(file);
    const depends = modinfo(data, 'depends').flatMap((d) => d.split(','));
    for (const dep of depends.filter(Boolean)) {
      const depFile = byName.get(dep);
      if (!depFile) throw new Error(`${moduleName(file)} depends on ${dep}, which ${modulesDir} lacks`);
      visit(depFile, [...chain, file]);
    }
    for (const soft of preSoftdeps(data)) {
      visit(byName.get(canonical(soft)) ?? byAlias(soft), [...chain, file]);
    }
    order.push(file);
  };
  for (const name of names) {
    const file = byName.get(canonical(name));
    if (!file) throw new Error(`no module ${name} in ${modulesDir}`);
    visit(file, []);
  }
  return order;
}
