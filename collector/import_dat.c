/*
 * Import a trace.dat (trace-cmd format, versions 6 and 7, compressed or not)
 * through libtracecmd and libtraceevent.  Fields are found by name in the
 * file's own event formats, so a trace.dat from an arm64 host imports here.
 */
#include <pthread.h>
#include <signal.h>
#include <unistd.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <trace-cmd.h>
#include <event-parse.h>
#include <trace-seq.h>
#include "collector/decode.h"
#include "collector/import.h"
#include "collector/tep_field.h"

/* Exported by libtracecmd 1.3.1 but not declared in its public header. */
const char *tracecmd_get_uname(struct tracecmd_input *handle);
const char *tracecmd_get_cpustats(struct tracecmd_input *handle);

#define MAX_FIELDS 64

/*
 * Set while this thread runs code of libtracecmd / libtraceevent: only a
 * crash there is reported as a corrupt file (see crash_guard_on).
 */
static _Thread_local volatile sig_atomic_t in_lib;
#define LIB(expr) (in_lib = 1, (expr), in_lib = 0)

/* What we know about one event id, worked out on its first record. */
struct dat_kind {
	struct tep_event *event;
	int named;		/* name_id known (set by the writer thread) */
	int name_id;
	struct dec_plan plan;
	int nfields;
	struct tep_format_field *fields[MAX_FIELDS];
	int nused;
	int16_t used[MAX_FIELDS];	/* field indexes the plan reads */
};

/*
 * Reading and writing overlap: one thread reads records and decodes them into
 * batches, the calling thread writes the batches to SQLite (all SQLite calls
 * stay on it).  A ring of NBATCH batches keeps memory flat.
 */
#define BATCH_EVENTS 4096
#define BATCH_RAW (256 * 1024)
#define NBATCH 4

struct batch {
	int n;
	int64_t lost;
	struct nv_event ev[BATCH_EVENTS];
	struct dat_kind *kind[BATCH_EVENTS];
	const char *comm[BATCH_EVENTS];	/* set where a new thread starts */
	size_t raw_used;
	char raw[BATCH_RAW];		/* raw fields of undecoded events */
};

struct dat_state {
	struct import_ctx *c;
	const char *path;
	struct tracecmd_input *handle;
	struct tep_handle *tep;
	struct dat_kind **kinds;	/* by event id (reader thread only) */
	int nkinds;
	struct trace_seq seq;
	struct stat st;		/* the input file, to find its mappings */
	int last_pid;
	int64_t read, done;
	char read_err[512];	/* the reader's error, if any */
	/* the ring, under mu */
	pthread_mutex_t mu;
	pthread_cond_t filled, emptied;
	struct batch *slot[NBATCH];
	int head, count;	/* next batch to write; batches ready */
	int reading;		/* the reader has not finished */
	atomic_int stop;	/* the writer failed: reader, stop */
	struct batch *cur;	/* the reader's batch being filled */
};

/* dec_lookup_fn over a tep event's format fields. */
static int kind_lookup(void *ctx, const char *name)
{
	struct dat_kind *k = ctx;
	for (int i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i]->name, name) == 0)
			return i;
	return -1;
}

/* Work out the decode plan of an event id (once). */
static struct dat_kind *kind_of(struct dat_state *s, int id, struct tep_record *rec)
{
	struct dat_kind *k;
	struct tep_format_field *f;

	struct dat_kind **table = nvt_id_table_fit(s->kinds, &s->nkinds, id, 1 << 20, sizeof(*table));
	if (!table)
		return NULL;
	s->kinds = table;
	if (s->kinds[id])
		return s->kinds[id];
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	LIB(k->event = tep_find_event_by_record(s->tep, rec));
	if (!k->event) {
		free(k);
		return NULL;
	}
	for (f = k->event->format.fields; f && k->nfields < MAX_FIELDS; f = f->next)
		k->fields[k->nfields++] = f;
	dec_plan_build(&k->plan, k->event->name, s->c->host, kind_lookup, k);
	for (int i = 0; i < k->plan.nstep; i++)
		for (int j = 0; j < 5 && k->plan.step[i].src[j] >= 0; j++) {
			int16_t idx = k->plan.step[i].src[j], seen = 0;
			for (int u = 0; u < k->nused; u++)
				seen |= k->used[u] == idx;
			if (!seen)
				k->used[k->nused++] = idx;
		}
	s->kinds[id] = k;
	return k;
}

