/*
 * Cost table "xgene": APM X-Gene (ARMv8.0), the seed's machine, with L0 a
 * non-VHE KVM (Linux v4.10) and ARMv8.3/NEVE emulated by paravirtualisation.
 *
 * One parameter set for every benchmark: the xgene columns of
 * model/cost_tables.h.  Parameters are either taken from published facts
 * (measured), set by judgement (assumed, with the reason), derived, or
 * fitted to the seed's hypercall microbenchmark:
 *   VM 2,729 cycles / 1 trap;  v8.3 422,720 / 126;  NEVE 92,385 / 15.
 * The fit (see docs/design.md, "Calibration"): with the per-op counts
 * the kvm-2017-nvhe hvc path gives on each architecture,
 *   vm:   exc_entry + native ops + blocks                    = 2,729 -> kvm_handle_hvc
 *   v8.3: 126 traps (122 sysreg/MMIO emulations, 4 put/load) = 422,720
 *   neve:  15 traps ( 11 sysreg/MMIO emulations, 4 put/load) +
 *          99 memory + 17 redirect                           =  92,385
 * two linear equations in h_sysreg (1,367) and vcpu_put_load (12,224),
 * solved and rounded: the model gives 2,729 / 422,683 / 92,383.
 */
#include "model/cost_tables.h"

static const struct nv_cost_block xgene_blocks[] = NV_COST_TABLE_BLOCKS(NV_XGENE);

/* Where each value comes from (nvtrace costs): the rows' xgene columns
 * and the handlers. */
static const struct nv_cost_note xgene_notes[] = NV_COST_TABLE_NOTES(NV_XGENE,
	{ "handler", "*", NV_PROV_FITTED, "sysreg emulation h, with param.vcpu_put_load, to " NV_COST_SEED },
	{ "handler", "handle_hvc", NV_PROV_DERIVED, "0: on vm the exit's handling is the path's own kvm_handle_hvc block" },
	{ "handler", "kvm_inject_nested_sync", NV_PROV_ASSUMED, "injection bookkeeping around the fitted put/load" },
	{ "handler", "kvm_emulate_nested_eret", NV_PROV_ASSUMED, "ERET checks around the fitted put/load" },
	{ "handler", "vgic_v2_gich_mmio", NV_PROV_ASSUMED, "the fitted h + 500 for the stage-2 abort decode (io_mem_abort): 2 of 126 traps, +-50% moves v8.3 by < 0.3%" },
	{ "handler", "vgic_mmio_write", NV_PROV_ASSUMED, "= vgic_v2_gich_mmio: the same stage-2 abort and vGIC region dispatch" },
	{ "handler", "handle_tlbi", NV_PROV_ASSUMED, "TLBI emulation unmapping shadow stage-2 state (the sub-model adds its walk)" },
	{ "handler", "handle_at", NV_PROV_ASSUMED, "AT emulation (a software walk)" },
	{ "handler", "kvm_handle_guest_abort", NV_PROV_ASSUMED, "= the fitted sysreg emulation h: L0's handling of a stage-2 fault it resolves alone (the walk is costed per descriptor, s2_walk_level)" },
);

const struct nv_cost nv_cost_xgene = {
	.name = "xgene",
	.desc = "APM X-Gene (ARMv8.0, GICv2), L0 non-VHE KVM v4.10; fitted to the seed's hypercall",
	.host = "APM X-Gene (ARMv8.0, no FEAT_NV/NV2: the seed emulated v8.3/NEVE by paravirtualisation), L0 non-VHE KVM v4.10",
	.l0_vhe = 0,
	.nv2_host = 0,
	NV_COST_TABLE_FIELDS(NV_XGENE, xgene_blocks, xgene_notes),
};
