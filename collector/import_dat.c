/*
 * Import a trace.dat (trace-cmd format, versions 6 and 7, compressed or not)
 * through libtracecmd and libtraceevent.  Fields are found by name in the
 * file's own event formats, so a trace.dat from an arm64 host imports here.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <trace-cmd.h>
#include <event-parse.h>
#include <trace-seq.h>
#include "decode.h"
#include "import.h"

/* Exported by libtracecmd 1.3.1 but not declared in its public header. */
const char *tracecmd_get_uname(struct tracecmd_input *handle);
const char *tracecmd_get_cpustats(struct tracecmd_input *handle);

#define MAX_FIELDS 64

/* What we know about one event id, worked out on its first record. */
struct dat_kind {
	struct tep_event *event;
	int name_id;
	struct dec_plan plan;
	int nfields;
	struct tep_format_field *fields[MAX_FIELDS];
	int nused;
	int16_t used[MAX_FIELDS];	/* field indexes the plan reads */
};

struct dat_state {
	struct import_ctx *c;
	const char *path;
	struct tep_handle *tep;
	struct dat_kind **kinds;	/* by event id */
	int nkinds;
	struct trace_seq seq;
	int64_t done;
	int last_pid;
	int failed;
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

	if (id < 0 || id > 1 << 20)
		return NULL;
	if (id >= s->nkinds) {
		int n = id + 64;
		struct dat_kind **nk = realloc(s->kinds, n * sizeof(*nk));
		if (!nk)
			return NULL;
		memset(nk + s->nkinds, 0, (n - s->nkinds) * sizeof(*nk));
		s->kinds = nk;
		s->nkinds = n;
	}
	if (s->kinds[id])
		return s->kinds[id];
	k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->event = tep_find_event_by_record(s->tep, rec);
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
	k->name_id = nvdb_name_id(s->c->db, k->event->system, k->event->name, k->plan.type);
	s->kinds[id] = k;
	return k;
}

/* One numeric field of a record, sign-extended when the format says signed. */
static uint64_t read_field(struct tep_handle *tep, const struct tep_format_field *f,
			   const struct tep_record *rec)
{
	uint64_t v;
	if (f->offset + f->size > rec->size || (f->flags & TEP_FIELD_IS_ARRAY))
		return 0;
	switch (f->size) {
	case 1: case 2: case 4: case 8:
		v = tep_read_number(tep, (const char *)rec->data + f->offset, f->size);
		break;
	default:
		return 0;
	}
	if ((f->flags & TEP_FIELD_IS_SIGNED) && f->size < 8) {
		int shift = 64 - 8 * f->size;
		v = (uint64_t)((int64_t)(v << shift) >> shift);
	}
	return v;
}

/* tracecmd_iterate_events callback: one record -> one row. */
static int on_record(struct tracecmd_input *h, struct tep_record *rec, int cpu, void *data)
{
	struct dat_state *s = data;
	struct import_ctx *c = s->c;
	struct nv_event ev;
	uint64_t vals[MAX_FIELDS];
	struct dat_kind *k;
	(void)h;

	k = kind_of(s, tep_data_type(s->tep, rec), rec);
	if (!k || k->name_id < 0) {
		snprintf(c->err, sizeof(c->err), "%s: event of unknown id %d in the data",
			 s->path, tep_data_type(s->tep, rec));
		s->failed = 1;
		return -1;
	}
	nv_event_clear(&ev);
	ev.ts = (int64_t)rec->ts;
	ev.cpu = cpu;
	ev.pid = tep_data_pid(s->tep, rec);
	ev.name_id = k->name_id;
	ev.type = (uint16_t)k->plan.type;
	if (rec->missed_events > 0)
		c->lost += rec->missed_events;
	if (k->plan.decoded) {
		for (int u = 0; u < k->nused; u++)
			vals[k->used[u]] = read_field(s->tep, k->fields[k->used[u]], rec);
		dec_apply(&k->plan, vals, &ev);
	} else {
		trace_seq_reset(&s->seq);
		tep_record_print_fields(&s->seq, rec, k->event);
		trace_seq_terminate(&s->seq);
		ev.raw = s->seq.buffer;
	}
	if (ev.pid != s->last_pid) {	/* comm lookups only when the thread changes */
		import_thread(c, ev.pid, tep_data_comm_from_pid(s->tep, ev.pid));
		s->last_pid = ev.pid;
	}
	if (nvdb_insert(c->db, &ev)) {
		snprintf(c->err, sizeof(c->err), "%s: cannot write the database: %s",
			 nvdb_path(c->db), nvdb_errmsg(c->db));
		s->failed = 1;
		return -1;
	}
	if ((++s->done & 0xfff) == 0 && c->progress)
		c->progress((uint64_t)(c->events + s->done));
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
	const char *p = tracecmd_get_cpustats(h);
	int64_t n = 0;
	while (p && (p = strstr(p, "overrun:")) != NULL) {
		p += 8;
		n += strtoll(p, NULL, 10);
	}
	return n;
}

/* Iterate one buffer (the top one or an instance) of the file. */
static int dat_iterate(struct dat_state *s, struct tracecmd_input *h)
{
	s->tep = tracecmd_get_tep(h);
	for (int i = 0; i < s->nkinds; i++) {	/* ids belong to a tep handle */
		free(s->kinds[i]);
		s->kinds[i] = NULL;
	}
	tracecmd_iterate_events(h, NULL, 0, on_record, s);
	return s->failed ? -1 : 0;
}

int import_dat(struct import_ctx *c, const char *path)
{
	struct dat_state s = { .c = c, .path = path };
	struct tracecmd_input *h;
	int rc = 0, nbuf;

	tracecmd_set_loglevel(TEP_LOG_NONE);
	h = tracecmd_open(path, TRACECMD_FL_LOAD_NO_PLUGINS);
	if (!h) {
		snprintf(c->err, sizeof(c->err), "%s: cannot read this trace.dat "
			 "(truncated or corrupt)", path);
		return -1;
	}
	if (import_note_host(c, dat_host(h, tracecmd_get_tep(h)))) {
		snprintf(c->err, sizeof(c->err), "%s: its host is %s but an earlier file's is %s",
			 path, import_host_name(dat_host(h, tracecmd_get_tep(h))),
			 import_host_name(c->host));
		tracecmd_close(h);
		return -1;
	}
	if (!c->host_kernel[0] && tracecmd_get_uname(h))
		snprintf(c->host_kernel, sizeof(c->host_kernel), "%s", tracecmd_get_uname(h));
	if (tep_get_cpus(tracecmd_get_tep(h)) > c->cpus)
		c->cpus = tep_get_cpus(tracecmd_get_tep(h));
	c->lost += dat_overruns(h);
	trace_seq_init(&s.seq);
	rc = dat_iterate(&s, h);
	nbuf = tracecmd_buffer_instances(h);
	for (int i = 0; i < nbuf && rc == 0; i++) {
		struct tracecmd_input *ih = tracecmd_buffer_instance_handle(h, i);
		if (!ih)
			continue;
		if (tep_get_cpus(tracecmd_get_tep(ih)) > c->cpus)
			c->cpus = tep_get_cpus(tracecmd_get_tep(ih));
		c->lost += dat_overruns(ih);
		rc = dat_iterate(&s, ih);
		tracecmd_close(ih);
	}
	c->events += s.done;
	for (int i = 0; i < s.nkinds; i++)
		free(s.kinds[i]);
	free(s.kinds);
	trace_seq_destroy(&s.seq);
	tracecmd_close(h);
	return rc;
}
