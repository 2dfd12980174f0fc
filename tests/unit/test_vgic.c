/*
 * Nested vGIC: LR contents after the guest hypervisor's injection, after L0
 * builds the shadow, after the nested VM's ACK and EOI, and after the sync
 * back; the status registers computed from memory.  Values are ICH_LR<n>_EL2
 * encodings built from the architecture's field positions (state [63:62],
 * HW 61, group 60, priority [55:48], pINTID [41:32] / EOI 41, vINTID [31:0]).
 */
#include "tap.h"
#include "model/vgic.h"

#define PEND NV_LR_PENDING
#define ACT NV_LR_ACTIVE
#define GRP NV_LR_GROUP
#define PRIO(p) ((uint64_t)(p) << 48)
#define PINT(p) ((uint64_t)(p) << 32)

/* A plain virtual interrupt (SGI 3 as a virtual IPI) through its life. */
static void test_inject_ack_eoi_sync(void)
{
	struct nv_subop ops[64];
	struct nv_subop_log log;
	struct nv_vgic v;

	nv_vgic_init(&v, NV_GIC_V3, 4);
	v.vmcr = NV_VMCR_ENG1;
	nv_subop_log_init(&log, ops, 64);
	T_EQ_INT(nv_vgic_guest_inject(&v, 3, 0xa0, false, 0, false, &log), 0, "inject uses LR0");
	nv_vgic_guest_write_hcr(&v, NV_HCR_EN, &log);
	T_EQ_U64(v.lr[0], PEND | GRP | PRIO(0xa0) | 3, "guest LR0 after inject: pending, group 1, prio 0xa0, vINTID 3");
	T_EQ_INT(log.len, 2, "two guest-hypervisor operations");
	T_EQ_INT(ops[0].kind, NV_SUBOP_GH_MSR, "GICv3: the LR write is an MSR");
	T_EQ_STR(ops[0].name, "ICH_LR0_EL2", "of ICH_LR0_EL2");
	T_EQ_U64(nv_vgic_elrsr(&v), 0xe, "ELRSR: LR1-3 empty");

	nv_subop_log_init(&log, ops, 64);
	nv_vgic_nested_load(&v, &log);
	T_EQ_INT(v.used_lrs, 1, "one shadow LR");
	T_EQ_U64(v.hw_lr[0], v.lr[0], "shadow LR0 = guest LR0 (no HW bit to translate)");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_SYSREG), 6, "L0 loads VMCR, reads VTR, AP0R0, AP1R0, HCR, LR0");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_GH_MSR) + nv_subop_count(&log, NV_SUBOP_GH_MRS), 0,
		 "loading the shadow costs the guest hypervisor nothing");

	nv_subop_log_init(&log, ops, 64);
	T_EQ_INT(nv_vgic_l2_ack(&v, &log), 3, "nested VM ACK returns vINTID 3");
	T_EQ_U64(v.hw_lr[0], ACT | GRP | PRIO(0xa0) | 3, "after ACK: hardware LR0 active");
	T_EQ_U64(v.lr[0], PEND | GRP | PRIO(0xa0) | 3, "guest's LR0 not yet updated (in memory)");
	T_OK(!nv_vgic_l2_eoi(&v, 3, &log), "EOI raises no maintenance interrupt");
	T_EQ_U64(v.hw_lr[0], GRP | PRIO(0xa0) | 3, "after EOI: hardware LR0 invalid (state 00)");
	T_EQ_INT(log.len, 2, "ACK and EOI: two operations");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L2_NATIVE), 2, "both native: the nested VM does not trap");
	T_EQ_STR(ops[1].name, "ICC_EOIR1_EL1", "the EOI is ICC_EOIR1_EL1");

	nv_subop_log_init(&log, ops, 64);
	T_OK(!nv_vgic_nested_put(&v, &log), "sync back: no maintenance interrupt pending");
	T_EQ_U64(v.lr[0], GRP | PRIO(0xa0) | 3, "guest LR0 after sync back: state invalid, rest kept");
	T_EQ_U64(nv_vgic_elrsr(&v), 0xf, "ELRSR: all LRs empty");
	T_EQ_INT(v.used_lrs, 0, "shadow emptied");
	/* save: VTR, AP0R0, AP1R0, VMCR, ELRSR read, HCR write, LR0 write (empty: not read) */
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_SYSREG), 7, "L0 save: 7 register accesses");
}

/* Shadow creation drops LRs with no state, translates HW, compacts; sync
 * back goes through the map; the EOI maintenance interrupt is forwarded. */
