/**
 * The SVG plot of a benchmark run: one panel per target, one row per kernel (then the geometric
 * mean, the start-up row, and the real programs with their geometric mean), with horizontal bars for tsemu/qemu and tsemu/native on a
 * logarithmic axis, and the 1.0 line (parity) marked. Written by hand: no plotting dependency.
 */

const AXIS_MIN = 0.1;
const AXIS_MAX = 100;
const TICKS = [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100];
const SERIES = [
  { key: 'tsemuOverQemu', label: 'tsemu / qemu', color: '#3b6fd4' },
  { key: 'tsemuOverNative', label: 'tsemu / native (start-up: tsemu / node -e 0)', color: '#a0a0a0' },
];

const LABEL_W = 110;
const PLOT_W = 520;
const BAR_H = 8;
const ROW_H = 2 * BAR_H + 6;
const PANEL_GAP = 36;

const escape = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function xOf(value) {
  const v = Math.min(Math.max(value, AXIS_MIN), AXIS_MAX);
  return LABEL_W + (Math.log(v / AXIS_MIN) / Math.log(AXIS_MAX / AXIS_MIN)) * PLOT_W;
}

function rowsOf(target) {
  const rows = target.kernels.map((k) => ({ label: k.kernel, values: [k.tsemuOverQemu, k.tsemuOverNative] }));
  rows.push({ label: 'geomean', bold: true, values: [target.geomean.tsemuOverQemu, target.geomean.tsemuOverNative] });
  if (target.startup) rows.push({ label: 'start-up', values: [target.startup.tsemuOverQemu, target.startup.tsemuOverNode] });
  for (const p of target.programs ?? []) rows.push({ label: p.kernel, values: [p.tsemuOverQemu, p.tsemuOverNative] });
  if (target.programs?.length > 0) {
    const g = target.programGeomean;
    rows.push({ label: 'programs geomean', bold: true, values: [g.tsemuOverQemu, g.tsemuOverNative] });
  }
  return rows;
}

function panel(target, top) {
  const rows = rowsOf(target);
  const height = rows.length * ROW_H;
  const out = [`<text x="0" y="${top - 8}" font-weight="bold">${escape(target.target)}</text>`];
  for (const t of TICKS) {
    const x = xOf(t).toFixed(1);
    const stroke = t === 1 ? '#d43b3b' : '#e4e4e4';
    out.push(`<line x1="${x}" y1="${top}" x2="${x}" y2="${top + height}" stroke="${stroke}"/>`);
    out.push(`<text x="${x}" y="${top + height + 12}" text-anchor="middle" font-size="10">${t}</text>`);
  }
  rows.forEach((row, i) => {
    const y = top + i * ROW_H;
    const weight = row.bold ? ' font-weight="bold"' : '';
    out.push(`<text x="${LABEL_W - 6}" y="${y + BAR_H + 4}" text-anchor="end"${weight}>${escape(row.label)}</text>`);
    row.values.forEach((v, s) => {
      const by = y + 2 + s * BAR_H;
      if (v === null || v === undefined) {
        out.push(`<text x="${LABEL_W + 4}" y="${by + BAR_H - 1}" font-size="9" fill="${SERIES[s].color}">n/a</text>`);
        return;
      }
      const w = Math.max(1, xOf(v) - LABEL_W).toFixed(1);
      out.push(`<rect x="${LABEL_W}" y="${by}" width="${w}" height="${BAR_H - 1}" fill="${SERIES[s].color}"><title>${escape(`${row.label} ${SERIES[s].label}: ${v.toFixed(2)}`)}</title></rect>`);
      out.push(`<text x="${(Number(w) + LABEL_W + 3).toFixed(1)}" y="${by + BAR_H - 1}" font-size="9">${v.toFixed(2)}</text>`);
    });
  });
  return { svg: out.join('\n'), height: height + 16 };
}

/** The whole SVG document for a run's report ({ targets: [...], date, commit }). */
export function plotSvg(report) {
  const parts = [];
  let top = 60;
  for (const target of report.targets) {
    const p = panel(target, top);
    parts.push(p.svg);
    top += p.height + PANEL_GAP;
  }
  const width = LABEL_W + PLOT_W + 60;
  const legend = SERIES.map(
    (s, i) => `<rect x="${LABEL_W + i * 200}" y="30" width="10" height="10" fill="${s.color}"/><text x="${LABEL_W + i * 200 + 14}" y="39" font-size="11">${escape(s.label)}</text>`,
  );
  const title = `tsemu benchmark ratios (log scale; lower is faster; red line = parity) ${report.date.slice(0, 10)} ${report.commit?.slice(0, 10) ?? ''}`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${top}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="0" y="16" font-weight="bold">${escape(title)}</text>`,
    ...legend,
    ...parts,
    '</svg>',
    '',
  ].join('\n');
}
