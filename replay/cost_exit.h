/*
 One nested exit through every architecture's model (replay/cost_exit.c):
 * what the sequential driver (replay.c) and the -j workers (parallel.c) share.
 */
#ifndef NVTRACE_COST_EXIT_H
#define NVTRACE_COST_EXIT_H

#include <stddef.h>
#include <stdint.h>
#include "model/model.h"
#include "replay/models.h"
#include "replay/result.h"

/* Sub-model state of one vCPU under each architecture. */
struct vcpu_models {
	int32_t vcpu;
	struct nv_vcpu *v[NV_REPLAY_MAX_ARCH];
};

/* The vCPUs seen so far (few), the last one looked up first. */
struct vcpu_table {
	struct vcpu_models *vm;
	size_t n, cap, last;
};

/* The sub-model states of a vCPU, created on first sight; NULL on ENOMEM. */
struct vcpu_models *nv_vcpu_table_get(struct vcpu_table *t, const struct nv_models *ms,
				      int32_t vcpu);
/* Free every state of the table (the table itself is the caller's); their
 * memo counts are added to *sum (NULL: dropped). */
void nv_vcpu_table_free(struct vcpu_table *t, const struct nv_models *ms,
			struct nv_memo_stats *sum);

/* The memo of per-exit results (model.h nv_vcpu_memo) as the environment
 * asks: on unless NVTRACE_REPLAY_MEMO=0; "verify" evaluates every hit too
 * and counts the differences (tests: the replay then fails on one). */
int nv_replay_memo_mode(void);

/* One nested exit and its cost on every architecture: a row of nested_exits. */
struct exit_row {
	int64_t pos;			/* storage position of the event that closed it */
	int64_t ts_start, ts_end;
	int32_t vcpu, kind, cause, nested;
	uint32_t traps, host_irqs;
	uint64_t t[NV_REPLAY_MAX_ARCH], cy[NV_REPLAY_MAX_ARCH];
};

/* Cost one exit on every architecture: its row, and the totals of res.
 * -1 when a vCPU's state cannot be allocated. */
int nv_replay_cost_exit(const struct nv_models *ms, int stateless, struct vcpu_table *vt,
			const struct nv_nested_exit *x, struct nv_replay_result *res,
			struct exit_row *row);

/* Store one row (the caller numbers it). */
typedef int (*nv_row_fn)(void *arg, const struct exit_row *row);

#endif
