/*
 * nvtrace advise: what the guest hypervisor's traps cost on a nested run
 * and what would remove them.  Observed side: every trap of every nested
 * exit, grouped by register or instruction, then by direction and function
 * (or PC without symbols), ranked by traps, priced with the model's cost of one trap; why it
 * traps on the host's architecture (the control bit of the model's register
 * table).  Model side: every remedy the model can evaluate (an L0 trap
 * control off, the register in the VNCR page or redirected, the guest
 * hypervisor caching or deferring the access, another architecture),
 * each recomputed by a replay of the same run with that what-if edit, so
 * its figures are exactly what `compare`/`replay` print with the same edit.
 */
#ifndef NVTRACE_ADVISE_H
#define NVTRACE_ADVISE_H

#include "replay/observed.h"

/* Where in the guest hypervisor a function runs (from its name; one list in advise.c). */
enum nv_advise_ctx { NV_CTX_UNKNOWN, NV_CTX_SWITCH, NV_CTX_PUTLOAD, NV_CTX_OTHER, NV_CTX__COUNT };
const char *nv_advise_ctx_name(enum nv_advise_ctx c);
enum nv_advise_ctx nv_advise_ctx_of(const char *function);	/* NULL: unknown */

/* The kinds of remedy, in the order a tie is broken (the smaller change first). */
enum nv_remedy_kind { NV_REM_L0_CTL, NV_REM_VNCR, NV_REM_REDIRECT, NV_REM_GUEST, NV_REM_ARCH };
const char *nv_remedy_kind_name(enum nv_remedy_kind k);

/* One remedy and the model's whole-run figures before and after it. */
struct nv_advise_remedy {
	uint8_t kind;			/* enum nv_remedy_kind */
	char label[64];			/* "set tda=0", "vncr MDSCR_EL1", "arch neve" */
	char what[128];			/* what it means */
	struct nv_whatif edit;		/* the edit (empty for an arch switch) */
	char arch[16];			/* the architecture the figures are for */
	/* model, whole run; traps as compare counts them (the nested VM's
	 * forwarded exception included) */
	uint64_t traps_before, traps_after, cycles_before, cycles_after;
	double per_exit_before[NV_KIND__COUNT], per_exit_after[NV_KIND__COUNT];
	/* the same per exit without the forwarded exception: the guest hypervisor's traps */
	double gh_before[NV_KIND__COUNT], gh_after[NV_KIND__COUNT];
	int64_t unmodelled;		/* exits of kinds the profile has no path for */
};

#define NV_ADVISE_MAX_DETAIL 32
#define NV_ADVISE_MAX_REMEDY 5

/* One (direction, function or PC) of a group. */
struct nv_advise_detail {
	int32_t dir;
	const struct nv_sym *sym;	/* NULL: pc only */
	uint64_t pc;			/* the first PC seen (of the function) */
	uint64_t count;
	uint8_t ctx;			/* enum nv_advise_ctx */
};

/* One register or instruction: the ranked unit. */
struct nv_advise_group {
	struct nv_trap op;		/* code and sysreg; dir -1 */
	char name[40];			/* "MDSCR_EL1", "ERET", "DABT_LOW" */
	uint64_t count, cycles;		/* observed traps; their estimated cycles */
	uint64_t reads, writes;
	uint64_t per_kind[NV_KIND__COUNT];
	char why[160];
	int ndetail;
	struct nv_advise_detail detail[NV_ADVISE_MAX_DETAIL];
	int nremedy;
	int remedy[NV_ADVISE_MAX_REMEDY];	/* indices into nv_advise.remedy */
};

/* The traps of one context (e.g. vcpu_put/vcpu_load) per kind. */
struct nv_advise_ctx_sum {
	uint64_t per_kind[NV_KIND__COUNT];
	uint64_t count, cycles;
	char functions[512];		/* comma list */
};

#define NV_ADVISE_MAX_REMEDIES 64

struct nv_advise {
	char arch[16], guest[256], cost[64];	/* the host the run is read as */
	struct nv_observed obs;
	int have_symbols;
	int learned;				/* the profile is one 'profile from' wrote */
	uint64_t exits, traps, cycles;		/* observed: nested exits, traps, est. cycles */
	int ngroup;
	struct nv_advise_group *group;		/* ranked: most traps, then most cycles, first */
	int nremedy;
	struct nv_advise_remedy remedy[NV_ADVISE_MAX_REMEDIES];
	int best;				/* index of the largest cycle saving, -1 (not an
						 * architecture switch with a learned profile) */
	struct nv_advise_ctx_sum ctx[NV_CTX__COUNT];
};

struct nv_advise_opts {
	const char *arch, *guest, *cost;	/* host architecture, profile, cost table */
	const struct nv_whatif *whatif;		/* the user's edits: on every figure */
	const struct nv_symtab *syms;		/* NULL: PCs only */
	const struct nv_progress *progress;
};

/* Cycles of one observed trap at m's cost of a trap in the L0 handler it lands in. */
uint64_t nv_advise_trap_cycles(const struct nv_model *m, const struct nv_trap *t);

/* Compute everything (replays the run once per distinct remedy); 0, or -1 with err. */
int nv_advise_run(struct nvdb *db, const struct nv_advise_opts *o, struct nv_advise *a,
		  char *err, size_t errlen);
void nv_advise_free(struct nv_advise *a);

#endif
