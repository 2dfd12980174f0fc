/*
 * Cost table "xgene": APM X-Gene (ARMv8.0), the seed's machine, with L0 a
 * non-VHE KVM (Linux v4.10) and ARMv8.3/NEVE emulated by paravirtualisation.
 *
 * One parameter set for every benchmark.  Parameters are either taken from
 * published facts (marked FACT), set by judgement (GUESS, with the reason),
 * or fitted (FIT) to the seed's hypercall microbenchmark:
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

/* Shared with the VHE/NV2 table (cost_vhe_nv2.c), which has no measurement
 * of its own for these blocks. */
const struct nv_cost_block nv_cost_xgene_blocks[NV_COST_XGENE_NBLOCKS] = {
	/* FIT (1,155): the L1 host kernel's handling of the VM's hypercall (handle_exit ->
	 * handle_hvc -> kvm_psci_call/kvm_hvc_call_handler, run loop, back to
	 * kvm_call_hyp): what remains of the VM's 2,729 cycles once the world
	 * switch (native sysreg accesses) and the exception are counted. */
	{ "kvm_handle_hvc", 1155 },
	/* GUESS: the same handling for an emulated sysreg access of the nested VM
	 * (kvm_handle_sys_reg: decode ESR, bsearch the descriptor table, access
	 * function) is a little longer than the null hypercall. */
	{ "kvm_handle_sys_reg", 1500 },
	/* GUESS: kvm_vcpu_block's bookkeeping until the vCPU runs again (the
	 * time blocked is the workload's, not the exit's). */
	{ "kvm_vcpu_block", 2000 },
	/* GUESS: early return of the debug save/restore (flag test). */
	{ "debug_skip", 10 },
	/* GUESS: the vector's branch to the exit handler code. */
	{ "vector", 10 },
	/* Sub-models (model/submodel.c).  L0's timer, vGIC and stage-2 MMU work
	 * at a vEL2 <-> nested VM switch is part of the fitted vcpu_put_load, and
	 * its work inside a TLBI or maintenance-interrupt handler part of that
	 * handler's cost: listed by explain, no extra cycles. */
	{ "in_put_load", 0 },
	{ "in_handler", 0 },
	/* GUESS: L0 reading one descriptor of the guest hypervisor's stage-2
	 * table (kvm_walk_nested_s2 -> kvm_read_guest: memslot lookup and
	 * copy_from_user of 8 bytes), the one new kind of L0 work the
	 * sub-models add; same order as the injection bookkeeping (300). */
	{ "s2_walk_level", 200 },
	/* The nested VM's ACK/EOI on the GICv2 virtual CPU interface (GICV_IAR,
	 * GICV_EOIR): the same uncached GIC access as native_mmio (60). */
	{ "gic_cpuif_access", 60 },
	/* ... and on a GICv3 CPU interface (ICC_IAR1_EL1, ICC_EOIR1_EL1): a
	 * system register access, as native_sysreg (8). */
	{ "gic_cpuif_sysreg", 8 },
	/* ASSUMED (= kvm_handle_hvc): the guest kernel's handling of the other
	 * exit kinds (handle_exit, the handler, the run loop).  No measurement
	 * exists; the handler-specific work is not modelled.  Profiles name
	 * these blocks so the assumption is visible per kind. */
	{ "kvm_handle_mmio", 1155 },
	{ "kvm_handle_irq", 1155 },
	{ "kvm_handle_ipi", 1155 },
	{ "kvm_handle_timer", 1155 },
	/* PLACEHOLDER: KVM_EXIT_MMIO to the VMM, its device emulation and
	 * ioctl(KVM_RUN) back: no calibration at all (a warning is printed
	 * wherever a path uses it). */
	{ "vmm_mmio_round_trip", 100 },
};
_Static_assert(sizeof(nv_cost_xgene_blocks) / sizeof(nv_cost_xgene_blocks[0]) == NV_COST_XGENE_NBLOCKS,
	       "cost_tables.h counts the shared blocks");

