/*
 * Cost table "vhe-nv2": an ARMv8.4+ CPU with FEAT_NV2 (the only kind of
 * host on which upstream KVM runs nested guests), L0 a VHE KVM
 * (Linux 6.x/7.x, kvm-arm.mode=nested), as in reference/real-arm64-nv.
 *
 * No cycle measurement of such a host is available to this project (the
 * real recordings ran under QEMU TCG, whose timing is not meaningful), so
 * this table (the vhe-nv2 columns of model/cost_tables.h) is what the
 * structure of a VHE L0 implies, with every constant marked: the one change
 * from "xgene" that is derived is L0's own world switch around a trap.  A
 * VHE L0 handles a trap without switching the EL1 context
 * (kvm_vcpu_load/put_vhe defer it), so its per-trap switch is the VHE world
 * switch run natively: the kvm-vhe profile's hypercall on "vm" minus its
 * handling block and the exception (1,451 - 1,155 - 60 = 236 with these
 * blocks; a unit test recomputes it).  Everything else is assumed equal to
 * the X-Gene table (same exception hardware class, same emulation code in
 * the host kernel, the same put/load work list).
 */
#include "model/cost_tables.h"

static const struct nv_cost_block vhe_nv2_blocks[] = NV_COST_TABLE_BLOCKS(NV_VHE_NV2);

static const struct nv_cost_note vhe_nv2_notes[] = NV_COST_TABLE_NOTES(NV_VHE_NV2,
	{ "handler", "*", NV_PROV_ASSUMED, "= xgene's (fitted there): the same emulation code in the host kernel (kvm_handle_sys_reg, triage_sysreg_trap)" },
	{ "handler", "handle_hvc", NV_PROV_DERIVED, "0: on vm the exit's handling is the path's own kvm_handle_hvc block" },
);

const struct nv_cost nv_cost_vhe_nv2 = {
	.name = "vhe-nv2",
	.desc = "an ARMv8.4+ FEAT_NV2 CPU, L0 VHE KVM (Linux 6.x/7.x); derived from xgene, not measured",
	.host = "ARMv8.4+ CPU with FEAT_NV2, L0 VHE KVM (kvm-arm.mode=nested), as in reference/real-arm64-nv",
	.l0_vhe = 1,
	.nv2_host = 1,
	NV_COST_TABLE_FIELDS(NV_VHE_NV2, vhe_nv2_blocks, vhe_nv2_notes),
};
