// Entry point of the native addon: raw host syscalls on guest memory, process control, socket helpers,
// V8's compiled WebAssembly code.
#include "addon.h"

static Napi::Object Init(Napi::Env env, Napi::Object exports) {
  TuneHostMalloc();
  RegisterProcess(env, exports);
  RegisterSyscalls(env, exports);
  RegisterSockets(env, exports);
  RegisterMemory(env, exports);
  RegisterExec(env, exports);
  RegisterSignals(env, exports);
  RegisterWasmCode(env, exports);
  return exports;
}

NODE_API_MODULE(tsemu_native, Init)
