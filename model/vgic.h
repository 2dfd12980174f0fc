/*
 * Nested vGIC: the guest hypervisor's list registers and L0's shadow of
 * them, as Linux arch/arm64/kvm/vgic/vgic-v3-nested.c (GICv3) and the
 * seed-era columbia/nesting-pub vgic-v2-nested.c (GICv2) do it:
 *
 *  - the guest hypervisor programs its view of the LRs: ICH_LR<n>_EL2
 *    system registers on GICv3 (trapping on v8.3, VNCR page under NV2), or
 *    the GICH MMIO interface on GICv2 (a stage-2 abort to L0 every time);
 *  - on nested entry L0 builds shadow LRs (vgic_v3_create_shadow_lr: drop
 *    LRs with no state, translate the HW bit to the host interrupt or clear
 *    it, clear EOI with HW, compact) and loads them into the hardware;
 *  - the nested VM ACKs and EOIs on the hardware LRs without trapping
 *    (pending -> active -> invalid);
 *  - on nested exit L0 syncs the LR state bits and EOIcount back
 *    (vgic_v3_put_nested) and emulates the HW bit (vgic_v3_sync_nested);
 *  - ELRSR/EISR/MISR are computed from the in-memory state
 *    (vgic_compute_mi_state, vgic_v3_get_misr) and always trap; a
 *    maintenance interrupt raised while the nested VM runs is forwarded to
 *    the guest hypervisor.
 * The LRs are kept in the GICv3 ICH_LR<n>_EL2 layout for both versions.
 */
#ifndef NVTRACE_VGIC_H
#define NVTRACE_VGIC_H

#include <stdbool.h>
#include <stdint.h>
#include "model/digest.h"
#include "model/subop.h"

#define NV_VGIC_MAX_LR 16
#define NV_VGIC_SPURIOUS 1023u

/* ICH_LR<n>_EL2 fields */
#define NV_LR_VINTID_MASK 0xffffffffull
#define NV_LR_PINTID_SHIFT 32
#define NV_LR_PINTID_MASK (0x3ffull << 32)
#define NV_LR_EOI (1ull << 41)
#define NV_LR_PRIO_SHIFT 48
#define NV_LR_GROUP (1ull << 60)
#define NV_LR_HW (1ull << 61)
#define NV_LR_PENDING (1ull << 62)
#define NV_LR_ACTIVE (1ull << 63)
#define NV_LR_STATE (NV_LR_PENDING | NV_LR_ACTIVE)

/* ICH_HCR_EL2 / ICH_VMCR_EL2 / ICH_MISR_EL2 fields */
#define NV_HCR_EN (1ull << 0)
#define NV_HCR_UIE (1ull << 1)
#define NV_HCR_LRENPIE (1ull << 2)
#define NV_HCR_NPIE (1ull << 3)
#define NV_HCR_VGRP0EIE (1ull << 4)
#define NV_HCR_VGRP0DIE (1ull << 5)
#define NV_HCR_VGRP1EIE (1ull << 6)
#define NV_HCR_VGRP1DIE (1ull << 7)
#define NV_HCR_EOICOUNT_SHIFT 27
#define NV_HCR_EOICOUNT_MASK (0x1full << 27)
#define NV_VMCR_ENG0 (1ull << 0)
#define NV_VMCR_ENG1 (1ull << 1)
#define NV_MISR_EOI (1ull << 0)
#define NV_MISR_U (1ull << 1)
#define NV_MISR_LRENP (1ull << 2)
#define NV_MISR_NP (1ull << 3)
#define NV_MISR_VGRP0E (1ull << 4)
#define NV_MISR_VGRP0D (1ull << 5)
#define NV_MISR_VGRP1E (1ull << 6)
#define NV_MISR_VGRP1D (1ull << 7)

enum nv_gic_version { NV_GIC_V2, NV_GIC_V3 };

enum nv_vgic_status_reg { NV_VGIC_ELRSR, NV_VGIC_EISR, NV_VGIC_MISR };

struct nv_vgic_stats {
	uint64_t injected, acks, eois, shadow_loads, shadow_syncs;
	uint64_t lrs_dropped, hw_translated, hw_deactivated, maint_irqs;
	uint64_t retired, repended, overflowed, underflow_mis;
};

#define NV_VGIC_MAX_QUEUED 8

struct nv_vgic {
	enum nv_gic_version gic;
	int nr_lr;                        /* implemented list registers */
	/* the guest hypervisor's view (VNCR page / L0's GICH emulation copy) */
	uint64_t lr[NV_VGIC_MAX_LR];
	uint64_t hcr, vmcr;
	/* the guest hypervisor's KVM: LRs it loaded at its last entry (its
	 * used_lrs / live_lrs, LR0..guest_used-1), whether L0 synced state
	 * back that its vgic_fold_lr_state has not seen yet, and interrupts
	 * on its ap_list that did not fit in an LR (vgic_set_underflow) */
	int guest_used;
	bool unfolded;
	uint64_t queued[NV_VGIC_MAX_QUEUED];
	int nqueued;
	/* L0's mapping of the guest hypervisor's HW interrupts to host ones */
	struct { uint32_t l1_intid, host_intid; } hwmap[8];
	int nr_hwmap;
	/* shadow state loaded into the hardware while the nested VM runs */
	uint64_t hw_lr[NV_VGIC_MAX_LR];
	uint64_t hw_hcr;
	int used_lrs;
	uint16_t lr_map;                  /* guest LRs present in the shadow */
	uint32_t l2_handled_ppis;         /* PPIs/SGIs (INTID < 32) the last l2_run took */
	bool loaded;
	struct nv_vgic_stats st;
};

