/*
 * The replay driver: read a run's events once, cut them into nested exits
 * (reconstruct.h), ask the model what each costs on every architecture, and
 * store the results in the run database (schema/sql/002-replay.sql).
 */
#ifndef NVTRACE_REPLAY_H
#define NVTRACE_REPLAY_H

#include <stdint.h>
#include "schema/db.h"
#include "model/model.h"
#include "model/whatif.h"
#include "replay/kinds.h"
#include "replay/progress_cb.h"
#include "replay/reconstruct.h"
#include "replay/defaults.h"
#include "replay/models.h"
#include "replay/result.h"
#include "replay/scan.h"
#include "replay/parallel.h"

#define NV_REPLAY_DEFAULT_ARCHS "vm,v8.3,neve,v8.4"
#define NV_REPLAY_DEFAULT_GUEST NV_DEFAULT_GUEST
#define NV_REPLAY_DEFAULT_COST  NV_DEFAULT_COST

struct nv_replay_opts {
	const char *archs;	/* comma-separated */
	const char *guest;	/* builtin profile name, or a profile file */
	const char *cost;
	const struct nv_progress *progress;	/* NULL: quiet */
	int stateless;		/* evaluate every exit on its own, like explain: no
				 * sub-model state carried from a vCPU's earlier exits */
	const struct nv_whatif *whatif;	/* what-if edits (--set, --vncr ...), NULL: none */
	int jobs;		/* threads, vCPUs split between them (results are the
				 * same for any number); 0: the machine's cores */
};


/*
 * The unmodelled share of a replay: nested exits of kinds no architecture
 * could cost (the profile has no path) and their observed traps, and the
 * totals to divide by.
 */
void nv_replay_unmodelled(const struct nv_replay_result *r, uint64_t *exits, uint64_t *traps,
			  uint64_t *all_exits, uint64_t *all_traps);

/* "unmodelled: E of N nested exits (x%), T of U observed traps (y%)" (replay, compare, validate, flame). */
void nv_unmodelled_line(uint64_t exits, uint64_t traps, uint64_t all_exits, uint64_t all_traps,
			char *buf, size_t len);

/* Replay and store (one transaction, replacing a replay with the same settings). */
int nv_replay_run(struct nvdb *db, const struct nv_replay_opts *o,
		  struct nv_replay_result *res, char *err, size_t errlen);

#endif
