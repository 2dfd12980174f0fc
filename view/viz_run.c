/*
 * A run database as a viz source: the nested exits and per-architecture
 * costs that `nvtrace replay` stored (read through replay/results.h: one row
 * per exit in exit_rows, its costs in columns traps_N / cycles_N of its
 * exit_outcomes row, schema/sql/006-exit-outcomes.sql), and their
 * operations from the model.  Operations are evaluated per vCPU in the
 * order replay evaluated them (each vCPU's exits in time order, one
 * sub-model state per vCPU and architecture), so they add up to the stored
 * costs; exits where they do not are counted in s->mismatched.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "schema/db.h"
#include "replay/results.h"
#include "view/viz_model.h"
#include "view/viz_run.h"

/*
 * Sub-model state of one vCPU during a walk, twice: `main` is advanced by
 * the fast path for every exit (exactly as replay did); `shadow` receives
 * the same evaluations, with the per-operation callback only when an exit's
 * result was not seen before, so the operations are those of that state.
 */
struct vcpu_state {
	int vcpu;
	struct nv_vcpu *main, *shadow;
};

/* The operations of a distinct evaluated exit, kept for every exit like it. */
struct op_list {
	uint64_t sig;
	int kind, arch;
	uint64_t traps, cycles;
	int n;
	struct viz_op *op;
	char (*label)[96];
	uint64_t count;		/* exits of the grouped walk in progress */
	uint64_t observed;	/* their observed traps */
	struct viz_exit first;	/* its first exit (grouped walk) */
};

#define OPS_CACHE_MAX 4096	/* distinct exits kept; beyond, each is evaluated */

#define VARIANT_MEMO 256

struct run_priv {
	struct nvdb *db;
	int64_t replay;
	uint64_t nexits;	/* rows of the replay, for the progress bar */
	char guest[256], cost[64];
	struct nv_models ms;
	int models_open;
	char kind_name[NV_KIND__COUNT + 1][16];
	struct vcpu_state *vs;	/* sub-model state of the walk in progress */
	int nvs;
	struct op_list *lists;	/* the distinct exits seen, by signature */
	int nlists;
	struct variant_memo {	/* stored totals -> the variant giving them (found or not) */
		int arch, kind, found;
		uint64_t traps, cycles;
		struct nv_variant_sel sel;
	} memo[VARIANT_MEMO];
	int nmemo;
};

/* The sub-model states of a vCPU for the walk in progress. */
static struct vcpu_state *state_of(struct run_priv *p, int vcpu)
{
	for (int i = 0; i < p->nvs; i++)
		if (p->vs[i].vcpu == vcpu)
			return &p->vs[i];
	struct vcpu_state *vs = realloc(p->vs, sizeof(*vs) * (size_t)(p->nvs + 1));
	if (!vs)
		return NULL;
	p->vs = vs;
	vs += p->nvs;
	vs->vcpu = vcpu;
	vs->main = nv_vcpu_new();
	vs->shadow = nv_vcpu_new();
	if (!vs->main || !vs->shadow) {
		nv_vcpu_free(vs->main);
		nv_vcpu_free(vs->shadow);
		return NULL;
	}
	p->nvs++;
	return vs;
}

/* Drop the sub-model states at the end of a walk. */
static void states_free(struct run_priv *p)
{
	for (int i = 0; i < p->nvs; i++) {
		nv_vcpu_free(p->vs[i].main);
		nv_vcpu_free(p->vs[i].shadow);
	}
	free(p->vs);
	p->vs = NULL;
	p->nvs = 0;
}

/* Drop the cached operation lists. */
static void lists_free(struct run_priv *p)
{
	for (int i = 0; i < p->nlists; i++) {
		free(p->lists[i].op);
		free(p->lists[i].label);
	}
	free(p->lists);
	p->lists = NULL;
	p->nlists = 0;
}

