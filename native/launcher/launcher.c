/*
 * How tsemu's binaries start: a small native executable that runs Node, because only a program
 * that runs before Node can do what Node cannot do for itself.
 *
 *  - Keep the caller's descriptors. Node marks every descriptor it inherits close-on-exec as it
 *    starts (libuv's uv_disable_stdio_inheritance), after which tsemu can no longer tell the ones
 *    a shell handed over (debootstrap's `dpkg --status-fd 8`) from its own. The launcher names
 *    them in TSEMU_INHERITED_FDS (src/syscalls/linux/fd-table.ts), which the guest never sees.
 *  - Start Node from tsemu's start-up snapshot (--snapshot-blob, tools/build-bundle.mjs) when that
 *    node can start from it, which spares loading tsemu's modules; and with the V8 flags user mode
 *    needs, which spares the restart that would otherwise give them (src/user/reentry.ts).
 *  - Keep the caller's NODE_OPTIONS, NODE_EXTRA_CA_CERTS, GLIBC_TUNABLES, LD_PRELOAD... for the
 *    guest, away from Node (hide_host_variables, src/user/node-environment.ts), and give Node glibc
 *    tunables of its own (HOST_TUNABLES).
 *  - Keep the signals the caller ignores and blocks. Node sets every signal's action back to the
 *    default as it starts (SIGPIPE and SIGXFSZ to ignored) and tsemu's host thread changes its mask,
 *    so the guest of `nohup tsemu-... prog` or of a shell's background job (SIGINT and SIGQUIT
 *    ignored) saw them at their default, where qemu's and a native program see them ignored. The
 *    launcher names them in TSEMU_EXEC_SIGNALS (src/user/exec-signals.ts), as a guest's execve of
 *    another target's program does, unless that execve already did.
 *
 * It is started under one of two kinds of names (symbolic links to it; its own name is never run),
 * which argv[0] says, or else the path it was executed as (AT_EXECFN: a caller's `exec -a`):
 *
 *  - bin/tsemu-<name> (tsemu-aarch64, tsemu-system, tsemu-binfmt...): a binary started directly.
 *    The arguments are passed on unchanged, as `node <flags> <tree>/bin/js/tsemu-<name> args...`,
 *    and the environment too, but for TSEMU_INHERITED_FDS and the variables Node reads for
 *    itself, which it gets renamed (hide_host_variables), and GLIBC_TUNABLES.
 *  - tsemu-<arch>-binfmt[-P]: binfmt_misc's interpreter. A registered interpreter must be a real
 *    executable, since the kernel resolves a `#!` interpreter inside the caller's root (which
 *    breaks in foreign chroots). -P says the entry was registered with binfmt_misc's P flag. The
 *    kernel starts it as
 *        interpreter /path/of/binary args...            (without P: argv[0] was replaced by the path)
 *        interpreter /path/of/binary argv0 args...      (with P: the original argv[0] follows the path)
 *    and since Linux 5.12 also says "P" in AT_FLAGS (AT_FLAGS_PRESERVE_ARGV0), which is honoured as
 *    well. With the O (or C) flag the kernel hands over the opened binary in AT_EXECFD; it is used
 *    only when the path itself cannot be read (an execute-only binary). The launcher runs
 *        node <flags> <runtime>/bin/js/tsemu-<arch> [-0 argv0] -- /path/of/binary args...
 *    The runtime is the private directory that `tsemu-binfmt setup-chroot` installs (its own node,
 *    the host libraries node needs, started through the host's dynamic loader so that the foreign
 *    root's /lib is never consulted), and otherwise the tsemu tree this launcher was built in.
 *
 * The tsemu tree of a direct start is always the one the launcher was built in
 * (<tree>/build/Release/tsemu-launcher), run with the node it was built for.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
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

/* The variable naming the ignored and blocked signals to tsemu (src/user/exec-signals.ts). */
#define EXEC_SIGNALS_VARIABLE "TSEMU_EXEC_SIGNALS"
/* The host's signal numbers run from 1 to 64, one bit each from bit 0 in TSEMU_EXEC_SIGNALS's sets. */
#define HOST_SIGNALS 64

/*
 * The variables Node, libuv and the host's glibc read for themselves, handed to tsemu renamed so
 * that they configure the guest, never the emulator's Node (src/user/node-environment.ts, the same
 * rule).
 */
static const char *const HOST_PREFIXES[] = {"NODE_", "UV_", "GLIBC_TUNABLES=", "LD_PRELOAD="};
#define HIDDEN_PREFIX "TSEMU_GUEST_"

/*
 * The host glibc's tunables tsemu's Node runs with (src/user/node-environment.ts carries them on):
 * malloc asks for transparent huge pages in its heap and in the mappings it makes for large
 * blocks, so that they are faulted in 2 MiB at a time rather than 4 KiB where they span whole huge
 * pages, Node's copies of the start-up snapshot among them (docs/performance.md, "Start-up: malloc
 * in huge pages").
 */
