/*
 * Time functions used deterministically: calendar conversion of fixed timestamps (gmtime,
 * timegm, mktime and localtime under TZ=UTC0), strftime, and sanity relations for the clocks
 * (realtime is recent, monotonic never goes back, a sleep lasts at least as long as asked).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static const long long stamps[] = {0, 1, -1, 86399, 951782400, 1000000000, 1234567890,
                                   2147483647LL, 2147483648LL, 4102444800LL, -2208988800LL,
                                   253402300799LL};

int main(void) {
  setenv("TZ", "UTC0", 1);
  tzset();
  for (unsigned i = 0; i < sizeof stamps / sizeof stamps[0]; i++) {
    time_t t = (time_t)stamps[i];
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[128];
    strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S %a %b %j %U %u %Z", &tm);
    struct tm copy = tm;
    long long back = (long long)timegm(&copy);
    copy = tm;
    long long local = (long long)mktime(&copy);
    struct tm lt;
    localtime_r(&t, &lt);
    printf("%lld: %s yday=%d wday=%d timegm=%lld mktime=%lld local hour %d\n", stamps[i], buf,
           tm.tm_yday, tm.tm_wday, back, local, lt.tm_hour);
  }
  struct tm norm = {.tm_year = 124, .tm_mon = 1, .tm_mday = 30, .tm_hour = 25, .tm_min = 61};
  time_t t = timegm(&norm);
  printf("normalised %04d-%02d-%02d %02d:%02d -> %lld\n", norm.tm_year + 1900, norm.tm_mon + 1,
         norm.tm_mday, norm.tm_hour, norm.tm_min, (long long)t);
  char *s = asctime(&norm);
  printf("asctime %s", s);

  struct timespec rt, m0, m1, res;
  clock_gettime(CLOCK_REALTIME, &rt);
  printf("realtime after 2023: %d\n", rt.tv_sec > 1672531200);
  time_t now = time(NULL);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  /* glibc's time() reads CLOCK_REALTIME_COARSE, up to a tick behind CLOCK_REALTIME: read just
     after a second begins, it may still give the previous second (on Linux too). */
  printf("time/gettimeofday/clock_gettime agree: %d\n",
         (long long)now - rt.tv_sec >= -1 && (long long)now - rt.tv_sec < 5 && tv.tv_sec - now >= 0 && tv.tv_sec - now < 5);
  clock_gettime(CLOCK_MONOTONIC, &m0);
  int monotonic = 1;
  for (int i = 0; i < 1000; i++) {
    clock_gettime(CLOCK_MONOTONIC, &m1);
    if (m1.tv_sec < m0.tv_sec || (m1.tv_sec == m0.tv_sec && m1.tv_nsec < m0.tv_nsec)) monotonic = 0;
    m0 = m1;
  }
  printf("monotonic: %d\n", monotonic);
  clock_getres(CLOCK_MONOTONIC, &res);
  printf("resolution at most 1ms: %d\n", res.tv_sec == 0 && res.tv_nsec <= 1000000);
  struct timespec before, after, nap = {0, 20 * 1000 * 1000};
  clock_gettime(CLOCK_MONOTONIC, &before);
  nanosleep(&nap, NULL);
  clock_gettime(CLOCK_MONOTONIC, &after);
  long long ns = (after.tv_sec - before.tv_sec) * 1000000000LL + (after.tv_nsec - before.tv_nsec);
  printf("nanosleep 20ms lasted >= 20ms: %d\n", ns >= 20000000);
  clock_t c = clock();
  printf("clock() non-negative: %d\n", c >= 0);
  printf("difftime %g\n", difftime((time_t)100, (time_t)40));
  return 0;
}
