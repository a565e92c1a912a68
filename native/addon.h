// Each topic file of the addon registers its functions on the exports object.
#pragma once
#include <napi.h>

void RegisterProcess(Napi::Env env, Napi::Object exports);
void RegisterSyscalls(Napi::Env env, Napi::Object exports);
void RegisterSockets(Napi::Env env, Napi::Object exports);
void RegisterMemory(Napi::Env env, Napi::Object exports);
// Fixes glibc malloc's mmap and trim thresholds (memory.cc).
void TuneHostMalloc();
void RegisterExec(Napi::Env env, Napi::Object exports);
void RegisterSignals(Napi::Env env, Napi::Object exports);
// V8's compiled code of WebAssembly modules: serialized, and loaded again (wasm-code.cc).
void RegisterWasmCode(Napi::Env env, Napi::Object exports);
// Makes the calling thread the one host signals for the guest are sent on to (a forked child's).
void SetGuestThread();
