/*
 * SysV shared memory: shmget/shmat/shmdt/shmctl as a program sees them. Two attachments of one
 * segment share their bytes, a forked child's writes reach the parent, fixed addresses with
 * SHM_RND and SHM_REMAP, SHM_RDONLY (a write faults, mprotect cannot add PROT_WRITE), IPC_STAT
 * fields, IPC_SET, IPC_RMID while attached (SHM_DEST), errors. Nothing printed depends on the
 * architecture, so the output is the same natively on the host and under every emulator.
 *
 * `sysv_shm owner KEY` and `sysv_shm visitor KEY` are two unrelated processes on one segment: the
 * owner creates it, writes a greeting and waits for the visitor's answer in the segment.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static sigjmp_buf fault_jump;

static void on_segv(int sig) {
  (void)sig;
  siglongjmp(fault_jump, 1);
}

/* Whether writing a byte at p faults. */
static int write_faults(volatile char *p) {
  if (sigsetjmp(fault_jump, 1)) return 1;
  *p = 'x';
  return 0;
}

/* Whether reading a byte at p faults. */
static int read_faults(volatile char *p) {
  if (sigsetjmp(fault_jump, 1)) return 1;
  (void)*p;
  return 0;
}

static const char *result(void *r) {
  static char buf[64];
  if (r != (void *)-1) return "ok";
  snprintf(buf, sizeof buf, "-1 %s", strerror(errno));
  return buf;
}

static const char *status(int r) {
  static char buf[64];
  if (r >= 0) return "0";
  snprintf(buf, sizeof buf, "-1 %s", strerror(errno));
  return buf;
}

static void print_stat(const char *when, int id) {
  struct shmid_ds ds;
  if (shmctl(id, IPC_STAT, &ds) < 0) {
    printf("%s: IPC_STAT -1 %s\n", when, strerror(errno));
    return;
  }
  printf("%s: segsz %lu nattch %lu mode %o dest %d cpid-is-me %d lpid-is-me %d uid-is-me %d times %d %d\n", when,
         (unsigned long)ds.shm_segsz, (unsigned long)ds.shm_nattch, ds.shm_perm.mode & 0777,
         (ds.shm_perm.mode & SHM_DEST) != 0, ds.shm_cpid == getpid(), ds.shm_lpid == getpid(),
         ds.shm_perm.uid == getuid(), ds.shm_atime != 0, ds.shm_ctime != 0);
}

