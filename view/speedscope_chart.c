/*
 * A chart as speedscope's file format, streamed from a viz source: one
 * evented profile per vCPU, every nested exit its own stack (kind; guest
 * hypervisor function; register or instruction; L0 handler or fate, the
 * graph's frames, consecutive operations of one function under one frame),
 * never merged with another exit.  With timestamps and cycles the events
 * are nanoseconds of the run: an exit opens at its recorded start and lasts
 * its modelled cycles at the cost table's clock; one that would overlap the
 * exit before it on its vCPU opens where that one closes.  Without, the
 * exits follow each other in the weight's unit.  Each vCPU's events go to a
 * memory stream during the one walk; the frames are written last (JSON
 * objects have no key order).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "view/flame.h"
#include "view/json.h"

struct sc_lane {
	int vcpu;
	char *buf;
	size_t len;
	FILE *m;
	double end;		/* where its last exit closed */
	int first;		/* no event written yet */
};

struct sc {
	const struct flame_opts *o;
	struct viz_source *s;
	int time_axis;
	double scale;		/* weight units per axis unit (cycles per ns) */
	struct sc_lane **lane;	/* each apart: a memory stream keeps &buf and &len */
	int nlanes;
	char **name;		/* frame names by id */
	int nnames, names_cap;
	int *hash;		/* open addressing: frame id or -1 */
	int hcap;
	/* the exit being written */
	struct sc_lane *cur;
	int open, kind;		/* an exit is being written; its kind's frame id */
	int kind_open, fn;	/* kind frame opened; open function frame id, -1 */
	double at;
	int failed;
};

