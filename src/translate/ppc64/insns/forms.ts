/**
 * Pattern text of the PowerPC instruction forms whose extended opcode is a number in the manual
 * (X, XO, XFX, VA, VX, XX2, XX3...): rows give the form's fields and the manual's opcode value,
 * so the tables read like the ISA's opcode maps.
 */

/** `value` as `width` binary digits. */
export const bits = (value: number, width: number): string => value.toString(2).padStart(width, '0');

/** X form of primary opcode 31: fields (15 bits of text covering bits 6..20), XO (10 bits), then Rc or a fixed bit. */
export const x31 = (fields: string, xo: number, last = 'rc:1'): string => `011111 ${fields} ${bits(xo, 10)} ${last}`;

/** XO form (opcode 31, OE + 9-bit XO + Rc): rt, ra, rb. */
export const xo31 = (xo: number, rb = 'rb:5'): string => `011111 rt:5 ra:5 ${rb} oe:1 ${bits(xo, 9)} rc:1`;

/** VX form of extended opcode 1538, whose VRA field selects the operation on VRB (vctz*, vneg*, vexts*, vprtyb*). */
export const vxSelected = (sel: number): string => `000100 vrt:5 ${bits(sel, 5)} vrb:5 ${bits(1538, 11)}`;
