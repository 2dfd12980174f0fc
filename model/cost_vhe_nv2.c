/*
 * Cost table "vhe-nv2": an ARMv8.4+ CPU with FEAT_NV2 (the only kind of
 * host on which upstream KVM runs nested guests), L0 a VHE KVM
 * (Linux 6.x/7.x, kvm-arm.mode=nested), as in reference/real-arm64-nv.
 *
 * No cycle measurement of such a host is available to this project (the
 * real recordings ran under QEMU TCG, whose timing is not meaningful), so
 * this table is what the structure of a VHE L0 implies, with every constant
 * marked: the one change from "xgene" that is derived is L0's own world
 * switch around a trap.  A VHE L0 handles a trap without switching the EL1
 * context (kvm_vcpu_load/put_vhe defer it), so its per-trap switch is the
 * VHE world switch run natively: the kvm-vhe profile's hypercall on "vm"
 * minus its handling block and the exception (1,459 - 1,155 - 60 = 244
 * with these blocks; a unit test recomputes it).  Everything else is
 * assumed equal to the X-Gene table (same exception hardware class, same
 * emulation code in the host kernel, the same put/load work list).
 */
#include "model/cost_tables.h"

static const struct nv_cost_note vhe_nv2_notes[] = {
	{ "param", "exc_entry", NV_PROV_ASSUMED, "= xgene's (under a hundred cycles on this class of hardware); no NV2-host measurement" },
	{ "param", "exc_return", NV_PROV_ASSUMED, "= xgene's; no NV2-host measurement" },
	{ "param", "l0_switch", NV_PROV_DERIVED, "the kvm-vhe world switch run natively: vm hypercall of kvm-vhe 1,459 - kvm_handle_hvc 1,155 - exc_entry 60 (nvtrace explain hvc --arch vm --guest kvm-vhe --cost vhe-nv2)" },
	{ "param", "vcpu_put_load", NV_PROV_ASSUMED, "= xgene's fitted 12,224: kvm_emulate_nested_eret and kvm_inject_nested still do a full kvm_arch_vcpu_put/load (arch/arm64/kvm/emulate-nested.c); no NV2-host measurement" },
	{ "param", "*", NV_PROV_ASSUMED, "= xgene's value (same instruction classes); no NV2-host measurement" },
	{ "param", "native_block_default", NV_PROV_PLACEHOLDER, "any named block the table does not list: no calibration (warned)" },
	{ "handler", "*", NV_PROV_ASSUMED, "= xgene's (fitted there): the same emulation code in the host kernel (kvm_handle_sys_reg, triage_sysreg_trap)" },
	{ "handler", "handle_hvc", NV_PROV_DERIVED, "0: on vm the exit's handling is the path's own kvm_handle_hvc block" },
	{ "block", "*", NV_PROV_ASSUMED, "= xgene's block (fitted or assumed there); no NV2-host measurement" },
	{ "block", "in_put_load", NV_PROV_DERIVED, "0: L0's switch work is inside vcpu_put_load" },
	{ "block", "in_handler", NV_PROV_DERIVED, "0: L0's handler work is inside the handler's cost" },
	{ "block", "vmm_mmio_round_trip", NV_PROV_PLACEHOLDER, "the VMM's user-space round trip: not calibrated (warned)" },
};

const struct nv_cost nv_cost_vhe_nv2 = {
	.name = "vhe-nv2",
	.desc = "an ARMv8.4+ FEAT_NV2 CPU, L0 VHE KVM (Linux 6.x/7.x); derived from xgene, not measured",
	.host = "ARMv8.4+ CPU with FEAT_NV2, L0 VHE KVM (kvm-arm.mode=nested), as in reference/real-arm64-nv",
	.l0_vhe = 1,
	.nv2_host = 1,
	NV_COST_XGENE_INSTRUCTIONS,
	.l0_switch = 244,
	.vcpu_put_load = 12224,
	.handler = NV_COST_XGENE_HANDLERS,
	.blocks = nv_cost_xgene_blocks,
	.nblocks = NV_COST_XGENE_NBLOCKS,
	.notes = vhe_nv2_notes,
	.nnotes = sizeof(vhe_nv2_notes) / sizeof(vhe_nv2_notes[0]),
};
