/*
 * The tracefs backend of nvtrace record: an instance of our own
 * (instances/nvtrace-record-PID: its own ring buffer and tracing_on, so other
 * tracers on the machine are untouched), the events enabled in it, the pid
 * filter in set_event_pid (event-fork follows children), read with
 * libtracefs and decoded with libtraceevent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <tracefs.h>
#include "collector/record_int.h"

/*
 * Per CPU: --buffer-size (default 128 MiB, as the BPF ring) over the CPUs,
 * room for a reader kept idle on a loaded host (record_defer.c) to wait; by
 * default at least 16 MiB (~0.1 s of the fastest guest at 60 ns/event).
 */
#define BUFFER_MIN_KB (16 << 10)

struct tracefs_backend {
	struct tracefs_instance *inst;
	long buffer_kb;		/* per CPU */
	int ncpus;
	int delivered;		/* events of the current poll */
	int failed;
};

/* libtracefs callback: one entry -> rec_deliver. */
static int on_entry(struct tep_event *e, struct tep_record *rec, int cpu, void *ctx)
{
	struct rec_state *s = ctx;
	struct tracefs_backend *b = s->backend;
	(void)e;
	rec->cpu = cpu;
	b->delivered++;
	if (rec_deliver(s, rec) < 0) {
		b->failed = 1;
		return 1;
	}
	return 0;
}

/* Make the instance, size its buffer and enable the events (still off). */
static int tfs_open(struct rec_state *s)
{
	char name[64];
	struct tracefs_backend *b = calloc(1, sizeof(*b));
	if (!b)
		return rec_fail(s, "out of memory");
	s->backend = b;
	b->ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	snprintf(name, sizeof(name), "nvtrace-record-%d", (int)getpid());
	b->inst = tracefs_instance_create(name);
	if (!b->inst)
		return rec_fail(s, "%s/instances/%s: %s", tracefs_tracing_dir(), name,
				strerror(errno));
	tracefs_trace_off(b->inst);
	int asked = s->o->buffer_mb > 0;	/* --buffer-size: 1 MiB a CPU at least */
	long total_kb = (long)(asked ? s->o->buffer_mb : REC_BUFFER_MB) << 10;
	long min_kb = asked ? 1024 : BUFFER_MIN_KB;
	b->buffer_kb = total_kb / (b->ncpus > 0 ? b->ncpus : 1);
	if (b->buffer_kb < min_kb)
		b->buffer_kb = min_kb;
	char kb[32];
	snprintf(kb, sizeof(kb), "%ld", b->buffer_kb);
	tracefs_instance_file_write(b->inst, "buffer_size_kb", kb);
	/* what the kernel gave (it may refuse a size): the fill is measured against it */
	long long got = 0;
	if (tracefs_instance_file_read_number(b->inst, "buffer_size_kb", &got) == 0 && got > 0)
		b->buffer_kb = (long)got;
	else
		b->buffer_kb = 0;	/* unknown: no fill, the reader is not deferred */
	for (int e = 0; e < s->nenabled; e++)
		if (tracefs_event_enable(b->inst, "kvm", s->enabled[e]) < 0)
			return rec_fail(s, "kvm/%s: cannot enable: %s", s->enabled[e],
					strerror(errno));
	return 0;
}

/* Write the pid filter (if any), then turn tracing on. */
static int tfs_start(struct rec_state *s)
{
	struct tracefs_backend *b = s->backend;
	if (s->filter) {
		char buf[16];
		tracefs_option_enable(b->inst, TRACEFS_OPTION_EVENT_FORK);
		tracefs_instance_file_write(b->inst, "set_event_pid", "");
		for (int i = 0; i < s->npids; i++) {
			snprintf(buf, sizeof(buf), "%d ", (int)s->pids[i]);
			if (tracefs_instance_file_append(b->inst, "set_event_pid", buf) < 0)
				return rec_fail(s, "set_event_pid %d: %s", (int)s->pids[i],
						strerror(errno));
		}
	}
	if (tracefs_trace_on(b->inst) < 0)
		return rec_fail(s, "tracing_on: %s", strerror(errno));
	return 0;
}

/* Read every CPU's buffer to its end; sleep when there was nothing. */
static int tfs_poll(struct rec_state *s, int timeout_ms)
{
	struct tracefs_backend *b = s->backend;
	b->delivered = 0;
	tracefs_iterate_raw_events(s->tep, b->inst, NULL, 0, on_entry, s);
	if (b->failed)
		return -1;
	if (b->delivered < 4096 && timeout_ms > 0)
		usleep((useconds_t)timeout_ms * 1000);
	return 0;
}

static void tfs_stop(struct rec_state *s)
{
	struct tracefs_backend *b = s->backend;
	tracefs_trace_off(b->inst);
}

/*
 * Sum (or, max 0, the largest) of the counters named keys[] in every CPU's
 * per_cpu/cpuN/stats; -1 if no file could be read.
 */
static long long cpu_stats(struct tracefs_backend *b, const char *const *keys, size_t nkeys,
			   int max)
{
	long long total = -1;
	char path[64];

	for (int cpu = 0; cpu < b->ncpus; cpu++) {
		snprintf(path, sizeof(path), "per_cpu/cpu%d/stats", cpu);
		char *text = tracefs_instance_file_read(b->inst, path, NULL);
		if (!text)
			continue;
		long long v = 0;
		for (size_t k = 0; k < nkeys; k++) {
			const char *p = strstr(text, keys[k]);
			if (p)
				v += strtoll(p + strlen(keys[k]), NULL, 10);
		}
		free(text);
		if (total < 0)
			total = 0;
		total = max ? (v > total ? v : total) : total + v;
	}
	return total;
}

/* Entries the kernel overwrote or dropped. */
static uint64_t tfs_lost(struct rec_state *s)
{
	static const char *const keys[] = { "overrun:", "dropped events:" };
	long long n = cpu_stats(s->backend, keys, 2, 0);
	return n > 0 ? (uint64_t)n : 0;
}

/* Permille of the fullest CPU's buffer holding unread events ("bytes:"). */
static int tfs_fill(struct rec_state *s)
{
	static const char *const keys[] = { "\nbytes:" };
	struct tracefs_backend *b = s->backend;
	long long n = cpu_stats(b, keys, 1, 1);
	return n < 0 || b->buffer_kb <= 0 ? -1 : (int)(n * 1000 / (b->buffer_kb * 1024));
}

/* Remove the instance (its buffer and event settings go with it). */
static void tfs_close(struct rec_state *s)
{
	struct tracefs_backend *b = s->backend;
	if (!b)
		return;
	if (b->inst) {
		tracefs_trace_off(b->inst);
		tracefs_instance_destroy(b->inst);
		tracefs_instance_free(b->inst);
	}
	free(b);
	s->backend = NULL;
}

const struct rec_backend_ops rec_tracefs_ops = {
	.id = REC_BACKEND_TRACEFS, .open = tfs_open, .start = tfs_start, .poll = tfs_poll,
	.stop = tfs_stop, .lost = tfs_lost, .close = tfs_close, .fill = tfs_fill,
};