/*
 * libtracecmd 1.3.1 maps each CPU's data of an uncompressed trace.dat
 * read-only and keeps every page it has read mapped until the file is
 * closed, so resident memory would grow with the trace.  Now and then we
 * drop those read-only file pages from our address space (MADV_DONTNEED on
 * a private read-only file mapping only unmaps: a later access reads the
 * same bytes back from the file), which keeps memory flat.
 */
static void drop_file_pages(const struct stat *st)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	char line[512], perms[8];
	unsigned long start, end, off, ino;
	unsigned maj, min;

	if (!maps)
		return;
	while (fgets(line, sizeof(line), maps))
		if (sscanf(line, "%lx-%lx %7s %lx %x:%x %lu", &start, &end, perms, &off,
			   &maj, &min, &ino) == 7 &&
		    ino == st->st_ino && maj == major(st->st_dev) && min == minor(st->st_dev) &&
		    !strcmp(perms, "r--p"))
			madvise((void *)start, end - start, MADV_DONTNEED);
	fclose(maps);
}

/* Hand the reader's batch to the writer (waits while the ring is full). */
static void publish(struct dat_state *s)
{
	pthread_mutex_lock(&s->mu);
	s->count++;
	pthread_cond_signal(&s->filled);
	s->cur = NULL;
	pthread_mutex_unlock(&s->mu);
}

/* The reader's batch to fill, waiting for a free slot. */
static struct batch *fill_batch(struct dat_state *s)
{
	if (s->cur)
		return s->cur;
	pthread_mutex_lock(&s->mu);
	while (s->count == NBATCH)	/* the writer drains the ring even after a failure */
		pthread_cond_wait(&s->emptied, &s->mu);
	s->cur = s->slot[(s->head + s->count) % NBATCH];
	pthread_mutex_unlock(&s->mu);
	s->cur->n = 0;
	s->cur->lost = 0;
	s->cur->raw_used = 0;
	return s->cur;
}

/* tracecmd_iterate_events callback (reader thread): one record -> one batch entry. */
static int on_record(struct tracecmd_input *h, struct tep_record *rec, int cpu, void *data)
{
	struct dat_state *s = data;
	uint64_t vals[MAX_FIELDS];
	struct nv_event *ev;
	struct dat_kind *k;
	struct batch *b;
	int i, id, rc = 0;
	(void)h;

	in_lib = 0;	/* our code from here; library calls below are marked */
	if (atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		rc = -1;
		goto out;
	}
	LIB(id = tep_data_type(s->tep, rec));
	k = kind_of(s, id, rec);
	if (!k) {
		snprintf(s->read_err, sizeof(s->read_err), "%s: event of unknown id %d in the data",
			 s->path, id);
		rc = -1;
		goto out;
	}
	b = fill_batch(s);
	i = b->n;
	ev = &b->ev[i];
	nv_event_clear(ev);
	ev->ts = (int64_t)rec->ts;
	ev->cpu = cpu;
	LIB(ev->pid = tep_data_pid(s->tep, rec));
	ev->type = (uint16_t)k->plan.type;
	b->kind[i] = k;
	b->comm[i] = NULL;
	if (rec->missed_events > 0)
		b->lost += rec->missed_events;
	if (k->plan.decoded) {
		for (int u = 0; u < k->nused; u++)
			LIB(vals[k->used[u]] = nvt_field_u64(s->tep, k->fields[k->used[u]], rec));
		dec_apply(&k->plan, vals, ev);
	} else {
		in_lib = 1;
		trace_seq_reset(&s->seq);
		tep_record_print_fields(&s->seq, rec, k->event);
		trace_seq_terminate(&s->seq);
		in_lib = 0;
		const char *text = s->seq.buffer + strspn(s->seq.buffer, " ");
		size_t len = strlen(text) + 1;
		if (len > BATCH_RAW / 4)
			len = BATCH_RAW / 4;
		memcpy(b->raw + b->raw_used, text, len);
		b->raw[b->raw_used + len - 1] = 0;
		ev->raw = b->raw + b->raw_used;
		b->raw_used += len;
	}
	if (ev->pid != s->last_pid) {	/* comm lookups only when the thread changes */
		LIB(b->comm[i] = tep_data_comm_from_pid(s->tep, ev->pid));
		s->last_pid = ev->pid;
	}
	b->n++;
	if (b->n == BATCH_EVENTS || b->raw_used > BATCH_RAW - BATCH_RAW / 4)
		publish(s);
	if ((++s->read & 0xffff) == 0)
		drop_file_pages(&s->st);
out:
	in_lib = 1;	/* back into libtracecmd */
	return rc;
}

