/*
 * Timers of a vCPU with virtual EL2: the EL1 virtual and physical timers
 * (CNTV_*, CNTP_*) and the EL2 hyp timers (CNTHV_*, CNTHP_*), as Linux
 * arch/arm64/kvm/arch_timer.c runs them:
 *
 *  - get_timer_map: with NV, in vEL2 the guest hypervisor's hyp timers run
 *    on the hardware EL1 timers (direct = HVTIMER/HPTIMER) and the nested
 *    VM's EL1 timers are emulated by L0 with hrtimers (emulated =
 *    VTIMER/PTIMER); while the nested VM runs it is the reverse.  Without
 *    NV: VHE host, both EL1 timers direct; nVHE host, vtimer direct and
 *    ptimer emulated.
 *  - every vEL2 <-> nested VM switch is a vcpu put/load: the direct timers
 *    are saved (CTL, CVAL read, CTL cleared, CNTVOFF zeroed) and the new
 *    direct ones restored (CNTVOFF, CVAL, CTL written), emulated ones get
 *    their hrtimer cancelled / started (kvm_timer_vcpu_put/load).
 *  - a timer that fires is delivered by route: to the guest hypervisor for
 *    itself, or to the guest hypervisor for it to inject into the nested VM.
 */
#ifndef NVTRACE_TIMER_H
#define NVTRACE_TIMER_H

#include <stdbool.h>
#include <stdint.h>
#include "model/digest.h"
#include "model/subop.h"

/* Linux's enum kvm_arch_timers order. */
enum nv_timer_id { NV_TIMER_P, NV_TIMER_V, NV_TIMER_HV, NV_TIMER_HP, NV_TIMER__COUNT };

#define NV_TIMER_NONE (-1)
#define NV_CNT_CTL_ENABLE 1ull
#define NV_CNT_CTL_IMASK  2ull
#define NV_CNT_CTL_ISTATUS 4ull

struct nv_timer_map {
	int direct_vtimer, direct_ptimer; /* on the hardware EL1 timers */
	int emul_vtimer, emul_ptimer;     /* hrtimers in L0; NV_TIMER_NONE if none */
};

struct nv_timer_ctx {
	uint64_t ctl, cval;
	bool loaded;        /* state is in the hardware timer */
	bool hrtimer;       /* L0 soft timer armed for it */
	bool irq_level;     /* interrupt line asserted */
};

enum nv_timer_route {
	NV_TIMER_TO_VM,          /* a plain VM's own timer (no NV) */
	NV_TIMER_TO_GUEST_HYP,   /* the guest hypervisor's own interrupt */
	NV_TIMER_VIA_GUEST_HYP,  /* the nested VM's: the guest hypervisor injects it */
};

struct nv_timer_fire {
	enum nv_timer_id id;
	unsigned ppi;             /* 30, 27, 28, 26 */
	bool emulated;            /* raised by an L0 hrtimer, not by hardware */
	enum nv_timer_route route;
	bool forces_exit;         /* the nested VM runs: exit to the guest hypervisor */
};

struct nv_timer_stats {
	uint64_t switches, saves, restores, hrtimer_starts, hrtimer_cancels, fired;
};

struct nv_timers {
	bool has_nv;        /* vCPU has EL2 (nested virtualization) */
	bool host_vhe;      /* L0 runs with VHE (only matters without NV) */
	bool in_hyp;        /* vCPU is at vEL2 (is_hyp_ctxt) */
	bool loaded;        /* between vcpu load and put */
	struct nv_timer_ctx t[NV_TIMER__COUNT];
	struct nv_timer_stats st;
};

/* A vCPU's timers, all disabled; with NV it starts in vEL2; not loaded. */
void nv_timers_init(struct nv_timers *t, bool has_nv, bool host_vhe);

/* get_timer_map for the current context. */
void nv_timer_get_map(const struct nv_timers *t, struct nv_timer_map *map);

/* kvm_timer_vcpu_load / kvm_timer_vcpu_put, logging L0's register work. */
void nv_timer_vcpu_load(struct nv_timers *t, uint64_t now, struct nv_subop_log *log);
void nv_timer_vcpu_put(struct nv_timers *t, struct nv_subop_log *log);

/* Switch between vEL2 and the nested VM (a put, the context change, a load),
 * as kvm_emulate_nested_eret and kvm_inject_nested do. */
void nv_timer_switch(struct nv_timers *t, bool to_hyp, uint64_t now, struct nv_subop_log *log);

/* The vCPU programs a timer (CTL and CVAL). */
void nv_timer_program(struct nv_timers *t, enum nv_timer_id id, uint64_t ctl, uint64_t cval);

/* Timers that fire at time now (enabled, unmasked, CVAL <= now, line not
 * yet asserted); fills up to max entries of out, returns how many. */
int nv_timer_expire(struct nv_timers *t, uint64_t now, struct nv_timer_fire *out, int max);

/* The guest deactivated timer id's interrupt: the line drops (the guest
 * reprogrammed or masked it; here simply cleared). */
void nv_timer_ack(struct nv_timers *t, enum nv_timer_id id);

/* The memo's view of the timers (model/digest.h): every field but the
 * statistics and the CVALs (times: the vCPU's key says where they lie
 * against now, model/vcpu.c nv_vcpu_time_rel). */
void nv_timers_digest(const struct nv_timers *t, struct nv_digest *d);

/* Register names of a timer (hardware-independent, as the vCPU names them). */
const char *nv_timer_ctl_name(enum nv_timer_id id);
const char *nv_timer_cval_name(enum nv_timer_id id);
const char *nv_timer_name(enum nv_timer_id id);
unsigned nv_timer_ppi(enum nv_timer_id id);

#endif
