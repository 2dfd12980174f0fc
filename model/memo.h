/*
 * The table of the per-exit memo (model/memo.c): remembered exits, by key,
 * a fixed number per table so its memory does not grow with the run.  What
 * a key holds and when an exit may be kept is the vCPU's business
 * (model/vcpu.c: nv_vcpu_memo_get / nv_vcpu_memo_put, model.h nv_vcpu_memo).
 * A table may be shared by the vCPU states of one thread; entries name the
 * model by address: a table must not outlive a model it was filled with.
 */
#ifndef NVTRACE_MEMO_H
#define NVTRACE_MEMO_H

#include "model/model.h"
#include "model/digest.h"
#include "model/timer.h"
#include "model/vgic.h"

/* What a remembered exit is looked up by. */
struct nv_memo_key {
	struct nv_digest state;	/* nv_vcpu_digest */
	uint64_t time_rel;	/* nv_vcpu_time_rel */
	const void *model;
	uint8_t sel[NV_VARIANT_MAX];	/* the variant values */
	int32_t kind;
};

/* The times of a vCPU's state (vcpu.h NV_VCPU_NTIMES: the timers' CVALs,
 * NV_VCPU_TIMES, NV_VCPU_DURATIONS), and with the clock as the last input. */
#define NV_MEMO_NTIMES 8
#define NV_MEMO_NIN (NV_MEMO_NTIMES + 1)
#define NV_MEMO_TERMS 12	/* terms of a timed entry's times after (runs: <= 8) */
#define NV_MEMO_DIFF 16		/* words of the state an entry changes (runs: <= 9) */

/*
 * A remembered exit: its result and the state it left, as the words of the
 * vCPU's state (vcpu.h NV_VCPU_STATE_OFF: timers, vGIC, its own fields; the
 * times and statistics aside) that differ from the state before, which the
 * key determines.  A timed exit (one that stores times: a timer re-armed
 * from the clock) keeps the times after as an affine function of the times
 * before and the clock, measured where it was evaluated: each time j in
 * `moved` is t1[j] + the sum of c * (in[i] - t0[i]) over its terms
 * (in[NV_MEMO_NTIMES]: the clock), the others stay as they were; a hit
 * needs the predicted times to lie against the clock as the measured ones
 * did (rel_after: no timer crossed).
 */
struct nv_memo_entry {	/* what every hit reads first */
	struct nv_memo_key key;
	struct nv_digest after;		/* the state's digest after the exit */
	uint8_t timed, moved, nterm, ndiff;
	uint16_t doff[NV_MEMO_DIFF];	/* the changed words (their index) */
	uint64_t dval[NV_MEMO_DIFF];	/* and their values after */
	struct nv_result res;
	struct { uint8_t j, i; int8_t c; } term[NV_MEMO_TERMS];
	uint64_t rel_after;		/* nv_vcpu_time_rel after the exit */
	uint64_t t0[NV_MEMO_NIN];	/* the times before and the clock, measured */
	uint64_t t1[NV_MEMO_NTIMES];	/* the times after, measured */
};

/* verify: hits are to be evaluated all the same and compared (the caller
 * reads it with nv_memo_verify). */
struct nv_memo *nv_memo_new(int verify);
/* One more user (vCPU states of one thread may share a table). */
struct nv_memo *nv_memo_ref(struct nv_memo *memo);
/* Drop one user; the last frees it. */
void nv_memo_free(struct nv_memo *memo);
int nv_memo_verify(const struct nv_memo *memo);

int nv_memo_key_eq(const struct nv_memo_key *x, const struct nv_memo_key *y);
/* The entry holding k, NULL if none (not counted); with prev (an entry
 * nv_memo_find returned), the next one after it (timed entries of one key
 * differ in where their times fall against the clock). */
const struct nv_memo_entry *nv_memo_find(const struct nv_memo *memo, const struct nv_memo_key *k,
					 const struct nv_memo_entry *prev);
/* The entry k is to be written to (the oldest of its set), keyed k. */
struct nv_memo_entry *nv_memo_slot(struct nv_memo *memo, const struct nv_memo_key *k);
/* The table's counts, for its users to update and read. */
struct nv_memo_stats *nv_memo_stats_of(struct nv_memo *memo);

#endif
