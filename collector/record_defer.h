/*
 * The reader's priority while it records (record_defer.c): idle while the
 * kernel buffer has room, lifted to normal when it fills.  Used by the
 * session loop (record_session.c) around its read loop.
 */
#ifndef NVTRACE_RECORD_DEFER_H
#define NVTRACE_RECORD_DEFER_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/types.h>
#include "collector/record_int.h"

struct rec_defer {
	struct rec_state *s;
	const struct rec_backend_ops *be;
	pid_t reader;		/* the thread that reads: the caller of rec_defer_start */
	/* the session's end, which lifts the reader for good: COMMAND exited
	 * (not reaped: the reader reaps it), the deadline (CLOCK_MONOTONIC s, 0
	 * none), a stop signal */
	pid_t child;
	double deadline;
	volatile sig_atomic_t *stop_signal;
	pthread_t th;
	atomic_int stop;
	int running;		/* the watchdog runs */
	int deferred;		/* the reader was made idle */
	int lifted;		/* ... and is lifted now */
	int lifts;		/* times it was lifted (watchdog's; read after the end) */
	int peak_fill;		/* permille, highest seen */
};

/*
 * Make the calling thread (the reader) idle and start the watchdog, where
 * the backend can tell its buffer's fill; 1 if deferred, 0 if the reader
 * stays as it is (never an error: deferring is only cheaper).  The session's
 * end (child, deadline, *stop_signal: see struct rec_defer) lifts it too, so
 * an idle reader on a busy host is not slow to notice it.
 */
int rec_defer_start(struct rec_defer *d, struct rec_state *s, const struct rec_backend_ops *be,
		    pid_t child, double deadline, volatile sig_atomic_t *stop_signal);

/* Stop the watchdog and give the reader its normal priority back. */
void rec_defer_end(struct rec_defer *d);

#endif
