/*
 * nvtrace profile from: a guest-hypervisor profile learned from a nested
 * run -- per kind, the most frequent observed trap sequence (registers,
 * directions, functions when the run has symbols, ERET) as a path, marked
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

/* What was learned, per kind. */
struct nv_learn_kind {
	uint64_t exits, covered;	/* the kind's exits; those with exactly the learned sequence */
	uint32_t traps;			/* traps of the learned sequence */
	uint32_t skipped;		/* observed traps the profile format cannot express */
	uint32_t not_trap;		/* ops the model would not trap on arch (warned) */
};

/*
 * Write the profile text for an observed run into a malloc'ed string
 * (*text, *len); per-kind figures into k[].  0, or -1 with err.
 */
int nv_learn_profile(const struct nv_observed *o, const struct nv_learn_opts *opt,
		     char **text, size_t *len, struct nv_learn_kind k[NV_KIND__COUNT],
		     char *err, size_t errlen);

#endif