#define SEED "the seed's hypercall (reference/nested-arm-background.md: VM 2,729, v8.3 422,720, NEVE 92,385 cycles)"
static const struct nv_cost_note xgene_notes[] = {
	{ "param", "exc_entry", NV_PROV_ASSUMED, "60, inside a measured bound: Columbia's KVM/ARM measurements put a trap from EL1 to EL2 and the return each well under a hundred cycles on X-Gene-class hardware (reference/nested-arm-background.md)" },
	{ "param", "exc_return", NV_PROV_ASSUMED, "40, inside the same measured bound (under a hundred cycles)" },
	{ "param", "l0_switch", NV_PROV_DERIVED, "the kvm-2017-nvhe world switch run natively: vm hypercall 2,729 - kvm_handle_hvc 1,155 - exc_entry 60 (nvtrace explain hvc --arch vm)" },
	{ "param", "vcpu_put_load", NV_PROV_FITTED, "with handler.trap_el2_reg, to the v8.3 and NEVE figures of " SEED },
	{ "param", "native_sysreg", NV_PROV_ASSUMED, "an MRS/MSR that is not self-synchronising: a few cycles" },
	{ "param", "native_eret", NV_PROV_ASSUMED, "= exc_return (the same exception return)" },
	{ "param", "native_hvc", NV_PROV_ASSUMED, "= exc_entry (the same exception entry)" },
	{ "param", "native_tlbi", NV_PROV_ASSUMED, "a local TLB invalidation without broadcast" },
	{ "param", "native_at", NV_PROV_ASSUMED, "an AT walk hitting the TLB" },
	{ "param", "native_mmio", NV_PROV_ASSUMED, "an uncached device access to the GICH/GICV page" },
	{ "param", "mem_access", NV_PROV_ASSUMED, "a VNCR-page load/store hitting L1" },
	{ "param", "redirect", NV_PROV_ASSUMED, "= native_sysreg: a redirected access is the EL1 register access it becomes" },
	{ "param", "native_block_default", NV_PROV_PLACEHOLDER, "any named block the table does not list: no calibration (warned)" },
	{ "handler", "*", NV_PROV_FITTED, "sysreg emulation h, with param.vcpu_put_load, to " SEED },
	{ "handler", "handle_hvc", NV_PROV_DERIVED, "0: on vm the exit's handling is the path's own kvm_handle_hvc block" },
	{ "handler", "kvm_inject_nested_sync", NV_PROV_ASSUMED, "injection bookkeeping around the fitted put/load" },
	{ "handler", "kvm_emulate_nested_eret", NV_PROV_ASSUMED, "ERET checks around the fitted put/load" },
	{ "handler", "vgic_v2_gich_mmio", NV_PROV_ASSUMED, "the fitted h + 500 for the stage-2 abort decode (io_mem_abort): 2 of 126 traps, +-50% moves v8.3 by < 0.3%" },
	{ "handler", "vgic_mmio_write", NV_PROV_ASSUMED, "= vgic_v2_gich_mmio: the same stage-2 abort and vGIC region dispatch" },
	{ "handler", "handle_tlbi", NV_PROV_ASSUMED, "TLBI emulation unmapping shadow stage-2 state (the sub-model adds its walk)" },
	{ "handler", "handle_at", NV_PROV_ASSUMED, "AT emulation (a software walk)" },
	{ "handler", "kvm_handle_guest_abort", NV_PROV_ASSUMED, "= the fitted sysreg emulation h: L0's handling of a stage-2 fault it resolves alone (the walk is costed per descriptor, s2_walk_level)" },
	{ "block", "kvm_handle_hvc", NV_PROV_FITTED, "the VM figure of " SEED ": 2,729 - world switch - exception" },
	{ "block", "kvm_handle_sys_reg", NV_PROV_ASSUMED, "a little more than kvm_handle_hvc (ESR decode, table search, access function)" },
	{ "block", "kvm_vcpu_block", NV_PROV_ASSUMED, "kvm_vcpu_block bookkeeping, not the time blocked" },
	{ "block", "debug_skip", NV_PROV_ASSUMED, "a flag test and early return" },
	{ "block", "vector", NV_PROV_ASSUMED, "the vector's branch to the handler" },
	{ "block", "in_put_load", NV_PROV_DERIVED, "0: L0's switch work is inside the fitted vcpu_put_load" },
	{ "block", "in_handler", NV_PROV_DERIVED, "0: L0's handler work is inside the handler's cost" },
	{ "block", "s2_walk_level", NV_PROV_ASSUMED, "kvm_read_guest of one 8-byte descriptor (memslot lookup, copy_from_user)" },
	{ "block", "gic_cpuif_access", NV_PROV_ASSUMED, "= native_mmio: GICV_IAR/GICV_EOIR" },
	{ "block", "gic_cpuif_sysreg", NV_PROV_ASSUMED, "= native_sysreg: ICC_IAR1_EL1/ICC_EOIR1_EL1" },
	{ "block", "kvm_handle_mmio", NV_PROV_ASSUMED, "= kvm_handle_hvc: no measurement of MMIO exit handling" },
	{ "block", "kvm_handle_irq", NV_PROV_ASSUMED, "= kvm_handle_hvc: no measurement of IRQ exit handling" },
	{ "block", "kvm_handle_ipi", NV_PROV_ASSUMED, "= kvm_handle_hvc: no measurement of IPI handling" },
	{ "block", "kvm_handle_timer", NV_PROV_ASSUMED, "= kvm_handle_hvc: no measurement of timer exit handling" },
	{ "block", "vmm_mmio_round_trip", NV_PROV_PLACEHOLDER, "the VMM's user-space round trip: not calibrated (warned)" },
};

/* Where each value comes from: xgene_notes above (nvtrace costs). */
const struct nv_cost nv_cost_xgene = {
	.name = "xgene",
	.desc = "APM X-Gene (ARMv8.0, GICv2), L0 non-VHE KVM v4.10; fitted to the seed's hypercall",
	.host = "APM X-Gene (ARMv8.0, no FEAT_NV/NV2: the seed emulated v8.3/NEVE by paravirtualisation), L0 non-VHE KVM v4.10",
	.l0_vhe = 0,
	.nv2_host = 0,
	NV_COST_XGENE_INSTRUCTIONS,
	/* L0's world switch around every trap: the kvm-2017-nvhe path run
	 * natively (2,729 minus the handling block and the exception). */
	.l0_switch = 1514,
	/* FIT: a full vcpu_put + vcpu_load in L0, paid by the nested ERET
	 * (kvm_emulate_nested_eret) and by forwarding an exception into vEL2
	 * (kvm_inject_nested): all EL1/EL2 state, timers, vGIC, stage-2 MMU. */
	.vcpu_put_load = 12224,
	.handler = NV_COST_XGENE_HANDLERS,
	.blocks = nv_cost_xgene_blocks,
	.nblocks = NV_COST_XGENE_NBLOCKS,
	.notes = xgene_notes,
	.nnotes = sizeof(xgene_notes) / sizeof(xgene_notes[0]),
};
