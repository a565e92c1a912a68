"""Runs one command and reports its wall time and peak resident set size.

Usage: python3 rusage.py TIMEOUT_SECONDS COMMAND [ARGS...]
The command inherits stdin/stdout/stderr. When it has finished, one JSON line is written to file
descriptor 3: {"seconds", "cpuSeconds", "maxRssKiB", "status", "signal", "timedOut"}, where
cpuSeconds is user plus system time of the command and its reaped descendants. Peak RSS comes from
wait4()'s rusage, which covers the command and every descendant it waited for (Node's
child_process cannot report it, and /usr/bin/time is not installed on a minimal Debian).
"""
import json
import os
import signal
import sys
import time

timeout = float(sys.argv[1])
argv = sys.argv[2:]
os.set_inheritable(3, False)

start = time.monotonic()
pid = os.fork()
if pid == 0:
    try:
        os.execvp(argv[0], argv)
    except OSError as e:
        os.write(2, f"cannot run {argv[0]}: {e.strerror}\n".encode())
    os._exit(127)

timed_out = False


def on_timeout(_signum, _frame):
    global timed_out
    timed_out = True
    os.kill(pid, signal.SIGKILL)


signal.signal(signal.SIGALRM, on_timeout)
signal.setitimer(signal.ITIMER_REAL, timeout)
_, status, usage = os.wait4(pid, 0)
seconds = time.monotonic() - start
signal.setitimer(signal.ITIMER_REAL, 0)

report = {
    "seconds": seconds,
    "cpuSeconds": usage.ru_utime + usage.ru_stime,
    "maxRssKiB": usage.ru_maxrss,
    "status": os.WEXITSTATUS(status) if os.WIFEXITED(status) else None,
    "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
    "timedOut": timed_out,
}
os.write(3, (json.dumps(report) + "\n").encode())
