/* sysctl by MIB, by name, and name -> MIB; sizes, short buffers, unknown and read-only nodes. */
#include "fbsd.h"

static long sysctl(const int *mib, unsigned n, void *old, size_t *oldlen, const void *new, size_t newlen) {
  return sys6(SYS___sysctl, mib, n, old, oldlen, new, newlen);
}
static long byname(const char *name, void *old, size_t *oldlen) {
  return sys6(SYS___sysctlbyname, name, fbsd_strlen(name), old, oldlen, 0, 0);
}

int fbsd_main(void) {
  int value = 0;
  size_t len = sizeof value;
  int ncpu[] = {6, 3};
  show("hw.ncpu.rc", sysctl(ncpu, 2, &value, &len, 0, 0));
  show("hw.ncpu", value);
  int pagesize[] = {6, 7};
  len = sizeof value;
  sysctl(pagesize, 2, &value, &len, 0, 0);
  show("hw.pagesize", value);
  int osreldate[] = {1, 24};
  len = sizeof value;
  sysctl(osreldate, 2, &value, &len, 0, 0);
  show("kern.osreldate", value);
  long usrstack = 0;
  int usrstack_mib[] = {1, 33};
  len = sizeof usrstack;
  sysctl(usrstack_mib, 2, &usrstack, &len, 0, 0);
  show("kern.usrstack.above_sp", usrstack > (long)&value);

  char text[64];
  int ostype[] = {1, 1};
  len = 0;
  show("kern.ostype.size_rc", sysctl(ostype, 2, 0, &len, 0, 0));
  show("kern.ostype.size", len);
  len = sizeof text;
  sysctl(ostype, 2, text, &len, 0, 0);
  put("kern.ostype=");
  put(text);
  put("\n");
  len = 3;
  show("short.rc", sysctl(ostype, 2, text, &len, 0, 0));
  show("short.len", len);
  len = sizeof text;
  show("byname.rc", byname("kern.osrelease", text, &len));
  put("kern.osrelease=");
  put(text);
  put("\n");
  len = sizeof text;
  byname("hw.machine", text, &len);
  put("hw.machine=");
  put(text);
  put("\n");

  int name2oid[] = {0, 3};
  int mib[8];
  len = sizeof mib;
  show("name2oid.rc", sysctl(name2oid, 2, mib, &len, "hw.pagesize", 11));
  show("name2oid.len", len);
  show("name2oid.0", mib[0]);
  show("name2oid.1", mib[1]);

  unsigned char a[16], b[16];
  int arandom[] = {1, 37};
  len = sizeof a;
  sysctl(arandom, 2, a, &len, 0, 0);
  show("arandom.len", len);
  len = sizeof b;
  sysctl(arandom, 2, b, &len, 0, 0);
  int same = 1;
  for (int i = 0; i < 16; i++) same &= a[i] == b[i];
  show("arandom.differ", !same);

  int unknown[] = {6, 9999};
  len = sizeof value;
  show("unknown.rc", sysctl(unknown, 2, &value, &len, 0, 0));
  len = sizeof value;
  show("write.rc", sysctl(ncpu, 2, &value, &len, &value, sizeof value));
  return 0;
}
