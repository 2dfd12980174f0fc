/*
 * The microbenchmark suite of `nvtrace compare` and `nvtrace explain`:
 * complete nested scenarios made of profile paths (one nested exit each,
 * on a given vCPU) and sub-model steps (the nested VM's own ACK/EOI),
 * evaluated with one cost table and no per-benchmark constant.
 *
 *   hypercall    the nested VM's null HVC (path hvc)
 *   device-io    the nested VM writes a register of a device emulated in
 *                the guest hypervisor's user space (path mmio: shadow miss,
 *                L0 walk, forward, guest exit to its VMM and back)
 *   virtual-ipi  nested vCPU 0 sends an SGI (path ipi on vCPU 0); nested
 *                vCPU 1 takes it (path irq on vCPU 1: the guest hypervisor
 *                injects it, L0 shadows the LR), ACKs and EOIs it
 *   virtual-timer the nested VM's vtimer fires; delivered through the guest
 *                hypervisor (path timer), ACKed and EOIed by the nested VM
 *   virtual-eoi  the nested VM completes an active virtual interrupt
 */
#ifndef NVTRACE_BENCH_H
#define NVTRACE_BENCH_H

#include "model/model.h"

int nv_bench_count(void);
const char *nv_bench_name(int i);
const char *nv_bench_desc(int i);
int nv_bench_find(const char *name);	/* -1 if unknown */

/*
 * Evaluate benchmark i on model m from a fresh vCPU state: every op in
 * order through emit (seq numbered across the whole scenario), totals in
 * *res.  Returns 0; -1 if the profile lacks a path the benchmark needs
 * (then *missing names that exit kind) or memory runs out.
 */
int nv_bench_eval(const struct nv_model *m, int i, nv_emit_fn emit, void *arg,
		  struct nv_result *res, const char **missing);

#endif
