// V8's compiled code of WebAssembly modules, kept across runs: serializing a compiled module (its
// TurboFan code) and making a module again from those bytes and its wire bytes, synchronously.
//
// V8 11.3 (Node 20) loads serialized code only through streaming compilation: the embedder's
// streaming callback (installed here) is given the compiled bytes (SetCompiledModuleBytes), then
// the wire bytes, then Finish, and V8 deserializes, checking its version, CPU features and flag
// hash, and falls back to compiling the wire bytes when they differ. WebAssembly.compileStreaming
// returns a promise; the callback runs in a microtask and the promise settles in a task V8 posts to
// the platform's foreground queue, so both are run here, before returning, until it settles or no
// task is left (a fallback compile still running on the worker threads): then undefined, and the
// caller compiles the wire bytes itself.
//
// N-API has no access to WebAssembly modules, so these functions use V8's API on the values N-API
// passes (a napi_value is a v8::Local's slot in Node).
#include <cstring>

#include "addon.h"
// node.h defines NAPI_VERSION as the runtime's; the addon is built against version 8 (binding.gyp).
#pragma push_macro("NAPI_VERSION")
#undef NAPI_VERSION
#include <node.h>
#pragma pop_macro("NAPI_VERSION")
#include <v8-wasm.h>
#include <v8.h>

static_assert(sizeof(napi_value) == sizeof(v8::Local<v8::Value>), "napi_value is a v8::Local");

static v8::Local<v8::Value> V8Value(napi_value value) {
  v8::Local<v8::Value> local;
  std::memcpy(static_cast<void*>(&local), &value, sizeof value);
  return local;
}

static napi_value NapiValue(v8::Local<v8::Value> local) {
  napi_value value;
  std::memcpy(&value, static_cast<void*>(&local), sizeof value);
  return value;
}

static const uint8_t* BytesOf(v8::Local<v8::Uint8Array> array) {
  return static_cast<const uint8_t*>(array->Buffer()->Data()) + array->ByteOffset();
}

// serializeWasmModule(module): V8's serialization of a compiled module, or undefined when V8 gives
// none (it serializes only modules with TurboFan code).
static Napi::Value SerializeWasmModule(const Napi::CallbackInfo& info) {
  v8::Local<v8::Value> value = V8Value(info[0]);
  if (!value->IsWasmModuleObject()) return info.Env().Undefined();
  v8::OwnedBuffer serialized = value.As<v8::WasmModuleObject>()->GetCompiledModule().Serialize();
  if (serialized.size == 0) return info.Env().Undefined();
  Napi::Uint8Array out = Napi::Uint8Array::New(info.Env(), serialized.size);
  std::memcpy(out.Data(), serialized.buffer.get(), serialized.size);
  return out;
}

// The streaming callback: its argument is the {wire, code} object DeserializeWasmModule passes to
// WebAssembly.compileStreaming.
static void StreamCompiledModule(const v8::FunctionCallbackInfo<v8::Value>& info) {
  v8::Isolate* isolate = info.GetIsolate();
  std::shared_ptr<v8::WasmStreaming> streaming = v8::WasmStreaming::Unpack(isolate, info.Data());
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  v8::Local<v8::Value> wire, code;
  if (info[0]->IsObject()) {
    v8::Local<v8::Object> handoff = info[0].As<v8::Object>();
    wire = handoff->Get(context, v8::String::NewFromUtf8Literal(isolate, "wire")).FromMaybe(wire);
    code = handoff->Get(context, v8::String::NewFromUtf8Literal(isolate, "code")).FromMaybe(code);
  }
  if (wire.IsEmpty() || code.IsEmpty() || !wire->IsUint8Array() || !code->IsUint8Array()) {
    streaming->Abort(v8::Exception::TypeError(v8::String::NewFromUtf8Literal(isolate, "not a tsemu module")));
    return;
  }
  v8::Local<v8::Uint8Array> codeBytes = code.As<v8::Uint8Array>();
  v8::Local<v8::Uint8Array> wireBytes = wire.As<v8::Uint8Array>();
  // The arrays outlive Finish: the handoff object holds them until the callback returns.
  streaming->SetCompiledModuleBytes(BytesOf(codeBytes), codeBytes->ByteLength());
  streaming->OnBytesReceived(BytesOf(wireBytes), wireBytes->ByteLength());
  streaming->Finish();
}

static void Ignore(const v8::FunctionCallbackInfo<v8::Value>&) {}

// Foreground tasks run at most this many times while waiting for one module.
static const int MAX_TASK_ROUNDS = 64;

// deserializeWasmModule(wire, code): the module of wire bytes `wire` from its serialized code `code`,
// or undefined when V8 did not take the code (then it compiles the wire bytes in the background,
// and the caller compiles them itself).
static Napi::Value DeserializeWasmModule(const Napi::CallbackInfo& info) {
  v8::Isolate* isolate = v8::Isolate::GetCurrent();
  v8::Local<v8::Context> context = isolate->GetCurrentContext();
  static bool installed = false;
  if (!installed) {
    isolate->SetWasmStreamingCallback(StreamCompiledModule);
    installed = true;
  }
  v8::Local<v8::Object> handoff = v8::Object::New(isolate);
  v8::Local<v8::Value> wasm, compileStreaming, promise;
  if (!handoff->Set(context, v8::String::NewFromUtf8Literal(isolate, "wire"), V8Value(info[0])).FromMaybe(false) ||
      !handoff->Set(context, v8::String::NewFromUtf8Literal(isolate, "code"), V8Value(info[1])).FromMaybe(false) ||
      !context->Global()->Get(context, v8::String::NewFromUtf8Literal(isolate, "WebAssembly")).ToLocal(&wasm) ||
      !wasm->IsObject() ||
      !wasm.As<v8::Object>()
           ->Get(context, v8::String::NewFromUtf8Literal(isolate, "compileStreaming"))
           .ToLocal(&compileStreaming) ||
      !compileStreaming->IsFunction()) {
    return info.Env().Undefined();
  }
  v8::Local<v8::Value> argv[] = {handoff};
  if (!compileStreaming.As<v8::Function>()->Call(context, wasm, 1, argv).ToLocal(&promise) || !promise->IsPromise()) {
    return info.Env().Undefined();
  }
  v8::Local<v8::Promise> pending = promise.As<v8::Promise>();
  // A module V8 fails to compile later must not be an unhandled rejection.
  v8::Local<v8::Function> ignore;
  if (!v8::Function::New(context, Ignore).ToLocal(&ignore) || pending->Catch(context, ignore).IsEmpty()) {
    return info.Env().Undefined();
  }
  node::MultiIsolatePlatform* platform = node::GetMultiIsolatePlatform(node::GetCurrentEnvironment(context));
  isolate->PerformMicrotaskCheckpoint();
  for (int round = 0; pending->State() == v8::Promise::kPending && platform && round < MAX_TASK_ROUNDS; round++) {
    bool ran = platform->FlushForegroundTasks(isolate);
    isolate->PerformMicrotaskCheckpoint();
    if (!ran) break;
  }
  if (pending->State() != v8::Promise::kFulfilled) return info.Env().Undefined();
  return Napi::Value(info.Env(), NapiValue(pending->Result()));
}

void RegisterWasmCode(Napi::Env env, Napi::Object exports) {
  exports.Set("serializeWasmModule", Napi::Function::New(env, SerializeWasmModule));
  exports.Set("deserializeWasmModule", Napi::Function::New(env, DeserializeWasmModule));
}
