/**
 * -d out_asm: each generated WebAssembly module as an offset-prefixed hex dump, 16 bytes a line
 * (`wasm-objdump` or `wasm2wat` turn a saved dump back into text; no wasm printer is a dependency).
 */
export function dumpModule(bytes: Uint8Array): string {
  const lines = [`OUT: wasm module, ${bytes.length} bytes`];
  for (let at = 0; at < bytes.length; at += 16) {
    const hex = Buffer.from(bytes.subarray(at, at + 16)).toString('hex').replace(/(..)/g, '$1 ').trim();
    lines.push(`  ${at.toString(16).padStart(6, '0')}: ${hex}`);
  }
  return lines.join('\n');
}
