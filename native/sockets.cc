// Socket helpers for the chardev layer: SCM_RIGHTS, listening-socket checks.
#include "addon.h"

void RegisterSockets(Napi::Env env, Napi::Object exports) {
  (void)env;
  (void)exports;
}