static void test_shadow_translation_and_mi(void)
{
	struct nv_subop ops[64];
	struct nv_subop_log log;
	struct nv_vgic v;

	nv_vgic_init(&v, NV_GIC_V3, 4);
	nv_vgic_map_hw(&v, 27, 27); /* L0 maps the vCPU's vtimer PPI to the host's */
	v.hcr = NV_HCR_EN;
	v.lr[0] = GRP | PRIO(0x80) | 40;                       /* stale, no state */
	v.lr[1] = PEND | GRP | PRIO(0x80) | NV_LR_HW | PINT(27) | 27; /* timer, HW */
	v.lr[2] = PEND | GRP | PRIO(0x90) | NV_LR_HW | PINT(99) | 50; /* HW, no host mapping */
	v.lr[3] = PEND | GRP | PRIO(0xa0) | NV_LR_EOI | 33;     /* wants an EOI MI */
	nv_vgic_nested_load(&v, NULL);
	T_EQ_INT(v.used_lrs, 3, "3 LRs with state; LR0 dropped");
	T_EQ_U64(v.lr_map, 0xe, "lr_map = LR1..LR3");
	T_EQ_U64(v.hw_lr[0], PEND | GRP | PRIO(0x80) | NV_LR_HW | PINT(27) | 27, "shadow 0 = LR1, HW kept (mapped)");
	T_EQ_U64(v.hw_lr[1], PEND | GRP | PRIO(0x90) | PINT(99) | 50, "shadow 1 = LR2, HW bit cleared (no mapping)");
	T_EQ_U64(v.hw_lr[2], PEND | GRP | PRIO(0xa0) | NV_LR_EOI | 33, "shadow 2 = LR3");
	T_EQ_U64(v.st.hw_translated, 1, "one HW translation");

	T_EQ_INT(nv_vgic_l2_ack(&v, NULL), 27, "ACK picks priority 0x80 first (the timer)");
	T_OK(!nv_vgic_l2_eoi(&v, 27, NULL), "timer EOI: HW, no maintenance");
	T_EQ_INT(nv_vgic_l2_ack(&v, NULL), 50, "then 0x90");
	T_EQ_INT(nv_vgic_l2_ack(&v, NULL), 33, "then 0xa0");
	nv_subop_log_init(&log, ops, 64);
	T_OK(nv_vgic_l2_eoi(&v, 33, &log), "EOI of the EOI-bit LR raises a maintenance interrupt");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_WORK), 1, "L0 forwards it to the guest hypervisor");
	T_OK(!(v.hw_hcr & NV_HCR_EN), "and disables the hardware interface");

	T_OK(nv_vgic_nested_put(&v, NULL), "after sync back the guest hypervisor's MI is pending");
	T_EQ_U64(v.lr[0], GRP | PRIO(0x80) | 40, "LR0 untouched");
	T_EQ_U64(v.lr[1], GRP | PRIO(0x80) | NV_LR_HW | PINT(27) | 27, "LR1 invalid, virtual pINTID kept");
	T_EQ_U64(v.lr[2], ACT | GRP | PRIO(0x90) | NV_LR_HW | PINT(99) | 50, "LR2 still active (not EOId)");
	T_EQ_U64(v.lr[3], GRP | PRIO(0xa0) | NV_LR_EOI | 33, "LR3 invalid");
	T_EQ_U64(v.st.hw_deactivated, 1, "L0 deactivated the guest's HW interrupt (timer)");
	T_EQ_U64(nv_vgic_eisr(&v), 0x8, "EISR: LR3");
	T_EQ_U64(nv_vgic_misr(&v), NV_MISR_EOI, "MISR: EOI");
	T_EQ_U64(v.hcr & NV_HCR_EN, NV_HCR_EN, "guest's ICH_HCR_EL2.En unchanged");

	nv_subop_log_init(&log, ops, 64);
	T_EQ_U64(nv_vgic_guest_read_status(&v, NV_VGIC_MISR, &log), NV_MISR_EOI, "guest reads MISR = EOI");
	T_EQ_INT(ops[0].kind, NV_SUBOP_GH_MRS, "as an MRS");
	T_EQ_STR(ops[0].name, "ICH_MISR_EL2", "of ICH_MISR_EL2");
	v.hcr |= NV_HCR_UIE;
	T_EQ_U64(nv_vgic_misr(&v) & NV_MISR_U, NV_MISR_U, "UIE with <= 1 LR in use: U set");
}

/* GICv2: the same LR, but every guest access is GICH MMIO. */
static void test_gicv2_names(void)
{
	struct nv_subop ops[8];
	struct nv_subop_log log;
	struct nv_vgic v;

	nv_vgic_init(&v, NV_GIC_V2, 4);
	nv_subop_log_init(&log, ops, 8);
	nv_vgic_guest_inject(&v, 5, 0xa0, false, 0, false, &log);
	nv_vgic_guest_read_status(&v, NV_VGIC_ELRSR, &log);
	T_EQ_INT(ops[0].kind, NV_SUBOP_GH_MMIO_WR, "GICv2 LR write is MMIO");
	T_EQ_STR(ops[0].name, "GICH_LR0", "GICH_LR0");
	T_EQ_INT(ops[1].kind, NV_SUBOP_GH_MMIO_RD, "ELRSR read is MMIO");
	T_EQ_STR(ops[1].name, "GICH_ELRSR0", "GICH_ELRSR0");
	nv_subop_log_init(&log, ops, 8);
	nv_vgic_nested_load(&v, &log);
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_MMIO), 5, "L0 loads GICH_VMCR, VTR, APR, HCR, LR0 by MMIO");
	T_EQ_STR(nv_vgic_l2_ack(&v, &log) == 5 ? ops[log.len - 1].name : "", "GICV_IAR", "nested VM ACK via GICV_IAR");
}

int main(void)
{
	test_inject_ack_eoi_sync();
	test_shadow_translation_and_mi();
	test_gicv2_names();
	return t_done();
}
