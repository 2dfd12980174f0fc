/*
 What a replay computes, per kind and architecture: filled by the replay
 * driver (replay.c, cost_exit.c, parallel.c), read by compare and validate.
 */
#ifndef NVTRACE_RESULT_H
#define NVTRACE_RESULT_H

#include <stdint.h>
#include "model/model.h"
#include "replay/kinds.h"
#include "replay/reconstruct.h"
#include "replay/models.h"

/* What a replay found and computed (also what compare prints). */
struct nv_replay_result {
	int64_t id;			/* replays.id */
	enum nv_recon_mode mode;
	struct nv_recon_stats st;
	int64_t lost_events, unmodelled;
	int64_t ts_first, ts_last;	/* the run's time span, ns (0, 0 if unknown) */
	int narch;
	char arch[NV_REPLAY_MAX_ARCH][16];
	uint64_t exits[NV_KIND__COUNT];
	uint64_t observed[NV_KIND__COUNT];	/* observed guest-hypervisor traps */
	uint64_t traps[NV_REPLAY_MAX_ARCH][NV_KIND__COUNT];
	uint64_t cycles[NV_REPLAY_MAX_ARCH][NV_KIND__COUNT];
	uint64_t handler_traps[NV_REPLAY_MAX_ARCH][NV_H__COUNT];
	struct nv_memo_stats memo;	/* the per-exit memo, all vCPUs and archs */
};

#endif
