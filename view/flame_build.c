/*
 * Build a flame tree from a viz source: the merged graph (kind; guest
 * hypervisor function; register or instruction; L0 handler or fate), its
 * inverted form (handler or fate first), the time-ordered chart (one lane
 * per vCPU, one block per nested exit: for an SVG, exits that fall in one
 * pixel column merge; for data, only consecutive exits of one kind), or the
 * difference of two architectures (kind; function; operation, with the
 * weights of both).
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "replay/replay.h"
#include "view/flame.h"

struct lane_state { int vcpu, lane, col, block; };

/* Chart: what one exit added, to add again for the next exit just like it. */
struct trace_step { int node; uint64_t w, cycles, traps; };

struct build {
	struct flame *f;
	const struct flame_opts *o;
	int pass_b;		/* diff: walking the second architecture */
	int under;		/* node the current exit's stacks hang from */
	/* chart */
	double pos;		/* next x on an axis without time */
	struct lane_state *lanes;
	int nlanes;
	uint64_t last_key;	/* ops_key of the exit traced */
	int last_block;
	struct trace_step *trace;
	int ntrace, trace_cap;
	int recording, skip;	/* tracing this exit / replaying the trace instead */
	uint64_t exits, cycles, traps;
	uint64_t unmodelled;	/* exits the profile could not cost (no path: 0 traps, 0 cycles) */
	uint64_t observed, observed_unm;	/* observed traps: of every exit, of those */
	struct unm_kind { char kind[32]; uint64_t exits, observed; } *unm;	/* per kind */
	int nunm;
	int failed;
};

/* Count an exit the profile could not cost (first architecture's walk), per kind. */
static int count_unmodelled(struct build *b, const struct viz_exit *e)
{
	int k = 0;

	b->observed += e->observed;
	if (e->traps || e->cycles)
		return 0;
	b->unmodelled += e->count;
	b->observed_unm += e->observed;
	while (k < b->nunm && strcmp(b->unm[k].kind, e->kind))
		k++;
	if (k == b->nunm) {
		struct unm_kind *u = realloc(b->unm, sizeof(*u) * (size_t)(b->nunm + 1));
		if (!u)
			return -1;
		b->unm = u;
		memset(&u[k], 0, sizeof(*u));
		snprintf(u[k].kind, sizeof(u[k].kind), "%s", e->kind);
		b->nunm++;
	}
	b->unm[k].exits += e->count;
	b->unm[k].observed += e->observed;
	return 0;
}

/* The weight of an exit in the unit the picture uses (charts: never operations). */
static uint64_t weight(const struct build *b, uint64_t cycles, uint64_t traps)
{
	return b->o->weight == FLAME_TRAPS ? traps : cycles;
}

/* The weight of one operation: its cycles, its traps, or 1 (operations). */
static uint64_t op_weight(const struct build *b, const struct viz_op *op)
{
	return b->o->weight == FLAME_OPS ? 1 : weight(b, op->cycles, op->traps);
}

/* The leaf under an operation: the L0 handler when it traps, else its fate. */
static void leaf_name(const struct viz_op *op, char *buf, size_t len)
{
	if (op->traps && op->handler && *op->handler)
		snprintf(buf, len, "%s", op->handler);
	else
		snprintf(buf, len, "(%s)", op->fate && *op->fate ? op->fate : "?");
}

/* The details line of an operation under one architecture. */
static void op_detail(const struct viz_op *op, const char *arch, char *buf, size_t len)
{
	snprintf(buf, len, "%s: %s%s%s, %" PRIu64 " cycles, %u trap%s", arch,
		 op->fate && *op->fate ? op->fate : "?",
		 op->handler && *op->handler ? " -> L0 " : "",
		 op->handler ? op->handler : "", op->cycles, op->traps,
		 op->traps == 1 ? "" : "s");
}

