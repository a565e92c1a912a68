/*
 * A shared library whose functions return VALUE: two builds differ only in those instructions.
 * library_value runs often enough to be compiled hot; library_once runs once (the cold tier).
 */
int library_value(void) {
  return VALUE;
}

int library_once(void) {
  return VALUE * 2;
}
