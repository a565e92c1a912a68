/*
 * tsemu's binfmt_misc interpreter: a small native executable, because the kernel resolves a
 * `#!` interpreter inside the caller's root (which breaks in foreign chroots) and a registered
 * interpreter must be a real ELF file.
 *
 * Installed under the names tsemu-<arch>-binfmt and tsemu-<arch>-binfmt-P (links to this file);
 * the name says which guest architecture to run and, with -P, that the entry was registered with
 * binfmt_misc's P flag. The kernel starts it as
 *     interpreter /path/of/binary args...            (without P: argv[0] was replaced by the path)
 *     interpreter /path/of/binary argv0 args...      (with P: the original argv[0] follows the path)
 * and since Linux 5.12 also says "P" in AT_FLAGS (AT_FLAGS_PRESERVE_ARGV0), which is honoured as
 * well. With the O (or C) flag the kernel hands over the opened binary in AT_EXECFD; it is used
 * only when the path itself cannot be read (an execute-only binary).
 *
 * The launcher then runs the Node.js user-mode emulator as
 *     node <runtime>/bin/tsemu-<arch> [-0 argv0] -- /path/of/binary args...
 * The runtime is the private directory that `tsemu-binfmt setup-chroot` installs (its own node,
 * the host libraries node needs, started through the host's dynamic loader so that the foreign
 * root's /lib is never consulted), and otherwise the tsemu tree this launcher was built in,
 * with the node it was built for.
 * Node is started from the runtime's start-up snapshot (--snapshot-blob, see tools/build-bundle.mjs)
 * when that node can start from it, which spares loading tsemu's modules.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef TSEMU_NODE
#define TSEMU_NODE "/usr/bin/node"
#endif

/* Where setup-chroot puts the runtime inside a root file system. */
#define PRIVATE_RUNTIME "/usr/libexec/tsemu-binfmt"

/* The variable naming inherited descriptors to tsemu (src/syscalls/linux/fd-table.ts). */
#define INHERITED_FDS_VARIABLE "TSEMU_INHERITED_FDS"

/* Highest descriptor number probed where /proc is not mounted, exclusive. */
#define PROBE_LIMIT 65536

/* binfmt_misc's P flag as the kernel reports it in AT_FLAGS (include/uapi/linux/binfmts.h). */
#define AT_FLAGS_PRESERVE_ARGV0 1UL

/*
 * The start-up snapshot, its stamp and the build it must not be older than, in a tsemu tree
 * (src/cli/bundle-files.ts: SNAPSHOT, stampPath, BUILD_REFERENCE).
 */
#define SNAPSHOT "/dist/bundle/tsemu.blob"
#define SNAPSHOT_STAMP ".node"
#define BUILD_REFERENCE "/dist/version.js"

static const char NAME_PREFIX[] = "tsemu-";
static const char NAME_SUFFIX[] = "-binfmt";

static void die(const char *message, const char *detail) {
  fprintf(stderr, "tsemu-binfmt launcher: %s%s%s\n", message, detail ? ": " : "", detail ? detail : "");
  exit(1);
}

/* Splits the launcher's own name into the guest architecture and the P marker. */
static void parse_name(const char *argv0, char *arch, size_t arch_size, int *preserve_by_name) {
  const char *base = strrchr(argv0, '/');
  base = base ? base + 1 : argv0;
  size_t len = strlen(base);
  *preserve_by_name = len >= 2 && strcmp(base + len - 2, "-P") == 0;
  if (*preserve_by_name) len -= 2;
  size_t prefix = sizeof NAME_PREFIX - 1, suffix = sizeof NAME_SUFFIX - 1;
  if (len <= prefix + suffix || strncmp(base, NAME_PREFIX, prefix) != 0 ||
      strncmp(base + len - suffix, NAME_SUFFIX, suffix) != 0) {
    die("must be run as tsemu-<arch>-binfmt[-P], not", base);
  }
  size_t arch_len = len - prefix - suffix;
  if (arch_len >= arch_size) die("architecture name too long", base);
  memcpy(arch, base + prefix, arch_len);
  arch[arch_len] = '\0';
}

static int is_file(const char *path) { return access(path, F_OK) == 0; }

