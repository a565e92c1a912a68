/*
 * SysV message queues and semaphores: messages chosen by type (positive, zero, negative), short
 * buffers (E2BIG, MSG_NOERROR), IPC_NOWAIT on an empty queue, msgctl IPC_STAT/IPC_SET fields
 * that do not depend on the host (counts, sizes, mode, whether the owner is this process), and
 * semaphores set by SETVAL/SETALL, changed by semop, read by GETVAL/GETALL/GETPID, with
 * IPC_NOWAIT and a semtimedop timeout; a thread waiting in msgrcv and in semop while the main
 * thread sends and posts. Every object is private and removed even when a step fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <time.h>
#include <unistd.h>

union semun {
  int val;
  struct semid_ds *buf;
  unsigned short *array;
};

struct message {
  long type;
  char text[32];
};

static int send(int q, long type, const char *text) {
  struct message m = {type, {0}};
  strcpy(m.text, text);
  int r = msgsnd(q, &m, strlen(text), 0);
  printf("msgsnd %ld %s -> %d\n", type, text, r == 0 ? 0 : errno);
  return r;
}

static void receive(int q, size_t size, long type, int flags) {
  struct message m;
  memset(&m, 0, sizeof m);
  ssize_t r = msgrcv(q, &m, size, type, flags);
  if (r < 0) printf("msgrcv %ld size %zu flags %#x -> errno %d\n", type, size, flags, errno);
  else printf("msgrcv %ld size %zu flags %#x -> %zd type %ld '%.*s'\n", type, size, flags, r, m.type, (int)r, m.text);
}

static void queue_stat(int q) {
  struct msqid_ds ds;
  if (msgctl(q, IPC_STAT, &ds) != 0) {
    printf("IPC_STAT errno %d\n", errno);
    return;
  }
  printf("queue: mode %o owner-is-me %d qnum %lu cbytes %lu qbytes %lu\n",
         ds.msg_perm.mode & 0777, ds.msg_perm.uid == getuid() && ds.msg_perm.cuid == getuid(),
         (unsigned long)ds.msg_qnum, (unsigned long)ds.__msg_cbytes, (unsigned long)ds.msg_qbytes);
}

static void queues(int q) {
  queue_stat(q);
  struct msqid_ds ds;
  msgctl(q, IPC_STAT, &ds);
  ds.msg_qbytes = 4096;
  ds.msg_perm.mode = 0640;
  printf("IPC_SET -> %d\n", msgctl(q, IPC_SET, &ds) == 0 ? 0 : errno);
  queue_stat(q);
  send(q, 1, "one");
  send(q, 2, "two!");
  send(q, 1, "three");
  send(q, 7, "seven...");
  struct message bad = {0, "x"};
  printf("msgsnd type 0 -> errno %d\n", msgsnd(q, &bad, 1, 0) == 0 ? 0 : errno);
  queue_stat(q);
  receive(q, 32, 2, 0);
  receive(q, 32, 0, 0);
  receive(q, 2, 0, 0);
  receive(q, 2, 0, MSG_NOERROR);
  receive(q, 32, -5, IPC_NOWAIT);
  receive(q, 32, 3, IPC_NOWAIT | MSG_EXCEPT);
  receive(q, 32, 0, IPC_NOWAIT);
  queue_stat(q);
}

static void show_values(int s) {
  unsigned short v[3] = {0};
  int r = semctl(s, 0, GETALL, (union semun){.array = v});
  printf("GETALL -> %d: %u %u %u\n", r == 0 ? 0 : errno, v[0], v[1], v[2]);
}

static void semaphores(int s) {
  printf("SETVAL -> %d\n", semctl(s, 0, SETVAL, (union semun){.val = 5}));
  printf("GETVAL -> %d\n", semctl(s, 0, GETVAL));
  unsigned short init[3] = {1, 2, 3};
  printf("SETALL -> %d\n", semctl(s, 0, SETALL, (union semun){.array = init}));
  show_values(s);
  struct sembuf ops[2] = {{0, -1, 0}, {2, 4, 0}};
  printf("semop -> %d\n", semop(s, ops, 2) == 0 ? 0 : errno);
  show_values(s);
  printf("GETPID is me %d GETNCNT %d GETZCNT %d\n", semctl(s, 2, GETPID) == getpid(), semctl(s, 0, GETNCNT),
         semctl(s, 0, GETZCNT));
  struct sembuf take = {0, -1, IPC_NOWAIT};
  printf("semop IPC_NOWAIT on 0 -> errno %d\n", semop(s, &take, 1) == 0 ? 0 : errno);
  take.sem_flg = 0;
  struct timespec wait = {0, 20 * 1000 * 1000};
  printf("semtimedop 20ms on 0 -> errno %d\n", semtimedop(s, &take, 1, &wait) == 0 ? 0 : errno);
  struct sembuf zero = {1, 0, IPC_NOWAIT};
  printf("wait-for-zero on 1 -> errno %d\n", semop(s, &zero, 1) == 0 ? 0 : errno);
  struct semid_ds ds;
  semctl(s, 0, IPC_STAT, (union semun){.buf = &ds});
  printf("set: nsems %lu mode %o owner-is-me %d\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode & 0777,
         ds.sem_perm.uid == getuid());
  ds.sem_perm.mode = 0604;
  printf("IPC_SET -> %d\n", semctl(s, 0, IPC_SET, (union semun){.buf = &ds}) == 0 ? 0 : errno);
  semctl(s, 0, IPC_STAT, (union semun){.buf = &ds});
  printf("set: nsems %lu mode %o\n", (unsigned long)ds.sem_nsems, ds.sem_perm.mode & 0777);
}

static int waiter_queue, waiter_set;

static void *waiter(void *unused) {
  (void)unused;
  struct message m;
  memset(&m, 0, sizeof m);
  ssize_t r = msgrcv(waiter_queue, &m, sizeof m.text, 9, 0);
  struct sembuf take = {1, -1, 0};
  int s = semop(waiter_set, &take, 1);
  printf("waiter: msgrcv %zd '%.*s' semop %d\n", r, r > 0 ? (int)r : 0, m.text, s);
  return NULL;
}

/** The queue is empty: a thread waits in msgrcv, then takes one from semaphore 1. */
static void waiting_thread(int q, int s) {
  waiter_queue = q;
  waiter_set = s;
  pthread_t t;
  pthread_create(&t, NULL, waiter, NULL);
  usleep(20000);
  /* Results are printed after the join: the waiter may print as soon as the message arrives. */
  struct message m = {9, "wake"};
  int sent = msgsnd(q, &m, 4, 0);
  usleep(20000);
  struct sembuf post = {1, 1, 0};
  int posted = semop(s, &post, 1);
  pthread_join(t, NULL);
  printf("msgsnd 9 wake -> %d\n", sent == 0 ? 0 : errno);
  printf("post -> %d\n", posted);
  show_values(s);
}

int main(void) {
  setvbuf(stdout, NULL, _IOLBF, 0);
  int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
  int s = semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
  if (q >= 0) queues(q);
  else printf("msgget errno %d\n", errno);
  if (s >= 0) semaphores(s);
  else printf("semget errno %d\n", errno);
  if (q >= 0 && s >= 0) waiting_thread(q, s);
  int qr = q >= 0 ? msgctl(q, IPC_RMID, NULL) : -1;
  int sr = s >= 0 ? semctl(s, 0, IPC_RMID) : -1;
  printf("IPC_RMID -> %d %d\n", qr, sr);
  struct message m = {1, "gone"};
  printf("after removal: msgsnd errno %d semctl errno %d\n", msgsnd(q, &m, 4, 0) == 0 ? 0 : errno,
         semctl(s, 0, GETVAL) == 0 ? 0 : errno);
  return q >= 0 && s >= 0 ? 0 : 1;
}
