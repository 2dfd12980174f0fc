/*
 * Exit statistics of a run, like `perf kvm stat report`: per exit reason,
 * the count and the time from each exit to the vCPU's next entry.
 *
 * What an exit and its time are depends on the events the host had:
 *  - kvm_exit present (arm64, x86 VMX/SVM): an exit is a kvm_exit; its
 *    reason is the exception type (arm64; "TRAP <EC>" for traps) or the
 *    exit reason name (x86); its time ends at the next kvm_entry of the
 *    same thread.  An exit with no entry after it is counted, not timed.
 *  - no kvm_exit (x86 kvm_pvm here): an exit starts at the first of
 *    kvm_emulate_insn / kvm_msr / kvm_cpuid / kvm_hypercall / kvm_pio /
 *    kvm_mmio / kvm_userspace_exit of a thread; a more specific one that
 *    follows names it (access > msr/cpuid/hypercall > emulated instruction;
 *    a userspace exit alone gives "KVM_EXIT_*").  It ends at re-entry:
 *    kvm_fpu load (KVM_RUN entered again) or kvm_entry; or, when the guest
 *    trapped again without leaving KVM, at the next exit of the thread.
 * vCPUs: the vcpu id when events carry it, else threads numbered in order of
 * their first exit.
 */
#ifndef NVTRACE_STAT_CALC_H
#define NVTRACE_STAT_CALC_H

#include <stdint.h>
#include "schema/db.h"

struct stat_row {
	char reason[48];
	int64_t count, timed;
	int64_t total_ns, min_ns, max_ns;
	double mean, m2;	/* Welford running mean and squared deviations */
};

struct stat_table {
	int vcpu;		/* -1 for all vCPUs */
	int pid;		/* the vCPU's thread, -1 for all */
	int nrows, cap;
	struct stat_row *rows;
	int64_t count;
};

struct stat_result {
	const char *mode;	/* "kvm_exit" or "userspace" */
	struct stat_table all;
	int nvcpu;
	struct stat_table *vcpus;
};

/* Compute the statistics of a run; 0 ok, -1 on a database error. */
int stat_compute(struct nvdb *db, struct stat_result *r);
void stat_free(struct stat_result *r);

enum stat_sort { SORT_COUNT, SORT_TIME, SORT_MAX, SORT_MEAN };
void stat_sort(struct stat_table *t, enum stat_sort by);

double stat_stddev(const struct stat_row *row);

#endif
