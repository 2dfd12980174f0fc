/*
 * The one default guest-hypervisor profile and cost table of every command,
 * and their choice for a run: a synthetic run says which ones made it; a
 * recorded nested arm64 run shows whether its guest hypervisor runs with
 * VHE (HCR_EL2.E2H in the state L0 logs at each nested exception and ERET).
 */
#ifndef NVTRACE_DEFAULTS_H
#define NVTRACE_DEFAULTS_H

#include <stddef.h>
#include "schema/db.h"

#define NV_DEFAULT_GUEST "kvm-vhe"	/* today's KVM as a guest hypervisor (VHE) */
#define NV_DEFAULT_COST  "xgene"

/* Where a run's default came from, for the output headers. */
struct nv_run_defaults {
	char guest[256];
	char cost[64];
	const char *why;	/* "synthetic run", "guest HCR_EL2.E2H=1", "default" */
};

/* The guest profile and cost table for this run when the user named none. */
void nv_run_defaults(struct nvdb *db, struct nv_run_defaults *d);

/*
 * What a run's replayed exits are called, by reconstruction mode name: a
 * nested run's are "nested exits"; a single-level VM's exits are replayed
 * as if they were a nested VM's, and are not called nested.
 */
const char *nv_exits_label(const char *mode_name);

#endif
