/*
 * A run as Chrome trace-event JSON, which the Perfetto UI (ui.perfetto.dev)
 * and chrome://tracing open: one track per vCPU, each nested exit a slice
 * named by its kind, and inside it the stacks of the flame graph: a slice
 * per guest hypervisor function (consecutive operations of one function
 * merged), inside those a slice for every operation that traps to L0 or
 * costs cycles, and inside that one naming its L0 handler or its fate, laid
 * out in proportion to the operations' cycles.  A slice spans the recorded time of
 * the exit, or the modelled time (cycles at the cost table's clock) when
 * the trace has none; it is cut short where the vCPU's next exit begins, so
 * that slices on one track never overlap and children stay inside parents.
 * Times are written as integer nanoseconds in microsecond units (exact).
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "view/flame.h"
#include "view/json.h"
#include "view/perfetto.h"

struct trap_slice {		/* an operation's slice: a trap, or any other that costs cycles */
	char name[96];
	char handler[48];		/* L0 handler of a trap, else "(fate)" */
	int trap;
	uint64_t before, cycles;	/* cycles of the exit before it, and its own */
};

struct fn_slice {
	char name[64];
	uint64_t before, cycles;
};

struct pending {
	int vcpu, open;
	struct viz_exit e;
	char kind[24];
	int64_t t0, dur;		/* ns on the output axis */
	uint64_t cycles_seen;
	struct trap_slice *trap;
	int ntrap, cap;
	struct fn_slice *fn;
	int nfn, fn_cap;
	int64_t next_t0;		/* no time: where this vCPU's next exit goes */
};

struct pf {
	FILE *out;
	struct viz_source *s;
	const char *arch;
	double ghz;
	struct pending *v;
	int nv;
	int first;
	int failed;
	uint64_t exits, max_exits;	/* max_exits 0: all */
	int stopped;
};

/* ns as a microsecond number with three exact decimals. */
static void us(FILE *out, int64_t ns)
{
	fprintf(out, "%" PRId64 ".%03d", ns / 1000, (int)(ns % 1000));
}

/* Start a JSON event object (comma handling in one place). */
static void event_start(struct pf *p)
{
	fputs(p->first ? "\n" : ",\n", p->out);
	p->first = 0;
}

/* The span [*c0, *c1) of cycles [before, before + cycles) of an exit on the axis. */
static void span(const struct pending *v, uint64_t before, uint64_t cycles, int64_t *c0, int64_t *c1)
{
	double total = v->e.cycles ? (double)v->e.cycles : 1.0;

	*c0 = v->t0 + (int64_t)((double)before / total * (double)v->dur);
	*c1 = v->t0 + (int64_t)((double)(before + cycles) / total * (double)v->dur);
	if (*c1 > v->t0 + v->dur)
		*c1 = v->t0 + v->dur;
	if (*c0 > *c1)
		*c0 = *c1;
}

/* One complete slice on a vCPU's track, its args left open for the caller. */
static void slice(struct pf *p, const struct pending *v, const char *name, const char *cat,
		  int64_t t0, int64_t dur)
{
	event_start(p);
	fputs("{\"name\":\"", p->out);
	json_str_body(p->out, name);
	fprintf(p->out, "\",\"cat\":\"%s\",\"ph\":\"X\",\"ts\":", cat);
	us(p->out, t0);
	fputs(",\"dur\":", p->out);
	us(p->out, dur);
	fprintf(p->out, ",\"pid\":1,\"tid\":%d,\"args\":{", v->vcpu);
}

/* Emit a vCPU's pending exit, its function slices and its trap slices. */
static void flush(struct pf *p, struct pending *v)
{
	FILE *out = p->out;
	int64_t c0, c1;

	if (!v->open)
		return;
	slice(p, v, v->kind, "nested_exit", v->t0, v->dur);
	fprintf(out, "\"id\":%" PRId64 ",\"arch\":\"%s\",\"traps\":%" PRIu64
		",\"cycles\":%" PRIu64 ",\"observed_traps\":%" PRIu64 "}}", v->e.id, p->arch,
		v->e.traps, v->e.cycles, v->e.observed);
	if (!v->e.traps && !v->e.cycles) {	/* no path: the flame graph's unmodelled frame */
		slice(p, v, FLAME_UNMODELLED, "unmodelled", v->t0, v->dur);
		fprintf(out, "\"observed_traps\":%" PRIu64 "}}", v->e.observed);
	}
	for (int i = 0; i < v->nfn; i++) {
		if (!v->fn[i].cycles)	/* like the flame graph: no frame without weight */
			continue;
		span(v, v->fn[i].before, v->fn[i].cycles, &c0, &c1);
		slice(p, v, v->fn[i].name, "function", c0, c1 - c0);
		fprintf(out, "\"cycles\":%" PRIu64 "}}", v->fn[i].cycles);
	}
	for (int i = 0; i < v->ntrap; i++) {
		struct trap_slice *t = &v->trap[i];
		span(v, t->before, t->cycles, &c0, &c1);
		slice(p, v, t->name, t->trap ? "trap" : "op", c0, c1 - c0);
		fputs(t->trap ? "\"l0_handler\":\"" : "\"fate\":\"", out);
		json_str_body(out, t->handler);
		fprintf(out, "\",\"cycles\":%" PRIu64 "}}", t->cycles);
		if (t->handler[0]) {
			slice(p, v, t->handler, t->trap ? "l0_handler" : "fate", c0, c1 - c0);
			fputs("}}", out);
		}
	}
	v->nfn = 0;
	v->open = 0;
	v->ntrap = 0;
}

