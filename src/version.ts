/** The tsemu version, as printed by -version and reported to monitors. */
export const VERSION = '0.1.0';
