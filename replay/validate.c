/* Validation of the model against observed nested exits (see validate.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/trapmap.h"
#include "replay/validate.h"

struct vcpu_sub {
	int32_t vcpu;
	struct nv_vcpu *v;
};

struct val_ctx {
	struct nv_models *ms;
	struct nv_validate_result *res;
	struct nv_validate_kind *cur;	/* kind of the exit being evaluated */
	struct vcpu_sub *vs;
	size_t nvs;
	int failed;
	/* predicted traps since the exit's last ERET (the nested VM's own, e.g.
	 * a retried access L0 resolves): the trace records them outside the
	 * nested exit, which reconstruction closes at kvm_nested_eret */
	struct nv_validate_op *after_eret[NV_VALIDATE_MAX_OPS];
	int nafter;		/* -1: no ERET yet */
};

/* The totals row of an operation within a kind, added on first sight. */
static struct nv_validate_op *op_of(struct nv_validate_kind *k, const struct nv_trap *t)
{
	for (int i = 0; i < k->nops; i++)
		if (k->op[i].trap.code == t->code && k->op[i].trap.sysreg == t->sysreg &&
		    k->op[i].trap.dir == t->dir)
			return &k->op[i];
	if (k->nops == NV_VALIDATE_MAX_OPS)
		return NULL;
	struct nv_validate_op *o = &k->op[k->nops++];
	memset(o, 0, sizeof(*o));
	o->trap = *t;
	return o;
}

/* A predicted operation: count it when it is a trap L0 would record. */
static void on_predicted(void *arg, const struct nv_op_result *r)
{
	struct val_ctx *c = arg;
	struct nv_trap t = nv_trap_of_op(r);
	if (t.code < 0)
		return;
	struct nv_validate_op *o = op_of(c->cur, &t);
	if (r->op->kind == NV_OP_ERET)
		c->nafter = 0;
	else if (c->nafter >= 0 && c->nafter < NV_VALIDATE_MAX_OPS)
		c->after_eret[c->nafter++] = o;
	if (o)
		o->predicted++;
	c->cur->predicted++;
}

/* Take back the predicted traps after the exit's last ERET: not part of the
 * nested exit as the trace cuts it (compare like with like). */
static void drop_after_eret(struct val_ctx *c)
{
	for (int i = 0; i < c->nafter; i++) {
		if (c->after_eret[i])
			c->after_eret[i]->predicted--;
		c->cur->predicted--;
	}
	c->nafter = 0;
}

/* Sub-model state per vCPU, so stateful predictions follow each vCPU's history. */
static struct nv_vcpu *sub_of(struct val_ctx *c, int32_t vcpu)
{
	for (size_t i = 0; i < c->nvs; i++)
		if (c->vs[i].vcpu == vcpu)
			return c->vs[i].v;
	struct vcpu_sub *n = realloc(c->vs, (c->nvs + 1) * sizeof(*n));
	if (!n)
		return NULL;
	c->vs = n;
	c->vs[c->nvs].vcpu = vcpu;
	c->vs[c->nvs].v = nv_vcpu_new();
	return c->vs[c->nvs++].v;
}

/* The histogram bucket of a trap count. */
static int bucket(uint64_t n) { return n < NV_VALIDATE_HIST - 1 ? (int)n : NV_VALIDATE_HIST - 1; }

/* See validate.h. */
int nv_validate_modal(const uint32_t *hist)
{
	int best = 0;
	for (int i = 1; i < NV_VALIDATE_HIST; i++)
		if (hist[i] > hist[best])
			best = i;
	return best;
}

/* The row of a variant selection within a kind, added on first sight (NULL when full). */
static struct nv_validate_variant *variant_of(struct nv_validate_kind *k,
					      const struct nv_profile *p,
					      const struct nv_variant_sel *sel)
{
	for (int i = 0; i < k->nvar; i++)
		if (!memcmp(&k->var[i].sel, sel, sizeof(*sel)))
			return &k->var[i];
	if (k->nvar == NV_VALIDATE_MAX_VARIANTS)
		return NULL;
	struct nv_validate_variant *v = &k->var[k->nvar++];
	memset(v, 0, sizeof(*v));
	v->sel = *sel;
	nv_variant_label(p, sel, v->label, sizeof(v->label));
	return v;
}

/* See validate.h. */
void nv_replay_select_variant(const struct nv_profile *p, const struct nv_nested_exit *x,
			      struct nv_variant_sel *sel)
{
	struct nv_obs_trap t[NV_RECON_TRAPS_MAX];
	int n = 0;
	for (uint32_t i = 0; i < x->ntrap && n < NV_RECON_TRAPS_MAX; i++, n++)
		t[n] = nv_trap_obs(&x->trap[i]);
	uint32_t ev = (x->events & NV_RECON_EV_USERSPACE ? NV_OBS_EV_USERSPACE : 0) |
		      (x->events & NV_RECON_EV_WAKEUP ? NV_OBS_EV_BLOCK : 0);
	nv_profile_variant_select(p, (enum nv_exit_kind)x->kind, t, x->nested ? n : 0, ev, sel);
}