static int self_test(void) {
  long page = sysconf(_SC_PAGESIZE);
  int id = shmget(IPC_PRIVATE, 10000, IPC_CREAT | 0600);
  if (id < 0) {
    printf("shmget: %s\n", strerror(errno));
    return 1;
  }
  print_stat("created", id);

  char *p = shmat(id, NULL, 0);
  printf("shmat: %s\n", result(p));
  print_stat("attached", id);
  strcpy(p, "first");
  memset(p + 9000, 7, 1000);
  printf("last byte of the page run: %d\n", p[9999]);

  char *q = shmat(id, NULL, 0);
  printf("second shmat: %s, other address %d\n", result(q), q != p);
  printf("second sees \"%s\"\n", q);
  strcpy(q + 100, "through q");
  printf("first sees \"%s\"\n", p + 100);
  print_stat("attached twice", id);

  pid_t child = fork();
  if (child == 0) {
    struct shmid_ds ds;
    shmctl(id, IPC_STAT, &ds);
    printf("child: nattch %lu\n", (unsigned long)ds.shm_nattch);
    strcpy(p + 200, "from the child");
    fflush(stdout);
    _exit(0);
  }
  int st;
  waitpid(child, &st, 0);
  printf("parent sees \"%s\"\n", q + 200);
  print_stat("child gone", id);

  printf("shmdt second: %s\n", status(shmdt(q)));
  printf("shmdt second again: %s\n", status(shmdt(q)));
  printf("shmdt mid-attachment: %s\n", status(shmdt(p + page)));
  printf("shmdt misaligned: %s\n", status(shmdt(p + 1)));
  printf("detached range faults: %d\n", read_faults(q));

  /* Fixed addresses inside a reservation that is released first. */
  char *area = mmap(NULL, 1 << 20, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  char *base = (char *)(((unsigned long)area + 0x3ffff) & ~0x3ffffUL);
  munmap(area, 1 << 20);
  char *f = shmat(id, base, 0);
  printf("fixed shmat: %s at the address %d\n", result(f), f == base);
  printf("fixed sees \"%s\"\n", f);
  printf("misaligned without SHM_RND: %s\n", result(shmat(id, base + 0x10000 + 100, 0)));
  char *rnd = shmat(id, base + 0x10000 + 100, SHM_RND);
  printf("misaligned with SHM_RND: %s rounded to SHMLBA %d\n", result(rnd), rnd == base + 0x10000);
  void *page_only = shmat(id, base + 0x20000 + page, 0);
  int shmlba_is_page = SHMLBA == page;
  printf("page-aligned shmat: as SHMLBA says %d\n", (page_only != (void *)-1) == shmlba_is_page);
  if (page_only != (void *)-1) shmdt(page_only);
  printf("over a mapping without SHM_REMAP: %s\n", result(shmat(id, base, 0)));
  char *over = mmap(base + 0x30000, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
  strcpy(over, "anonymous");
  char *remapped = shmat(id, base + 0x30000, SHM_REMAP);
  printf("SHM_REMAP over a mapping: %s, sees \"%s\"\n", result(remapped), remapped == over ? remapped : "?");
  printf("SHM_REMAP without an address: %s\n", result(shmat(id, NULL, SHM_REMAP)));
  printf("munmap of an attachment: %s\n", status(munmap(remapped, 10000)));
  printf("shmdt after munmap: %s\n", status(shmdt(remapped)));
  shmdt(rnd);
  shmdt(f);

  char *ro = shmat(id, NULL, SHM_RDONLY);
  printf("SHM_RDONLY: %s, sees \"%s\"\n", result(ro), ro);
  printf("write to SHM_RDONLY faults: %d\n", write_faults(ro));
  printf("mprotect PROT_WRITE on SHM_RDONLY: %s\n", status(mprotect(ro, page, PROT_READ | PROT_WRITE)));
  /* Linux counts an attachment split by mprotect twice in shm_nattch: do it on one detached at once. */
  char *m = shmat(id, NULL, 0);
  printf("mprotect PROT_READ: %s\n", status(mprotect(m, page, PROT_READ)));
  printf("write after mprotect faults: %d\n", write_faults(m));
  printf("the rest stays writable: %d\n", !write_faults(m + page));
  printf("mprotect back: %s\n", status(mprotect(m, page, PROT_READ | PROT_WRITE)));
  printf("read-only sees the write: %d\n", ro[page] == 'x');
  printf("shmdt of the split attachment: %s\n", status(shmdt(m)));
  shmdt(ro);

  struct shmid_ds ds;
  shmctl(id, IPC_STAT, &ds);
  ds.shm_perm.mode = 0640;
  printf("IPC_SET: %s\n", status(shmctl(id, IPC_SET, &ds)));
  print_stat("after IPC_SET", id);

  struct shminfo info;
  int r = shmctl(0, IPC_INFO, (struct shmid_ds *)&info);
  printf("IPC_INFO: %d shmmin %lu\n", r >= 0, (unsigned long)info.shmmin);
  struct shm_info used;
  r = shmctl(0, SHM_INFO, (struct shmid_ds *)&used);
  printf("SHM_INFO: %d used_ids >= 1 %d\n", r >= 0, used.used_ids >= 1);

  printf("IPC_RMID while attached: %s\n", status(shmctl(id, IPC_RMID, NULL)));
  print_stat("removed", id);
  printf("still readable \"%s\"\n", p);
  printf("shmat after IPC_RMID: %s\n", result(shmat(id, NULL, 0)));
  printf("last shmdt: %s\n", status(shmdt(p)));
  print_stat("gone", id);

  key_t key = (key_t)(0x5e000000 | (getpid() & 0xffffff));
  printf("shmget size 0: %s\n", status(shmget(IPC_PRIVATE, 0, IPC_CREAT | 0600)));
  printf("shmget missing key: %s\n", status(shmget(key, 4096, 0600)));
  int keyed = shmget(key, 4096, IPC_CREAT | 0600);
  printf("shmget key: %d\n", keyed >= 0);
  printf("shmget same key: %d\n", shmget(key, 4096, 0600) == keyed);
  printf("shmget larger: %s\n", status(shmget(key, 8192, 0600)));
  printf("shmget IPC_EXCL: %s\n", status(shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600)));
  printf("shmat bad id: %s\n", result(shmat(-1, NULL, 0)));
  shmctl(keyed, IPC_RMID, NULL);
  return 0;
}

/* The owner: creates the segment, writes a greeting, waits (60 s at most) for the visitor's answer. */
static int owner(key_t key) {
  int id = shmget(key, 4096, IPC_CREAT | IPC_EXCL | 0600);
  if (id < 0) {
    printf("owner shmget: %s\n", strerror(errno));
    return 1;
  }
  volatile char *p = shmat(id, NULL, 0);
  strcpy((char *)p + 1, "hello from the owner");
  p[0] = 1;
  printf("owner ready\n");
  fflush(stdout);
  struct timespec tick = {0, 10 * 1000 * 1000};
  for (int i = 0; i < 6000 && p[0] != 2; i++) nanosleep(&tick, NULL);
  int answered = p[0] == 2;
  printf("owner got \"%s\"\n", answered ? (char *)p + 100 : "nothing");
  shmdt((void *)p);
  shmctl(id, IPC_RMID, NULL);
  return answered ? 0 : 1;
}

/* The visitor: attaches the owner's segment by key (waiting 60 s at most for it), reads the greeting, answers. */
static int visitor(key_t key) {
  struct timespec tick = {0, 10 * 1000 * 1000};
  int id = shmget(key, 0, 0);
  for (int i = 0; i < 6000 && id < 0 && errno == ENOENT; i++) {
    nanosleep(&tick, NULL);
    id = shmget(key, 0, 0);
  }
  volatile char *p = id < 0 ? (void *)-1 : shmat(id, NULL, 0);
  for (int i = 0; i < 6000 && p != (void *)-1 && p[0] != 1; i++) nanosleep(&tick, NULL);
  if (p == (void *)-1) {
    printf("visitor: %s\n", strerror(errno));
    return 1;
  }
  printf("visitor sees %d \"%s\"\n", p[0], (char *)p + 1);
  strcpy((char *)p + 100, "hello from the visitor");
  p[0] = 2;
  shmdt((void *)p);
  return 0;
}

int main(int argc, char **argv) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  signal(SIGSEGV, on_segv);
  if (argc == 3 && strcmp(argv[1], "owner") == 0) return owner((key_t)strtol(argv[2], NULL, 0));
  if (argc == 3 && strcmp(argv[1], "visitor") == 0) return visitor((key_t)strtol(argv[2], NULL, 0));
  return self_test();
}