/* The reader thread: iterate the buffer, then say it is done. */
static void *reader(void *arg)
{
	struct dat_state *s = arg;
	LIB(tracecmd_iterate_events(s->handle, NULL, 0, on_record, s));
	if (s->cur)
		publish(s);
	pthread_mutex_lock(&s->mu);
	s->reading = 0;
	pthread_cond_signal(&s->filled);
	pthread_mutex_unlock(&s->mu);
	return NULL;
}

/* Write one batch (writer thread); -1 with c->err set on a database error. */
static int write_batch(struct dat_state *s, struct batch *b)
{
	struct import_ctx *c = s->c;
	import_add_lost(c, b->lost);
	for (int i = 0; i < b->n; i++) {
		struct dat_kind *k = b->kind[i];
		if (!k->named) {
			k->name_id = nvdb_name_id(c->db, k->event->system, k->event->name,
						  k->plan.type);
			k->named = 1;
		}
		b->ev[i].name_id = k->name_id;
		if (b->comm[i])
			import_thread(c, b->ev[i].pid, b->comm[i]);
		if (k->name_id < 0) {
			snprintf(c->err, sizeof(c->err), "%s: an event name longer than %d bytes, or "
				 "more than %d names", s->path, NVDB_MAX_NAME_LEN, NVDB_MAX_NAME_ID);
			return -1;
		}
		if (nvdb_insert(c->db, &b->ev[i])) {
			snprintf(c->err, sizeof(c->err), "%s: cannot write the database: %s",
				 nvdb_path(c->db), nvdb_errmsg(c->db));
			return -1;
		}
		if ((++s->done & 0xfff) == 0 && c->progress)
			c->progress((uint64_t)(c->events + s->done));
	}
	return 0;
}

/* The traced host from the file: uname first, then which KVM events exist. */
static enum nv_host_arch dat_host(struct tracecmd_input *h, struct tep_handle *tep)
{
	const char *u = tracecmd_get_uname(h);
	struct tep_event *ex;
	if (u && (strstr(u, "aarch64") || strstr(u, "arm64")))
		return NV_HOST_ARM64;
	if (u && strstr(u, "x86_64"))
		return NV_HOST_X86;
	if (tep_find_event_by_name(tep, "kvm", "kvm_hvc_arm64"))
		return NV_HOST_ARM64;
	if (tep_find_event_by_name(tep, "kvm", "kvm_pio"))
		return NV_HOST_X86;
	ex = tep_find_event_by_name(tep, "kvm", "kvm_exit");
	if (ex && tep_find_field(ex, "esr_ec"))
		return NV_HOST_ARM64;
	if (ex && tep_find_field(ex, "exit_reason"))
		return NV_HOST_X86;
	return NV_HOST_ANY;
}

/* Sum the per-CPU "overrun:" counts trace-cmd saved (events the ring buffer lost). */
static int64_t dat_overruns(struct tracecmd_input *h)
{
	const char *p;
	int64_t n = 0;
	LIB(p = tracecmd_get_cpustats(h));
	while (p && (p = strstr(p, "overrun:")) != NULL) {
		long long v;
		p += 8;
		v = strtoll(p, NULL, 10);	/* saturates; a crafted file may say anything */
		if (v > 0)
			n = n > INT64_MAX - v ? INT64_MAX : n + v;
	}
	return n;
}

