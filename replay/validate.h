/*
 * Validation: the traps a real (or synthetic) nested arm64 run shows in each
 * nested exit, against the traps the model predicts for that host's
 * architecture and guest hypervisor; per kind and per operation.
 */
#ifndef NVTRACE_VALIDATE_H
#define NVTRACE_VALIDATE_H

#include "replay/replay.h"

#define NV_VALIDATE_MAX_OPS 512		/* distinct trapping operations per kind */

/* One trapping operation's totals within a kind. */
struct nv_validate_op {
	struct nv_trap trap;
	uint64_t observed, predicted;
};

struct nv_validate_kind {
	uint64_t count;
	uint64_t observed, predicted;	/* traps, summed over the kind's nested exits */
	uint64_t host_irqs;
	int nops;
	struct nv_validate_op op[NV_VALIDATE_MAX_OPS];
};

struct nv_validate_result {
	enum nv_recon_mode mode;
	struct nv_recon_stats st;
	int64_t unmodelled;		/* exits of kinds the profile has no path for */
	struct nv_validate_kind kind[NV_KIND__COUNT];
};

/* Run the validation pass; 0, or -1 with err. */
int nv_validate_run(struct nvdb *db, const char *arch, const char *guest, const char *cost,
		    const struct nv_progress *progress, struct nv_validate_result *res, char *err, size_t errlen);

#endif
