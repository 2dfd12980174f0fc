/*
 * The memo of per-exit results (model/memo.c): the same model, exit kind,
 * variant selection and sub-model state (nv_vcpu_digest plus where the
 * state's stored times lie against now, model/vcpu.h) give the same
 * nv_result and the same state after.  An exit is kept when the memo can
 * replay it exactly: it left the shadow stage 2 and every stored time as it
 * found them (so nothing in the state after came from the clock but through
 * comparisons, which the key holds); the rest of the state after (timers,
 * vGIC, the vCPU's fields) is kept with it and loaded on a hit.  One memo
 * per vCPU state, single-threaded like it; entries name the model by
 * address: the vCPU must not outlive a model it was evaluated with.
 */
#ifndef NVTRACE_MEMO_H
#define NVTRACE_MEMO_H

#include "model/model.h"
#include "model/digest.h"
#include "model/vcpu.h"

struct nv_memo_key {
	struct nv_digest state;
	uint64_t time_rel;
	const void *model;
	uint64_t sel;		/* the variant values, NV_VARIANT_MAX bytes */
	int32_t kind;
};

/* What nv_memo_put compares the state after with. */
struct nv_memo_before {
	struct nv_digest mmu;
	uint64_t times[NV_VCPU_NTIMES];
};

/* verify: hits are evaluated all the same and compared (nv_memo_stats.wrong). */
struct nv_memo *nv_memo_new(int verify);
/* One more vCPU state uses memo (states of one thread may share one). */
struct nv_memo *nv_memo_ref(struct nv_memo *memo);
/* Drop one user; the last frees it. */
void nv_memo_free(struct nv_memo *memo);

/* The key of evaluating kind/sel with model m on v's current state. */
void nv_memo_key(struct nv_vcpu *v, const void *m, int kind, const struct nv_variant_sel *sel,
		 struct nv_memo_key *k);
/* After nv_memo_key, before the evaluation. */
void nv_memo_before(const struct nv_vcpu *v, struct nv_memo_before *b);

/* On a hit: 1, *res, and v in the state the exit left it; else 0. */
int nv_memo_get(struct nv_vcpu *v, const struct nv_memo_key *k, struct nv_result *res);
/* After evaluating k's exit into res: keep it if it can be replayed. */
void nv_memo_put(struct nv_vcpu *v, const struct nv_memo_key *k, const struct nv_memo_before *b,
		 const struct nv_result *res);
void nv_memo_get_stats(const struct nv_memo *memo, struct nv_memo_stats *st);

#endif