/* Import one buffer (the top one or an instance) of the file. */
static int dat_iterate(struct dat_state *s, struct tracecmd_input *h)
{
	pthread_t th;
	int failed = 0;

	s->handle = h;
	s->tep = tracecmd_get_tep(h);
	s->last_pid = 0;
	s->reading = 1;
	atomic_store(&s->stop, 0);
	s->head = s->count = 0;
	s->cur = NULL;
	import_drop_zchunks(1);
	if (pthread_create(&th, NULL, reader, s) != 0) {
		import_drop_zchunks(0);
		snprintf(s->c->err, sizeof(s->c->err), "%s: cannot start a thread", s->path);
		return -1;
	}
	for (;;) {
		struct batch *b;
		pthread_mutex_lock(&s->mu);
		while (s->count == 0 && s->reading)
			pthread_cond_wait(&s->filled, &s->mu);
		if (s->count == 0) {
			pthread_mutex_unlock(&s->mu);
			break;
		}
		b = s->slot[s->head];
		pthread_mutex_unlock(&s->mu);
		if (!failed && write_batch(s, b)) {
			failed = 1;
			atomic_store(&s->stop, 1);	/* the reader stops at its next record */
		}
		pthread_mutex_lock(&s->mu);
		s->head = (s->head + 1) % NBATCH;
		s->count--;
		pthread_cond_signal(&s->emptied);
		pthread_mutex_unlock(&s->mu);
	}
	pthread_join(th, NULL);
	import_drop_zchunks(0);	/* before the handle and its chunks are closed */
	for (int i = 0; i < s->nkinds; i++) {	/* ids belong to a tep handle */
		free(s->kinds[i]);
		s->kinds[i] = NULL;
	}
	if (!failed && s->read_err[0]) {
		snprintf(s->c->err, sizeof(s->c->err), "%s", s->read_err);
		failed = 1;
	}
	return failed ? -1 : 0;
}

/*
 * libtracecmd 1.3.1 crashes (SIGSEGV in its own error path, SIGBUS reading
 * past the end) on some truncated version-6 files.  A crash inside a library
 * call (in_lib set on the crashing thread) becomes the usual error line, and
 * the half-written database is removed; a crash in nvtrace's own code (the
 * writer thread, decoding) goes to the previous handler as the crash it is.
 * The handler only uses async-signal-safe calls on data set up beforehand.
 */
static struct {
	char msg[1100];
	size_t len;
	char file[4096];
	struct sigaction old_segv, old_bus, old_fpe;
} crash;

/* Signal handler: the error line, remove the partial database, exit 1. */
static void on_crash(int sig)
{
	if (!in_lib) {	/* not the library's: the previous handler sees the crash */
		sigaction(SIGSEGV, &crash.old_segv, NULL);
		sigaction(SIGBUS, &crash.old_bus, NULL);
		sigaction(SIGFPE, &crash.old_fpe, NULL);
		raise(sig);
		return;
	}
	if (write(STDERR_FILENO, crash.msg, crash.len) < 0)
		crash.len = 0;
	if (crash.file[0])
		unlink(crash.file);
	_exit(1);
}

/* Catch crashes of libtracecmd from here on (message prepared now). */
static void crash_guard_on(struct import_ctx *c, const char *path)
{
	struct sigaction sa;
	crash.len = (size_t)snprintf(crash.msg, sizeof(crash.msg),
				     "nvtrace import: %s: cannot read this trace.dat "
				     "(truncated or corrupt)\n", path);
	if (crash.len >= sizeof(crash.msg))
		crash.len = sizeof(crash.msg) - 1;
	snprintf(crash.file, sizeof(crash.file), "%s", nvdb_file(c->db));
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_crash;
	sigaction(SIGSEGV, &sa, &crash.old_segv);
	sigaction(SIGBUS, &sa, &crash.old_bus);
	sigaction(SIGFPE, &sa, &crash.old_fpe);	/* libtraceevent divides by a field's size */
}

/* Give SIGSEGV, SIGBUS and SIGFPE back to their previous handlers. */
static void crash_guard_off(void)
{
	sigaction(SIGSEGV, &crash.old_segv, NULL);
	sigaction(SIGBUS, &crash.old_bus, NULL);
	sigaction(SIGFPE, &crash.old_fpe, NULL);
}

