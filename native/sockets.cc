// Socket and descriptor helpers for the system emulator's chardev layer, for what Node cannot do:
// inspecting an inherited descriptor (open? a socket? listening? which domain and type?),
// reading a unix socket with recvmsg so SCM_RIGHTS descriptors are received rather than dropped,
// non-blocking writes on such a descriptor, readiness watching through libuv's own loop (uv_poll,
// so no extra thread), duplicating descriptors, and opening a pseudo-terminal.
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include <uv.h>

#include <cstdint>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "addon.h"

// Largest number of descriptors the kernel passes in one message (SCM_MAX_FD).
static constexpr int kMaxFdsPerMessage = 253;

static int FdArg(const Napi::CallbackInfo& info, size_t i) { return info[i].As<Napi::Number>().Int32Value(); }

// socketInfo(fd): { open, socket, listening, domain, type, error }. `error` is the errno of the
// first failing check (EBADF when not open), 0 otherwise.
static Napi::Value SocketInfo(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0);
  Napi::Object out = Napi::Object::New(env);
  out.Set("open", false);
  out.Set("socket", false);
  out.Set("listening", false);
  out.Set("domain", -1);
  out.Set("type", -1);
  out.Set("error", 0);
  if (fd < 0 || fcntl(fd, F_GETFD) < 0) {
    out.Set("error", fd < 0 ? EBADF : errno);
    return out;
  }
  out.Set("open", true);
  struct stat st;
  if (fstat(fd, &st) < 0) {
    out.Set("error", errno);
    return out;
  }
  if (!S_ISSOCK(st.st_mode)) return out;
  out.Set("socket", true);
  int value = 0;
  socklen_t len = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &value, &len) == 0) out.Set("listening", value != 0);
  len = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, SO_DOMAIN, &value, &len) == 0) out.Set("domain", value);
  len = sizeof value;
  if (getsockopt(fd, SOL_SOCKET, SO_TYPE, &value, &len) == 0) out.Set("type", value);
  return out;
}

// recvWithFds(fd, maxBytes): one non-blocking recvmsg. Returns { data, fds, error }: error is 0 or
// an errno (EAGAIN when nothing is pending); an empty `data` with error 0 is end of stream.
// Received descriptors are close-on-exec. On a non-socket (a pty master) it falls back to read().
static Napi::Value RecvWithFds(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  int fd = FdArg(info, 0);
  size_t max = static_cast<size_t>(info[1].As<Napi::Number>().Uint32Value());
  std::vector<char> data(max > 0 ? max : 1);
  alignas(struct cmsghdr) char control[CMSG_SPACE(sizeof(int) * kMaxFdsPerMessage)];
  struct iovec iov = {data.data(), data.size()};
  struct msghdr msg = {};
  msg.msg_iov = &iov;
  msg.msg_iovlen = 1;
  msg.msg_control = control;
  msg.msg_controllen = sizeof control;
  ssize_t n;
  do {
    n = recvmsg(fd, &msg, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && errno == ENOTSOCK) {
    msg.msg_controllen = 0;
    do {
      n = read(fd, data.data(), data.size());
    } while (n < 0 && errno == EINTR);
  }
  Napi::Object out = Napi::Object::New(env);
  Napi::Array fds = Napi::Array::New(env);
  out.Set("fds", fds);
  if (n < 0) {
    out.Set("error", errno);
    out.Set("data", Napi::Buffer<char>::Copy(env, data.data(), 0));
    return out;
  }
  uint32_t count = 0;
  for (struct cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
    size_t nfds = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
    const unsigned char* p = CMSG_DATA(c);
    for (size_t i = 0; i < nfds; i++) {
      int received;
      memcpy(&received, p + i * sizeof(int), sizeof(int));
      fds.Set(count++, received);
    }
  }
  out.Set("error", 0);
  out.Set("data", Napi::Buffer<char>::Copy(env, data.data(), static_cast<size_t>(n)));
  return out;
}

// sendBytes(fd, buffer, offset): one non-blocking send (write() on a non-socket) of
// buffer[offset..]. Returns the number of bytes written or -errno (-EAGAIN when full).
static Napi::Value SendBytes(const Napi::CallbackInfo& info) {
  int fd = FdArg(info, 0);
  Napi::Buffer<char> buffer = info[1].As<Napi::Buffer<char>>();
  size_t offset = static_cast<size_t>(info[2].As<Napi::Number>().Uint32Value());
  if (offset > buffer.Length()) offset = buffer.Length();
  ssize_t n;
  do {
    n = send(fd, buffer.Data() + offset, buffer.Length() - offset, MSG_DONTWAIT | MSG_NOSIGNAL);
  } while (n < 0 && errno == EINTR);
  if (n < 0 && errno == ENOTSOCK) {
    do {
      n = write(fd, buffer.Data() + offset, buffer.Length() - offset);
    } while (n < 0 && errno == EINTR);
  }
  return Napi::Number::New(info.Env(), n < 0 ? -errno : static_cast<double>(n));
}

// closeFd(fd): 0 or -errno.
static Napi::Value CloseFd(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), close(FdArg(info, 0)) == 0 ? 0 : -errno);
}

