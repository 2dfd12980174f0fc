/*
 * The table of the per-exit memo (see memo.h): NV_MEMO_SETS sets of
 * NV_MEMO_WAYS entries, each set's tags together in one cache line, the
 * oldest entry of a set replaced first.
 */
#include <stdlib.h>
#include <string.h>
#include "model/memo.h"

#define NV_MEMO_SETS 64		/* a power of two */
#define NV_MEMO_WAYS 8
#define NV_MEMO_SLOTS (NV_MEMO_SETS * NV_MEMO_WAYS)

struct nv_memo {
	uint64_t tag[NV_MEMO_SLOTS];		/* the key's hash, 0: empty */
	uint8_t next[NV_MEMO_SETS];		/* the way a set replaces next */
	struct nv_memo_entry e[NV_MEMO_SLOTS];
	struct nv_memo_stats st;
	int verify;
	int users;
};

/* See memo.h. */
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

/* See memo.h. */
void nv_memo_free(struct nv_memo *memo)
{
	if (memo && --memo->users == 0)
		free(memo);
}

int nv_memo_verify(const struct nv_memo *memo) { return memo->verify; }
struct nv_memo_stats *nv_memo_stats_of(struct nv_memo *memo) { return &memo->st; }

/* See memo.h. */
int nv_memo_key_eq(const struct nv_memo_key *x, const struct nv_memo_key *y)
{
	return nv_digest_eq(&x->state, &y->state) && x->time_rel == y->time_rel &&
	       x->model == y->model && !memcmp(x->sel, y->sel, sizeof(x->sel)) &&
	       x->kind == y->kind;
}

/* The tag of a key (never 0). */
static uint64_t tag_of(const struct nv_memo_key *k)
{
	struct nv_digest d = k->state;

	nv_digest_word(&d, k->time_rel);
	nv_digest_word(&d, (uint64_t)(uintptr_t)k->model);
	nv_digest_bytes(&d, k->sel, sizeof(k->sel));
	nv_digest_word(&d, (uint64_t)k->kind);
	return d.a | 1;
}

/* The first slot of a tag's set. */
static size_t set_of(uint64_t tag)
{
	return ((size_t)(tag >> 40) & (NV_MEMO_SETS - 1)) * NV_MEMO_WAYS;
}

/* See memo.h. */
const struct nv_memo_entry *nv_memo_find(const struct nv_memo *memo, const struct nv_memo_key *k,
					 const struct nv_memo_entry *prev)
{
	uint64_t tag = tag_of(k);
	size_t first = set_of(tag);
	size_t from = prev ? (size_t)(prev - memo->e) + 1 : first;

	for (size_t i = from; i < first + NV_MEMO_WAYS; i++)
		if (memo->tag[i] == tag && nv_memo_key_eq(&memo->e[i].key, k))
			return &memo->e[i];
	return NULL;
}

/* See memo.h. */
struct nv_memo_entry *nv_memo_slot(struct nv_memo *memo, const struct nv_memo_key *k)
{
	uint64_t tag = tag_of(k);
	size_t first = set_of(tag), set = first / NV_MEMO_WAYS;
	size_t i = first + memo->next[set];

	memo->next[set] = (uint8_t)((memo->next[set] + 1) % NV_MEMO_WAYS);
	memo->tag[i] = tag;
	memo->e[i].key = *k;
	return &memo->e[i];
}