/* The pending slot of a vCPU; its thread-name event on first sight. */
static struct pending *vcpu_of(struct pf *p, int vcpu)
{
	for (int i = 0; i < p->nv; i++)
		if (p->v[i].vcpu == vcpu)
			return &p->v[i];
	struct pending *v = realloc(p->v, sizeof(*v) * (size_t)(p->nv + 1));
	if (!v)
		return NULL;
	p->v = v;
	v = &p->v[p->nv++];
	memset(v, 0, sizeof(*v));
	v->vcpu = vcpu;
	char name[64];
	/* named as every command names a vCPU: its index (order of first exit) and thread id */
	flame_lane_name(name, sizeof(name), p->nv - 1, vcpu);
	event_start(p);
	fprintf(p->out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,"
		"\"args\":{\"name\":\"", vcpu);
	json_str_body(p->out, name);
	fputs("\"}}", p->out);
	return v;
}

/* An exit: the previous one of its vCPU is cut where this one starts and written out. */
static int pf_exit(void *ctx, const struct viz_exit *e)
{
	struct pf *p = ctx;
	struct pending *v = vcpu_of(p, e->vcpu);
	int64_t t0, dur = (int64_t)((double)e->cycles / p->ghz);

	if (!v)
		return p->failed = -1;
	if (p->max_exits && p->exits == p->max_exits) {
		p->stopped = 1;
		return 1;
	}
	p->exits++;
	if (p->s->has_time && e->ts_start >= 0) {
		t0 = e->ts_start - p->s->ts_first;
		if (e->ts_end > e->ts_start)
			dur = e->ts_end - e->ts_start;
	} else {
		t0 = v->next_t0;
	}
	if (v->open && v->t0 + v->dur > t0)
		v->dur = t0 > v->t0 ? t0 - v->t0 : 0;
	flush(p, v);
	v->open = 1;
	v->e = *e;
	snprintf(v->kind, sizeof(v->kind), "%s", e->kind);
	v->t0 = t0;
	v->dur = dur;
	v->cycles_seen = 0;
	v->next_t0 = t0 + dur;
	return 0;
}

/* An operation: a slice when it traps or costs cycles; every operation moves the cycle count on. */
static int pf_op(void *ctx, const struct viz_exit *e, const struct viz_op *op)
{
	struct pf *p = ctx;
	struct pending *v = vcpu_of(p, e->vcpu);

	if (!v)
		return p->failed = -1;
	if (p->stopped)
		return 1;
	if (!v->nfn || strcmp(v->fn[v->nfn - 1].name, viz_op_fn(op))) {
		if (v->nfn == v->fn_cap) {
			int cap = v->fn_cap ? v->fn_cap * 2 : 32;
			struct fn_slice *f = realloc(v->fn, sizeof(*f) * (size_t)cap);
			if (!f)
				return p->failed = -1;
			v->fn = f;
			v->fn_cap = cap;
		}
		struct fn_slice *f = &v->fn[v->nfn++];
		snprintf(f->name, sizeof(f->name), "%s", viz_op_fn(op));
		f->before = v->cycles_seen;
		f->cycles = 0;
	}
	v->fn[v->nfn - 1].cycles += op->cycles;
	if (op->traps || op->cycles) {
		if (v->ntrap == v->cap) {
			int cap = v->cap ? v->cap * 2 : 64;
			struct trap_slice *t = realloc(v->trap, sizeof(*t) * (size_t)cap);
			if (!t)
				return p->failed = -1;
			v->trap = t;
			v->cap = cap;
		}
		struct trap_slice *t = &v->trap[v->ntrap++];
		snprintf(t->name, sizeof(t->name), "%s", op->op);
		if (op->traps)
			snprintf(t->handler, sizeof(t->handler), "%s", op->handler ? op->handler : "");
		else
			snprintf(t->handler, sizeof(t->handler), "(%s)", op->fate && *op->fate ? op->fate : "?");
		t->trap = op->traps != 0;
		t->before = v->cycles_seen;
		t->cycles = op->cycles;
	}
	v->cycles_seen += op->cycles;
	return 0;
}

/* The JSON document: metadata, process name, then every vCPU track. */
int perfetto_write(struct viz_source *s, const char *arch, uint64_t max_exits, const char *other,
		   FILE *out, char *err, size_t errlen)
{
	struct pf p = { out, s, arch, s->ghz > 0 ? s->ghz : 1.0, NULL, 0, 1, 0, 0, max_exits, 0 };
	struct viz_sink sink = { &p, pf_exit, pf_op };
	int rc;

	if (viz_arch_index(s, arch) < 0) {
		viz_no_arch(s, arch, err, errlen);
		return -1;
	}
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"source\":\"", out);
	json_str_body(out, s->title);
	fprintf(out, "\",\"arch\":\"%s\",\"time\":\"%s\"%s},\n\"traceEvents\":[", arch,
		s->has_time ? "recorded" : "modelled (cycles at the cost table's clock)",
		other ? other : "");
	event_start(&p);
	fputs("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"", out);
	json_str_body(out, s->title);
	fprintf(out, " under %s\"}}", arch);
	rc = s->walk(s, arch, 1, &sink);
	for (int i = 0; i < p.nv; i++) {
		flush(&p, &p.v[i]);
		free(p.v[i].trap);
		free(p.v[i].fn);
	}
	free(p.v);
	fputs("\n]}\n", out);
	if (p.stopped && !p.failed)
		rc = 0;
	if (rc || p.failed) {
		snprintf(err, errlen, "%s", p.failed ? "out of memory" : s->err);
		return -1;
	}
	if (ferror(out)) {
		snprintf(err, errlen, "write error");
		return -1;
	}
	return 0;
}