/* The import state with its ring of batches. */
static struct dat_state *state_new(struct import_ctx *c, const char *path, int fd)
{
	struct dat_state *s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->c = c;
	s->path = path;
	if (fstat(fd, &s->st) != 0)
		memset(&s->st, 0, sizeof(s->st));
	for (int i = 0; i < NBATCH; i++)
		if (!(s->slot[i] = malloc(sizeof(struct batch)))) {
			while (i--)
				free(s->slot[i]);
			free(s);
			return NULL;
		}
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->filled, NULL);
	pthread_cond_init(&s->emptied, NULL);
	trace_seq_init(&s->seq);
	return s;
}

/* Free the state, its kinds and its batches. */
static void state_free(struct dat_state *s)
{
	for (int i = 0; i < s->nkinds; i++)
		free(s->kinds[i]);
	free(s->kinds);
	for (int i = 0; i < NBATCH; i++)
		free(s->slot[i]);
	trace_seq_destroy(&s->seq);
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->filled);
	pthread_cond_destroy(&s->emptied);
	free(s);
}

/* Open the file, note its host, then import its top buffer and every instance. */
int import_dat(struct import_ctx *c, struct import_src *src)
{
	const char *path = import_src_path(src);
	struct dat_state *s;
	struct tracecmd_input *h;
	enum nv_host_arch host;
	int rc = 0, nbuf, fd, cpus;

	fd = import_src_fd(src, c->err, sizeof(c->err));
	if (fd < 0)
		return -1;
	s = state_new(c, path, fd);
	if (!s || (fd = dup(fd)) < 0) {	/* libtracecmd closes the descriptor it reads */
		snprintf(c->err, sizeof(c->err), "%s: out of memory", path);
		if (s)
			state_free(s);
		return -1;
	}
	tracecmd_set_loglevel(TEP_LOG_NONE);
	tep_set_loglevel(TEP_LOG_NONE);	/* libtraceevent's own messages too */
	crash_guard_on(c, path);
	import_skip_kallsyms(1);	/* nvtrace never names a kernel address */
	LIB(h = tracecmd_open_fd(fd, TRACECMD_FL_LOAD_NO_PLUGINS));
	import_skip_kallsyms(0);
	if (!h) {
		crash_guard_off();
		close(fd);
		snprintf(c->err, sizeof(c->err), "%s: cannot read this trace.dat "
			 "(truncated or corrupt)", path);
		state_free(s);
		return -1;
	}
	LIB(host = dat_host(h, tracecmd_get_tep(h)));
	if (import_note_host(c, host)) {
		snprintf(c->err, sizeof(c->err), "%s: its host is %s but an earlier file's is %s",
			 path, import_host_name(host), import_host_name(c->host));
		LIB(tracecmd_close(h));
		crash_guard_off();
		state_free(s);
		return -1;
	}
	in_lib = 1;
	if (!c->host_kernel[0] && tracecmd_get_uname(h))
		snprintf(c->host_kernel, sizeof(c->host_kernel), "%s", tracecmd_get_uname(h));
	cpus = tep_get_cpus(tracecmd_get_tep(h));
	in_lib = 0;
	if (cpus > c->cpus)
		c->cpus = cpus;
	import_add_lost(c, dat_overruns(h));
	rc = dat_iterate(s, h);
	LIB(nbuf = tracecmd_buffer_instances(h));
	for (int i = 0; i < nbuf && rc == 0; i++) {
		struct tracecmd_input *ih;
		LIB(ih = tracecmd_buffer_instance_handle(h, i));
		if (!ih)
			continue;
		LIB(cpus = tep_get_cpus(tracecmd_get_tep(ih)));
		if (cpus > c->cpus)
			c->cpus = cpus;
		import_add_lost(c, dat_overruns(ih));
		rc = dat_iterate(s, ih);
		LIB(tracecmd_close(ih));
	}
	c->events += s->done;
	state_free(s);
	LIB(tracecmd_close(h));
	crash_guard_off();
	return rc;
}
