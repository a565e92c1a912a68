/**
 * PowerPC vector element numbering versus wasm lanes: the ISA numbers elements from the most
 * significant end of the 128-bit register, wasm from the least significant byte. Every vector
 * emitter converts element indices through these, never by hand.
 */

/** wasm lane of PowerPC element `k` of a vector of `count` elements. */
export const lane = (count: 2 | 4 | 8 | 16, k: number): number => count - 1 - k;
export const byteLane = (k: number): number => lane(16, k);
export const wordLane = (k: number): number => lane(4, k);
export const dwordLane = (k: number): number => lane(2, k);

/**
 * i8x16.shuffle selectors taking PowerPC byte elements `elements[0..15]` (each 0..31, indexing the
 * concatenation of the first and second source as the ISA does) into result elements 0..15.
 */
export function shuffleOfElements(elements: readonly number[]): Uint8Array {
  const sel = new Uint8Array(16);
  elements.forEach((e, k) => {
    // Element e < 16 is byte e of the first source (wasm lane 15-e); e >= 16 of the second (16 + 31-e).
    sel[byteLane(k)] = e < 16 ? byteLane(e) : 16 + byteLane(e - 16);
  });
  return sel;
}