/* A hash of the fields of a model result that tell two exits apart. */
static uint64_t result_sig(int arch, int kind, const struct nv_result *r)
{
	uint64_t h = 14695981039346656037ull;
	uint64_t v[4 + 2 * NV_FATE__COUNT + NV_H__COUNT + NV_PHASE__COUNT + NV_SRC__COUNT];
	int n = 0;

	v[n++] = (uint64_t)arch << 32 | (uint64_t)(unsigned)kind;
	v[n++] = r->ops;
	v[n++] = r->traps;
	v[n++] = r->cycles;
	for (int i = 0; i < NV_FATE__COUNT; i++) {
		v[n++] = r->fate_count[i];
		v[n++] = r->fate_cycles[i];
	}
	for (int i = 0; i < NV_H__COUNT; i++)
		v[n++] = r->handler_count[i];
	for (int i = 0; i < NV_PHASE__COUNT; i++)
		v[n++] = r->phase_cycles[i];
	for (int i = 0; i < NV_SRC__COUNT; i++)
		v[n++] = r->source_traps[i];
	for (int i = 0; i < n; i++) {	/* a word at a time, mixed */
		h = (h ^ v[i]) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 31;
	}
	return h;
}

struct collect {
	struct op_list *l;
	int failed;
};

/* nv_emit_fn: copy one evaluated operation into an op list. */
static void collect_op(void *arg, const struct nv_op_result *r)
{
	struct collect *c = arg;
	struct op_list *l = c->l;

	if (c->failed)
		return;
	if ((l->n & (l->n - 1)) == 0) {	/* grow at powers of two */
		int cap = l->n ? l->n * 2 : 1;
		struct viz_op *op = realloc(l->op, sizeof(*op) * (size_t)cap);
		char (*label)[96] = op ? realloc(l->label, sizeof(*label) * (size_t)cap) : NULL;
		if (op)
			l->op = op;
		if (!op || !label) {
			c->failed = 1;
			return;
		}
		l->label = label;
		for (int i = 0; i < l->n; i++)	/* the labels moved */
			l->op[i].op = l->label[i];
	}
	viz_op_from_model(r, &l->op[l->n], l->label[l->n], sizeof(l->label[0]));
	l->n++;
}

/* The search for the variant with given totals: the kind's variants and a budget of evaluations. */
struct vsearch {
	const struct nv_model *m;
	int kind, nu, u[NV_VARIANT_MAX];	/* indices of the variants the kind's path reads */
	uint64_t traps, cycles;
	int budget;
};

/* Every selection whose values sum to left over variants u[i..], checked (stateless). */
static int sum_search(struct vsearch *vs, int i, int left, struct nv_variant_sel *sel)
{
	if (vs->budget <= 0)
		return 0;
	if (i == vs->nu - 1 || !left) {
		if (i < vs->nu)
			sel->v[vs->u[i]] = (uint8_t)left;
		struct nv_result r;
		vs->budget--;
		int ok = !nv_model_eval_fast_variant(vs->m, (enum nv_exit_kind)vs->kind, sel, NULL, &r) &&
			 r.traps == vs->traps && r.cycles == vs->cycles;
		if (!ok && i < vs->nu)
			sel->v[vs->u[i]] = 0;
		return ok;
	}
	for (int v = left; v >= 0; v--) {
		sel->v[vs->u[i]] = (uint8_t)v;
		if (sum_search(vs, i + 1, left - v, sel))
			return 1;
	}
	sel->v[vs->u[i]] = 0;
	return 0;
}

/*
 * Selections in order of their total (1, then 2 ...: a few variants at small
 * values, as exits have them), at most 3000 evaluations.
 */
static int match_variant(const struct nv_model *m, int kind, struct nv_variant_sel *sel,
			 uint64_t traps, uint64_t cycles)
{
	const struct nv_profile *pr = nv_model_profile(m);
	struct vsearch vs = { m, kind, 0, { 0 }, traps, cycles, 3000 };
	for (int i = 0; i < nv_profile_variant_count(pr) && i < NV_VARIANT_MAX; i++)
		if (nv_profile_variant_used(pr, kind, i))
			vs.u[vs.nu++] = i;
	for (int total = 1; vs.nu && total <= 8 && vs.budget > 0; total++) {
		memset(sel, 0, sizeof(*sel));
		if (sum_search(&vs, 0, total, sel))
			return 1;
	}
	return 0;
}

