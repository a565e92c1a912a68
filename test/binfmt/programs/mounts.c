/*
 * mount(2) and umount2(2) on the directory argv[1] (empty, not a mount point): errors, a tmpfs
 * with options in the data string, a read-only remount, a busy unmount, a bind mount and a lazy
 * unmount. Prints each call's outcome, so runs under an emulator compare with a native run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <unistd.h>

static void report(const char *what, int r) {
  if (r < 0) printf("%s: -1 %s\n", what, strerror(errno));
  else printf("%s: %d\n", what, r);
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s EMPTY-DIR OTHER-DIR\n", argv[0]);
    return 2;
  }
  const char *dir = argv[1], *other = argv[2];
  char file[4096], bound[4096];
  snprintf(file, sizeof file, "%s/file", dir);
  snprintf(bound, sizeof bound, "%s/in-other", dir);

  report("umount2 not a mount point", umount2(dir, 0));
  report("mount unknown type", mount("tsemu-test", dir, "no-such-fs", 0, NULL));
  report("mount bad data pointer", mount("tsemu-test", dir, "tmpfs", 0, (const void *)16));
  report("umount2 bad pointer", umount2((const char *)16, 0));
  report("mount tmpfs", mount("tsemu-test", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m,mode=0750"));

  struct stat st;
  struct statfs fs;
  struct statvfs vfs;
  if (stat(dir, &st) == 0) printf("mode %o\n", (unsigned)(st.st_mode & 07777));
  if (statfs(dir, &fs) == 0) printf("f_type %lx bytes %llu\n", (unsigned long)fs.f_type, (unsigned long long)fs.f_blocks * fs.f_bsize);
  if (statvfs(dir, &vfs) == 0) printf("nosuid %d nodev %d rdonly %d\n", !!(vfs.f_flag & ST_NOSUID), !!(vfs.f_flag & ST_NODEV), !!(vfs.f_flag & ST_RDONLY));

  int fd = open(file, O_WRONLY | O_CREAT, 0644);
  report("create file", fd < 0 ? -1 : 0);
  report("umount2 busy", umount2(dir, 0));
  close(fd);
  report("remount read-only", mount(NULL, dir, NULL, MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL));
  if (statvfs(dir, &vfs) == 0) printf("rdonly %d\n", !!(vfs.f_flag & ST_RDONLY));
  report("open for writing", open(file, O_WRONLY) < 0 ? -1 : 0);
  report("umount2 nofollow", umount2(dir, UMOUNT_NOFOLLOW));
  report("file after umount", access(file, F_OK));

  report("mount bind", mount(other, dir, NULL, MS_BIND, NULL));
  report("bound file", access(bound, F_OK));
  report("umount2 detach", umount2(dir, MNT_DETACH));
  report("bound file after umount", access(bound, F_OK));
  return 0;
}
