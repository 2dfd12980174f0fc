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

#define NV_VALIDATE_HIST 128	/* trap counts per exit kept for the modal (last: more) */
#define NV_VALIDATE_MAX_VARIANTS 24

/* The exits of one kind that took one path variant. */
struct nv_validate_variant {
	struct nv_variant_sel sel;
	char label[64];
	uint64_t count, observed, predicted;
	uint64_t off;			/* exits whose observed traps differ from the prediction */
	uint32_t obs_hist[NV_VALIDATE_HIST], pred_hist[NV_VALIDATE_HIST];
};

struct nv_validate_kind {
	uint64_t count;
	uint64_t unmodelled, unmodelled_traps;	/* exits the profile cannot cost, their traps */
	uint64_t unlearned, unlearned_traps;	/* "variants exhaustive": exits selecting none
						   (not in the figures above or below) */
	uint64_t off;
	uint32_t obs_hist[NV_VALIDATE_HIST], pred_hist[NV_VALIDATE_HIST];
	int nvar;
	struct nv_validate_variant var[NV_VALIDATE_MAX_VARIANTS];
	uint64_t observed, predicted;	/* traps, summed over the kind's nested exits */
	uint64_t host_irqs;
	int nops;
	struct nv_validate_op op[NV_VALIDATE_MAX_OPS];
};

struct nv_validate_result {
	enum nv_recon_mode mode;
	struct nv_recon_stats st;
	int64_t unmodelled;		/* exits of kinds the profile has no path for */
	uint64_t unmodelled_traps;	/* their observed traps */
	uint64_t unlearned, unlearned_traps;	/* exits no learned variant matches, their traps */
	uint64_t total_traps;		/* observed traps of every counted exit */
	struct nv_validate_kind kind[NV_KIND__COUNT];
};

/* The modal value of a histogram (the smallest on ties). */
int nv_validate_modal(const uint32_t *hist);

/* Run the validation pass; 0, or -1 with err. */
int nv_validate_run(struct nvdb *db, const char *arch, const char *guest, const char *cost,
		    const struct nv_progress *progress, struct nv_validate_result *res, char *err, size_t errlen);

/* The path variant of one nested exit, from its observed traps (validate.c). */
void nv_replay_select_variant(const struct nv_profile *p, const struct nv_nested_exit *x,
			      struct nv_variant_sel *sel);

#endif