/* snprintf into a PATH_MAX buffer; a path that does not fit is an error, never truncated. */
static void join(char *out, const char *dir, const char *tail, const char *name) {
  int len = snprintf(out, PATH_MAX, "%s%s%s", dir, tail, name);
  if (len < 0 || len >= PATH_MAX) die("path too long", dir);
}

/* Cuts the last `levels` components off the absolute path `path`. */
static void up(char *path, int levels) {
  for (int level = 0; level < levels; level++) {
    char *slash = strrchr(path, '/');
    if (!slash || slash == path) die("cannot locate the tsemu tree from", path);
    *slash = '\0';
  }
}

static unsigned long long nanoseconds(struct timespec t) {
  return (unsigned long long)t.tv_sec * 1000000000ULL + (unsigned long long)t.tv_nsec;
}

/*
 * Whether `node` can start from the start-up snapshot of the tsemu tree `tree` (then its path is
 * left in `blob`): the snapshot is not older than the TypeScript build it was made from, and its
 * stamp names this very node binary ("dev ino size mtime-in-ns", what nodeIdentity() writes),
 * since a snapshot built by another node makes Node fail or crash.
 */
static int usable_snapshot(const char *tree, const char *node, char *blob) {
  char stamp[PATH_MAX], reference[PATH_MAX];
  join(blob, tree, SNAPSHOT, "");
  join(stamp, blob, SNAPSHOT_STAMP, "");
  join(reference, tree, BUILD_REFERENCE, "");
  struct stat b, r, n;
  if (stat(blob, &b) != 0 || stat(reference, &r) != 0 || stat(node, &n) != 0) return 0;
  if (nanoseconds(b.st_mtim) < nanoseconds(r.st_mtim)) return 0;
  char expected[128], actual[128];
  snprintf(expected, sizeof expected, "%llu %llu %llu %llu\n", (unsigned long long)n.st_dev,
           (unsigned long long)n.st_ino, (unsigned long long)n.st_size, nanoseconds(n.st_mtim));
  FILE *f = fopen(stamp, "re");
  if (!f) return 0;
  size_t len = fread(actual, 1, sizeof actual - 1, f);
  fclose(f);
  actual[len] = '\0';
  return strcmp(actual, expected) == 0;
}

/* Appends "--snapshot-blob <blob>" to head when `node` can start from the snapshot of `tree`. */
static void add_snapshot(const char **head, int *n, const char *tree, const char *node, char *blob) {
  if (!usable_snapshot(tree, node, blob)) return;
  head[(*n)++] = "--snapshot-blob";
  head[(*n)++] = blob;
}

/* The descriptor of the binary passed by the O/C flags, or -1. */
static long exec_fd(void) {
  errno = 0;
  unsigned long fd = getauxval(AT_EXECFD);
  return errno == ENOENT || fd > INT_MAX ? -1 : (long)fd;
}

/* Appends ",fd" (or "fd" first) to the growing list *out of length *used. */
static void append_fd(char **out, size_t *used, size_t *size, int fd) {
  char item[16];
  int len = snprintf(item, sizeof item, "%s%d", *used > 0 ? "," : "", fd);
  if (*used + (size_t)len + 1 > *size) {
    *size = (*size + (size_t)len + 1) * 2;
    *out = realloc(*out, *size);
    if (!*out) die("out of memory", NULL);
  }
  memcpy(*out + *used, item, (size_t)len + 1);
  *used += (size_t)len;
}

static void note_if_inherited(char **out, size_t *used, size_t *size, int fd, long skip) {
  int flags = fcntl(fd, F_GETFD);
  if (fd > 2 && fd != skip && flags >= 0 && !(flags & FD_CLOEXEC)) append_fd(out, used, size, fd);
}

/*
 * Names the descriptors above 2 this process inherited (what a shell handed over, such as the
 * descriptor 8 of debootstrap's `dpkg --status-fd 8`) in TSEMU_INHERITED_FDS: Node marks inherited
 * descriptors close-on-exec as it starts (libuv's uv_disable_stdio_inheritance), after which tsemu
 * could no longer tell them from its own. `skip` is the kernel's AT_EXECFD, which is the launcher's.
 * Without /proc (a chroot that has none mounted) each number below the limit is asked.
 */
