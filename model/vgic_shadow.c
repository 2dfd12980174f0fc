/*
 * L0's side of the nested vGIC: shadow LRs built from the guest
 * hypervisor's on nested entry and synced back on exit (vgic_v3_load_nested,
 * vgic_v3_put_nested, vgic_v3_sync_nested), and the nested VM's ACK and EOI
 * on the hardware LRs, which never trap.
 */
#include <stddef.h>
#include "model/vgic.h"

/* Hardware registers L0 touches, per GIC version (GICv2: GICH MMIO). */
enum hw_reg { HW_HCR, HW_VMCR, HW_ELRSR, HW_MISR, HW_VTR, HW_AP0R0, HW_AP1R0, HW__COUNT };
static const char *const hw_name[HW__COUNT][2] = {
	[HW_HCR] = { "GICH_HCR", "ICH_HCR_EL2" },
	[HW_VMCR] = { "GICH_VMCR", "ICH_VMCR_EL2" },
	[HW_ELRSR] = { "GICH_ELRSR0", "ICH_ELRSR_EL2" },
	[HW_MISR] = { "GICH_MISR", "ICH_MISR_EL2" },
	[HW_VTR] = { "GICH_VTR", "ICH_VTR_EL2" },
	[HW_AP0R0] = { "GICH_APR", "ICH_AP0R0_EL2" },
	[HW_AP1R0] = { NULL, "ICH_AP1R0_EL2" }, /* GICv2 has one APR */
};

/* Log one of L0's own accesses to the hardware interface (native). */
static void hw_op(const struct nv_vgic *v, struct nv_subop_log *log, int write, const char *name)
{
	if (name)
		nv_subop_emit(log, NV_SUB_VGIC, v->gic == NV_GIC_V3 ? NV_SUBOP_L0_SYSREG
								    : NV_SUBOP_L0_MMIO, write, name, 1);
}

static const char *hw(const struct nv_vgic *v, enum hw_reg r)
{
	return hw_name[r][v->gic == NV_GIC_V3];
}

/* L0's host interrupt for the guest hypervisor's hardware interrupt, or -1. */
static long host_intid(const struct nv_vgic *v, uint32_t l1_intid)
{
	for (int i = 0; i < v->nr_hwmap; i++)
		if (v->hwmap[i].l1_intid == l1_intid)
			return v->hwmap[i].host_intid;
	return -1;
}

/* vgic_v3_create_shadow_lr: keep LRs with state, translate or drop the HW
 * bit, clear EOI with HW ("illegal"), compact. */
static void create_shadow_lrs(struct nv_vgic *v)
{
	int index = 0;

	v->lr_map = 0;
	for (int i = 0; i < v->nr_lr; i++) {
		uint64_t lr = v->lr[i];

		if (!(lr & NV_LR_STATE)) {
			v->st.lrs_dropped += lr != 0;
			continue;
		}
		if (lr & NV_LR_HW) {
			long host = host_intid(v, (uint32_t)((lr & NV_LR_PINTID_MASK) >> NV_LR_PINTID_SHIFT));

			if (host < 0) {
				lr &= ~NV_LR_HW;
			} else {
				lr &= ~(NV_LR_EOI | NV_LR_PINTID_MASK);
				lr |= ((uint64_t)host << NV_LR_PINTID_SHIFT) & NV_LR_PINTID_MASK;
				v->st.hw_translated++;
			}
		}
		v->hw_lr[index++] = lr;
		v->lr_map |= (uint16_t)(1u << i);
	}
	for (int j = index; j < v->nr_lr; j++)
		v->hw_lr[j] = 0;
	v->used_lrs = index;
}

/* Nested entry: shadow state, then __vgic_v3_restore_vmcr_aprs and
 * __vgic_v3_restore_state on the hardware. */
