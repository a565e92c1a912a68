// The host descriptors this process has open, listed from /proc/self/fd, or, where /proc is not
// mounted (a chroot before its /proc is mounted, or after the guest unmounted it), found by asking
// each number below the descriptor limit (capped: the limit may be a million).
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <vector>

#include "addon.h"

// Highest descriptor number probed without /proc, exclusive.
static const rlim_t PROBE_LIMIT = 65536;

std::vector<int> OpenDescriptors() {
  std::vector<int> open;
  DIR* dir = opendir("/proc/self/fd");
  if (dir != nullptr) {
    int dirFd = dirfd(dir);
    while (struct dirent* entry = readdir(dir)) {
      if (entry->d_name[0] == '.') continue;
      int fd = atoi(entry->d_name);
      if (fd != dirFd) open.push_back(fd);
    }
    closedir(dir);
    std::sort(open.begin(), open.end());
    return open;
  }
  struct rlimit limit;
  rlim_t end = getrlimit(RLIMIT_NOFILE, &limit) == 0 ? std::min(limit.rlim_cur, PROBE_LIMIT) : PROBE_LIMIT;
  for (rlim_t fd = 0; fd < end; fd++) {
    if (fcntl(static_cast<int>(fd), F_GETFD) >= 0) open.push_back(static_cast<int>(fd));
  }
  return open;
}

// openFds(): the open host descriptors, ascending.
static Napi::Value OpenFds(const Napi::CallbackInfo& info) {
  std::vector<int> open = OpenDescriptors();
  Napi::Array out = Napi::Array::New(info.Env(), open.size());
  for (size_t i = 0; i < open.size(); i++) out.Set(static_cast<uint32_t>(i), Napi::Number::New(info.Env(), open[i]));
  return out;
}

void RegisterFds(Napi::Env env, Napi::Object exports) { exports.Set("openFds", Napi::Function::New(env, OpenFds)); }
