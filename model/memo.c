/*
 * The memo of per-exit results (see memo.h): a direct-mapped table of
 * NV_MEMO_SLOTS entries per vCPU state, so its memory does not grow with
 * the run.
 */
#include <stdlib.h>
#include <string.h>
#include "model/memo.h"

#define NV_MEMO_SETS 32		/* a power of two */
#define NV_MEMO_WAYS 8
#define NV_MEMO_SLOTS (NV_MEMO_SETS * NV_MEMO_WAYS)

struct nv_memo_entry {
	struct nv_memo_key key;
	struct nv_result res;
	struct nv_digest after;		/* the state's digest after the exit */
	struct nv_vcpu_snap snap;	/* the state after, but the shadow stage 2 */
};

/* A set's tags (the key's hash, 0: empty) lie together: a lookup reads one
 * cache line of tags, then one entry. */
struct nv_memo {
	uint64_t tag[NV_MEMO_SLOTS];
	uint8_t next[NV_MEMO_SETS];		/* the way a set replaces next */
	struct nv_memo_entry e[NV_MEMO_SLOTS];
	struct nv_memo_stats st;
	int verify;				/* evaluate hits too, and compare */
	int users;				/* vCPU states sharing it */
	const struct nv_memo_entry *check;	/* the hit being verified */
};

struct nv_memo *nv_memo_new(int verify)
{
	struct nv_memo *memo = calloc(1, sizeof(struct nv_memo));

	if (memo) {
		memo->verify = verify;
		memo->users = 1;
	}
	return memo;
}

/* See memo.h. */
struct nv_memo *nv_memo_ref(struct nv_memo *memo)
{
	memo->users++;
	return memo;
}

void nv_memo_free(struct nv_memo *memo)
{
	if (memo && --memo->users == 0)
		free(memo);
}

/* See memo.h. */
void nv_memo_key(struct nv_vcpu *v, const void *m, int kind, const struct nv_variant_sel *sel,
		 struct nv_memo_key *k)
{
	_Static_assert(NV_VARIANT_MAX == sizeof(k->sel), "a selection fits in one word");
	memset(k, 0, sizeof(*k));
	k->state = *nv_vcpu_digest(v);
	k->time_rel = nv_vcpu_time_rel(v);
	k->model = m;
	k->kind = kind;
	if (sel)
		memcpy(&k->sel, sel->v, sizeof(k->sel));
}

/* See memo.h. */
void nv_memo_before(const struct nv_vcpu *v, struct nv_memo_before *b)
{
	b->mmu = v->mmu_digest;
	nv_vcpu_times(v, b->times);
}

static int key_eq(const struct nv_memo_key *x, const struct nv_memo_key *y)
{
	return nv_digest_eq(&x->state, &y->state) && x->time_rel == y->time_rel &&
	       x->model == y->model && x->sel == y->sel && x->kind == y->kind;
}

/* The tag of a key (never 0). */
static uint64_t tag_of(const struct nv_memo_key *k)
{
	struct nv_digest d = k->state;

	nv_digest_word(&d, k->time_rel);
	nv_digest_word(&d, (uint64_t)(uintptr_t)k->model);
	nv_digest_word(&d, k->sel);
	nv_digest_word(&d, (uint64_t)k->kind);
	return d.a | 1;
}

/* The entry of a key, NULL if the memo does not hold it. */
static const struct nv_memo_entry *find(const struct nv_memo *memo, const struct nv_memo_key *k,
					uint64_t tag)
{
	size_t set = (size_t)(tag >> 40) & (NV_MEMO_SETS - 1);

	for (size_t i = set * NV_MEMO_WAYS; i < (set + 1) * NV_MEMO_WAYS; i++)
		if (memo->tag[i] == tag && key_eq(&memo->e[i].key, k))
			return &memo->e[i];
	return NULL;
}

/* See memo.h. */
int nv_memo_get(struct nv_vcpu *v, const struct nv_memo_key *k, struct nv_result *res)
{
	struct nv_memo *memo = v->memo;
	const struct nv_memo_entry *e = find(memo, k, tag_of(k));

	memo->check = NULL;
	if (!e) {
		memo->st.misses++;
		return 0;
	}
	if (memo->verify) {	/* evaluated all the same; nv_memo_put compares */
		memo->check = e;
		memo->st.checked++;
		return 0;
	}
	*res = e->res;
	nv_vcpu_snap_load(v, &e->snap);
	v->digest = e->after;	/* the shadow stage 2 (and its digest) did not change */
	memo->st.hits++;
	return 1;
}

/* See memo.h. */
void nv_memo_put(struct nv_vcpu *v, const struct nv_memo_key *k, const struct nv_memo_before *b,
		 const struct nv_result *res)
{
	uint64_t times[NV_VCPU_NTIMES];
	const struct nv_digest *after = nv_vcpu_digest(v);
	struct nv_memo_entry *e;

	nv_vcpu_times(v, times);
	int keep = nv_digest_eq(&v->mmu_digest, &b->mmu) && !memcmp(times, b->times, sizeof(times));
	if (v->memo->check) {
		const struct nv_memo_entry *c = v->memo->check;
		if (!keep || memcmp(&c->res, res, sizeof(*res)) || !nv_digest_eq(&c->after, after))
			v->memo->st.wrong++;
		v->memo->check = NULL;
	}
	if (!keep)
		return;
	struct nv_memo *memo = v->memo;
	uint64_t tag = tag_of(k);
	if (find(memo, k, tag))
		return;
	size_t set = (size_t)(tag >> 40) & (NV_MEMO_SETS - 1);
	size_t i = set * NV_MEMO_WAYS + memo->next[set];
	memo->next[set] = (uint8_t)((memo->next[set] + 1) % NV_MEMO_WAYS);
	e = &memo->e[i];
	memo->tag[i] = tag;
	e->key = *k;
	e->res = *res;
	e->after = *after;
	nv_vcpu_snap_save(v, &e->snap);
	memo->st.stored++;
}

void nv_memo_get_stats(const struct nv_memo *memo, struct nv_memo_stats *st)
{
	*st = memo->st;
}
