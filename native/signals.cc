// Host signals the guest has handlers for: a C handler notes each arrival (with the sender's
// siginfo) for the CPU loop to raise in the guest, and, installed without SA_RESTART, makes a
// blocking host syscall return EINTR as the guest's would.
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>

#include "addon.h"

namespace {

constexpr int kMaxSignal = 65;

struct Arrival {
  std::atomic<bool> pending{false};
  int code = 0;
  int pid = 0;
  unsigned uid = 0;
  int status = 0;
};

Arrival arrivals[kMaxSignal];
std::atomic<bool> anyArrival{false};
// The thread that runs the guest. A signal sent to the process may land on any of Node's threads;
// it is noted there and sent on to this one, so that its blocking syscall returns EINTR.
std::atomic<pid_t> guestThread{0};

void NoteArrival(int sig, siginfo_t* info, void*) {
  if (sig <= 0 || sig >= kMaxSignal) return;
  int saved = errno;
  // A signal this process sent itself to relay an arrival carries none of the sender's details;
  // one from tsemu's own host timer (the only POSIX timer here) only interrupts a blocking syscall.
  bool relayed = info->si_code == SI_TKILL && info->si_pid == getpid();
  bool ownTimer = info->si_code == SI_TIMER;
  Arrival& a = arrivals[sig];
  if (!relayed && !ownTimer) {
    a.code = info->si_code;
    a.pid = info->si_pid;
    a.uid = info->si_uid;
    a.status = info->si_status;
    a.pending.store(true);
    anyArrival.store(true);
  }
  pid_t guest = guestThread.load();
  if (guest != 0 && static_cast<pid_t>(syscall(SYS_gettid)) != guest) syscall(SYS_tgkill, getpid(), guest, sig);
  errno = saved;
}

}  // namespace

// hostSignalMode(sig, mode): 0 default action, 1 ignored, 2 noted for the guest. 0 or -errno.
static Napi::Value HostSignalMode(const Napi::CallbackInfo& info) {
  int sig = info[0].As<Napi::Number>().Int32Value();
  int mode = info[1].As<Napi::Number>().Int32Value();
  if (sig <= 0 || sig >= kMaxSignal) return Napi::Number::New(info.Env(), -EINVAL);
  struct sigaction act;
  memset(&act, 0, sizeof act);
  sigfillset(&act.sa_mask);
  if (mode == 2) {
    act.sa_sigaction = NoteArrival;
    act.sa_flags = SA_SIGINFO;
  } else {
    act.sa_handler = mode == 1 ? SIG_IGN : SIG_DFL;
  }
  return Napi::Number::New(info.Env(), sigaction(sig, &act, nullptr) < 0 ? -errno : 0);
}

// takeHostSignals(): the signals noted since the last call, as [sig, code, pid, uid, status, ...].
static Napi::Value TakeHostSignals(const Napi::CallbackInfo& info) {
  Napi::Array out = Napi::Array::New(info.Env());
  if (!anyArrival.exchange(false)) return out;
  uint32_t n = 0;
  for (int sig = 1; sig < kMaxSignal; sig++) {
    Arrival& a = arrivals[sig];
    if (!a.pending.exchange(false)) continue;
    out.Set(n++, sig);
    out.Set(n++, a.code);
    out.Set(n++, a.pid);
    out.Set(n++, static_cast<double>(a.uid));
    out.Set(n++, a.status);
  }
  return out;
}

void SetGuestThread() { guestThread.store(static_cast<pid_t>(syscall(SYS_gettid))); }

void RegisterSignals(Napi::Env env, Napi::Object exports) {
  SetGuestThread();
  exports.Set("hostSignalMode", Napi::Function::New(env, HostSignalMode));
  exports.Set("takeHostSignals", Napi::Function::New(env, TakeHostSignals));
}
