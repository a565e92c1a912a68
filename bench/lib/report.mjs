/**
 * The text table printed per target (medians, ratios, geometric means, peak RSS, the start-up
 * row, the real programs) and the ratios derived from a target's results, shared by the table, the JSON and the plot.
 */
import { geomean } from './measure.mjs';

const ratio = (a, b) => (a?.ok && b?.ok ? a.median / b.median : null);

/** Adds tsemu/qemu, tsemu/native and qemu/native to a kernel's result. */
export function withRatios(r) {
  return {
    ...r,
    tsemuOverQemu: ratio(r.tsemu, r.qemu),
    tsemuOverNative: ratio(r.tsemu, r.native),
    qemuOverNative: ratio(r.qemu, r.native),
  };
}

/** Adds tsemu/node and tsemu/qemu to the start-up result. */
export function startupRatios(r) {
  return {
    ...r,
    tsemuOverNode: ratio(r.tsemu, r.node),
    tsemuOverBareNode: ratio(r.tsemu, r.bareNode),
    tsemuOverQemu: ratio(r.tsemu, r.qemu),
  };
}

/** Geometric means of the three ratios over the kernels where both sides ran. */
export function geomeans(kernels) {
  const g = (key) => geomean(kernels.map((k) => k[key]).filter((x) => x !== null));
  return { tsemuOverQemu: g('tsemuOverQemu'), tsemuOverNative: g('tsemuOverNative'), qemuOverNative: g('qemuOverNative') };
}

function layout(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

const seconds = (r) => (r?.ok ? r.median.toFixed(3) : r ? 'FAIL' : '-');
const mib = (r) => (r?.ok ? r.maxRssMiB.toFixed(0) : '-');
const fixed = (x) => (x === null || x === undefined ? '-' : x.toFixed(2));

/** Rows of medians and ratios (kernels or programs), closed by their geometric means. */
function ratioTable(title, results, g) {
  const header = [title, 'native s', 'qemu s', 'tsemu s', 'tsemu/qemu', 'tsemu/native', 'qemu/native', 'RSS MiB n/q/t'];
  const rows = results.map((k) => [
    k.kernel,
    seconds(k.native),
    seconds(k.qemu),
    seconds(k.tsemu),
    fixed(k.tsemuOverQemu),
    fixed(k.tsemuOverNative),
    fixed(k.qemuOverNative),
    `${mib(k.native)}/${mib(k.qemu)}/${mib(k.tsemu)}`,
  ]);
  rows.push(['geomean', '', '', '', fixed(g.tsemuOverQemu), fixed(g.tsemuOverNative), fixed(g.qemuOverNative), '']);
  return layout(header, rows);
}

/** The table for one target: kernels, geomean, the start-up row, then the real programs; failures listed below. */
export function formatTarget(target) {
  const lines = [`== ${target.target}`];
  if (target.kernels.length > 0) lines.push(...ratioTable('kernel', target.kernels, target.geomean));
  const s = target.startup;
  if (s) {
    lines.push(
      '',
      ...layout(
        ['start-up (hello)', 'node -e 0 s', 'bare s', 'qemu s', 'tsemu s', 'tsemu/node', 'tsemu/bare', 'tsemu/qemu', 'RSS MiB n/q/t'],
        [[
          'hello',
          seconds(s.node),
          seconds(s.bareNode),
          seconds(s.qemu),
          seconds(s.tsemu),
          fixed(s.tsemuOverNode),
          fixed(s.tsemuOverBareNode),
          fixed(s.tsemuOverQemu),
          `${mib(s.node)}/${mib(s.qemu)}/${mib(s.tsemu)}`,
        ]],
      ),
    );
  }
  const programs = target.programs ?? [];
  if (programs.length > 0) lines.push('', ...ratioTable('program (Debian)', programs, target.programGeomean));
  for (const k of [...target.kernels, ...(s ? [{ ...s, kernel: 'start-up' }] : []), ...programs]) {
    for (const who of ['native', 'node', 'bareNode', 'qemu', 'tsemu']) {
      if (k[who] && !k[who].ok) lines.push(`${k.kernel}: ${who} ${k[who].error}`);
    }
  }
  return lines.join('\n');
}

/** One line per target with the geometric means, for the end of a multi-target run. */
export function formatSummary(targets) {
  const rows = targets.map((t) => [
    t.target,
    fixed(t.geomean.tsemuOverQemu),
    fixed(t.geomean.tsemuOverNative),
    fixed(t.geomean.qemuOverNative),
    fixed(t.startup?.tsemuOverNode),
    fixed(t.programGeomean?.tsemuOverQemu),
  ]);
  const header = ['target', 'tsemu/qemu', 'tsemu/native', 'qemu/native', 'start-up tsemu/node', 'programs tsemu/qemu'];
  return ['== geometric means', ...layout(header, rows)].join('\n');
}