/* Whether a selection is the plain path (every variant 0). */
static int is_plain(const struct nv_variant_sel *sel)
{
	for (int i = 0; i < NV_VARIANT_MAX; i++)
		if (sel->v[i])
			return 0;
	return 1;
}

/* One observed nested exit: count its traps, then the prediction for its kind and variant. */
static void on_nested_exit(void *arg, const struct nv_nested_exit *x)
{
	struct val_ctx *c = arg;
	struct nv_validate_kind *k = &c->res->kind[x->kind];
	struct nv_result r;
	struct nv_variant_sel sel;
	nv_replay_select_variant(c->ms->profile, x, &sel);
	if (nv_profile_variants_exhaustive(c->ms->profile) && is_plain(&sel)) {
		/* a learned profile: these traps match no learned group, report them apart */
		k->unlearned++;
		k->unlearned_traps += x->traps;
		c->res->unlearned++;
		c->res->unlearned_traps += x->traps;
		c->res->total_traps += x->traps;
		return;
	}
	k->count++;
	k->observed += x->traps;
	k->host_irqs += x->host_irqs;
	c->res->total_traps += x->traps;
	for (uint32_t i = 0; i < x->ntrap; i++) {
		struct nv_validate_op *o = op_of(k, &x->trap[i]);
		if (o)
			o->observed++;
	}
	c->cur = k;
	c->nafter = -1; /* none counted until an ERET */
	uint64_t before = k->predicted;
	if (nv_model_eval_variant(c->ms->m[0], (enum nv_exit_kind)x->kind, &sel,
				  sub_of(c, x->vcpu), on_predicted, c, &r)) {
		c->res->unmodelled++;
		c->res->unmodelled_traps += x->traps;
		k->unmodelled++;
		k->unmodelled_traps += x->traps;
		return;
	}
	drop_after_eret(c);
	uint64_t pred = k->predicted - before;
	k->obs_hist[bucket(x->traps)]++;
	k->pred_hist[bucket(pred)]++;
	k->off += pred != x->traps;
	struct nv_validate_variant *v = variant_of(k, c->ms->profile, &sel);
	if (!v)
		return;
	v->count++;
	v->observed += x->traps;
	v->predicted += pred;
	v->off += pred != x->traps;
	v->obs_hist[bucket(x->traps)]++;
	v->pred_hist[bucket(pred)]++;
}

/* The run is not stored in time order: forget the counts so far. */
static int restart_scan(void *arg)
{
	struct val_ctx *c = arg;
	memset(c->res->kind, 0, sizeof(c->res->kind));
	c->res->unmodelled = 0;
	c->res->unmodelled_traps = c->res->total_traps = 0;
	c->res->unlearned = c->res->unlearned_traps = 0;
	for (size_t i = 0; i < c->nvs; i++)
		nv_vcpu_free(c->vs[i].v);
	c->nvs = 0;
	return 0;
}

/* See validate.h: nested arm64 runs only. */
int nv_validate_run(struct nvdb *db, const char *arch, const char *guest, const char *cost,
		    const struct nv_progress *progress, struct nv_validate_result *res, char *err, size_t errlen)
{
	struct nv_models ms;
	struct val_ctx c = { .ms = &ms, .res = res };
	char e2[256];
	int rc;

	memset(res, 0, sizeof(*res));
	res->mode = nv_replay_mode_of(db);
	if (res->mode != NV_RECON_ARM64_NESTED) {
		snprintf(err, errlen, "%s: not a nested arm64 run (%s): validate needs "
			 "kvm_inject_nested_exception / kvm_nested_eret events", nvdb_path(db),
			 nv_recon_mode_name(res->mode));
		return -1;
	}
	if (nv_models_open(&ms, arch, guest, cost, e2, sizeof(e2))) {
		snprintf(err, errlen, "%s", e2);
		return -1;
	}
	rc = nv_replay_scan(db, res->mode, on_nested_exit, restart_scan, &c, &res->st, progress);
	if (rc)
		snprintf(err, errlen, "%s: cannot read the events: %s", nvdb_path(db),
			 nvdb_errmsg(db));
	for (size_t i = 0; i < c.nvs; i++)
		nv_vcpu_free(c.vs[i].v);
	free(c.vs);
	nv_models_close(&ms);
	return rc;
}