/* Chart: remember one step of the exit being traced. */
static int trace_add(struct build *b, int node, uint64_t w, uint64_t cycles, uint64_t traps)
{
	if (b->ntrace == b->trace_cap) {
		int cap = b->trace_cap ? b->trace_cap * 2 : 256;
		struct trace_step *t = realloc(b->trace, sizeof(*t) * (size_t)cap);
		if (!t)
			return -1;
		b->trace = t;
		b->trace_cap = cap;
	}
	b->trace[b->ntrace++] = (struct trace_step){ node, w, cycles, traps };
	return 0;
}

/*
 * Chart: an exit with the same operations as the one traced in the same
 * block adds what that one added, without looking its frames up again.
 */
static void trace_exit(struct build *b, const struct viz_exit *e, int block)
{
	b->skip = 0;
	b->recording = 0;
	if (!e->ops_key)
		return;
	if (e->ops_key == b->last_key && block == b->last_block) {
		for (int i = 0; i < b->ntrace; i++) {
			struct trace_step *t = &b->trace[i];
			flame_add(b->f, t->node, t->w, 0, t->cycles, t->traps);
			b->cycles += t->cycles;
			b->traps += t->traps;
		}
		b->skip = 1;
		return;
	}
	b->last_key = e->ops_key;
	b->last_block = block;
	b->ntrace = 0;
	b->recording = 1;
}

/* Graph and diff: every exit hangs its stacks from its kind's frame (inverted: none). */
static int graph_exit(void *ctx, const struct viz_exit *e)
{
	struct build *b = ctx;

	if (!b->pass_b) {
		b->exits += e->count;
		if (count_unmodelled(b, e))
			return b->failed = -1;
	}
	if (b->o->inverted)
		return 0;
	b->under = flame_child(b->f, 0, e->kind, FC_KIND);
	if (b->under < 0)
		return b->failed = -1;
	if (!b->pass_b)
		b->f->n[b->under].count += e->count;
	return 0;
}

/* The operation's own frame: coloured by its fate (under A), its details kept. */
static int op_frame(struct build *b, int parent, const struct viz_op *op)
{
	struct flame *f = b->f;
	char detail[256];
	int node = flame_child(f, parent, op->op, FC_OP);

	if (node < 0)
		return -1;
	if (f->n[node].cls == FC_OP && !b->pass_b)
		f->n[node].cls = flame_fate_class(op->fate);
	if (!(b->pass_b ? f->n[node].detail_b : f->n[node].detail)) {
		op_detail(op, b->pass_b ? b->o->arch_b : b->o->arch, detail, sizeof(detail));
		if (flame_detail(f, node, b->pass_b, detail) < 0)
			return -1;
	}
	return node;
}

/*
 * One operation's stack, weighted at its top: kind; function; operation;
 * handler or fate (a diff stops at the operation), or inverted: handler or
 * fate; operation; function; kind.
 */
static int graph_op(void *ctx, const struct viz_exit *e, const struct viz_op *op)
{
	struct build *b = ctx;
	struct flame *f = b->f;
	char leaf[160];
	uint64_t n = e->count, w = op_weight(b, op) * n;
	enum flame_class fate = flame_fate_class(op->fate);
	int node, diff = b->o->arch_b != NULL;

	if (b->skip)
		return 0;
	leaf_name(op, leaf, sizeof(leaf));
	if (b->o->inverted) {
		node = diff ? 0 : flame_child(f, 0, leaf, fate);
		node = node < 0 ? -1 : op_frame(b, node, op);
		node = node < 0 ? -1 : flame_child(f, node, viz_op_fn(op), FC_PHASE);
		node = node < 0 ? -1 : flame_child(f, node, e->kind, FC_KIND);
	} else {
		node = flame_child(f, b->under, viz_op_fn(op), FC_PHASE);
		node = node < 0 ? -1 : op_frame(b, node, op);
		if (node >= 0 && !diff)
			node = flame_child(f, node, leaf, fate);
	}
	if (node < 0)
		return b->failed = -1;
	if (b->pass_b) {
		flame_add(f, node, 0, w, 0, 0);
	} else {
		flame_add(f, node, w, 0, op->cycles * n, (uint64_t)op->traps * n);
		b->cycles += op->cycles * n;
		b->traps += (uint64_t)op->traps * n;
		if (b->recording && trace_add(b, node, w, op->cycles * n, (uint64_t)op->traps * n))
			return b->failed = -1;
	}
	return 0;
}