/* The variant with an exit's stored totals, searched once per (arch, kind, totals). */
static int find_variant(struct run_priv *p, const struct nv_model *m, int arch, int kind,
			const struct viz_exit *e, struct nv_variant_sel *sel)
{
	for (int i = 0; i < p->nmemo; i++) {
		const struct variant_memo *v = &p->memo[i];
		if (v->arch == arch && v->kind == kind && v->traps == e->traps && v->cycles == e->cycles) {
			*sel = v->sel;
			return v->found;
		}
	}
	memset(sel, 0, sizeof(*sel));
	int found = match_variant(m, kind, sel, e->traps, e->cycles);
	/* else one counted variant with a larger value (l1-faults*20): solve for it */
	const struct nv_profile *pr = nv_model_profile(m);
	for (int i = 0; !found && i < nv_profile_variant_count(pr) && i < NV_VARIANT_MAX; i++) {
		struct nv_result r0, r1;
		memset(sel, 0, sizeof(*sel));
		if (!nv_profile_variant_used(pr, kind, i) ||
		    nv_model_eval_fast_variant(m, (enum nv_exit_kind)kind, sel, NULL, &r0))
			continue;
		sel->v[i] = 1;
		nv_model_eval_fast_variant(m, (enum nv_exit_kind)kind, sel, NULL, &r1);
		uint64_t dt = r1.traps - r0.traps;
		if (r1.traps <= r0.traps || e->traps <= r0.traps || (e->traps - r0.traps) % dt ||
		    (e->traps - r0.traps) / dt > 64)
			continue;
		sel->v[i] = (uint8_t)((e->traps - r0.traps) / dt);
		found = !nv_model_eval_fast_variant(m, (enum nv_exit_kind)kind, sel, NULL, &r1) &&
			r1.traps == e->traps && r1.cycles == e->cycles;
	}
	if (!found)
		memset(sel, 0, sizeof(*sel));
	if (p->nmemo < VARIANT_MEMO)
		p->memo[p->nmemo++] = (struct variant_memo){ arch, kind, found, e->traps, e->cycles, *sel };
	return found;
}

/*
 * Evaluate one exit on its vCPU and find (or make) the op list of its
 * result.  When the plain path does not give the exit's stored totals (replay
 * costed a path variant the exit's traps selected, which the results do not
 * store), the variant with those totals is looked for and listed instead.
 * NULL on allocation failure; *uncached set when the cache is full and the
 * list returned is a temporary one the caller frees.
 */
static struct op_list *evaluate(struct run_priv *p, const struct nv_model *m, int arch,
				int kind, struct vcpu_state *vs, const struct viz_exit *e,
				struct op_list *tmp)
{
	struct nv_result r, r2;
	struct nv_variant_sel sel;
	uint64_t sig;

	memset(&r, 0, sizeof(r));
	memset(&sel, 0, sizeof(sel));
	if (kind < NV_EXIT__COUNT)
		nv_model_eval_fast(m, (enum nv_exit_kind)kind, vs->main, &r);
	if (kind < NV_EXIT__COUNT && (r.traps != e->traps || r.cycles != e->cycles) &&
	    nv_profile_variant_count(nv_model_profile(m))) {
		/* the search is stateless: take off what the vCPU's state added to
		 * the plain path (e.g. the nested VM's retried access after a
		 * stage-2 fault), the same on every variant of this exit */
		struct nv_result r0;
		struct viz_exit want = *e;
		int64_t dt = 0, dc = 0;
		if (!nv_model_eval_fast_variant(m, (enum nv_exit_kind)kind, &sel, NULL, &r0)) {
			dt = (int64_t)r.traps - (int64_t)r0.traps;
			dc = (int64_t)r.cycles - (int64_t)r0.cycles;
			want.traps = (uint64_t)((int64_t)e->traps - dt);
			want.cycles = (uint64_t)((int64_t)e->cycles - dc);
		}
		if (find_variant(p, m, arch, kind, &want, &sel)) {
			nv_model_eval_fast_variant(m, (enum nv_exit_kind)kind, &sel, NULL, &r);
			r.traps = (uint64_t)((int64_t)r.traps + dt);
			r.cycles = (uint64_t)((int64_t)r.cycles + dc);
		}
	}
	sig = result_sig(arch, kind, &r);
	for (int i = 0; i < p->nlists; i++)
		if (p->lists[i].sig == sig && p->lists[i].kind == kind && p->lists[i].arch == arch) {
			if (kind < NV_EXIT__COUNT)
				nv_model_eval_fast(m, (enum nv_exit_kind)kind, vs->shadow, &r2);
			return &p->lists[i];
		}
	struct op_list *l = tmp;
	if (p->nlists < OPS_CACHE_MAX) {
		if ((p->nlists & (p->nlists - 1)) == 0) {
			int cap = p->nlists ? p->nlists * 2 : 1;
			struct op_list *ls = realloc(p->lists, sizeof(*ls) * (size_t)cap);
			if (!ls)
				return NULL;
			p->lists = ls;
		}
		l = &p->lists[p->nlists++];
	}
	memset(l, 0, sizeof(*l));
	l->sig = sig;
	l->kind = kind;
	l->arch = arch;
	l->traps = r.traps;
	l->cycles = r.cycles;
	struct collect c = { l, 0 };
	if (kind < NV_EXIT__COUNT)
		nv_model_eval_variant(m, (enum nv_exit_kind)kind, &sel, vs->shadow, collect_op, &c, &r2);
	return c.failed ? NULL : l;
}

