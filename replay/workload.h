/*
 * Workload shapes for nvtrace synth, read from examples/workloads/NAME.txt:
 *
 *   # comment
 *   name    netperf-rr
 *   about   one line saying what runs
 *   source  where the numbers come from, or "assumption: ..."
 *   rate    20000          nested-VM exits per second per vCPU
 *   mix     mmio 0.45      one line per kind: its share (normalised)
 */
#ifndef NVTRACE_WORKLOAD_H
#define NVTRACE_WORKLOAD_H

#include <stddef.h>
#include "replay/kinds.h"

struct nv_workload {
	char name[64];
	char about[256];
	char source[512];
	double rate;			/* exits per second per vCPU */
	double share[NV_KIND__COUNT];	/* normalised to sum 1 */
};

/* Parse a workload file's text; 0, or -1 with "line N: problem" in err. */
int nv_workload_parse(const char *text, struct nv_workload *w, char *err, size_t errlen);

/*
 * Load workload NAME: NAME itself when it is a file, else NAME.txt in the
 * workloads directory (NVTRACE_WORKLOADS, ./examples/workloads, the
 * installed share/nvtrace/examples/workloads).  0, or -1 with err.
 */
int nv_workload_load(const char *name, struct nv_workload *w, char *err, size_t errlen);

#endif