/* The id of a frame name, added when new; -1 when out of memory. */
static int frame_id(struct sc *c, const char *name)
{
	unsigned h = 2166136261u, mask;

	if ((c->nnames + 1) * 2 > c->hcap) {
		int cap = c->hcap ? c->hcap * 2 : 256, *t = malloc(sizeof(*t) * (size_t)cap);
		if (!t)
			return -1;
		memset(t, 0xff, sizeof(*t) * (size_t)cap);
		for (int i = 0; i < c->nnames; i++) {
			unsigned k = 2166136261u;
			for (const char *p = c->name[i]; *p; p++)
				k = (k ^ (unsigned char)*p) * 16777619u;
			for (k &= (unsigned)cap - 1; t[k] >= 0; k = (k + 1) & ((unsigned)cap - 1))
				;
			t[k] = i;
		}
		free(c->hash);
		c->hash = t;
		c->hcap = cap;
	}
	for (const char *p = name; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	mask = (unsigned)c->hcap - 1;
	for (h &= mask; c->hash[h] >= 0; h = (h + 1) & mask)
		if (!strcmp(c->name[c->hash[h]], name))
			return c->hash[h];
	if (c->nnames == c->names_cap) {
		int cap = c->names_cap ? c->names_cap * 2 : 256;
		char **n = realloc(c->name, sizeof(*n) * (size_t)cap);
		if (!n)
			return -1;
		c->name = n;
		c->names_cap = cap;
	}
	c->name[c->nnames] = strdup(name);
	if (!c->name[c->nnames])
		return -1;
	c->hash[h] = c->nnames;
	return c->nnames++;
}

/* One open or close event on the current lane. */
static void ev(struct sc *c, char type, int frame, double at)
{
	struct sc_lane *l = c->cur;

	fprintf(l->m, "%s\n{\"type\":\"%c\",\"frame\":%d,\"at\":%.3f}", l->first ? "" : ",", type, frame, at);
	l->first = 0;
}

/* The lane of a vCPU, made on first sight. */
static struct sc_lane *lane_of(struct sc *c, int vcpu)
{
	struct sc_lane **t, *l;

	for (int i = 0; i < c->nlanes; i++)
		if (c->lane[i]->vcpu == vcpu)
			return c->lane[i];
	t = realloc(c->lane, sizeof(*t) * (size_t)(c->nlanes + 1));
	if (!t)
		return NULL;
	c->lane = t;
	l = calloc(1, sizeof(*l));
	if (!l)
		return NULL;
	l->vcpu = vcpu;
	l->first = 1;
	l->m = open_memstream(&l->buf, &l->len);
	if (!l->m) {
		free(l);
		return NULL;
	}
	c->lane[c->nlanes++] = l;
	return l;
}

/* Close the exit being written (its function and kind frames). */
static void close_exit(struct sc *c)
{
	if (c->fn >= 0)
		ev(c, 'C', c->fn, c->at);
	if (c->kind_open) {
		ev(c, 'C', c->kind, c->at);
		c->cur->end = c->at;
	}
	c->fn = -1;
	c->kind_open = 0;
	c->open = 0;
}

/* A nested exit: the one before is closed; this one opens with its first weighed operation. */
static int sc_exit(void *ctx, const struct viz_exit *e)
{
	struct sc *c = ctx;

	if (c->open)
		close_exit(c);
	c->cur = lane_of(c, e->vcpu);
	c->kind = frame_id(c, e->kind);
	if (!c->cur || c->kind < 0)
		return c->failed = -1;
	c->open = 1;
	c->at = c->time_axis ? (double)(e->ts_start - c->s->ts_first) : c->cur->end;
	if (c->at < c->cur->end)
		c->at = c->cur->end;
	return 0;
}

/* An operation: function frame (when it changes), operation, handler or fate. */
static int sc_op(void *ctx, const struct viz_exit *e, const struct viz_op *op)
{
	struct sc *c = ctx;
	uint64_t w = c->o->weight == FLAME_TRAPS ? op->traps : op->cycles;
	char leaf[160];
	int fn, id, lf;
	double d = (double)w / c->scale;

	(void)e;
	if (!w || !c->open)
		return 0;
	if (op->traps && op->handler && *op->handler)
		snprintf(leaf, sizeof(leaf), "%s", op->handler);
	else
		snprintf(leaf, sizeof(leaf), "(%s)", op->fate && *op->fate ? op->fate : "?");
	fn = frame_id(c, viz_op_fn(op));
	id = frame_id(c, op->op);
	lf = frame_id(c, leaf);
	if (fn < 0 || id < 0 || lf < 0)
		return c->failed = -1;
	if (!c->kind_open) {
		ev(c, 'O', c->kind, c->at);
		c->kind_open = 1;
	}
	if (fn != c->fn) {
		if (c->fn >= 0)
			ev(c, 'C', c->fn, c->at);
		ev(c, 'O', fn, c->at);
		c->fn = fn;
	}
	ev(c, 'O', id, c->at);
	ev(c, 'O', lf, c->at);
	ev(c, 'C', lf, c->at + d);
	ev(c, 'C', id, c->at + d);
	c->at += d;
	return 0;
}

/* Free the writer's state. */
static void sc_free(struct sc *c)
{
	for (int i = 0; i < c->nlanes; i++) {
		fclose(c->lane[i]->m);
		free(c->lane[i]->buf);
		free(c->lane[i]);
	}
	for (int i = 0; i < c->nnames; i++)
		free(c->name[i]);
	free(c->lane);
	free(c->name);
	free(c->hash);
}

/* Walk s under o->arch and write the chart; 0, or -1 with err. */
int flame_write_speedscope_chart(struct viz_source *s, const struct flame_opts *o, FILE *out,
				 char *err, size_t errlen)
{
	struct sc c = { .o = o, .s = s, .fn = -1 };
	struct viz_sink sink = { &c, sc_exit, sc_op };
	char title[512];
	int rc;

	if (viz_arch_index(s, o->arch) < 0) {
		viz_no_arch(s, o->arch, err, errlen);
		return -1;
	}
	c.time_axis = s->has_time && o->weight == FLAME_CYCLES && s->ghz > 0;
	c.scale = c.time_axis ? s->ghz : 1;
	rc = s->walk(s, o->arch, 1, &sink);
	if (!rc && !c.failed && c.open)
		close_exit(&c);
	if (rc || c.failed) {
		snprintf(err, errlen, "%s", c.failed ? "out of memory" : s->err);
		sc_free(&c);
		return -1;
	}
	if (o->title)
		snprintf(title, sizeof(title), "%s", o->title);
	else
		snprintf(title, sizeof(title), "%s: %s (%s, %s)", s->title, o->arch,
			 flame_weight_name(o->weight), c.time_axis ? "over the run's time" : "in time order");
	speedscope_head(out, title);
	fputs("\"profiles\":[", out);
	for (int i = 0; i < c.nlanes; i++) {
		struct sc_lane *l = c.lane[i];
		char name[64];
		fflush(l->m);
		flame_lane_name(name, sizeof(name), i, l->vcpu);
		fprintf(out, "%s\n{\"type\":\"evented\",\"name\":\"", i ? "," : "");
		json_str_body(out, name);
		fprintf(out, "\",\"unit\":\"%s\",\"startValue\":0,\"events\":[", c.time_axis ? "nanoseconds" : "none");
		if (l->len)
			fwrite(l->buf, 1, l->len, out);
		fprintf(out, "],\"endValue\":%.3f}", l->end);
	}
	fputs("],\n\"shared\":{\"frames\":[", out);
	for (int i = 0; i < c.nnames; i++) {
		fprintf(out, "%s\n{\"name\":\"", i ? "," : "");
		json_str_body(out, c.name[i]);
		fputs("\"}", out);
	}
	fputs("]}}\n", out);
	sc_free(&c);
	if (ferror(out)) {
		snprintf(err, errlen, "write error");
		return -1;
	}
	return 0;
}