/* The models, loaded on the first walk that needs operations. */
static int models(struct viz_source *s)
{
	struct run_priv *p = s->priv;
	char archs[256] = "";

	if (p->models_open)
		return 0;
	for (int i = 0; i < s->narch; i++)
		snprintf(archs + strlen(archs), sizeof(archs) - strlen(archs), "%s%s", i ? "," : "", s->arch[i]);
	if (nv_models_open(&p->ms, archs, p->guest, p->cost, s->err, sizeof(s->err)))
		return -1;
	p->models_open = 1;
	return 0;
}

/* One stored exit to the sink, then its operations when asked for. */
static int deliver(struct viz_source *s, const char *arch, struct viz_exit *e, int kind,
		   int want_ops, const struct viz_sink *sink)
{
	struct run_priv *p = s->priv;
	const struct nv_model *m;
	struct vcpu_state *vs;
	struct op_list tmp, *l;
	int rc = 0;

	if (!want_ops)
		return sink->exit ? sink->exit(sink->ctx, e) : 0;
	m = viz_models_get(&p->ms, arch);
	vs = state_of(p, e->vcpu);
	l = m && vs ? evaluate(p, m, viz_arch_index(s, arch), kind, vs, e, &tmp) : NULL;
	if (!l) {
		snprintf(s->err, sizeof(s->err), "%s", m ? "out of memory" : "no model");
		return -1;
	}
	if (l->traps != e->traps || l->cycles != e->cycles)
		s->mismatched++;
	e->ops_key = l == &tmp ? 0 : l->sig;
	if (sink->exit && sink->exit(sink->ctx, e))
		rc = -1;
	for (int i = 0; !rc && sink->op && i < l->n; i++)
		if (sink->op(sink->ctx, e, &l->op[i]))
			rc = -1;
	if (l == &tmp) {
		free(tmp.op);
		free(tmp.label);
	}
	return rc;
}

/* The stored exits under arch (upto > 0: that exit's vCPU up to it); NULL with s->err. */
static struct nv_results_iter *exits_query(struct viz_source *s, const char *arch, int64_t upto)
{
	struct run_priv *p = s->priv;

	return nv_results_exits(p->db, p->replay, viz_arch_index(s, arch), upto,
				s->err, sizeof(s->err));
}

/* The next stored exit into e (its kind number in *kind): 1, 0 at the end, -1 with s->err. */
static int row_exit(struct viz_source *s, struct nv_results_iter *it, struct viz_exit *e, int *kind)
{
	struct run_priv *p = s->priv;
	struct nv_results_exit r;
	int rc = nv_results_next(it, &r, s->err, sizeof(s->err));

	if (rc != 1)
		return rc;
	*kind = r.kind;
	e->id = r.seq;
	e->vcpu = r.vcpu;
	e->ts_start = r.ts_start;
	e->ts_end = r.ts_end;
	e->kind = p->kind_name[r.kind];
	e->traps = r.traps;
	e->cycles = r.cycles;
	e->count = 1;
	e->ops_key = 0;
	e->observed = r.observed;
	return 1;
}

/* The progress bar of a walk, when the command asked for one. */
static void walk_progress(struct viz_source *s, const char *arch, uint64_t done, int end)
{
	struct run_priv *p = s->priv;
	char label[64];

	if (!s->progress)
		return;
	if (end) {
		s->progress->end();
	} else if (!done) {
		snprintf(label, sizeof(label), "nested exits (%s)", arch);
		s->progress->start(label, p->nexits);
	} else if (!(done & 4095)) {
		s->progress->update(done);
	}
}

/*
 * Exits are stored in the order they ended; per vCPU that is their time
 * order (a vCPU's nested exits do not overlap), which is all that the
 * charts, the Perfetto tracks and the sub-model states need.
 */
