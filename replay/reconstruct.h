/*
 * Nested-exit reconstruction: one streaming pass over a run's events in
 * time order cuts them into nested exits, per vCPU.
 *
 *   arm64 nested runs   kvm_inject_nested_exception (from the nested VM,
 *                       not from vEL2 itself) opens, kvm_nested_eret closes;
 *                       every TRAP kvm_exit between is a guest-hypervisor
 *                       trap, named by EC and by register (kvm_sys_access /
 *                       kvm_forward_sysreg_trap).
 *   x86 nested runs     kvm_nested_vmexit_inject opens, kvm_nested_vmenter
 *                       closes; kvm_exit between are the guest hypervisor's.
 *   single-level runs   every VM exit is replayed as the nested exit of a
 *                       "what if this VM ran nested" run.
 *
 * Memory is per vCPU only (a small table, each slot holding the open exit
 * and its traps), so it does not grow with the trace.  Incomplete spans are
 * counted, never emitted.
 */
#ifndef NVTRACE_RECONSTRUCT_H
#define NVTRACE_RECONSTRUCT_H

#include <stdint.h>
#include "schema/event.h"
#include "replay/kinds.h"

enum nv_recon_mode {
	NV_RECON_ARM64_NESTED,
	NV_RECON_X86_NESTED,
	NV_RECON_ARM64_SINGLE,	/* single-level VM on an arm64 host */
	NV_RECON_X86_SINGLE,	/* single-level VM on an x86 host (or kvm_pvm) */
};

/* One observed trap of the guest hypervisor. */
struct nv_trap {
	int32_t code;		/* arm64 EC, or x86 exit reason */
	int32_t sysreg;		/* NV_SYSREG() when the trace names it, else -1 */
	int32_t dir;		/* 1 write, 0 read, -1 unknown */
	uint64_t pc;		/* the guest hypervisor's PC (kvm_exit vcpu_pc), 0 unknown */
};

/* Traps kept per nested exit; more are counted but not listed. */
#define NV_RECON_TRAPS_MAX 1024

struct nv_nested_exit {
	int32_t vcpu;		/* thread id on arm64; vCPU id on x86 when known */
	int64_t ts_start;	/* the nested VM's exit (or the injection) */
	int64_t ts_end;		/* the nested VM runs again */
	enum nv_kind kind;
	int32_t cause;		/* EC / exit reason / event type that gave the kind */
	int nested;		/* 1 real nested exit, 0 VM exit replayed as nested */
	uint32_t traps;		/* observed guest-hypervisor traps */
	uint32_t host_irqs;	/* interrupt exits to L0 during it (not traps) */
	uint32_t ntrap;		/* entries of trap[] (<= NV_RECON_TRAPS_MAX) */
	const struct nv_trap *trap;
};

struct nv_recon_stats {
	int64_t events;			/* events fed */
	int64_t exits;			/* complete nested exits emitted */
	int64_t incomplete_start;	/* closed before the trace saw it open */
	int64_t incomplete_end;		/* still open when the trace ended */
	int64_t unmatched;		/* open/close out of order (lost events) */
	int64_t self_injections;	/* exceptions vEL2 took from itself */
	int64_t outside_exits;		/* nested run: exits outside nested exits */
	int64_t vcpus;
};

typedef void (*nv_recon_fn)(void *ctx, const struct nv_nested_exit *x);

struct nv_recon;

/* A reconstructor calling fn for every complete nested exit. NULL on ENOMEM. */
struct nv_recon *nv_recon_new(enum nv_recon_mode mode, nv_recon_fn fn, void *ctx);
void nv_recon_feed(struct nv_recon *r, const struct nv_event *ev);
/* End of the trace: spans still open become incomplete_end. */
void nv_recon_finish(struct nv_recon *r);
const struct nv_recon_stats *nv_recon_stats(const struct nv_recon *r);
void nv_recon_free(struct nv_recon *r);

/*
 * Whether reconstruction reads events of this type at all (the others,
 * e.g. kvm_timer_save_state, need not be read: a filter for the scan).
 */
int nv_recon_wants(enum nv_event_type t);

/* The mode for a trace: nested if nesting events are present, else single-level. */
enum nv_recon_mode nv_recon_mode_for(int arm64_host, int has_arm_nesting, int has_x86_nesting);

#endif
