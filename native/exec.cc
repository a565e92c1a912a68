// Becoming another process image, and copying this one: what fork and execve need that a raw
// syscall cannot do safely from inside Node.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <vector>

#include <node.h>
#include <sched.h>
#include <v8-platform.h>

#include <atomic>
#include <memory>

#include "addon.h"

// One fork's parking of Node's worker threads: the tasks share it; the last one to finish closes
// the release pipe's read end.
struct Parking {
  explicit Parking(int releaseRead) : releaseRead(releaseRead) {}
  ~Parking() { close(releaseRead); }
  int releaseRead;
  std::atomic<int> parked{0};
};

// A task that holds one of Node's worker threads until the parent releases it after fork.
class ParkTask : public v8::Task {
 public:
  explicit ParkTask(std::shared_ptr<Parking> parking) : parking_(std::move(parking)) {}
  void Run() override {
    parking_->parked.fetch_add(1);
    char byte;
    while (read(parking_->releaseRead, &byte, 1) < 0 && errno == EINTR) {
    }
  }

 private:
  std::shared_ptr<Parking> parking_;
};

// Set in a forked child: its platform has no worker threads left to park.
static bool forkedChild = false;

// Parks the worker threads of Node's platform in ParkTasks; returns the release pipe's write end
// (-1 when there is nothing to park, or -errno) and how many tasks were posted. A worker that
// sleeps on the task queue's condition variable at fork time leaves that variable in a state
// where the child, which lacks the thread, blocks forever when it signals it. Node counts its
// delayed-task scheduler among its "worker threads" (node_platform.cc), so one task may stay
// queued: it runs, and finishes, later. That scheduler also takes the queue's mutex, when a delayed
// worker task falls due; the engine keeps V8 from scheduling any (--no-wasm-lazy-compilation).
static int ParkWorkers(v8::Isolate* isolate, int* posted) {
  *posted = 0;
  if (forkedChild) return -1;
  node::MultiIsolatePlatform* platform =
      node::GetMultiIsolatePlatform(node::GetCurrentEnvironment(isolate->GetCurrentContext()));
  int workers = platform->NumberOfWorkerThreads();
  int release[2];
  if (pipe2(release, O_CLOEXEC) < 0) return -errno;
  auto parking = std::make_shared<Parking>(release[0]);
  for (int i = 0; i < workers; i++) platform->CallOnWorkerThread(std::make_unique<ParkTask>(parking));
  while (parking->parked.load() < workers - 1) sched_yield();
  struct timespec pause = {0, 100000};
  for (int i = 0; i < 20 && parking->parked.load() < workers; i++) nanosleep(&pause, nullptr);
  *posted = workers;
  return release[1];
}

// Clears MADV_DONTFORK on every mapping in [start, end), without /proc (a guest may have unmounted
// it): one madvise over a range applies to each mapping in it (holes only make it answer ENOMEM),
// but a mapping that refuses (VM_IO, such as the vvar page) ends the walk with EINVAL, so such a
// range is halved until the refusing pages are isolated.
static void InheritMappings(uintptr_t start, uintptr_t end, uintptr_t page) {
  if (madvise(reinterpret_cast<void*>(start), end - start, MADV_DOFORK) == 0 || errno != EINVAL) return;
  if (end - start <= page) return;
  uintptr_t middle = start + ((end - start) / 2 & ~(page - 1));
  InheritMappings(start, middle, page);
  InheritMappings(middle, end, page);
}

// The end of the user address space of an x86_64 process (47-bit, 4-level page tables).
static const uintptr_t USER_SPACE_END = uintptr_t{1} << 47;

// fork(): V8 marks its heap MADV_DONTFORK, so a plain fork gives a child whose JavaScript heap is
// missing. Every mapping is made inheritable again first, Node's worker threads are parked, then
// libc's fork runs (its at-fork handlers keep malloc usable in the child). The child continues on
// this one thread: work V8 gives the worker pool is done by the joining main thread (compile
// jobs), and tsemu runs with --single-threaded-gc and --no-concurrent-recompilation so that
// nothing waits for tasks no thread will run.
static Napi::Value Fork(const Napi::CallbackInfo& info) {
  int posted = 0;
  int release = ParkWorkers(v8::Isolate::GetCurrent(), &posted);
  if (release < -1) return Napi::Number::New(info.Env(), release);
  uintptr_t page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  InheritMappings(page, USER_SPACE_END, page);
  pid_t pid = fork();
  int error = errno;
  if (pid == 0) {
    // The parked tasks' pipe stays open here (their Parking is never released); it is close-on-exec.
    forkedChild = true;
    SetGuestThread();
    if (release >= 0) close(release);
    return Napi::Number::New(info.Env(), 0);
  }
  if (release >= 0) {
    std::vector<char> bytes(posted, 0);
    (void)!write(release, bytes.data(), bytes.size());
    close(release);
  }
  return Napi::Number::New(info.Env(), pid < 0 ? -error : pid);
}