/* No LR in use, ICH_HCR_EL2.En clear. nr_lr in 1..NV_VGIC_MAX_LR. */
void nv_vgic_init(struct nv_vgic *v, enum nv_gic_version gic, int nr_lr);

/* L0 maps the guest hypervisor's hardware interrupt l1_intid (e.g. its
 * vtimer PPI 27) to host_intid: HW-bit LRs naming it keep the HW bit. */
void nv_vgic_map_hw(struct nv_vgic *v, uint32_t l1_intid, uint32_t host_intid);

/* The guest hypervisor's accesses, logged as its MRS/MSR (GICv3) or GICH
 * MMIO (GICv2) operations. */
uint64_t nv_vgic_guest_read_lr(struct nv_vgic *v, int n, struct nv_subop_log *log);
void nv_vgic_guest_write_lr(struct nv_vgic *v, int n, uint64_t val, struct nv_subop_log *log);
void nv_vgic_guest_write_hcr(struct nv_vgic *v, uint64_t hcr, struct nv_subop_log *log);
uint64_t nv_vgic_guest_read_status(struct nv_vgic *v, enum nv_vgic_status_reg r,
				   struct nv_subop_log *log);

/* The guest hypervisor injects vintid into its nested VM: writes it pending
 * into its first free LR (hw: with the HW bit and physical pintid; eoi_mi:
 * ask for an EOI maintenance interrupt).  Returns the LR used, or -1. */
int nv_vgic_guest_inject(struct nv_vgic *v, uint32_t vintid, uint8_t prio, bool hw,
			 uint32_t pintid, bool eoi_mi, struct nv_subop_log *log);

/* The guest's KVM queues vintid for its nested VM (vgic_queue_irq_unlock +
 * vgic_flush_lr_state, state only: the LR write is the world switch's).
 * An interrupt already in an LR is made pending there, never put in a
 * second LR; with every LR taken it waits on the ap_list and the
 * underflow interrupt is requested (ICH_HCR_EL2.UIE).  level: a
 * level-triggered, non-HW interrupt gets the EOI bit (vgic_v3_populate_lr:
 * "if (irq->config == VGIC_CONFIG_LEVEL) val |= ICH_LR_EOI").  Returns the
 * LR or -1 when queued. */
int nv_vgic_guest_queue(struct nv_vgic *v, uint32_t vintid, uint8_t prio, bool hw,
			uint32_t pintid, bool level);
/* The guest's kvm_vgic_sync_hwstate after a nested exit: LRs with no state
 * left are retired (vgic_fold_lr_state, vgic_prune_ap_list), the rest
 * compacted from LR0, waiting interrupts move into free LRs, UIE cleared
 * when nothing waits.  Returns the number retired. */
int nv_vgic_guest_fold(struct nv_vgic *v);
/* LRs holding state (pending and/or active) in the guest's view. */
int nv_vgic_live(const struct nv_vgic *v);

/* ELRSR / EISR / MISR of the guest's in-memory state (vgic_v3_get_*). */
uint16_t nv_vgic_elrsr(const struct nv_vgic *v);
uint16_t nv_vgic_eisr(const struct nv_vgic *v);
uint64_t nv_vgic_misr(const struct nv_vgic *v);
/* Level of the guest hypervisor's maintenance interrupt (En && MISR). */
bool nv_vgic_guest_mi_level(const struct nv_vgic *v);

/* L0 on nested entry: build the shadow LRs, load them (vgic_v3_load_nested). */
void nv_vgic_nested_load(struct nv_vgic *v, struct nv_subop_log *log);
/* L0 on nested exit: save the hardware, copy state back (vgic_v3_put_nested
 * and vgic_v3_sync_nested).  Returns true if the guest hypervisor's
 * maintenance interrupt is now pending. */
bool nv_vgic_nested_put(struct nv_vgic *v, struct nv_subop_log *log);

/* The nested VM acknowledges (ICC_IAR1_EL1 / GICV_IAR): the highest
 * priority pending shadow LR becomes active.  Returns its vINTID or
 * NV_VGIC_SPURIOUS.  Never traps. */
uint32_t nv_vgic_l2_ack(struct nv_vgic *v, struct nv_subop_log *log);
/* The nested VM ends vintid (ICC_EOIR1_EL1 / GICV_EOIR, EOImode 0: drop and
 * deactivate).  Never traps.  Returns true if the hardware raised a
 * maintenance interrupt (EOI bit, or EOIcount with LRENPIE), which L0
 * forwards to the guest hypervisor (logged). */
bool nv_vgic_l2_eoi(struct nv_vgic *v, uint32_t vintid, struct nv_subop_log *log);
/* The nested VM runs between L0's shadow load and the next nested exit and
 * takes every interrupt the shadow LRs deliver: ACK, handler, EOI, highest
 * priority first (its ICC_IAR1/ICC_EOIR1 or GICV_IAR/GICV_EOIR do not
 * trap).  Returns the number handled; *mi (may be NULL) is set when the
 * hardware raised a maintenance interrupt (EOI bit, or underflow with
 * UIE once at most one LR is valid), which L0 forwards. */
int nv_vgic_l2_run(struct nv_vgic *v, struct nv_subop_log *log, bool *mi);

/* The memo's view of the vGIC (model/digest.h): every field but the statistics. */
void nv_vgic_digest(const struct nv_vgic *v, struct nv_digest *d);

const char *nv_vgic_lr_name(enum nv_gic_version gic, int n);

#endif
