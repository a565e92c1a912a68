// Host memory operations on ranges of the guest window: discarding pages (so they read as zero),
// and replacing a range by a file or shared mapping and back. Every mapping made here is host
// read-write and MAP_FIXED inside the window's own reservation, so the window never gets a hole.
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "addon.h"

static void* HostPointer(const Napi::Value& v) {
  return reinterpret_cast<void*>(static_cast<uintptr_t>(v.As<Napi::Number>().Int64Value()));
}

static size_t Length(const Napi::Value& v) {
  return static_cast<size_t>(v.As<Napi::Number>().Int64Value());
}

// Puts private anonymous zero memory back over [addr, addr + length).
static int RestoreAnonymous(void* addr, size_t length) {
  void* r = mmap(addr, length, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return r == MAP_FAILED ? -errno : 0;
}

// hostDiscard(addr, length): madvise(MADV_DONTNEED); private anonymous pages then read as zero.
static Napi::Value HostDiscard(const Napi::CallbackInfo& info) {
  int r = madvise(HostPointer(info[0]), Length(info[1]), MADV_DONTNEED);
  return Napi::Number::New(info.Env(), r == 0 ? 0 : -errno);
}

// hostHugePages(addr, length): madvise(MADV_HUGEPAGE), so that the range is faulted in whole
// transparent huge pages where it spans them (a kernel in THP's "madvise" mode gives them only so).
static Napi::Value HostHugePages(const Napi::CallbackInfo& info) {
  int r = madvise(HostPointer(info[0]), Length(info[1]), MADV_HUGEPAGE);
  return Napi::Number::New(info.Env(), r == 0 ? 0 : -errno);
}

// hostMapFixed(addr, length, shared, fd, offset): maps fd (or anonymous memory when fd < 0) over
// the range, MAP_SHARED or MAP_PRIVATE, always read-write. On failure the range is restored to
// private anonymous memory (a failed MAP_FIXED may already have unmapped it) and -errno returned.
static Napi::Value HostMapFixed(const Napi::CallbackInfo& info) {
  void* addr = HostPointer(info[0]);
  size_t length = Length(info[1]);
  bool shared = info[2].As<Napi::Boolean>().Value();
  int fd = info[3].As<Napi::Number>().Int32Value();
  off_t offset = static_cast<off_t>(info[4].As<Napi::Number>().Int64Value());
  int flags = MAP_FIXED | (shared ? MAP_SHARED : MAP_PRIVATE) | (fd < 0 ? MAP_ANONYMOUS | MAP_NORESERVE : 0);
  void* r = mmap(addr, length, PROT_READ | PROT_WRITE, flags, fd, fd < 0 ? 0 : offset);
  if (r != MAP_FAILED) return Napi::Number::New(info.Env(), 0);
  int err = errno;
  RestoreAnonymous(addr, length);
  return Napi::Number::New(info.Env(), -err);
}

// hostMapAnonymous(addr, length): private anonymous zero memory over the range (undoes hostMapFixed).
static Napi::Value HostMapAnonymous(const Napi::CallbackInfo& info) {
  return Napi::Number::New(info.Env(), RestoreAnonymous(HostPointer(info[0]), Length(info[1])));
}

// hostMoveMapping(oldAddr, oldLength, newLength, newAddr): mremap(MREMAP_MAYMOVE | MREMAP_FIXED),
// keeping a shared mapping's pages; the old range is then restored to private anonymous memory.
static Napi::Value HostMoveMapping(const Napi::CallbackInfo& info) {
  void* old_addr = HostPointer(info[0]);
  size_t old_length = Length(info[1]);
  void* r = mremap(old_addr, old_length, Length(info[2]), MREMAP_MAYMOVE | MREMAP_FIXED, HostPointer(info[3]));
  if (r == MAP_FAILED) return Napi::Number::New(info.Env(), -errno);
  return Napi::Number::New(info.Env(), RestoreAnonymous(old_addr, old_length));
}

// hostFdAccessMode(fd): O_RDONLY, O_WRONLY or O_RDWR of a host descriptor, or -errno.
static Napi::Value HostFdAccessMode(const Napi::CallbackInfo& info) {
  int flags = fcntl(info[0].As<Napi::Number>().Int32Value(), F_GETFL);
  return Napi::Number::New(info.Env(), flags < 0 ? -errno : (flags & O_ACCMODE));
}

// Whether host memory [addr, addr + length) holds exactly the bytes of fd at offset.
static bool SameAsFile(const char* addr, size_t length, int fd, off_t offset) {
  char chunk[1 << 16];
  for (size_t done = 0; done < length;) {
    size_t want = length - done < sizeof chunk ? length - done : sizeof chunk;
    ssize_t n = pread(fd, chunk, want, offset + static_cast<off_t>(done));
    if (n <= 0 || memcmp(chunk, addr + done, static_cast<size_t>(n)) != 0) return false;
    done += static_cast<size_t>(n);
  }
  return true;
}

// hostMapIdentical(addr, length, fd, offset): when the private memory [addr, addr + length) (page
// aligned) holds exactly fd's bytes at offset, maps fd there instead (MAP_PRIVATE, read-write): the
// same bytes, now clean file pages that are not resident until read. 0 when mapped, 1 when the
// bytes differ (nothing changed), -errno. Should the mapping fail after MAP_FIXED removed the old
// pages, anonymous memory is put back and filled from the file, so the bytes stay as they were.
static Napi::Value HostMapIdentical(const Napi::CallbackInfo& info) {
  char* addr = static_cast<char*>(HostPointer(info[0]));
  size_t length = Length(info[1]);
  int fd = info[2].As<Napi::Number>().Int32Value();
  off_t offset = static_cast<off_t>(info[3].As<Napi::Number>().Int64Value());
  if (!SameAsFile(addr, length, fd, offset)) return Napi::Number::New(info.Env(), 1);
  if (mmap(addr, length, PROT_READ | PROT_WRITE, MAP_FIXED | MAP_PRIVATE, fd, offset) != MAP_FAILED) {
    return Napi::Number::New(info.Env(), 0);
  }
  int err = errno;
  RestoreAnonymous(addr, length);
  for (size_t done = 0; done < length;) {
    ssize_t n = pread(fd, addr + done, length - done, offset + static_cast<off_t>(done));
    if (n <= 0) break;
    done += static_cast<size_t>(n);
  }
  return Napi::Number::New(info.Env(), -err);
}

// glibc malloc's thresholds, fixed. Left dynamic, each free of a large mmapped block (Node and V8
// free blocks of megabytes from the start) raises the mmap threshold to that block's size and the
// trim threshold to twice it (up to 64 MiB): the free memory at the top of the arenas of V8's
// worker threads, where TurboFan's zones of a large function come and go (13 MB for one of 28 KB
// of wasm), was then never given back (bzip2 -9 arm64: 35 MiB resident in those arenas, nearly all
// free; malloc_trim does not trim an arena's top). Both stay at 1 MiB (docs/performance.md).
static const int kMallocThreshold = 1 << 20;

void TuneHostMalloc() {
  mallopt(M_MMAP_THRESHOLD, kMallocThreshold);
  mallopt(M_TRIM_THRESHOLD, kMallocThreshold);
}

void RegisterMemory(Napi::Env env, Napi::Object exports) {
  exports.Set("hostDiscard", Napi::Function::New(env, HostDiscard));
  exports.Set("hostHugePages", Napi::Function::New(env, HostHugePages));
  exports.Set("hostMapFixed", Napi::Function::New(env, HostMapFixed));
  exports.Set("hostMapAnonymous", Napi::Function::New(env, HostMapAnonymous));
  exports.Set("hostMoveMapping", Napi::Function::New(env, HostMoveMapping));
  exports.Set("hostFdAccessMode", Napi::Function::New(env, HostFdAccessMode));
  exports.Set("hostMapIdentical", Napi::Function::New(env, HostMapIdentical));
}
