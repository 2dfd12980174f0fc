/*
 * struct nv_vcpu (opaque in model.h): the per-vCPU state of the stateful
 * sub-models, as the sub-model hook (submodel.c) and the microbenchmarks
 * (microbench.c) use it.  The shadow stage-2 pool is VM-wide in Linux; a vCPU
 * here owns a two-vCPU VM's pool so that a virtual IPI has a target.
 * A new vCPU is running its nested VM (the state a nested exit starts from).
 */
#ifndef NVTRACE_VCPU_H
#define NVTRACE_VCPU_H

#include <stddef.h>
#include "model/model.h"
#include "model/memo.h"
#include "model/s2mmu.h"
#include "model/timer.h"
#include "model/vgic.h"

/* The nested VM's memory layout in the guest hypervisor's stage 2. */
#define NV_VCPU_RAM_IPA 0x40000000ull   /* first page of the nested VM's RAM */
#define NV_VCPU_RAM_L1 0x100000000ull   /* where the guest hypervisor backs it */
#define NV_VCPU_RAM_PAGES 16
#define NV_VCPU_DEV_IPA 0x0a000000ull   /* an emulated device register: unmapped */
#define NV_VCPU_IPI_SGI 3u              /* the SGI a virtual IPI sends */
#define NV_VCPU_LEVEL_SPI 48u           /* a level-triggered device line (SPI) */
#define NV_VCPU_NR_LR 4                 /* GIC-400 and most GICv3 CPUs: 4 LRs */
#define NV_VCPU_TICK_NS 4000000ull      /* the guest hypervisor's tick before the trace shows one: HZ=250 (Debian arm64) */

/*
 * The state every sub-model step reads or writes is all of this struct
 * above `now`; the memo (model/memo.h) keys on its digest:
 *  - the sub-models' structs and the vCPU's own fields (id .. before the
 *    times): their bytes (a new field there is in the key by construction);
 *  - the times (ns of the trace) and durations between vtimer_last and now,
 *    listed in NV_VCPU_TIMES / NV_VCPU_DURATIONS, and the timers' CVALs: not
 *    their values but where each time lies against now and which are zero
 *    (steps compare times with now; an exit that stores times is kept with
 *    them as an affine function of the times before and the clock: vcpu.c).
 */
struct nv_vcpu {
	struct s2mmu *mmu;
	struct nv_timers timers;
	struct nv_vgic vgic;
	int id;             /* this vCPU in the mmu's VM (0) */
	int gic_chosen;     /* vGIC version set from the profile yet */
	uint32_t last_ack;  /* vINTID the nested VM acknowledged last */
	uint64_t s2_fault_ipa;  /* the page of the last forwarded stage-2 fault, 0 if none */
	uint32_t s2_next_page;  /* demand paging: how many pages faulted in so far */
	/* ---- times: when the nested VM's vtimer and the guest hypervisor's
	 * own tick (hvtimer) last fired, and their periods as the trace shows */
	uint64_t vtimer_last, vtimer_period, hvtimer_last, hvtimer_period;
	/* ---- not state: the clock, caches, the memo ---- */
	uint64_t now;       /* model time for the timers (ns of the trace) */
	/* register-table indexes of the sub-models' register names, keyed by
	 * the (static) name pointer: the per-exit path avoids name lookups */
	struct { const char *name; int16_t idx; } regcache[64];
	int nregcache;
	/* the digest of the state as the last step left it (valid while
	 * digest_ok: every step clears it, model.c), and of its shadow stage-2
	 * part, of the mmu's generation mmu_gen (s2mmu_touch) */
	struct nv_digest digest, mmu_digest;
	int digest_ok;
	uint64_t mmu_gen;
	struct nv_memo *memo;   /* per-exit results by state, NULL: off (model/memo.c) */
	const struct nv_memo_entry *memo_check; /* verify mode: the hit being checked */
	uint64_t memo_pred[NV_MEMO_NTIMES]; /* verify mode: the times it predicts */
};

/* The vCPU's time fields and durations (from vtimer_last up to now). */
#define NV_VCPU_TIMES(X) X(vtimer_last) X(hvtimer_last)
#define NV_VCPU_DURATIONS(X) X(vtimer_period) X(hvtimer_period)
#define NV_VCPU_TIME_ONE(f) + 1
#define NV_VCPU_NTIMES (NV_TIMER__COUNT NV_VCPU_TIMES(NV_VCPU_TIME_ONE) \
			NV_VCPU_DURATIONS(NV_VCPU_TIME_ONE))

/* The digest of v's state but its times (cached while no step ran), and
 * where its stored times lie against now and which times are zero: with
 * it, the memo's key for v. */
const struct nv_digest *nv_vcpu_digest(struct nv_vcpu *v);
uint64_t nv_vcpu_time_rel(const struct nv_vcpu *v);

/* The bytes of the state a step can change but the shadow stage 2: the
 * timers, the vGIC, the vCPU's own fields, its times and the clock. */
#define NV_VCPU_STATE_OFF offsetof(struct nv_vcpu, timers)
#define NV_VCPU_STATE_BYTES (offsetof(struct nv_vcpu, now) + sizeof(uint64_t) - NV_VCPU_STATE_OFF)

/* The memo (model.h nv_vcpu_memo) on v, for the model's fast path: the key
 * of evaluating kind/sel with model m now; what the state was before the
 * evaluation; a remembered exit (1: *res, and v in the state it left; 0:
 * evaluate, then nv_vcpu_memo_put); keeping an evaluated exit when it left
 * the shadow stage 2 as it was: with its times as they were, or, when it
 * stored times (a timed exit), with the times after measured as an affine
 * function of the times before and the clock: rerun(arg, v, res) evaluates
 * the exit again on v (memo not consulted) from perturbed times. */
struct nv_memo_before {
	struct nv_digest mmu;
	uint64_t times[NV_VCPU_NTIMES];
	unsigned char state[NV_VCPU_STATE_BYTES];
};
typedef int (*nv_memo_rerun_fn)(void *arg, struct nv_vcpu *v, struct nv_result *res);
void nv_vcpu_memo_key(struct nv_vcpu *v, const void *m, int kind,
		      const struct nv_variant_sel *sel, struct nv_memo_key *k);
void nv_vcpu_memo_before(const struct nv_vcpu *v, struct nv_memo_before *b);
int nv_vcpu_memo_get(struct nv_vcpu *v, const struct nv_memo_key *k, struct nv_result *res);
void nv_vcpu_memo_put(struct nv_vcpu *v, const struct nv_memo_key *k,
		      const struct nv_memo_before *b, const struct nv_result *res,
		      nv_memo_rerun_fn rerun, void *arg);

/* Every time and duration of v (the timers' CVALs, NV_VCPU_TIMES, _DURATIONS),
 * and setting them back. */
void nv_vcpu_times(const struct nv_vcpu *v, uint64_t t[NV_VCPU_NTIMES]);
void nv_vcpu_set_times(struct nv_vcpu *v, const uint64_t t[NV_VCPU_NTIMES]);

/* nv_sysreg_by_name through the vCPU's cache. */
int nv_vcpu_reg(struct nv_vcpu *v, const char *name);

/* Pick the vGIC version the guest hypervisor programs from the profile's
 * "gic v2|v3" line (nv_profile_gic).  Done once, on first use. */
void nv_vcpu_configure(struct nv_vcpu *v, const struct nv_profile *p);

#endif
