/*
 * Synthetic runs: a workload shape (workload.h) turned into the canonical
 * events an arm64 host would record, stored like a recorded run with meta
 * synthetic=1.  Deterministic: the same options give the same events.
 *
 * Without a host architecture the run is a single-level VM (kvm_exit,
 * detail events, kvm_entry).  With one, every exit is a nested exit as a
 * real L0 of that architecture records it: the nested VM's exit, then
 * kvm_inject_nested_exception, then one kvm_exit (+ kvm_sys_access) per
 * guest-hypervisor operation the model says traps, then kvm_nested_eret.
 */
#ifndef NVTRACE_SYNTH_H
#define NVTRACE_SYNTH_H

#include <stddef.h>
#include <stdint.h>
#include "replay/progress_cb.h"

struct nv_synth_opts {
	const char *workload;	/* name or file */
	double seconds;
	int vcpus;
	uint64_t seed;
	const char *arch_host;	/* NULL: single-level VM */
	const char *guest;	/* guest-hypervisor profile (with arch_host) */
	const char *cost;
	const char *out;
	const struct nv_progress *progress;	/* NULL: quiet */
};

/* Build the run; 0 (events written in *events), or -1 with err. */
int nv_synth_run(const struct nv_synth_opts *o, int64_t *events, char *err, size_t errlen);

#endif
