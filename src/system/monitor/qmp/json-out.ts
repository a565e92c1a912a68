/** JSON text as QEMU writes it: `{"key": value, ...}` on one line, or indented by 4 with pretty=on. */

export function toQmpJson(value: unknown, pretty: boolean): string {
  return pretty ? JSON.stringify(value, null, 4) : compact(value);
}

function compact(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const custom = (value as { toJSON?: () => unknown }).toJSON;
    if (typeof custom === 'function') return compact(custom.call(value));
    const members = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    return `{${members.map(([k, v]) => `${JSON.stringify(k)}: ${compact(v)}`).join(', ')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