static int run_walk(struct viz_source *s, const char *arch, int want_ops, const struct viz_sink *sink)
{
	struct run_priv *p = s->priv;
	struct nv_results_iter *st;
	struct viz_exit e;
	int rc = 0, step, kind;

	if (viz_arch_index(s, arch) < 0) {
		viz_no_arch(s, arch, s->err, sizeof(s->err));
		return -1;
	}
	if (want_ops && models(s))
		return -1;
	st = exits_query(s, arch, 0);
	if (!st)
		return -1;
	s->mismatched = 0;
	walk_progress(s, arch, 0, 0);
	for (uint64_t n = 1; !rc && (step = row_exit(s, st, &e, &kind)) == 1; n++) {
		rc = deliver(s, arch, &e, kind, want_ops, sink);
		walk_progress(s, arch, n, 0);
	}
	walk_progress(s, arch, 0, 1);
	if (!rc && step < 0)
		rc = -1;
	nv_results_iter_free(st);
	states_free(p);
	return rc;
}

/*
 * Every distinct exit once, counted: one pass evaluates each exit with the
 * fast path (operations only for results not seen before), then each
 * distinct exit goes to the sink with its count.  Exits past the cache's
 * capacity go to the sink one by one.
 */
static int run_walk_grouped(struct viz_source *s, const char *arch, const struct viz_sink *sink)
{
	struct run_priv *p = s->priv;
	int a = viz_arch_index(s, arch), rc = 0, step;
	const struct nv_model *m;
	struct nv_results_iter *st;
	struct viz_exit e;
	int kind;

	if (a < 0) {
		viz_no_arch(s, arch, s->err, sizeof(s->err));
		return -1;
	}
	if (models(s))
		return -1;
	m = viz_models_get(&p->ms, arch);
	st = exits_query(s, arch, 0);
	if (!st)
		return -1;
	s->mismatched = 0;
	for (int i = 0; i < p->nlists; i++)
		p->lists[i].count = p->lists[i].observed = 0;
	walk_progress(s, arch, 0, 0);
	for (uint64_t n = 1; !rc && (step = row_exit(s, st, &e, &kind)) == 1; n++) {
		struct op_list tmp, *l;
		struct vcpu_state *vs = state_of(p, e.vcpu);

		walk_progress(s, arch, n, 0);
		l = vs ? evaluate(p, m, a, kind, vs, &e, &tmp) : NULL;
		if (!l) {
			snprintf(s->err, sizeof(s->err), "out of memory");
			rc = -1;
			break;
		}
		if (l->traps != e.traps || l->cycles != e.cycles)
			s->mismatched++;
		if (l == &tmp) {	/* cache full: this one alone */
			if (sink->exit && sink->exit(sink->ctx, &e))
				rc = -1;
			for (int i = 0; !rc && sink->op && i < tmp.n; i++)
				rc = sink->op(sink->ctx, &e, &tmp.op[i]) ? -1 : 0;
			free(tmp.op);
			free(tmp.label);
			continue;
		}
		if (!l->count++)
			l->first = e;
		l->observed += e.observed;
	}
	walk_progress(s, arch, 0, 1);
	if (!rc && step < 0)
		rc = -1;
	nv_results_iter_free(st);
	for (int i = 0; !rc && i < p->nlists; i++) {
		struct op_list *l = &p->lists[i];
		if (!l->count || l->arch != a)
			continue;
		l->first.count = l->count;
		l->first.observed = l->observed;
		l->first.traps = l->traps;
		l->first.cycles = l->cycles;
		if (sink->exit && sink->exit(sink->ctx, &l->first))
			rc = -1;
		for (int k = 0; !rc && sink->op && k < l->n; k++)
			if (sink->op(sink->ctx, &l->first, &l->op[k]))
				rc = -1;
	}
	states_free(p);
	return rc;
}

/* Swallows the operations of the exits before the one asked for. */
static int no_op(void *ctx, const struct viz_exit *e, const struct viz_op *op)
{
	(void)ctx; (void)e; (void)op;
	return 0;
}

