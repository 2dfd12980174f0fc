/*
 * The one reader of the replay results (schema/sql/002-replay.sql: replays,
 * replay_archs, kind_totals; 005, 006: exit_rows, exit_outcomes).  replay.c
 * writes them (and finds the row a new replay replaces); every view and
 * command reads them through this file, never with its own SQL.
 */
#ifndef NVTRACE_RESULTS_H
#define NVTRACE_RESULTS_H

#include <stdint.h>
#include "schema/db.h"
#include "replay/replay.h"

/* One stored replay, as the pictures pick it. */
struct nv_results_replay {
	int64_t id;
	uint64_t exits;			/* rows of nested_exits */
	int64_t ts_first, ts_last;	/* the run's time span, ns */
	char guest[256], cost[64];
	/* "guest G, cost C, mode M, N nested exits (incomplete a+b, unmatched u, unmodelled m)" */
	char desc[512];
};

/*
 * The latest replay, or the latest with this guest and cost (NULL: any).
 * 0, or -1 with one line in err (no replays, none with these settings).
 */
int nv_results_pick(struct nvdb *db, const char *guest, const char *cost,
		    struct nv_results_replay *r, char *err, size_t errlen);

/*
 * The architectures of a replay in column order, as the model spells them
 * (static strings); the count, or -1 with err (an unknown one, none).
 */
int nv_results_archs(struct nvdb *db, int64_t replay, const char **arch, int max,
		     char *err, size_t errlen);

/* One stored nested exit with its cost under one architecture. */
struct nv_results_exit {
	int64_t seq;
	int vcpu;
	int64_t ts_start, ts_end;	/* -1 when unknown */
	int kind;			/* 0..NV_KIND__COUNT; out of range reads as NV_KIND_OTHER */
	uint64_t traps, cycles;
	uint64_t observed;		/* guest-hypervisor traps the trace shows (observed_traps) */
};

/*
 * The stored exits of a replay in the order they ended, with the costs of
 * column arch_idx (replay_archs.idx).  upto > 0: only the exits of exit
 * upto's vCPU, up to it.  NULL with err.
 */
struct nv_results_iter;
struct nv_results_iter *nv_results_exits(struct nvdb *db, int64_t replay, int arch_idx,
					 int64_t upto, char *err, size_t errlen);
/* The next exit: 1, 0 at the end, -1 with err. */
int nv_results_next(struct nv_results_iter *it, struct nv_results_exit *e, char *err, size_t errlen);
void nv_results_iter_free(struct nv_results_iter *it);

/*
 * Load the stored results of a replay with these settings; 1 found, 0 not
 * found (or the database predates replays), -1 error.
 */
int nv_replay_load(struct nvdb *db, const struct nv_replay_opts *o,
		   struct nv_replay_result *res);

/* Index of architecture name in a result, -1 if absent. */
int nv_results_arch_index(const struct nv_replay_result *r, const char *name);

/*
 * Results that cover vm and the n architectures asked: a stored replay of
 * the default set or of exactly vm+ARCH..., else a new replay (the default
 * set when it covers them, so later calls find it).  w: what-if edits (NULL:
 * none), stored under their own guest key.  0, or -1 with err.
 */
int nv_results_get(struct nvdb *db, char **archs, int n, const char *guest, const char *cost,
		   const struct nv_whatif *w, const struct nv_progress *progress,
		   struct nv_replay_result *r, char *err, size_t errlen);

#endif
