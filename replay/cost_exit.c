/*
 * One nested exit through every architecture's model (see cost_exit.h):
 * the per-vCPU sub-model state and the costing that the sequential driver
 * (replay.c) and the parallel workers (parallel.c) share.
 */
#include <stdlib.h>
#include <string.h>
#include "replay/cost_exit.h"
#include "replay/validate.h"

/* See cost_exit.h. */
int nv_replay_memo_mode(void)
{
	const char *e = getenv("NVTRACE_REPLAY_MEMO");

	return !e ? 1 : !strcmp(e, "0") ? 0 : !strcmp(e, "verify") ? 2 : 1;
}

/* See cost_exit.h. */
struct vcpu_models *nv_vcpu_table_get(struct vcpu_table *t, const struct nv_models *ms,
				      int32_t vcpu)
{
	if (t->n && t->vm[t->last].vcpu == vcpu)
		return &t->vm[t->last];
	for (size_t i = 0; i < t->n; i++)
		if (t->vm[i].vcpu == vcpu)
			return &t->vm[t->last = i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 8;
		struct vcpu_models *n = realloc(t->vm, cap * sizeof(*n));
		if (!n)
			return NULL;
		t->vm = n;
		t->cap = cap;
	}
	struct vcpu_models *v = &t->vm[t->n];
	memset(v, 0, sizeof(*v));
	v->vcpu = vcpu;
	/* the vCPUs of the table (one thread) share each architecture's memo */
	int memo = nv_replay_memo_mode();
	for (int i = 0; i < ms->n; i++) {
		if (!(v->v[i] = nv_vcpu_new()) || !memo)
			continue;
		if (t->n && t->vm[0].v[i])
			nv_vcpu_memo_share(v->v[i], t->vm[0].v[i]);
		else
			nv_vcpu_memo(v->v[i], memo); /* without it (no memory) just slower */
	}
	t->last = t->n++;
	return v;
}

/* See cost_exit.h. */
void nv_vcpu_table_free(struct vcpu_table *t, const struct nv_models *ms,
			struct nv_memo_stats *sum)
{
	for (size_t i = 0; i < t->n; i++)
		for (int a = 0; a < ms->n; a++) {
			struct nv_memo_stats st;
			nv_vcpu_memo_stats(t->vm[i].v[a], &st);
			if (sum && i == 0) { /* shared by all the table's vCPUs */
				sum->hits += st.hits;
				sum->misses += st.misses;
				sum->stored += st.stored;
				sum->checked += st.checked;
				sum->wrong += st.wrong;
			}
			nv_vcpu_free(t->vm[i].v[a]);
		}
	free(t->vm);
	memset(t, 0, sizeof(*t));
}

/* See cost_exit.h. */
int nv_replay_cost_exit(const struct nv_models *ms, int stateless, struct vcpu_table *vt,
			const struct nv_nested_exit *x, struct nv_replay_result *res,
			struct exit_row *row)
{
	struct vcpu_models *vm = nv_vcpu_table_get(vt, ms, x->vcpu);
	int k = x->kind;
	int modelled = 1;

	if (!vm)
		return -1;
	res->exits[k]++;
	res->observed[k] += x->traps;
	row->vcpu = x->vcpu;
	row->ts_start = x->ts_start;
	row->ts_end = x->ts_end;
	row->kind = k;
	row->cause = x->cause;
	row->nested = x->nested;
	row->traps = x->traps;
	row->host_irqs = x->host_irqs;
	/* the path variant the exit's observed traps show (plain without traps) */
	struct nv_variant_sel sel;
	nv_replay_select_variant(ms->profile, x, &sel);
	for (int i = 0; i < ms->n; i++) {
		struct nv_result r;
		if (!stateless && x->ts_start > 0) /* the sub-models' clock follows the trace */
			nv_vcpu_set_time(vm->v[i], (uint64_t)x->ts_start);
		if (nv_model_eval_fast_variant(ms->m[i], (enum nv_exit_kind)k, &sel,
					       stateless ? NULL : vm->v[i], &r)) {
			memset(&r, 0, sizeof(r));
			modelled = 0;
		}
		res->traps[i][k] += r.traps;
		res->cycles[i][k] += r.cycles;
		for (int h = 0; h < NV_H__COUNT; h++)
			res->handler_traps[i][h] += r.handler_count[h];
		row->t[i] = r.traps;
		row->cy[i] = r.cycles;
	}
	if (!modelled)
		res->unmodelled++;
	return 0;
}
