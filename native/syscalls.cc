// Raw host system calls whose pointer arguments are host addresses inside guest memory.
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "addon.h"

// syscall(nr, a0..a5): numbers arrive as doubles (exact below 2^53); returns the raw result or -errno.
static Napi::Value RawSyscall(const Napi::CallbackInfo& info) {
  int64_t args[7] = {0, 0, 0, 0, 0, 0, 0};
  for (size_t i = 0; i < 7 && i < info.Length(); i++) {
    args[i] = info[i].As<Napi::Number>().Int64Value();
  }
  long r = syscall(args[0], args[1], args[2], args[3], args[4], args[5], args[6]);
  if (r == -1) r = -errno;
  return Napi::Number::New(info.Env(), static_cast<double>(r));
}

// hostStrerror(errno): the C library's message for an errno (what QEMU's -strace prints).
static Napi::Value HostStrerror(const Napi::CallbackInfo& info) {
  return Napi::String::New(info.Env(), strerror(info[0].As<Napi::Number>().Int32Value()));
}

void RegisterSyscalls(Napi::Env env, Napi::Object exports) {
  exports.Set("syscall", Napi::Function::New(env, RawSyscall));
  exports.Set("hostStrerror", Napi::Function::New(env, HostStrerror));
}
