/*
 * A forked child that computes for long with two threads, as dpkg-deb's decompressing child does
 * with liblzma's threaded decoder: a worker thread produces chunks (a mixing loop over a buffer),
 * hands each to the child's main thread through a mutex and condition variables, and the main
 * thread folds it into a digest and writes one line per chunk to a pipe the parent reads. The
 * child runs long enough for tsemu to compile its code again while both threads are in it
 * (src/translate/wasm/tiers.ts); the lines and the final digest must not change.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wait_report.h"

#define CHUNKS 48
#define WORDS 4096
#define ROUNDS 160

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t filled = PTHREAD_COND_INITIALIZER;
static pthread_cond_t emptied = PTHREAD_COND_INITIALIZER;
static uint32_t slot[WORDS];
static int full;

/* One chunk: ROUNDS passes of a xorshift-multiply mix over a buffer seeded by the chunk number. */
static void produce(uint32_t chunk, uint32_t *out) {
  uint32_t state = 0x9e3779b9u ^ (chunk * 0x85ebca6bu);
  for (int i = 0; i < WORDS; i++) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    out[i] = state;
  }
  for (int round = 0; round < ROUNDS; round++) {
    uint32_t carry = (uint32_t)round;
    for (int i = 0; i < WORDS; i++) {
      uint32_t v = out[i] ^ carry;
      v = (v ^ (v >> 16)) * 0x7feb352du;
      v = (v ^ (v >> 15)) * 0x846ca68bu;
      carry = v ^ (v >> 16);
      out[i] = carry;
    }
  }
}

static void *worker(void *unused) {
  (void)unused;
  static uint32_t buffer[WORDS];
  for (uint32_t chunk = 0; chunk < CHUNKS; chunk++) {
    produce(chunk, buffer);
    pthread_mutex_lock(&lock);
    while (full) pthread_cond_wait(&emptied, &lock);
    memcpy(slot, buffer, sizeof slot);
    full = 1;
    pthread_cond_signal(&filled);
    pthread_mutex_unlock(&lock);
  }
  return NULL;
}

static void child(int out) {
  pthread_t thread;
  pthread_create(&thread, NULL, worker, NULL);
  uint64_t digest = 14695981039346656037ull;
  for (int chunk = 0; chunk < CHUNKS; chunk++) {
    pthread_mutex_lock(&lock);
    while (!full) pthread_cond_wait(&filled, &lock);
    uint64_t sum = 0;
    for (int i = 0; i < WORDS; i++) {
      sum += slot[i];
      digest = (digest ^ slot[i]) * 1099511628211ull;
    }
    full = 0;
    pthread_cond_signal(&emptied);
    pthread_mutex_unlock(&lock);
    dprintf(out, "chunk %d sum %llu\n", chunk, (unsigned long long)sum);
  }
  pthread_join(thread, NULL);
  dprintf(out, "digest %016llx\n", (unsigned long long)digest);
  _exit(0);
}

int main(void) {
  int fds[2];
  if (pipe(fds) != 0) return 1;
  pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    child(fds[1]);
  }
  close(fds[1]);
  char buffer[4096];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) fwrite(buffer, 1, (size_t)n, stdout);
  fflush(stdout);
  report("child", pid);
  return 0;
}