// dupFd(fd): a close-on-exec duplicate numbered 3 or above, or -errno.
static Napi::Value DupFd(const Napi::CallbackInfo& info) {
  int r = fcntl(FdArg(info, 0), F_DUPFD_CLOEXEC, 3);
  return Napi::Number::New(info.Env(), r < 0 ? -errno : r);
}

// dupTo(oldFd, newFd): dup2, used to point stdio at /dev/null once a daemon is ready. newFd or -errno.
static Napi::Value DupTo(const Napi::CallbackInfo& info) {
  int r = dup2(FdArg(info, 0), FdArg(info, 1));
  return Napi::Number::New(info.Env(), r < 0 ? -errno : r);
}

// A descriptor watched for readiness in Node's own libuv loop.
struct Watch {
  uv_poll_t poll;
  napi_env env;
  Napi::FunctionReference callback;
  uint32_t id;
};

static std::unordered_map<uint32_t, Watch*> watches;
static uint32_t nextWatchId = 1;

static void OnPoll(uv_poll_t* handle, int status, int events) {
  Watch* w = static_cast<Watch*>(handle->data);
  Napi::Env env(w->env);
  Napi::HandleScope scope(env);
  w->callback.MakeCallback(env.Global(), {Napi::Number::New(env, status), Napi::Number::New(env, events)});
  if (env.IsExceptionPending()) {
    Napi::Error e = env.GetAndClearPendingException();
    napi_fatal_exception(env, e.Value());
  }
}

// watchFd(fd, events, callback): starts calling callback(status, events) whenever fd is ready for
// `events` (1 readable, 2 writable). Returns a watch id for setWatchEvents/unwatchFd, or -errno.
static Napi::Value WatchFd(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  uv_loop_t* loop = nullptr;
  if (napi_get_uv_event_loop(env, &loop) != napi_ok) return Napi::Number::New(env, -EINVAL);
  Watch* w = new Watch();
  w->env = env;
  w->callback = Napi::Persistent(info[2].As<Napi::Function>());
  int r = uv_poll_init(loop, &w->poll, FdArg(info, 0));
  if (r < 0) {
    delete w;
    return Napi::Number::New(env, r);
  }
  w->poll.data = w;
  w->id = nextWatchId++;
  watches[w->id] = w;
  int events = info[1].As<Napi::Number>().Int32Value();
  if (events != 0) uv_poll_start(&w->poll, events, OnPoll);
  return Napi::Number::New(env, w->id);
}

// setWatchEvents(id, events): changes what the watch waits for (0 pauses it). 0 or -errno.
static Napi::Value SetWatchEvents(const Napi::CallbackInfo& info) {
  auto it = watches.find(info[0].As<Napi::Number>().Uint32Value());
  if (it == watches.end()) return Napi::Number::New(info.Env(), -ENOENT);
  int events = info[1].As<Napi::Number>().Int32Value();
  int r = events == 0 ? uv_poll_stop(&it->second->poll) : uv_poll_start(&it->second->poll, events, OnPoll);
  return Napi::Number::New(info.Env(), r);
}

// unwatchFd(id): stops and releases a watch; the descriptor itself stays open.
static Napi::Value UnwatchFd(const Napi::CallbackInfo& info) {
  auto it = watches.find(info[0].As<Napi::Number>().Uint32Value());
  if (it == watches.end()) return Napi::Number::New(info.Env(), -ENOENT);
  Watch* w = it->second;
  watches.erase(it);
  w->callback.Reset();
  uv_poll_stop(&w->poll);
  uv_close(reinterpret_cast<uv_handle_t*>(&w->poll), [](uv_handle_t* h) { delete static_cast<Watch*>(h->data); });
  return Napi::Number::New(info.Env(), 0);
}

// openPty(): a new pseudo-terminal in raw mode. { fd, path } with the non-blocking master fd, or
// { fd: -errno, path: "" }.
static Napi::Value OpenPty(const Napi::CallbackInfo& info) {
  Napi::Env env = info.Env();
  Napi::Object out = Napi::Object::New(env);
  out.Set("path", "");
  int master = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  char name[128];
  if (master < 0 || grantpt(master) < 0 || unlockpt(master) < 0 || ptsname_r(master, name, sizeof name) != 0) {
    int err = errno;
    if (master >= 0) close(master);
    out.Set("fd", -err);
    return out;
  }
  struct termios tio;
  if (tcgetattr(master, &tio) == 0) {
    cfmakeraw(&tio);
    tcsetattr(master, TCSAFLUSH, &tio);
  }
  out.Set("fd", master);
  out.Set("path", name);
  return out;
}

void RegisterSockets(Napi::Env env, Napi::Object exports) {
  exports.Set("socketInfo", Napi::Function::New(env, SocketInfo));
  exports.Set("recvWithFds", Napi::Function::New(env, RecvWithFds));
  exports.Set("sendBytes", Napi::Function::New(env, SendBytes));
  exports.Set("closeFd", Napi::Function::New(env, CloseFd));
  exports.Set("dupFd", Napi::Function::New(env, DupFd));
  exports.Set("dupTo", Napi::Function::New(env, DupTo));
  exports.Set("watchFd", Napi::Function::New(env, WatchFd));
  exports.Set("setWatchEvents", Napi::Function::New(env, SetWatchEvents));
  exports.Set("unwatchFd", Napi::Function::New(env, UnwatchFd));
  exports.Set("openPty", Napi::Function::New(env, OpenPty));
}