// A string (UTF-8) or a byte array (as it is: guest arguments need not be UTF-8).
static std::string Bytes(const Napi::Value& item) {
  if (item.IsTypedArray()) {
    Napi::Uint8Array bytes = item.As<Napi::Uint8Array>();
    return std::string(reinterpret_cast<const char*>(bytes.Data()), bytes.ByteLength());
  }
  return item.As<Napi::String>().Utf8Value();
}

static std::vector<std::string> Strings(const Napi::Value& value) {
  Napi::Array array = value.As<Napi::Array>();
  std::vector<std::string> out;
  for (uint32_t i = 0; i < array.Length(); i++) out.push_back(Bytes(array.Get(i)));
  return out;
}

static std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(&s[0]);
  out.push_back(nullptr);
  return out;
}

// Highest descriptor number probed without /proc, exclusive.
static const rlim_t PROBE_LIMIT = 65536;

// The host descriptors this process has open, listed from /proc/self/fd, or, where /proc is not
// mounted (a chroot before its /proc is mounted, or after the guest unmounted it), found by asking
// each number below the descriptor limit (capped: the limit may be a million).
static std::vector<int> OpenDescriptors() {
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

// One descriptor whose close-on-exec flag or number execve changed, to put back if execve fails.
struct SavedFd {
  int fd;
  int flags;  // its FD_* flags before
  int copy;   // a close-on-exec duplicate of what was there, or -1
};

// execve(path, argv, envp, placement): placement lists pairs (target, source): the new image gets
// host descriptor `source` as number `target` (without close-on-exec); every other descriptor is
// closed at exec. Returns -errno when execve fails, with this process's descriptors as they were.
static Napi::Value Execve(const Napi::CallbackInfo& info) {
  std::string path = Bytes(info[0]);
  std::vector<std::string> argv = Strings(info[1]), envp = Strings(info[2]);
  Napi::Array placement = info[3].As<Napi::Array>();
  std::vector<std::pair<int, int>> moves;
  int high = 3;
  for (uint32_t i = 0; i + 1 < placement.Length(); i += 2) {
    int target = placement.Get(i).As<Napi::Number>().Int32Value();
    int source = placement.Get(i + 1).As<Napi::Number>().Int32Value();
    moves.emplace_back(target, source);
    if (target >= high) high = target + 1;
    if (source >= high) high = source + 1;
  }
  std::vector<SavedFd> saved;
  // Everything open becomes close-on-exec; the guest's inheritable descriptors are re-placed below.
  std::vector<int> open = OpenDescriptors();
  std::vector<int> copies;
  for (auto& m : moves) copies.push_back(fcntl(m.second, F_DUPFD_CLOEXEC, high));
  for (int fd : open) {
    int flags = fcntl(fd, F_GETFD);
    saved.push_back({fd, flags, -1});
    fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
  }
  for (size_t i = 0; i < moves.size(); i++) {
    int target = moves[i].first;
    for (auto& s : saved) {
      if (s.fd == target && s.copy < 0) s.copy = fcntl(target, F_DUPFD_CLOEXEC, high);
    }
    if (copies[i] >= 0) dup2(copies[i], target);
  }
  std::vector<char*> args = Pointers(argv), env = Pointers(envp);
  execve(path.c_str(), args.data(), env.data());
  int error = errno;
  for (size_t i = 0; i < moves.size(); i++) {
    bool wasOpen = false;
    for (auto& s : saved) wasOpen = wasOpen || s.fd == moves[i].first;
    if (!wasOpen) close(moves[i].first);
  }
  for (auto& s : saved) {
    if (s.copy >= 0) {
      dup2(s.copy, s.fd);
      close(s.copy);
    }
    fcntl(s.fd, F_SETFD, s.flags);
  }
  for (int c : copies) {
    if (c >= 0) close(c);
  }
  return Napi::Number::New(info.Env(), -error);
}

// _exit(status): ends the process at once. Node's own exit path joins helper threads, which a
// forked child does not have; guest output is always written synchronously, so nothing is lost.
static Napi::Value ExitNow(const Napi::CallbackInfo& info) {
  _exit(info[0].As<Napi::Number>().Int32Value());
}

void RegisterExec(Napi::Env env, Napi::Object exports) {
  exports.Set("fork", Napi::Function::New(env, Fork));
  exports.Set("execve", Napi::Function::New(env, Execve));
  exports.Set("exitNow", Napi::Function::New(env, ExitNow));
  exports.Set("openFds", Napi::Function::New(env, OpenFds));
}
