/*
 Replay -j N: vCPUs split between threads (replay/parallel.c).
 */
#ifndef NVTRACE_PARALLEL_H
#define NVTRACE_PARALLEL_H

#include "schema/db.h"
#include "replay/progress_cb.h"
#include "replay/reconstruct.h"
#include "replay/cost_exit.h"
#include "replay/scan.h"

#define NV_REPLAY_MAX_JOBS 64

/*
 * -j N: split the run's vCPUs into up to jobs parts, scan and cost each on a
 * thread of its own, and hand the rows to store in the order one pass gives
 * (by the position of the event that closed them), from this thread.  Adds
 * the totals to res and the reconstruction counts to st.  0, -1, or 1 when
 * the run is not stored in time order (the caller rolls back what was stored
 * and reads it sorted).
 */
int nv_replay_parallel(struct nvdb *db, enum nv_recon_mode mode, const struct nv_models *ms,
		       int stateless, int jobs, nv_row_fn store, void *arg,
		       struct nv_replay_result *res, struct nv_recon_stats *st,
		       const struct nv_progress *progress);

#endif