/* Chart: the lane of a vCPU and the block an exit falls into. */
static struct lane_state *lane_of(struct build *b, int vcpu)
{
	char name[64];
	int lane;

	for (int i = 0; i < b->nlanes; i++)	/* a lane seen before */
		if (b->lanes[i].vcpu == vcpu)
			return &b->lanes[i];
	flame_lane_name(name, sizeof(name), b->nlanes, vcpu);
	lane = flame_child(b->f, 0, name, FC_LANE);
	if (lane < 0)
		return NULL;
	struct lane_state *l = realloc(b->lanes, sizeof(*l) * (size_t)(b->nlanes + 1));
	if (!l)
		return NULL;
	b->lanes = l;
	l = &b->lanes[b->nlanes++];
	l->vcpu = vcpu;
	l->lane = lane;
	l->col = -1;
	l->block = -1;
	return l;
}

/* Where an exit sits on the chart's axis and how long it is there. */
static void chart_place(struct build *b, const struct viz_exit *e, double *x, double *w)
{
	struct flame *f = b->f;

	if (f->time_axis) {
		*x = (double)(e->ts_start - f->ts_first);
		*w = (double)e->cycles / f->ghz;	/* ns at the cost table's clock */
	} else {
		*x = b->pos;
		*w = (double)weight(b, e->cycles, e->traps);
		b->pos += *w;
	}
}

/* Chart: find or open the block of this exit (one per pixel column and lane). */
static int chart_exit(void *ctx, const struct viz_exit *e)
{
	struct build *b = ctx;
	struct flame *f = b->f;
	struct lane_state *l = lane_of(b, e->vcpu);
	double x, w;
	int col;

	if (!l)
		return b->failed = -1;
	chart_place(b, e, &x, &w);
	col = f->span > 0 ? (int)floor(x / f->span * b->o->columns) : 0;
	if (l->block < 0 || (b->o->columns > 0 ? col != l->col : !!strcmp(f->n[l->block].name, e->kind))) {
		l->block = flame_append(f, l->lane, e->kind, FC_KIND);
		if (l->block < 0)
			return b->failed = -1;
		l->col = col;
		f->n[l->block].x = x;
		f->n[l->block].w = w;
		f->n[l->block].t0 = e->ts_start;
		f->n[l->block].t1 = e->ts_end;
	} else {
		struct flame_node *k = &f->n[l->block];
		if (strcmp(k->name, e->kind) && strcmp(k->name, "mixed")) {
			free(k->name);
			k->name = strdup("mixed");
			if (!k->name)
				return b->failed = -1;
		}
		if (x + w > k->x + k->w)
			k->w = x + w - k->x;
		if (e->ts_end > k->t1)
			k->t1 = e->ts_end;
	}
	f->n[l->block].count++;
	b->exits++;
	if (count_unmodelled(b, e))
		return b->failed = -1;
	b->under = l->block;
	trace_exit(b, e, l->block);
	return 0;
}

/* Pre-pass of a chart: the axis length. */
static int span_exit(void *ctx, const struct viz_exit *e)
{
	struct build *b = ctx;
	double x, w;

	chart_place(b, e, &x, &w);
	if (x + w > b->f->span)
		b->f->span = x + w;
	return 0;
}

