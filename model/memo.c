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

/* See memo.h: the key has no padding (memo.h), its bytes compare. */
int nv_memo_key_eq(const struct nv_memo_key *x, const struct nv_memo_key *y)
{
	return !memcmp(x, y, sizeof(*x));
}
_Static_assert(sizeof(struct nv_memo_key) == sizeof(struct nv_digest) + 2 * sizeof(uint64_t) +
	       NV_VARIANT_MAX + sizeof(int32_t), "struct nv_memo_key has no padding");

/* The tag of a key (never 0): each of its words xored in and multiplied by
 * an odd constant (the state's digest is already a hash), folded once. */
static uint64_t tag_of(const struct nv_memo_key *k)
{
	uint64_t w[sizeof(*k) / 8], h = 0;

	_Static_assert(sizeof(*k) % 8 == 0, "a key is whole words");
	memcpy(w, k, sizeof(w));
	for (size_t i = 0; i < sizeof(w) / 8; i++)
		h = (h ^ w[i]) * 0x9e3779b97f4a7c15ull;
	h ^= h >> 32;
	return h | 1;
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
