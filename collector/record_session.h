/*
 * A live recording session: picks a backend (BPF or tracefs), enables the
 * KVM tracepoints the running kernel has, runs or follows the processes to
 * trace, and hands each event, decoded into struct nv_event, to a sink
 * (the run database for `record`, counters for `top`).
 */
#ifndef NVTRACE_RECORD_SESSION_H
#define NVTRACE_RECORD_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <event-parse.h>
#include "collector/decode.h"
#include "schema/event.h"

enum rec_backend { REC_BACKEND_AUTO, REC_BACKEND_BPF, REC_BACKEND_TRACEFS };

/* One event kind (a tracepoint id of this kernel) and how to decode it. */
struct rec_kind {
	char name[64];		/* tracepoint name (outlives the session) */
	struct tep_event *event;	/* valid during the session only */
	enum nv_event_type type;
	struct dec_plan plan;
	int nfields;
	struct tep_format_field *fields[64];
	int sink_id;		/* free for the sink (the database's name id) */
	uint64_t count;		/* events of this kind so far */
};

/* Where decoded events go.  Callbacks return 0, or -1 to stop with an error. */
struct rec_sink {
	void *ctx;
	int (*event)(void *ctx, const struct nv_event *ev, struct rec_kind *k);
	/* about every 100 ms: elapsed seconds, events so far, lost so far */
	void (*tick)(void *ctx, double elapsed, uint64_t events, uint64_t lost);
};

struct rec_options {
	enum rec_backend backend;
	const char **events;	/* -e names, or NULL for the default list */
	int nevents;
	const int *pids;	/* -p */
	int npids;
	double seconds;		/* -d, 0 = until the end */
	char **command;		/* -- COMMAND ARGS, NULL-terminated, or NULL */
	int quiet;		/* no notices (the missing-events line, fallback) */
	int bpf_classic;	/* BPF: classic tracepoint programs only */
	int all_fields;		/* keep every event's fields as text (event_raw) */
	int unbatched;		/* BPF: a ring record per event (live counts: top) */
	int buffer_mb;		/* the kernel buffer, MiB (0: REC_BUFFER_MB) */
};

#define REC_BUFFER_MB 128	/* the default kernel buffer: see record_defer.c */

struct rec_result {
	enum rec_backend backend;	/* the one used */
	uint64_t events;
	uint64_t lost;
	double seconds;
	int stopped_by_signal;
	int command_status;		/* wait status of COMMAND */
	char bpf_args[512];		/* BPF: events recorded by argument programs */
	int ncpus;
	/* the reader was kept idle while the kernel buffer had room; times it
	 * was lifted to normal priority; the buffer's highest fill, permille */
	int reader_deferred, reader_lifts, buffer_peak_fill;
	struct rec_kind **kinds;	/* by tep event id, for the final report */
	int nkinds;
};

/*
 * Record until COMMAND exits, -d elapses or SIGINT/SIGTERM arrives.  On
 * error returns -1 with one line "problem" in err (no prefix).
 */
int rec_run(const struct rec_options *o, struct rec_sink *sink,
	    struct rec_result *res, char *err, size_t errlen);

/* Free what rec_run left in res. */
void rec_result_free(struct rec_result *res);

const char *rec_backend_name(enum rec_backend b);

/* Root, tracefs mounted, KVM tracepoints present: 0, or -1 with err. */
int rec_preflight(char *err, size_t errlen);

/* A thread's command name from /proc (pid 0: "<idle>"); 0 or -1. */
int rec_thread_comm(int pid, char *buf, size_t len);

/* Is this the KVM event name of record_events.def?  (1/0) */
int rec_event_known(const char *name);

#endif