#define HOST_TUNABLES "glibc.malloc.hugetlb=1"

/* Highest descriptor number probed where /proc is not mounted, exclusive. */
#define PROBE_LIMIT 65536

/* binfmt_misc's P flag as the kernel reports it in AT_FLAGS (include/uapi/linux/binfmts.h). */
#define AT_FLAGS_PRESERVE_ARGV0 1UL

/*
 * Where the start-up snapshots lie (one per target, named in ENTRIES), their stamps and the build
 * they must not be older than, in a tsemu tree (src/cli/bundle-files.ts: snapshotPath, stampPath,
 * BUILD_REFERENCE).
 */
#define SNAPSHOT_PREFIX "/dist/bundle/tsemu-"
#define SNAPSHOT_SUFFIX ".blob"
#define SNAPSHOT_STAMP ".node"
#define BUILD_REFERENCE "/dist/version.js"

/* Where a tsemu tree keeps the scripts Node runs, one per binary (src/install-root.ts: ENTRY_SCRIPTS). */
#define ENTRY_SCRIPTS "/bin/js/"

static const char NAME_PREFIX[] = "tsemu-";
static const char NAME_SUFFIX[] = "-binfmt";

/* The V8 flags tsemu's user mode needs to fork (src/user/reentry.ts, NODE_FLAGS). */
static const char *const USER_MODE_FLAGS[] = {"--single-threaded-gc", "--no-concurrent-recompilation"};
#define USER_MODE_FLAG_COUNT (sizeof USER_MODE_FLAGS / sizeof *USER_MODE_FLAGS)

/*
 * The V8 flags every binary runs with (src/cli/bundle-files.ts, SNAPSHOT_FLAGS): heap sizes, which
 * V8 fixes when it starts. They are part of the snapshot's flag hash, so it is built with them and
 * every start from it must give them.
 */
static const char *const SNAPSHOT_FLAGS[] = {"--max-semi-space-size=2"};
#define SNAPSHOT_FLAG_COUNT (sizeof SNAPSHOT_FLAGS / sizeof *SNAPSHOT_FLAGS)

/*
 * tsemu's binaries (src/cli/entries.ts), whether each is user mode, which runs with USER_MODE_FLAGS,
 * and the start-up snapshot each starts from (src/cli/bundle-files.ts, SNAPSHOTS).
 */
static const struct entry {
  const char *name;
  int user_mode;
  const char *snapshot;
} ENTRIES[] = {
    {"tsemu-aarch64", 1, "aarch64"}, {"tsemu-arm", 1, "arm"},        {"tsemu-ppc64", 1, "ppc64"},
    {"tsemu-ppc64le", 1, "ppc64"},   {"tsemu-system", 0, "arm"},     {"tsemu-binfmt", 0, "aarch64"},
    {"tsemu-system-aarch64", 0, "aarch64"},
};

static void die(const char *message, const char *detail) {
  fprintf(stderr, "tsemu launcher: %s%s%s\n", message, detail ? ": " : "", detail ? detail : "");
  exit(1);
}

static const char *base_name(const char *path) {
  const char *slash = strrchr(path, '/');
  return slash ? slash + 1 : path;
}

static const struct entry *find_entry(const char *name) {
  for (size_t i = 0; i < sizeof ENTRIES / sizeof *ENTRIES; i++) {
    if (strcmp(ENTRIES[i].name, name) == 0) return &ENTRIES[i];
  }
  return NULL;
}

