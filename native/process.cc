// Process-level operations Node cannot do: dying with a given signal, the base address of guest memory.
#include <signal.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstdint>

#include "addon.h"

// Ends this process with `sig` as its death signal, the way a native program killed by it would end.
// Core dumps are disabled first: the dump would be of the emulator, not of the guest.
static Napi::Value DieWithSignal(const Napi::CallbackInfo& info) {
  int sig = info[0].As<Napi::Number>().Int32Value();
  struct rlimit nocore = {0, 0};
  setrlimit(RLIMIT_CORE, &nocore);
  struct sigaction dfl = {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, sig);
  sigprocmask(SIG_UNBLOCK, &set, nullptr);
  kill(getpid(), sig);
  _exit(128 + sig);
}

// Host address of the first byte of a typed array's backing store (guest memory is a SharedArrayBuffer).
static Napi::Value BufferAddress(const Napi::CallbackInfo& info) {
  Napi::TypedArray array = info[0].As<Napi::TypedArray>();
  napi_typedarray_type type;
  size_t length;
  void* data;
  napi_value backing;
  size_t offset;
  napi_get_typedarray_info(info.Env(), array, &type, &length, &data, &backing, &offset);
  return Napi::Number::New(info.Env(), static_cast<double>(reinterpret_cast<uintptr_t>(data)));
}

void RegisterProcess(Napi::Env env, Napi::Object exports) {
  exports.Set("dieWithSignal", Napi::Function::New(env, DieWithSignal));
  exports.Set("bufferAddress", Napi::Function::New(env, BufferAddress));
}
