/*
 * Decoding a live tracepoint entry into struct nv_event.  Both backends hand
 * over the raw entry the kernel wrote (common header + fields, laid out as
 * the tracefs format file says), so one path serves both: libtraceevent
 * finds the event and its fields, and the import branch's decode table
 * (decode.c) maps fields to the canonical columns, exactly as `import` does.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector/record_int.h"
#include "collector/tep_field.h"

/* dec_lookup_fn over a kind's format fields. */
static int kind_lookup(void *ctx, const char *name)
{
	struct rec_kind *k = ctx;
	for (int i = 0; i < k->nfields; i++)
		if (strcmp(k->fields[i]->name, name) == 0)
			return i;
	return -1;
}

/* The kind of event id `id` (worked out on its first entry), or NULL. */
static struct rec_kind *kind_of(struct rec_state *s, int id)
{
	struct rec_kind **table = nvt_id_table_fit(s->kinds, &s->nkinds, id, 1 << 16, sizeof(*table));
	if (!table)
		return NULL;
	s->kinds = table;
	if (s->kinds[id])
		return s->kinds[id];
	struct tep_event *e = tep_find_event(s->tep, id);
	if (!e)
		return NULL;
	struct rec_kind *k = calloc(1, sizeof(*k));
	if (!k)
		return NULL;
	k->event = e;
	snprintf(k->name, sizeof(k->name), "%s", e->name);
	k->sink_id = -1;
	for (struct tep_format_field *f = e->format.fields;
	     f && k->nfields < (int)(sizeof(k->fields) / sizeof(k->fields[0])); f = f->next)
		k->fields[k->nfields++] = f;
	dec_plan_build(&k->plan, e->name, s->host, kind_lookup, k);
	k->type = k->plan.type;
	s->kinds[id] = k;
	return k;
}

int rec_deliver(struct rec_state *s, struct tep_record *rec)
{
	struct nv_event ev;
	uint64_t vals[64];

	if (rec->size < 8)
		return 0;	/* a BPF copy that failed: nothing to decode */
	struct rec_kind *k = kind_of(s, tep_data_type(s->tep, rec));
	if (!k)
		return 0;	/* not a kvm event (cannot happen with our filters) */
	nv_event_clear(&ev);
	ev.ts = (int64_t)rec->ts;
	ev.cpu = rec->cpu;
	ev.pid = tep_data_pid(s->tep, rec);
	ev.type = (uint16_t)k->type;
	if (k->plan.decoded) {
		for (int i = 0; i < k->nfields; i++)
			vals[i] = nvt_field_u64(s->tep, k->fields[i], rec);
		dec_apply(&k->plan, vals, &ev);
	}
	if (!k->plan.decoded || s->o->all_fields) {
		trace_seq_reset(&s->seq);
		tep_record_print_fields(&s->seq, rec, k->event);
		trace_seq_terminate(&s->seq);
		ev.raw = s->seq.buffer + strspn(s->seq.buffer, " ");
	}
	k->count++;
	s->events++;
	if (s->sink->event(s->sink->ctx, &ev, k) < 0) {
		s->sink_failed = 1;
		return -1;
	}
	return 0;
}