/* The details of each chart block: how many exits, where, when. */
static int chart_details(struct flame *f)
{
	char buf[256];

	for (int i = 1; i < f->len; i++) {
		struct flame_node *k = &f->n[i];
		if (k->cls != FC_KIND || k->depth != 2)
			continue;
		if (k->t0 >= 0)
			snprintf(buf, sizeof(buf), "%" PRIu64 " nested exit%s from t=%.6f s to %.6f s",
				 k->count, k->count == 1 ? "" : "s",
				 (double)(k->t0 - f->ts_first) / 1e9,
				 (double)(k->t1 - f->ts_first) / 1e9);
		else
			snprintf(buf, sizeof(buf), "%" PRIu64 " nested exit%s", k->count,
				 k->count == 1 ? "" : "s");
		if (flame_detail(f, i, 0, buf) < 0)
			return -1;
	}
	return 0;
}

/*
 * The weight of unmodelled exits (u observed traps, ue exits) next to the
 * modelled weight m: their share of the picture is their share of the
 * observed traps, u / all observed (of the exits, ue / all, when the
 * modelled exits show no traps); without modelled weight, u (or ue) itself.
 */
static uint64_t unmodelled_weight(const struct build *b, uint64_t m, uint64_t u, uint64_t ue)
{
	uint64_t tm = b->observed - b->observed_unm, em = b->exits - b->unmodelled;

	if (m && tm)
		return (uint64_t)llroundl((long double)u * m / tm);
	if (m && em)
		return (uint64_t)llroundl((long double)ue * m / em);
	return u ? u : ue;
}

/*
 * Graph and diff: a FLAME_UNMODELLED frame per kind with unmodelled exits,
 * weighted next to the modelled weight of the walks (see flame.h).
 */
static int unmodelled_frames(struct build *b)
{
	struct flame *f = b->f;
	uint64_t m = f->n[0].value, mb = f->n[0].value_b;
	char detail[256];

	for (int k = 0; k < b->nunm; k++) {
		const struct unm_kind *u = &b->unm[k];
		int top, leaf;	/* kind; [unmodelled], or inverted [unmodelled]; kind */
		if (b->o->inverted) {
			top = flame_child(f, 0, FLAME_UNMODELLED, FC_UNMODELLED);
			leaf = top < 0 ? -1 : flame_child(f, top, u->kind, FC_KIND);
		} else {
			top = flame_child(f, 0, u->kind, FC_KIND);
			leaf = top < 0 ? -1 : flame_child(f, top, FLAME_UNMODELLED, FC_UNMODELLED);
		}
		if (leaf < 0)
			return -1;
		flame_add(f, leaf, unmodelled_weight(b, m, u->observed, u->exits),
			  f->diff ? unmodelled_weight(b, mb, u->observed, u->exits) : 0, 0, 0);
		f->n[leaf].count += u->exits;
		if (b->o->inverted)	/* (a kind frame counted its exits as they came) */
			f->n[top].count += u->exits;
		snprintf(detail, sizeof(detail), "not costed: the profile has no path for %s; "
			 "%" PRIu64 " observed trap%s, drawn at their share of the run's observed traps",
			 u->kind, u->observed, u->observed == 1 ? "" : "s");
		if (flame_detail(f, leaf, 0, detail) < 0)
			return -1;
	}
	f->unmodelled = b->unmodelled;
	f->unmodelled_observed = b->observed_unm;
	return 0;
}

/* Walk one architecture into the tree; 0 or -1 with err set. */
static int walk(struct viz_source *s, struct build *b, const char *arch,
		int (*on_exit)(void *, const struct viz_exit *), int want_ops,
		char *err, size_t errlen)
{
	struct viz_sink sink = { b, on_exit, want_ops ? graph_op : NULL };
	int rc = on_exit == graph_exit && s->walk_grouped ? s->walk_grouped(s, arch, &sink)
						       : s->walk(s, arch, want_ops, &sink);

	if (rc || b->failed) {
		snprintf(err, errlen, "%s", b->failed ? "out of memory" : s->err);
		return -1;
	}
	return 0;
}

/*
 * Graph, chart or diff of a source: walks it once per architecture (twice
 * for a chart: the axis first).
 */
