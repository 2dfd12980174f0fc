/*
 * Inside a recording session: the state the session loop (record_session.c), the
 * decoder (record_decode.c) and the two backends (record_bpf.c,
 * record_tracefs.c) share.  Not for callers: they use record_session.h.
 */
#ifndef NVTRACE_RECORD_INT_H
#define NVTRACE_RECORD_INT_H

#include <sys/types.h>
#include <event-parse.h>
#include "collector/record_bpf_shared.h"
#include "collector/record_session.h"

#define REC_MAX_ENABLED 128

struct rec_state {
	const struct rec_options *o;
	struct rec_sink *sink;
	struct tep_handle *tep;		/* the kvm system's formats */
	enum nv_host_arch host;
	struct rec_kind **kinds;	/* by tep event id */
	int nkinds;
	struct trace_seq seq;		/* raw fields of undecoded events */
	/* events to record: name and index in record_events.def (-1 if not there) */
	const char *enabled[REC_MAX_ENABLED];
	int enabled_idx[REC_MAX_ENABLED];
	int nenabled;
	char missing[2048];		/* default events this kernel lacks, " a b c" */
	char bpf_args[512];		/* BPF: events given argument programs, "a b" */
	int filter;			/* only the processes of pids[] (and children) */
	pid_t pids[1024];
	int npids;
	uint64_t events;
	int sink_failed;
	char *err;
	size_t errlen;
	void *backend;			/* the backend's own state */
};

/* A backend: open (not yet tracing), add the pid filter, start, read, stop. */
struct rec_backend_ops {
	enum rec_backend id;
	int (*open)(struct rec_state *s);
	int (*start)(struct rec_state *s);	/* pids[] are final by now */
	/* hand what is buffered to rec_deliver, waiting up to timeout_ms */
	int (*poll)(struct rec_state *s, int timeout_ms);
	void (*stop)(struct rec_state *s);	/* no new events after this */
	uint64_t (*lost)(struct rec_state *s);
	void (*close)(struct rec_state *s);
	/* permille of the kernel buffer holding unread events (the fullest
	 * CPU's), or -1; called from another thread than the reader's */
	int (*fill)(struct rec_state *s);
};

extern const struct rec_backend_ops rec_bpf_ops;
extern const struct rec_backend_ops rec_tracefs_ops;

/*
 * Does the tracepoint `event` of the kernel whose BTF is btf take the
 * arguments `want` (after its leading void *: one letter per argument, an
 * integer's size in bytes or p for a pointer, e.g. "4444p")?  1/0.
 */
struct btf;
int rec_bpf_args_match(const struct btf *btf, const char *event, const char *want);

/* 1 when this nvtrace has the BPF backend (record_bpf.c), 0 when built without it. */
extern const int rec_bpf_built;

/* Why the BPF backend cannot run here, or NULL when it can try. */
const char *rec_bpf_unavailable(void);

/* Decode one raw tracepoint entry and give it to the sink; -1 stops. */
int rec_deliver(struct rec_state *s, struct tep_record *rec);

/* Format an error line into s->err; returns -1. */
int rec_fail(struct rec_state *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
