/*
 * The reader's priority while it records: SCHED_IDLE while the kernel buffer
 * has room, normal when it fills.  On a host with no idle core the reader
 * (decode, SQLite) competed with the traced guest for CPU time; idle, it
 * runs only on CPU time nothing else wants, and the kernel buffer holds the
 * events meanwhile, as trace-cmd's path does until `extract`.  A watchdog
 * thread at normal priority (a timer, a few microseconds a wake-up) reads
 * the buffer's fill and lifts the reader to normal priority past three
 * quarters full, so the buffer never overflows for want of reading, and
 * lowers it again under half.  SCHED_RESET_ON_FORK: nothing the reader
 * starts inherits the idle policy.
 */
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include "collector/record_defer.h"

#define DEFER_TICK_NS 5000000L	/* 5 ms: the fastest guest fills ~0.5 MB of buffer */
#define DEFER_HIGH 750		/* permille: lift the reader (a quarter left: ~0.3 s of the fastest guest) */
#define DEFER_LOW 500		/* permille: lower it again */

/* Set thread tid's policy (priority 0 is the only one of both). */
static int set_policy(pid_t tid, int policy)
{
	struct sched_param sp;
	memset(&sp, 0, sizeof(sp));
	return sched_setscheduler(tid, policy | SCHED_RESET_ON_FORK, &sp);
}

/* Has the session reached its end: COMMAND exited, the deadline, a stop signal? */
static int session_ending(const struct rec_defer *d)
{
	if (*d->stop_signal)
		return 1;
	if (d->deadline > 0) {
		struct timespec ts;
		clock_gettime(CLOCK_MONOTONIC, &ts);
		if ((double)ts.tv_sec + ts.tv_nsec / 1e9 >= d->deadline)
			return 1;
	}
	siginfo_t si;
	memset(&si, 0, sizeof(si));
	return d->child > 0 &&	/* WNOWAIT: the reader's waitpid still reaps it */
	       waitid(P_PID, (id_t)d->child, &si, WEXITED | WNOHANG | WNOWAIT) == 0 &&
	       si.si_pid == d->child;
}

/* The watchdog: every tick, the fill decides the reader's policy; the end lifts it. */
static void *watch(void *arg)
{
	struct rec_defer *d = arg;
	struct timespec tick = { 0, DEFER_TICK_NS };
	while (!atomic_load(&d->stop)) {
		nanosleep(&tick, NULL);
		if (session_ending(d)) {
			if (d->lifted || set_policy(d->reader, SCHED_OTHER) == 0)
				d->lifted = 1;
			break;
		}
		int fill = d->be->fill(d->s);
		if (fill < 0)
			continue;
		if (fill > d->peak_fill)
			d->peak_fill = fill;
		if (!d->lifted && fill >= DEFER_HIGH) {
			if (set_policy(d->reader, SCHED_OTHER) == 0) {
				d->lifted = 1;
				d->lifts++;
			}
		} else if (d->lifted && fill <= DEFER_LOW) {
			if (set_policy(d->reader, SCHED_IDLE) == 0)
				d->lifted = 0;
		}
	}
	return NULL;
}

int rec_defer_start(struct rec_defer *d, struct rec_state *s, const struct rec_backend_ops *be,
		    pid_t child, double deadline, volatile sig_atomic_t *stop_signal)
{
	memset(d, 0, sizeof(*d));
	d->s = s;
	d->be = be;
	d->child = child;
	d->deadline = deadline;
	d->stop_signal = stop_signal;
	d->reader = (pid_t)syscall(SYS_gettid);
	if (!be->fill || be->fill(s) < 0)
		return 0;	/* no fill to watch: the reader stays as it is */
	atomic_store(&d->stop, 0);
	/* the watchdog first: it inherits the normal policy, and every signal
	 * blocked (SIGINT and SIGTERM go to the reader: they end its wait) */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	int err = pthread_create(&d->th, NULL, watch, d);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (err)
		return 0;
	d->running = 1;
	if (set_policy(d->reader, SCHED_IDLE)) {
		rec_defer_end(d);
		return 0;
	}
	d->deferred = 1;
	return 1;
}

void rec_defer_end(struct rec_defer *d)
{
	if (d->running) {
		atomic_store(&d->stop, 1);
		pthread_join(d->th, NULL);
		d->running = 0;
	}
	if (d->deferred) {
		set_policy(d->reader, SCHED_OTHER);
		d->deferred = 0;
	}
}
