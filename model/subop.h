/*
 * Operations emitted by the stateful sub-models (shadow stage-2 MMU, timers,
 * nested vGIC).  A sub-model changes its own state and appends, to a log the
 * caller owns, what that change costs as operations: a guest hypervisor's
 * MRS/MSR of an ICH_* / CNT* register, its MMIO to GICH, its TLBI, L0's
 * software stage-2 walk, L0's own register accesses at EL2, other L0
 * emulation work.  Each operation is tagged with the sub-model it came from.
 * Whether an operation traps is NOT decided here: the architecture decides
 * the fate of guest-hypervisor operations; L0 and nested-VM operations are
 * native by construction.
 *
 * Pure computation: no I/O, no globals.  The log is a caller-provided array;
 * a NULL log means "update state only".
 */
#ifndef NVTRACE_SUBOP_H
#define NVTRACE_SUBOP_H

#include <stdint.h>

enum nv_sub_id { NV_SUB_S2MMU, NV_SUB_TIMER, NV_SUB_VGIC, NV_SUB__COUNT };

enum nv_subop_kind {
	NV_SUBOP_GH_MRS,     /* guest hypervisor (vEL2) reads a system register */
	NV_SUBOP_GH_MSR,     /* guest hypervisor (vEL2) writes a system register */
	NV_SUBOP_GH_MMIO_RD, /* guest hypervisor reads GICH (GICv2): stage-2 abort */
	NV_SUBOP_GH_MMIO_WR, /* guest hypervisor writes GICH (GICv2) */
	NV_SUBOP_GH_TLBI,    /* guest hypervisor TLB maintenance instruction */
	NV_SUBOP_GH_MEM,     /* guest hypervisor plain memory write (its S2 tables) */
	NV_SUBOP_L2_TRAP,    /* the nested VM traps to L0 (stage-2 abort, IRQ) */
	NV_SUBOP_L2_NATIVE,  /* nested VM instruction that does not trap (ICC_IAR1) */
	NV_SUBOP_L0_SYSREG,  /* L0 at EL2 reads/writes a hardware register */
	NV_SUBOP_L0_MMIO,    /* L0 reads/writes the hardware GICH interface */
	NV_SUBOP_L0_S2_WALK, /* L0 software walk of the guest's S2: n descriptor reads */
	NV_SUBOP_L0_WORK,    /* other L0 emulation work (shadow LR build, hrtimer...) */
	NV_SUBOP_L0_FORWARD, /* L0 forwards an exception to vEL2 (emulated entry) */
	NV_SUBOP__COUNT
};

/* One operation.  name is a register name ("ICH_LR0_EL2", "GICH_LR0"),
 * a TLBI name ("TLBI IPAS2E1IS") or a short name of L0 work; it points to
 * static storage.  n is a repeat count (descriptor reads for a walk, 1
 * otherwise).  dir is 1 for a write, 0 for a read, -1 when meaningless. */
struct nv_subop {
	uint8_t sub;       /* enum nv_sub_id */
	uint8_t kind;      /* enum nv_subop_kind */
	int8_t dir;
	uint16_t n;
	const char *name;
};

struct nv_subop_log {
	struct nv_subop *op; /* caller's array */
	unsigned cap;        /* its size */
	unsigned len;        /* operations stored */
	unsigned dropped;    /* operations that did not fit */
};

/* Start an empty log over the caller's array. */
void nv_subop_log_init(struct nv_subop_log *log, struct nv_subop *ops, unsigned cap);

/* Append one operation (log may be NULL: nothing is recorded). */
void nv_subop_emit(struct nv_subop_log *log, enum nv_sub_id sub,
		   enum nv_subop_kind kind, int dir, const char *name, unsigned n);

/* Names for printing. */
const char *nv_sub_name(enum nv_sub_id sub);
const char *nv_subop_kind_name(enum nv_subop_kind kind);

/* Number of operations of one kind in a log (tests, summaries). */
unsigned nv_subop_count(const struct nv_subop_log *log, enum nv_subop_kind kind);

#endif
