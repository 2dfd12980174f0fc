/*
 * A run as Chrome trace-event JSON, which the Perfetto UI (ui.perfetto.dev)
 * and chrome://tracing open: one track per vCPU, each nested exit a slice,
 * and inside it a slice for every operation that traps to L0, laid out in
 * proportion to the operations' cycles.  A slice spans the recorded time of
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

struct trap_slice {
	char name[96];
	char handler[48];
	uint64_t before, cycles;	/* cycles of the exit before it, and its own */
};

struct pending {
	int vcpu, open;
	struct viz_exit e;
	char kind[24];
	int64_t t0, dur;		/* ns on the output axis */
	uint64_t cycles_seen;
	struct trap_slice *trap;
	int ntrap, cap;
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

/* Emit a vCPU's pending exit and its trap slices. */
static void flush(struct pf *p, struct pending *v)
{
	FILE *out = p->out;
	uint64_t total = v->e.cycles ? v->e.cycles : 1;

	if (!v->open)
		return;
	event_start(p);
	fputs("{\"name\":\"", out);
	json_str_body(out, v->kind);
	fputs("\",\"cat\":\"nested_exit\",\"ph\":\"X\",\"ts\":", out);
	us(out, v->t0);
	fputs(",\"dur\":", out);
	us(out, v->dur);
	fprintf(out, ",\"pid\":1,\"tid\":%d,\"args\":{\"id\":%" PRId64 ",\"arch\":\"%s\",\"traps\":%" PRIu64
		",\"cycles\":%" PRIu64 "}}", v->vcpu, v->e.id, p->arch, v->e.traps, v->e.cycles);
	for (int i = 0; i < v->ntrap; i++) {
		struct trap_slice *t = &v->trap[i];
		int64_t c0 = v->t0 + (int64_t)((double)t->before / (double)total * (double)v->dur);
		int64_t c1 = v->t0 + (int64_t)((double)(t->before + t->cycles) / (double)total * (double)v->dur);
		if (c1 > v->t0 + v->dur)
			c1 = v->t0 + v->dur;
		if (c0 > c1)
			c0 = c1;
		event_start(p);
		fputs("{\"name\":\"", out);
		json_str_body(out, t->name);
		fputs("\",\"cat\":\"trap\",\"ph\":\"X\",\"ts\":", out);
		us(out, c0);
		fputs(",\"dur\":", out);
		us(out, c1 - c0);
		fprintf(out, ",\"pid\":1,\"tid\":%d,\"args\":{\"l0_handler\":\"", v->vcpu);
		json_str_body(out, t->handler);
		fprintf(out, "\",\"cycles\":%" PRIu64 "}}", t->cycles);
	}
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
	event_start(p);
	fprintf(p->out, "{\"name\":\"thread_name\",\"ph\":\"M\",\"pid\":1,\"tid\":%d,"
		"\"args\":{\"name\":\"vCPU %d\"}}", vcpu, vcpu);
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

/* An operation: only traps become slices; every operation moves the cycle count on. */
static int pf_op(void *ctx, const struct viz_exit *e, const struct viz_op *op)
{
	struct pf *p = ctx;
	struct pending *v = vcpu_of(p, e->vcpu);

	if (!v)
		return p->failed = -1;
	if (p->stopped)
		return 1;
	if (op->traps) {
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
		snprintf(t->handler, sizeof(t->handler), "%s", op->handler ? op->handler : "");
		t->before = v->cycles_seen;
		t->cycles = op->cycles;
	}
	v->cycles_seen += op->cycles;
	return 0;
}

/* The JSON document: metadata, process name, then every vCPU track. */
int perfetto_write(struct viz_source *s, const char *arch, uint64_t max_exits, FILE *out,
		   char *err, size_t errlen)
{
	struct pf p = { out, s, arch, s->ghz > 0 ? s->ghz : 1.0, NULL, 0, 1, 0, 0, max_exits, 0 };
	struct viz_sink sink = { &p, pf_exit, pf_op };
	int rc;

	if (viz_arch_index(s, arch) < 0) {
		snprintf(err, errlen, "no results for architecture %s", arch);
		return -1;
	}
	fputs("{\"displayTimeUnit\":\"ns\",\"otherData\":{\"source\":\"", out);
	json_str_body(out, s->title);
	fprintf(out, "\",\"arch\":\"%s\",\"time\":\"%s\"},\n\"traceEvents\":[", arch,
		s->has_time ? "recorded" : "modelled (cycles at the cost table's clock)");
	event_start(&p);
	fputs("{\"name\":\"process_name\",\"ph\":\"M\",\"pid\":1,\"args\":{\"name\":\"", out);
	json_str_body(out, s->title);
	fprintf(out, " under %s\"}}", arch);
	rc = s->walk(s, arch, 1, &sink);
	for (int i = 0; i < p.nv; i++) {
		flush(&p, &p.v[i]);
		free(p.v[i].trap);
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
