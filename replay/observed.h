/*
 * What a nested run's traps were, as observed: every guest-hypervisor trap
 * of every complete nested exit, grouped by (trap = EC + register +
 * direction, PC), with the kinds it occurs in; and per kind the distinct
 * trap sequences (for `profile from`).  One scan of the run.  The symbol
 * table (optional) names the function of each PC.
 */
#ifndef NVTRACE_OBSERVED_H
#define NVTRACE_OBSERVED_H

#include "replay/replay.h"
#include "collector/symtab.h"

/* One trap site: an operation at one PC. */
struct nv_obs_site {
	struct nv_trap trap;		/* code, sysreg, dir, pc */
	const struct nv_sym *sym;	/* the function, NULL without symbols */
	uint64_t count;			/* over all nested exits */
	uint64_t per_kind[NV_KIND__COUNT];
};

#define NV_OBS_MAX_SEQS 256	/* distinct sequences kept per kind */

/* One distinct trap sequence of a kind (PCs included) and how often it occurs. */
struct nv_obs_seq {
	uint64_t count;
	uint32_t n;
	struct nv_trap *trap;
};

struct nv_observed {
	enum nv_recon_mode mode;
	struct nv_recon_stats st;
	uint64_t exits[NV_KIND__COUNT];
	uint64_t traps[NV_KIND__COUNT];		/* observed, summed */
	size_t nsite;
	struct nv_obs_site *site;
	int nseq[NV_KIND__COUNT];
	struct nv_obs_seq seq[NV_KIND__COUNT][NV_OBS_MAX_SEQS];
	uint64_t seq_other[NV_KIND__COUNT];	/* exits whose sequence did not fit */
	size_t pcs, resolved;			/* distinct trap PCs; in a symbol */
};

/* Scan a nested arm64 run; 0, or -1 with err.  syms may be NULL. */
int nv_observed_run(struct nvdb *db, const struct nv_symtab *syms,
		    const struct nv_progress *progress, struct nv_observed *out,
		    char *err, size_t errlen);
void nv_observed_free(struct nv_observed *o);

/* Same operation (EC, register, direction), PC ignored. */
int nv_trap_same_op(const struct nv_trap *a, const struct nv_trap *b);

#endif
