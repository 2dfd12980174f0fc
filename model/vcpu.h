/*
 * struct nv_vcpu (opaque in model.h): the per-vCPU state of the stateful
 * sub-models, as the sub-model hook (submodel.c) and the microbenchmarks
 * (microbench.c) use it.  The shadow stage-2 pool is VM-wide in Linux; a vCPU
 * here owns a two-vCPU VM's pool so that a virtual IPI has a target.
 * A new vCPU is running its nested VM (the state a nested exit starts from).
 */
#ifndef NVTRACE_VCPU_H
#define NVTRACE_VCPU_H

#include "model/model.h"
#include "model/s2mmu.h"
#include "model/timer.h"
#include "model/vgic.h"

/* The nested VM's memory layout in the guest hypervisor's stage 2. */
#define NV_VCPU_RAM_IPA 0x40000000ull   /* first page of the nested VM's RAM */
#define NV_VCPU_RAM_L1 0x100000000ull   /* where the guest hypervisor backs it */
#define NV_VCPU_RAM_PAGES 16
#define NV_VCPU_DEV_IPA 0x0a000000ull   /* an emulated device register: unmapped */
#define NV_VCPU_IPI_SGI 3u              /* the SGI a virtual IPI sends */
#define NV_VCPU_NR_LR 4                 /* GIC-400 and most GICv3 CPUs: 4 LRs */

struct nv_vcpu {
	struct s2mmu *mmu;
	struct nv_timers timers;
	struct nv_vgic vgic;
	int id;             /* this vCPU in the mmu's VM (0) */
	int gic_chosen;     /* vGIC version set from the profile yet */
	uint64_t now;       /* model time for the timers (cycles) */
	uint32_t last_ack;  /* vINTID the nested VM acknowledged last */
	/* register-table indexes of the sub-models' register names, keyed by
	 * the (static) name pointer: the per-exit path avoids name lookups */
	struct { const char *name; int16_t idx; } regcache[64];
	int nregcache;
};

/* nv_sysreg_by_name through the vCPU's cache. */
int nv_vcpu_reg(struct nv_vcpu *v, const char *name);

/* Pick the vGIC version the guest hypervisor programs: GICv2 (GICH MMIO)
 * for the seed-era profiles on X-Gene, GICv3 otherwise; a profile option
 * "gicv2" overrides.  Done once, on first use. */
void nv_vcpu_configure(struct nv_vcpu *v, const struct nv_profile *p);

#endif