/* One exit's operations: its vCPU's earlier exits are evaluated first, for the state. */
static int run_exit_ops(struct viz_source *s, int64_t id, const char *arch, const struct viz_sink *sink)
{
	struct run_priv *p = s->priv;
	struct viz_sink quiet = { NULL, NULL, no_op };
	struct nv_results_iter *st;
	struct viz_exit e;
	int rc = -1, kind;

	if (viz_arch_index(s, arch) < 0 || models(s))
		return -1;
	snprintf(s->err, sizeof(s->err), "no nested exit %" PRId64, id);
	if (id <= 0)
		return -1;
	st = exits_query(s, arch, id);
	if (!st)
		return -1;
	snprintf(s->err, sizeof(s->err), "no nested exit %" PRId64, id);
	while (row_exit(s, st, &e, &kind) == 1) {
		rc = deliver(s, arch, &e, kind, 1, e.id == id ? sink : &quiet);
		if (rc || e.id == id)
			break;
	}
	nv_results_iter_free(st);
	states_free(p);
	return rc;
}

/* Close the run source: models, caches, database. */
static void run_free(struct viz_source *s)
{
	struct run_priv *p = s->priv;

	if (p->models_open)
		nv_models_close(&p->ms);
	states_free(p);
	lists_free(p);
	nvdb_close(p->db);
	free(p);
	free(s->info);
	free(s);
}

/* "key: value" lines for the overview: the run's metadata and the replay's. */
static void run_info(struct viz_source *s, const struct nv_results_replay *rp)
{
	static const char *const keys[] = {
		NVDB_META_SOURCE, NVDB_META_SOURCE_FILE, NVDB_META_HOST_KERNEL, NVDB_META_HOST_ARCH,
		NVDB_META_CPUS, NVDB_META_EVENTS, NVDB_META_LOST, NVDB_META_STATUS,
		NVDB_META_SYNTHETIC, NVDB_META_CREATED,
	};
	struct run_priv *p = s->priv;
	char *buf = NULL, val[512];
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		return;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!nvdb_meta_get(p->db, keys[i], val, sizeof(val)))
			fprintf(m, "%s: %s\n", keys[i], val);
	fprintf(m, "replay: %s\n", rp->desc);
	fclose(m);
	s->info = buf;
}

/* Pick the replay: the latest, or the latest with the given guest and cost. */
static int pick_replay(struct viz_source *s, const char *guest, const char *cost, char *err, size_t errlen)
{
	struct run_priv *p = s->priv;
	struct nv_results_replay rp;

	if (nv_results_pick(p->db, guest, cost, &rp, err, errlen))
		return -1;
	snprintf(p->guest, sizeof(p->guest), "%s", rp.guest);
	snprintf(p->cost, sizeof(p->cost), "%s", rp.cost);
	p->replay = rp.id;
	p->nexits = rp.exits;
	s->ts_first = rp.ts_first;
	s->ts_last = rp.ts_last;
	s->has_time = s->ts_last > s->ts_first;
	run_info(s, &rp);
	return 0;
}

/* The replay's architectures and the names of the exit kinds. */
static int load_names(struct viz_source *s, char *err, size_t errlen)
{
	struct run_priv *p = s->priv;
	int n;

	for (int k = 0; k <= NV_KIND__COUNT; k++)
		snprintf(p->kind_name[k], sizeof(p->kind_name[k]), "%s",
			 k < NV_KIND__COUNT ? nv_kind_name((enum nv_kind)k) : "other");
	n = nv_results_archs(p->db, p->replay, s->arch, VIZ_MAX_ARCH, err, errlen);
	if (n < 0)
		return -1;
	s->narch = n;
	return 0;
}

/* Open a run read-only, pick its replay and read its architectures. */
struct viz_source *viz_source_run(const char *path, const char *guest, const char *cost,
				  char *err, size_t errlen)
{
	struct viz_source *s = calloc(1, sizeof(*s));
	struct run_priv *p = calloc(1, sizeof(*p));
	const char *base = strrchr(path, '/');

	if (!s || !p) {
		free(s);
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->priv = p;
	s->free = run_free;
	p->db = nvdb_open(path, 0, err, errlen);
	if (!p->db) {	/* its message starts with the path, which the command prints */
		size_t n = strlen(path);
		if (!strncmp(err, path, n) && err[n] == ':' && err[n + 1] == ' ')
			memmove(err, err + n + 2, strlen(err + n + 2) + 1);
		run_free(s);
		return NULL;
	}
	if (pick_replay(s, guest, cost, err, errlen) || load_names(s, err, errlen)) {
		run_free(s);
		return NULL;
	}
	snprintf(s->title, sizeof(s->title), "%s", base ? base + 1 : path);
	s->ghz = viz_cost_ghz(p->cost);
	s->walk = run_walk;
	s->walk_grouped = run_walk_grouped;
	s->exit_ops = run_exit_ops;
	return s;
}
