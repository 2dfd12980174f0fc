/*
 * The guest hypervisor's side of the nested vGIC: its list registers and
 * control registers as L0 keeps them, its accesses (system registers on
 * GICv3, GICH MMIO on GICv2), and the status registers L0 computes from
 * them (vgic_compute_mi_state, vgic_v3_get_misr in vgic-v3-nested.c).
 */
#include <string.h>
#include "model/vgic.h"

enum ctl_reg { REG_HCR, REG_VMCR, REG_ELRSR, REG_EISR, REG_MISR, REG__COUNT };

/* Register names as the guest hypervisor (and L0's hardware accesses) use
 * them: GICv3 ICH_* system registers, GICv2 GICH_* MMIO registers. */
static const char *const ctl_name[REG__COUNT][2] = {
	[REG_HCR] = { "GICH_HCR", "ICH_HCR_EL2" },
	[REG_VMCR] = { "GICH_VMCR", "ICH_VMCR_EL2" },
	[REG_ELRSR] = { "GICH_ELRSR0", "ICH_ELRSR_EL2" },
	[REG_EISR] = { "GICH_EISR0", "ICH_EISR_EL2" },
	[REG_MISR] = { "GICH_MISR", "ICH_MISR_EL2" },
};

static const char *const lr_names[2][NV_VGIC_MAX_LR] = {
	{ "GICH_LR0", "GICH_LR1", "GICH_LR2", "GICH_LR3", "GICH_LR4", "GICH_LR5",
	  "GICH_LR6", "GICH_LR7", "GICH_LR8", "GICH_LR9", "GICH_LR10", "GICH_LR11",
	  "GICH_LR12", "GICH_LR13", "GICH_LR14", "GICH_LR15" },
	{ "ICH_LR0_EL2", "ICH_LR1_EL2", "ICH_LR2_EL2", "ICH_LR3_EL2", "ICH_LR4_EL2",
	  "ICH_LR5_EL2", "ICH_LR6_EL2", "ICH_LR7_EL2", "ICH_LR8_EL2", "ICH_LR9_EL2",
	  "ICH_LR10_EL2", "ICH_LR11_EL2", "ICH_LR12_EL2", "ICH_LR13_EL2",
	  "ICH_LR14_EL2", "ICH_LR15_EL2" },
};

const char *nv_vgic_lr_name(enum nv_gic_version gic, int n)
{
	return lr_names[gic == NV_GIC_V3][n];
}

void nv_vgic_init(struct nv_vgic *v, enum nv_gic_version gic, int nr_lr)
{
	memset(v, 0, sizeof(*v));
	v->gic = gic;
	v->nr_lr = nr_lr < 1 ? 1 : nr_lr > NV_VGIC_MAX_LR ? NV_VGIC_MAX_LR : nr_lr;
}

void nv_vgic_map_hw(struct nv_vgic *v, uint32_t l1_intid, uint32_t host_intid)
{
	if (v->nr_hwmap < (int)(sizeof(v->hwmap) / sizeof(v->hwmap[0])))
	{
		v->hwmap[v->nr_hwmap].l1_intid = l1_intid;
		v->hwmap[v->nr_hwmap++].host_intid = host_intid;
	}
}

/* Log one guest-hypervisor access: MRS/MSR on GICv3, MMIO on GICv2. */
static void guest_op(const struct nv_vgic *v, struct nv_subop_log *log, int write, const char *name)
{
	enum nv_subop_kind k = v->gic == NV_GIC_V3 ? (write ? NV_SUBOP_GH_MSR : NV_SUBOP_GH_MRS)
						   : (write ? NV_SUBOP_GH_MMIO_WR : NV_SUBOP_GH_MMIO_RD);
	nv_subop_emit(log, NV_SUB_VGIC, k, write, name, 1);
}

uint64_t nv_vgic_guest_read_lr(struct nv_vgic *v, int n, struct nv_subop_log *log)
{
	guest_op(v, log, 0, nv_vgic_lr_name(v->gic, n));
	return v->lr[n];
}

void nv_vgic_guest_write_lr(struct nv_vgic *v, int n, uint64_t val, struct nv_subop_log *log)
{
	guest_op(v, log, 1, nv_vgic_lr_name(v->gic, n));
	v->lr[n] = val;
}

void nv_vgic_guest_write_hcr(struct nv_vgic *v, uint64_t hcr, struct nv_subop_log *log)
{
	guest_op(v, log, 1, ctl_name[REG_HCR][v->gic == NV_GIC_V3]);
	v->hcr = hcr;
}