/* Whether `base` is tsemu-<arch>-binfmt[-P]; then splits it into the architecture and the P marker. */
static int parse_binfmt_name(const char *base, char *arch, size_t arch_size, int *preserve_by_name) {
  size_t len = strlen(base);
  *preserve_by_name = len >= 2 && strcmp(base + len - 2, "-P") == 0;
  if (*preserve_by_name) len -= 2;
  size_t prefix = sizeof NAME_PREFIX - 1, suffix = sizeof NAME_SUFFIX - 1;
  if (len <= prefix + suffix || strncmp(base, NAME_PREFIX, prefix) != 0 ||
      strncmp(base + len - suffix, NAME_SUFFIX, suffix) != 0) {
    return 0;
  }
  size_t arch_len = len - prefix - suffix;
  if (arch_len >= arch_size) die("architecture name too long", base);
  memcpy(arch, base + prefix, arch_len);
  arch[arch_len] = '\0';
  return 1;
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
 * Whether `node` can start from the start-up snapshot `snapshot` of the tsemu tree `tree` (then its path is
 * left in `blob`): the snapshot is not older than the TypeScript build it was made from, and its
 * stamp names this very node binary and the flags it was built with ("dev ino size mtime-in-ns
 * SNAPSHOT_FLAGS...", what nodeIdentity() writes),
 * since a snapshot built by another node makes Node fail or crash.
 */
static int usable_snapshot(const char *tree, const char *node, const char *snapshot, char *blob) {
  char stamp[PATH_MAX], reference[PATH_MAX], name[PATH_MAX];
  join(name, SNAPSHOT_PREFIX, snapshot, SNAPSHOT_SUFFIX);
  join(blob, tree, name, "");
  join(stamp, blob, SNAPSHOT_STAMP, "");
  join(reference, tree, BUILD_REFERENCE, "");
  struct stat b, r, n;
  if (stat(blob, &b) != 0 || stat(reference, &r) != 0 || stat(node, &n) != 0) return 0;
  if (nanoseconds(b.st_mtim) < nanoseconds(r.st_mtim)) return 0;
  char expected[256], actual[256];
  size_t at = (size_t)snprintf(expected, sizeof expected, "%llu %llu %llu %llu", (unsigned long long)n.st_dev,
                               (unsigned long long)n.st_ino, (unsigned long long)n.st_size, nanoseconds(n.st_mtim));
  for (size_t i = 0; i < SNAPSHOT_FLAG_COUNT && at < sizeof expected; i++) {
    at += (size_t)snprintf(expected + at, sizeof expected - at, " %s", SNAPSHOT_FLAGS[i]);
  }
  if (at >= sizeof expected - 1) return 0;
  strcat(expected, "\n");
  FILE *f = fopen(stamp, "re");
  if (!f) return 0;
  size_t len = fread(actual, 1, sizeof actual - 1, f);
  fclose(f);
  actual[len] = '\0';
  return strcmp(actual, expected) == 0;
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

/*
 * Names the signals this process was started with ignored and blocked in TSEMU_EXEC_SIGNALS
 * ("ignored:blocked", hexadecimal sets of host signals), which Node would reset as it starts;
 * unless a guest's execve of another target's program set it, with the guest's own signals.
 */
static void name_inherited_signals(void) {
  if (getenv(EXEC_SIGNALS_VARIABLE)) return;
  unsigned long long ignored = 0, blocked = 0;
  sigset_t mask;
  sigprocmask(SIG_BLOCK, NULL, &mask);
  for (int sig = 1; sig <= HOST_SIGNALS; sig++) {
    struct sigaction action;
    if (sig == SIGKILL || sig == SIGSTOP || sigaction(sig, NULL, &action) != 0) continue;
    if (action.sa_handler == SIG_IGN) ignored |= 1ULL << (sig - 1);
    if (sigismember(&mask, sig) == 1) blocked |= 1ULL << (sig - 1);
  }
  char value[40];
  snprintf(value, sizeof value, "%llx:%llx", ignored, blocked);
  setenv(EXEC_SIGNALS_VARIABLE, value, 1);
}

/* Renames, in place, the caller's variables that the host would read: NODE_OPTIONS=x becomes TSEMU_GUEST_NODE_OPTIONS=x. */
static void hide_host_variables(void) {
  extern char **environ;
  size_t count = 0;
  while (environ[count]) count++;
  char **renamed = calloc(count + 1, sizeof *renamed);
  if (!renamed) die("out of memory", NULL);
  for (size_t i = 0; i < count; i++) {
    renamed[i] = environ[i];
    for (size_t p = 0; p < sizeof HOST_PREFIXES / sizeof *HOST_PREFIXES; p++) {
      if (strncmp(environ[i], HOST_PREFIXES[p], strlen(HOST_PREFIXES[p])) != 0) continue;
      size_t size = sizeof HIDDEN_PREFIX + strlen(environ[i]);
      renamed[i] = malloc(size);
      if (!renamed[i]) die("out of memory", NULL);
      snprintf(renamed[i], size, "%s%s", HIDDEN_PREFIX, environ[i]);
    }
  }
  environ = renamed;
}

/* How to start Node on an entry script: everything before the script's own arguments. */
struct command {
  const char *args[16];
  int n;
  char loader[PATH_MAX], libs[PATH_MAX], node[PATH_MAX], blob[PATH_MAX], script[PATH_MAX];
};

/*
 * The command that runs binary `entry` of the tsemu tree `tree`: its node (a private runtime's,
 * started through the host's dynamic loader beside it, or the one the launcher was built for),
 * user mode's V8 flags, the heap flags, the start-up snapshot when that node can start from it, the
 * entry script.
 */
static void entry_command(struct command *c, const char *tree, int private_runtime, const struct entry *entry) {
  c->n = 0;
  if (private_runtime) {
    join(c->loader, tree, "/host/ld.so", "");
    join(c->libs, tree, "/host/lib", "");
    join(c->node, tree, "/host/node", "");
    c->args[c->n++] = c->loader;
    c->args[c->n++] = "--library-path";
    c->args[c->n++] = c->libs;
  } else {
    join(c->node, TSEMU_NODE, "", "");
  }
  c->args[c->n++] = c->node;
  for (size_t i = 0; entry->user_mode && i < USER_MODE_FLAG_COUNT; i++) c->args[c->n++] = USER_MODE_FLAGS[i];
  for (size_t i = 0; i < SNAPSHOT_FLAG_COUNT; i++) c->args[c->n++] = SNAPSHOT_FLAGS[i];
  if (usable_snapshot(tree, c->node, entry->snapshot, c->blob)) {
    c->args[c->n++] = "--snapshot-blob";
    c->args[c->n++] = c->blob;
  }
  join(c->script, tree, ENTRY_SCRIPTS, entry->name);
  c->args[c->n++] = c->script;
}

/* Executes `c` followed by `options` (count) and `rest` (count); returns only to fail. */
static void run(const struct command *c, const char *const *options, int option_count, char **rest, int rest_count) {
  char **args = calloc((size_t)(c->n + option_count + rest_count + 1), sizeof *args);
  if (!args) die("out of memory", NULL);
  int i = 0;
  for (int h = 0; h < c->n; h++) args[i++] = (char *)c->args[h];
  for (int o = 0; o < option_count; o++) args[i++] = (char *)options[o];
  for (int r = 0; r < rest_count; r++) args[i++] = rest[r];
  args[i] = NULL;
  execv(args[0], args);
  die("cannot run", args[0]);
}

/* The tsemu tree this launcher lies in, <tree>/build/Release/tsemu-launcher; `why` says what its absence means. */
static void own_tree(char *tree, const char *why) {
  if (!realpath("/proc/self/exe", tree)) die(why, strerror(errno));
  up(tree, 3);
}

/* bin/tsemu-<name> started directly: the arguments and the environment go on unchanged. */
static void direct_start(int argc, char **argv, const struct entry *entry) {
  name_inherited_fds(-1);
  if (entry->user_mode) name_inherited_signals();
  char tree[PATH_MAX];
  own_tree(tree, "cannot find the tsemu tree from /proc/self/exe");
  struct command c;
  entry_command(&c, tree, 0, entry);
  run(&c, NULL, 0, argv + 1, argc - 1);
}

/* The kernel's binfmt_misc start of a program for `arch`. */
static void binfmt_start(int argc, char **argv, const char *arch, int preserve_by_name) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s program [args...]\n", argv[0]);
    exit(1);
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
  name_inherited_signals();
  const char *original_argv0 = preserve && argc >= 3 ? argv[2] : NULL;
  int first_rest = original_argv0 ? 3 : 2;

  char name[PATH_MAX], tree[PATH_MAX], script[PATH_MAX];
  join(name, NAME_PREFIX, arch, "");
  join(script, PRIVATE_RUNTIME, ENTRY_SCRIPTS, name);
  int private_runtime = is_file(script);
  if (private_runtime) {
    join(tree, PRIVATE_RUNTIME, "", "");
  } else {
    own_tree(tree, "no tsemu runtime in this root (run `tsemu-binfmt setup-chroot ROOT`)");
    join(script, tree, ENTRY_SCRIPTS, name);
    if (!is_file(script)) die("no tsemu runtime in this root (run `tsemu-binfmt setup-chroot ROOT`)", script);
  }
  const struct entry *entry = find_entry(name);
  if (!entry || !entry->user_mode) die("no user-mode binary for this architecture", name);
  struct command c;
  entry_command(&c, tree, private_runtime, entry);
  const char *options[4];
  int option_count = 0;
  if (original_argv0) {
    options[option_count++] = "-0";
    options[option_count++] = original_argv0;
  }
  options[option_count++] = "--";
  options[option_count++] = program;
  run(&c, options, option_count, argv + first_rest, argc - first_rest);
}

int main(int argc, char **argv) {
  hide_host_variables();
  setenv("GLIBC_TUNABLES", HOST_TUNABLES, 1);
  const char *base = base_name(argv[0]);
  const struct entry *entry = find_entry(base);
  if (entry) direct_start(argc, argv, entry);
  char arch[64];
  int preserve_by_name;
  if (parse_binfmt_name(base, arch, sizeof arch, &preserve_by_name)) binfmt_start(argc, argv, arch, preserve_by_name);
  /* A caller may have given another argv[0] (`exec -a`): the name it executed says which binary this is. */
  const char *executed = (const char *)getauxval(AT_EXECFN);
  entry = executed ? find_entry(base_name(executed)) : NULL;
  if (entry) direct_start(argc, argv, entry);
  die("must be run as tsemu-<arch>-binfmt[-P] or as one of tsemu's binaries (bin/tsemu-*), not", base);
  return 1;
}
