/*
 * nvtrace profile from: a guest-hypervisor profile learned from a nested
 * run.  The exits of each kind are grouped by the traps they show (the
 * multiset of operations: register + direction, or EC); each frequent
 * group becomes a path variant whose signature selects exactly that group
 * among the run's groups, and whose sequence is the group's most frequent
 * observed order (functions when the run has symbols, ERET last).  The
 * profile says "variants exhaustive": an exit that selects no variant
 * matched no learned group, and validate reports it apart.  It is marked
 * as observed on the host's architecture.  What it cannot know: every
 * access the host did not trap (on NV2, those the VNCR page turned into
 * memory, and everything native) is absent, so it answers questions about
 * the trapping operations on that architecture only (docs/advise.md).
 */
#ifndef NVTRACE_PROFILE_LEARN_H
#define NVTRACE_PROFILE_LEARN_H

#include "replay/observed.h"

struct nv_learn_opts {
	const char *name;	/* profile name */
	const char *arch;	/* the host architecture it was observed on */
	const char *run;	/* the run's file name, for the header */
	int vhe;		/* mode of the guest hypervisor (1: vhe) */
};

#define NV_LEARN_MIN_EXITS 2	/* a group of fewer exits is learned only as a kind's modal one */
/*
 * Variants learned at most: a kind's path picks its variant through an
 * if/else chain of nested "use" lines, one level per variant, and the model
 * expands at most 8 levels (model.c MAX_USE_DEPTH); never more than the
 * format allows either.
 */
#define NV_LEARN_MAX_VARIANTS (NV_VARIANT_MAX < 8 ? NV_VARIANT_MAX : 8)

/* One learned variant: a group of exits with the same traps. */
struct nv_learn_var {
	char name[24];
	uint32_t traps;				/* traps of one exit of the group */
	uint64_t exits[NV_KIND__COUNT];		/* the group's exits per kind */
};

/* What was learned, per kind. */
struct nv_learn_kind {
	uint64_t exits, learned;	/* the kind's exits; those in a learned group */
	uint32_t groups_left;		/* groups not learned (rare, or not expressible) */
	uint32_t skipped;		/* traps the format cannot express (commented) */
	uint32_t not_trap;		/* written ops the model would not trap on arch */
	int fallback;			/* variant its plain path costs, -1 if none */
	int nvar, var[NV_VARIANT_MAX];	/* the variants its path reads, most of its exits first */
};

struct nv_learned {
	int nvar;
	struct nv_learn_var var[NV_VARIANT_MAX];
	struct nv_learn_kind kind[NV_KIND__COUNT];
};

/*
 * Write the profile text for an observed run into a malloc'ed string
 * (*text, *len); what was learned into *l.  The text is parsed back and
 * checked against the run (each learned group selects exactly its variant,
 * every other group none): 0, or -1 with err.
 */
int nv_learn_profile(const struct nv_observed *o, const struct nv_learn_opts *opt,
		     char **text, size_t *len, struct nv_learned *l, char *err, size_t errlen);

#endif
