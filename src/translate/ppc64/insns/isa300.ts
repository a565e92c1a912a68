/**
 * The instructions Power ISA 3.0 (POWER9) added, by decode-row name: a CPU of ISA 2.07 (POWER8)
 * decodes none of them, so they are illegal instructions there (SIGILL), as on the hardware.
 * Every other row of the table is ISA 2.07 or older.
 */
export const ISA_3_0_ROWS: ReadonlySet<string> = new Set([
  // Fixed point.
  'addpcis', 'modsw', 'moduw', 'modsd', 'modud', 'cnttzw', 'cnttzd', 'extswsli', 'mcrxrx', 'setb',
  // Floating-point status (3.0B).
  'mffsce', 'mffscrn', 'mffscrni', 'mffsl',
  // VSX loads and stores, moves.
  'lxv', 'stxv', 'lxsd', 'lxssp', 'stxsd', 'stxssp', 'lxvx', 'stxvx', 'lxvwsx', 'lxvh8x', 'stxvh8x',
  'lxvb16x', 'stxvb16x', 'lxsibzx', 'lxsihzx', 'stxsibx', 'stxsihx', 'mfvsrld', 'mtvsrdd', 'mtvsrws',
  // VMX and VSX.
  'vpermr', 'xxperm', 'xxpermr', 'xxspltib', 'xxbrh', 'xxbrw', 'xxbrd', 'xxbrq', 'xxextractuw', 'xxinsertw',
  'vextractub', 'vextractuh', 'vextractuw', 'vextractd', 'vinsertb', 'vinserth', 'vinsertw', 'vinsertd',
  'vabsdub', 'vabsduh', 'vabsduw', 'vnegw', 'vnegd', 'vextsb2w', 'vextsh2w', 'vextsb2d', 'vextsh2d', 'vextsw2d',
  'vcmpneb', 'vcmpneh', 'vcmpnew', 'vcmpnezb', 'vcmpnezh', 'vcmpnezw', 'vctzb', 'vctzh', 'vctzw', 'vctzd',
  'vprtybw', 'vprtybd', 'vprtybq',
]);