static void name_inherited_fds(long skip) {
  char *list = NULL;
  size_t used = 0, size = 0;
  DIR *dir = opendir("/proc/self/fd");
  if (dir) {
    for (struct dirent *entry = readdir(dir); entry; entry = readdir(dir)) {
      int fd = atoi(entry->d_name);
      if (entry->d_name[0] != '.' && fd != dirfd(dir)) note_if_inherited(&list, &used, &size, fd, skip);
    }
    closedir(dir);
  } else {
    struct rlimit limit;
    rlim_t end = getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < PROBE_LIMIT ? limit.rlim_cur : PROBE_LIMIT;
    for (rlim_t fd = 0; fd < end; fd++) note_if_inherited(&list, &used, &size, (int)fd, skip);
  }
  if (used > 0) setenv(INHERITED_FDS_VARIABLE, list, 1);
  else unsetenv(INHERITED_FDS_VARIABLE);
  free(list);
}

int main(int argc, char **argv) {
  char arch[64];
  int preserve_by_name;
  parse_name(argv[0], arch, sizeof arch, &preserve_by_name);
  if (argc < 2) {
    fprintf(stderr, "usage: %s program [args...]\n", argv[0]);
    return 1;
  }
  int preserve = preserve_by_name || (getauxval(AT_FLAGS) & AT_FLAGS_PRESERVE_ARGV0);

  char fd_path[64];
  const char *program = argv[1];
  long fd = exec_fd();
  if (fd >= 0) {
    if (access(program, R_OK) == 0) {
      close((int)fd);
    } else {
      snprintf(fd_path, sizeof fd_path, "/proc/self/fd/%ld", fd);
      program = fd_path;
    }
  }
  name_inherited_fds(program == fd_path ? fd : -1);
  const char *original_argv0 = preserve && argc >= 3 ? argv[2] : NULL;
  char **rest = argv + (original_argv0 ? 3 : 2);
  int rest_count = argc - (original_argv0 ? 3 : 2);

  char script[PATH_MAX], loader[PATH_MAX], libs[PATH_MAX], node[PATH_MAX], blob[PATH_MAX], self[PATH_MAX];
  const char *head[12];
  const char *tree = PRIVATE_RUNTIME;
  int n = 0;
  join(script, PRIVATE_RUNTIME, "/bin/tsemu-", arch);
  if (is_file(script)) {
    join(loader, PRIVATE_RUNTIME, "/host/ld.so", "");
    join(libs, PRIVATE_RUNTIME, "/host/lib", "");
    join(node, PRIVATE_RUNTIME, "/host/node", "");
    head[n++] = loader;
    head[n++] = "--library-path";
    head[n++] = libs;
    head[n++] = node;
  } else {
    /* <tree>/build/Release/tsemu-launcher: the tree is two directories up. */
    if (!realpath("/proc/self/exe", self)) {
      die("no tsemu runtime in this root (run `tsemu-binfmt setup-chroot ROOT`)", strerror(errno));
    }
    up(self, 3);
    join(script, self, "/bin/tsemu-", arch);
    if (!is_file(script)) die("no tsemu runtime in this root (run `tsemu-binfmt setup-chroot ROOT`)", script);
    join(node, TSEMU_NODE, "", "");
    head[n++] = node;
    tree = self;
  }
  /* The V8 flags tsemu needs to fork (src/user/reentry.ts, NODE_FLAGS): given here, they spare a restart. */
  head[n++] = "--single-threaded-gc";
  head[n++] = "--no-concurrent-recompilation";
  add_snapshot(head, &n, tree, node, blob);
  head[n++] = script;

  char **args = calloc((size_t)(n + 4 + rest_count + 1), sizeof *args);
  if (!args) die("out of memory", NULL);
  int i = 0;
  for (int h = 0; h < n; h++) args[i++] = (char *)head[h];
  if (original_argv0) {
    args[i++] = "-0";
    args[i++] = (char *)original_argv0;
  }
  args[i++] = "--";
  args[i++] = (char *)program;
  for (int r = 0; r < rest_count; r++) args[i++] = rest[r];
  args[i] = NULL;
  execv(args[0], args);
  die("cannot run", args[0]);
  return 1;
}