void nv_vgic_nested_load(struct nv_vgic *v, struct nv_subop_log *log)
{
	uint64_t translated = v->st.hw_translated;

	create_shadow_lrs(v);
	v->hw_hcr = v->hcr;
	nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_L0_WORK, -1, v->st.hw_translated > translated
		      ? "vgic_v3_create_shadow_lr (HW bit kept: pINTID -> host interrupt)"
		      : "vgic_v3_create_shadow_lr", 1);
	hw_op(v, log, 1, hw(v, HW_VMCR));
	hw_op(v, log, 0, hw(v, HW_VTR));
	hw_op(v, log, 1, hw(v, HW_AP0R0));
	hw_op(v, log, 1, hw(v, HW_AP1R0));
	if (v->used_lrs) {
		hw_op(v, log, 1, hw(v, HW_HCR));
		for (int j = 0; j < v->used_lrs; j++)
			hw_op(v, log, 1, nv_vgic_lr_name(v->gic, j));
	}
	v->loaded = true;
	v->st.shadow_loads++;
}

/* Nested exit: save the hardware (__vgic_v3_save_vmcr_aprs,
 * __vgic_v3_save_state), copy state bits and EOIcount back through lr_map,
 * emulate the HW bit (deactivate the guest hypervisor's interrupt). */
bool nv_vgic_nested_put(struct nv_vgic *v, struct nv_subop_log *log)
{
	int j = 0;

	if (!v->loaded)
		return nv_vgic_guest_mi_level(v);
	hw_op(v, log, 0, hw(v, HW_VTR));
	hw_op(v, log, 0, hw(v, HW_AP0R0));
	hw_op(v, log, 0, hw(v, HW_AP1R0));
	hw_op(v, log, 0, hw(v, HW_VMCR));
	if (v->used_lrs) {
		hw_op(v, log, 0, hw(v, HW_ELRSR));
		hw_op(v, log, 1, hw(v, HW_HCR));
		for (int k = 0; k < v->used_lrs; k++) {
			if (v->hw_lr[k] & NV_LR_STATE) /* not empty in ELRSR: read it */
				hw_op(v, log, 0, nv_vgic_lr_name(v->gic, k));
			hw_op(v, log, 1, nv_vgic_lr_name(v->gic, k));
		}
	}
	v->hcr = (v->hcr & ~NV_HCR_EOICOUNT_MASK) | (v->hw_hcr & NV_HCR_EOICOUNT_MASK);
	for (int i = 0; i < v->nr_lr; i++) {
		if (!(v->lr_map & (1u << i)))
			continue;
		if ((v->lr[i] & NV_LR_HW) && (v->lr[i] & NV_LR_STATE) && !(v->hw_lr[j] & NV_LR_STATE))
			v->st.hw_deactivated++; /* vgic_v3_sync_nested */
		v->lr[i] = (v->lr[i] & ~NV_LR_STATE) | (v->hw_lr[j] & NV_LR_STATE);
		v->hw_lr[j++] = 0;
	}
	nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_L0_WORK, -1, "vgic_v3_put_nested (sync LR state back)", 1);
	v->lr_map = 0;
	v->used_lrs = 0;
	v->loaded = false;
	v->unfolded = true;
	v->st.shadow_syncs++;
	return nv_vgic_guest_mi_level(v);
}

/* The GIC's choice on ACK: highest priority (lowest value) pending LR. */
uint32_t nv_vgic_l2_ack(struct nv_vgic *v, struct nv_subop_log *log)
{
	int best = -1;

	nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_L2_NATIVE, 0,
		      v->gic == NV_GIC_V3 ? "ICC_IAR1_EL1" : "GICV_IAR", 1);
	for (int j = 0; j < v->used_lrs; j++) {
		uint64_t lr = v->hw_lr[j];

		if ((lr & NV_LR_STATE) != NV_LR_PENDING)
			continue;
		if (best < 0 || (lr >> NV_LR_PRIO_SHIFT & 0xff) < (v->hw_lr[best] >> NV_LR_PRIO_SHIFT & 0xff))
			best = j;
	}
	if (best < 0)
		return NV_VGIC_SPURIOUS;
	v->hw_lr[best] = (v->hw_lr[best] & ~NV_LR_STATE) | NV_LR_ACTIVE;
	v->st.acks++;
	return (uint32_t)(v->hw_lr[best] & NV_LR_VINTID_MASK);
}

/* Maintenance condition of the hardware (shadow) state: EOI of an LR that
 * asked for it, or an EOI with no LR while LRENPIE is set. */
static bool hw_maintenance(const struct nv_vgic *v, bool eoi_lr)
{
	if (!(v->hw_hcr & NV_HCR_EN))
		return false;
	return eoi_lr || ((v->hw_hcr & NV_HCR_LRENPIE) && (v->hw_hcr & NV_HCR_EOICOUNT_MASK));
}