struct flame *flame_build(struct viz_source *s, const struct flame_opts *o,
			  char *err, size_t errlen)
{
	struct build b = { .o = o, .last_block = -1 };
	const char *unit = flame_weight_name(o->weight);
	struct flame *f;

	if (o->mode == FLAME_CHART && (o->weight == FLAME_OPS || o->inverted)) {
		snprintf(err, errlen, "a chart is weighed in cycles or traps and is not inverted");
		return NULL;
	}
	if (viz_arch_index(s, o->arch) < 0 || (o->arch_b && viz_arch_index(s, o->arch_b) < 0)) {
		viz_no_arch(s, viz_arch_index(s, o->arch) < 0 ? o->arch : o->arch_b, err, errlen);
		return NULL;
	}
	f = flame_new("all");
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	b.f = f;
	f->mode = o->mode;
	f->weight = o->weight;
	f->diff = o->arch_b != NULL;
	snprintf(f->arch_a, sizeof(f->arch_a), "%s", o->arch);
	snprintf(f->arch_b, sizeof(f->arch_b), "%s", o->arch_b ? o->arch_b : "");
	if (o->mode == FLAME_CHART) {
		f->lanes = 1;
		f->time_axis = s->has_time && o->weight == FLAME_CYCLES && s->ghz > 0;
		f->ts_first = s->ts_first;
		f->ghz = s->ghz;
		if (walk(s, &b, o->arch, span_exit, 0, err, errlen))
			goto fail;
		b.pos = 0;
		if (walk(s, &b, o->arch, chart_exit, 1, err, errlen) || chart_details(f))
			goto fail;
	} else {
		if (walk(s, &b, o->arch, graph_exit, 1, err, errlen))
			goto fail;
		if (o->arch_b) {
			b.pass_b = 1;
			if (walk(s, &b, o->arch_b, graph_exit, 1, err, errlen))
				goto fail;
		}
		if (unmodelled_frames(&b)) {
			snprintf(err, errlen, "out of memory");
			goto fail;
		}
		flame_sort_root(f);
	}
	char unm[200] = "", line[160];
	if (b.unmodelled) {	/* kinds the profile has no path for: said, never drawn as free */
		nv_unmodelled_line(b.unmodelled, b.observed_unm, b.exits, b.observed, line, sizeof(line));
		snprintf(unm, sizeof(unm), "; %s%s", line,
			 o->mode == FLAME_CHART ? ", not drawn" : ": " FLAME_UNMODELLED);
	}
	if (f->diff)
		snprintf(f->title, sizeof(f->title), "%s: %s -> %s (%s)", s->title, o->arch, o->arch_b, unit);
	else
		snprintf(f->title, sizeof(f->title), "%s: %s (%s%s)", s->title, o->arch, unit,
			 o->mode == FLAME_CHART ? (f->time_axis ? ", over the run's time" : ", in time order")
			 : o->inverted ? ", inverted: handler or fate first" : "");
	if (o->title)
		snprintf(f->title, sizeof(f->title), "%s", o->title);
	if (f->diff)
		snprintf(f->subtitle, sizeof(f->subtitle),
			 "%" PRIu64 " nested exit(s): %" PRIu64 " %s under %s, %" PRIu64 " under %s (%+.1f%%); width %s, colour the change (blue less, red more)",
			 b.exits, f->n[0].value, unit, o->arch, f->n[0].value_b, o->arch_b,
			 f->n[0].value ? 100.0 * ((double)f->n[0].value_b - (double)f->n[0].value) / (double)f->n[0].value : 0.0,
			 o->arch);
	else
		snprintf(f->subtitle, sizeof(f->subtitle),
			 "%" PRIu64 " nested exit%s, %" PRIu64 " cycles, %" PRIu64 " traps to L0%s",
			 b.exits, b.exits == 1 ? "" : "s", b.cycles, b.traps, unm);
	free(b.lanes);
	free(b.trace);
	free(b.unm);
	return f;
fail:
	free(b.lanes);
	free(b.trace);
	free(b.unm);
	flame_free(f);
	return NULL;
}