/* A status register read: always a trap, computed by L0 from memory. */
uint64_t nv_vgic_guest_read_status(struct nv_vgic *v, enum nv_vgic_status_reg r,
				   struct nv_subop_log *log)
{
	static const enum ctl_reg reg_of[] = {
		[NV_VGIC_ELRSR] = REG_ELRSR, [NV_VGIC_EISR] = REG_EISR, [NV_VGIC_MISR] = REG_MISR,
	};

	guest_op(v, log, 0, ctl_name[reg_of[r]][v->gic == NV_GIC_V3]);
	return r == NV_VGIC_ELRSR ? nv_vgic_elrsr(v) : r == NV_VGIC_EISR ? nv_vgic_eisr(v)
									  : nv_vgic_misr(v);
}

/* The guest's KVM fills the first LR with no state. */
int nv_vgic_guest_inject(struct nv_vgic *v, uint32_t vintid, uint8_t prio, bool hw,
			 uint32_t pintid, bool eoi_mi, struct nv_subop_log *log)
{
	for (int i = 0; i < v->nr_lr; i++) {
		uint64_t lr;

		if (v->lr[i] & NV_LR_STATE)
			continue;
		lr = NV_LR_PENDING | NV_LR_GROUP | ((uint64_t)prio << NV_LR_PRIO_SHIFT) | vintid;
		if (hw)
			lr |= NV_LR_HW | (((uint64_t)pintid << NV_LR_PINTID_SHIFT) & NV_LR_PINTID_MASK);
		else if (eoi_mi)
			lr |= NV_LR_EOI;
		nv_vgic_guest_write_lr(v, i, lr, log);
		v->st.injected++;
		return i;
	}
	return -1;
}

/* lr_triggers_eoi: no state, no HW, EOI requested. */
static bool lr_triggers_eoi(uint64_t lr)
{
	return !(lr & (NV_LR_STATE | NV_LR_HW)) && (lr & NV_LR_EOI);
}

uint16_t nv_vgic_elrsr(const struct nv_vgic *v)
{
	uint16_t m = 0;

	for (int i = 0; i < v->nr_lr; i++)
		if (!(v->lr[i] & NV_LR_STATE))
			m |= (uint16_t)(1u << i);
	return m;
}

uint16_t nv_vgic_eisr(const struct nv_vgic *v)
{
	uint16_t m = 0;

	for (int i = 0; i < v->nr_lr; i++)
		if (lr_triggers_eoi(v->lr[i]))
			m |= (uint16_t)(1u << i);
	return m;
}

/* vgic_v3_get_misr over the in-memory state. */
uint64_t nv_vgic_misr(const struct nv_vgic *v)
{
	uint64_t misr = 0, hcr = v->hcr, vmcr = v->vmcr;
	bool pend = false;
	int used = v->nr_lr - __builtin_popcount(nv_vgic_elrsr(v));

	for (int i = 0; i < v->nr_lr; i++)
		pend |= (v->lr[i] & NV_LR_PENDING) != 0;
	if (nv_vgic_eisr(v))
		misr |= NV_MISR_EOI;
	if ((hcr & NV_HCR_UIE) && used <= 1)
		misr |= NV_MISR_U;
	if ((hcr & NV_HCR_LRENPIE) && (hcr & NV_HCR_EOICOUNT_MASK))
		misr |= NV_MISR_LRENP;
	if ((hcr & NV_HCR_NPIE) && !pend)
		misr |= NV_MISR_NP;
	if ((hcr & NV_HCR_VGRP0EIE) && (vmcr & NV_VMCR_ENG0))
		misr |= NV_MISR_VGRP0E;
	if ((hcr & NV_HCR_VGRP0DIE) && !(vmcr & NV_VMCR_ENG0))
		misr |= NV_MISR_VGRP0D;
	if ((hcr & NV_HCR_VGRP1EIE) && (vmcr & NV_VMCR_ENG1))
		misr |= NV_MISR_VGRP1E;
	if ((hcr & NV_HCR_VGRP1DIE) && !(vmcr & NV_VMCR_ENG1))
		misr |= NV_MISR_VGRP1D;
	return misr;
}

/* vgic_v3_nested_update_mi: the guest hypervisor's MI level. */
bool nv_vgic_guest_mi_level(const struct nv_vgic *v)
{
	return (v->hcr & NV_HCR_EN) && nv_vgic_misr(v) != 0;
}