/* EOImode 0: priority drop and deactivation in one write. */
bool nv_vgic_l2_eoi(struct nv_vgic *v, uint32_t vintid, struct nv_subop_log *log)
{
	bool eoi_lr = false, found = false;

	nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_L2_NATIVE, 1,
		      v->gic == NV_GIC_V3 ? "ICC_EOIR1_EL1" : "GICV_EOIR", 1);
	v->st.eois++;
	for (int j = 0; j < v->used_lrs && !found; j++) {
		uint64_t *lr = &v->hw_lr[j];

		if (!(*lr & NV_LR_ACTIVE) || (*lr & NV_LR_VINTID_MASK) != vintid)
			continue;
		found = true;
		*lr &= ~NV_LR_ACTIVE;
		eoi_lr = !(*lr & (NV_LR_STATE | NV_LR_HW)) && (*lr & NV_LR_EOI);
	}
	if (!found) { /* EOI of an interrupt no LR holds: EOIcount++ */
		uint64_t c = ((v->hw_hcr & NV_HCR_EOICOUNT_MASK) >> NV_HCR_EOICOUNT_SHIFT) + 1;

		v->hw_hcr = (v->hw_hcr & ~NV_HCR_EOICOUNT_MASK) |
			    ((c << NV_HCR_EOICOUNT_SHIFT) & NV_HCR_EOICOUNT_MASK);
	}
	if (!hw_maintenance(v, eoi_lr))
		return false;
	/* vgic_v3_handle_nested_maint_irq: L0 takes the MI, pends the guest
	 * hypervisor's MI and disables the hardware interface. */
	v->st.maint_irqs++;
	hw_op(v, log, 0, hw(v, HW_MISR));
	nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_L0_WORK, -1, "inject maintenance IRQ into the guest hypervisor", 1);
	hw_op(v, log, 1, hw(v, HW_HCR));
	v->hw_hcr &= ~NV_HCR_EN;
	return true;
}

/* Shadow LRs still holding state (valid in the hardware's ELRSR sense). */
static int hw_valid(const struct nv_vgic *v)
{
	int n = 0;

	for (int j = 0; j < v->used_lrs; j++)
		n += (v->hw_lr[j] & NV_LR_STATE) != 0;
	return n;
}

/* The nested VM takes what the shadow LRs deliver: each pending one is
 * acknowledged and completed (EOImode 0).  An underflow maintenance
 * interrupt (UIE, at most one valid LR) is raised by the hardware too. */
int nv_vgic_l2_run(struct nv_vgic *v, struct nv_subop_log *log, bool *mi)
{
	int handled = 0;
	bool raised = false;

	v->l2_handled_ppis = 0;
	while (handled < v->used_lrs) {
		bool pending = false;

		for (int j = 0; j < v->used_lrs; j++)
			pending |= (v->hw_lr[j] & NV_LR_STATE) == NV_LR_PENDING;
		if (!pending)
			break;
		uint32_t intid = nv_vgic_l2_ack(v, log);
		if (intid < 32)
			v->l2_handled_ppis |= 1u << intid;
		raised |= nv_vgic_l2_eoi(v, intid, log);
		handled++;
		if (raised) /* L0 cleared En: the nested VM exits to its hypervisor */
			break;
	}
	if (!raised && handled && (v->hw_hcr & NV_HCR_EN) && (v->hw_hcr & NV_HCR_UIE) &&
	    hw_valid(v) <= 1) {
		/* ICH_MISR_EL2.U: L0 takes it and forwards it as for an EOI MI */
		v->st.maint_irqs++;
		v->st.underflow_mis++;
		hw_op(v, log, 0, hw(v, HW_MISR));
		nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_L0_WORK, -1,
			      "underflow maintenance IRQ: inject into the guest hypervisor", 1);
		hw_op(v, log, 1, hw(v, HW_HCR));
		v->hw_hcr &= ~NV_HCR_EN;
		raised = true;
	}
	if (mi)
		*mi = raised;
	return handled;
}

/* See vgic.h: the statistics are last in struct nv_vgic. */
void nv_vgic_digest(const struct nv_vgic *v, struct nv_digest *d)
{
	nv_digest_bytes(d, v, offsetof(struct nv_vgic, st));
}
