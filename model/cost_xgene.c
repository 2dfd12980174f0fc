/*
 * Cost table "xgene": APM X-Gene (ARMv8.0), the seed's machine, with L0 a
 * non-VHE KVM (Linux v4.10) and ARMv8.3/NEVE emulated by paravirtualisation.
 *
 * One parameter set for every benchmark.  Parameters are either taken from
 * published facts (marked FACT), set by judgement (GUESS, with the reason),
 * or fitted (FIT) to the seed's hypercall microbenchmark:
 *   VM 2,729 cycles / 1 trap;  v8.3 422,720 / 126;  NEVE 92,385 / 15.
 * The fit (see docs/usage-model.md, "Calibration"): with the per-op counts
 * the kvm-2017-nvhe hvc path gives on each architecture,
 *   vm:   exc_entry + native ops + blocks                    = 2,729 -> kvm_handle_hvc
 *   v8.3: 126 traps (122 sysreg/MMIO emulations, 4 put/load) = 422,720
 *   neve:  15 traps ( 11 sysreg/MMIO emulations, 4 put/load) +
 *          99 memory + 17 redirect                           =  92,385
 * two linear equations in h_sysreg (1,367) and vcpu_put_load (12,224),
 * solved and rounded: the model gives 2,729 / 422,683 / 92,383.
 */
#include "model/model_int.h"

static const struct nv_cost_block xgene_blocks[] = {
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
};

const struct nv_cost nv_cost_xgene = {
	.name = "xgene",
	.desc = "APM X-Gene (ARMv8.0, GICv2), L0 non-VHE KVM v4.10; fitted to the seed's hypercall",
	/* FACT (Columbia KVM/ARM measurements): "a trap from EL1 to EL2 and the
	 * return are each well under a hundred cycles on this class of hardware". */
	.exc_entry = 60,
	.exc_return = 40,
	/* L0's world switch around every trap: L0 is the same non-VHE KVM, whose
	 * exit+entry world switch is the kvm-2017-nvhe path run natively: its
	 * native part on the vm architecture (2,729 minus the handling block
	 * and the exception; `nvtrace explain hvc --arch vm` shows it). */
	.l0_switch = 1514,
	/* FIT: a full vcpu_put + vcpu_load in L0, paid by the nested ERET
	 * (kvm_emulate_nested_eret) and by forwarding an exception into vEL2
	 * (kvm_inject_nested): all EL1/EL2 state, timers, vGIC, stage-2 MMU. */
	.vcpu_put_load = 12224,
	.handler = {
		/* vm: the VM's own exit is handled by the path's native blocks. */
		[NV_H_HVC_VM] = 0,
		/* GUESS: bookkeeping of the injection / the ERET checks around the put/load. */
		[NV_H_FORWARD] = 300,
		[NV_H_ERET] = 300,
		/* FIT: L0 emulating one sysreg access (handle_exit -> kvm_handle_sys_reg
		 * -> emulate_sys_reg -> access function, in the host kernel). */
		[NV_H_EL2_REG] = 1367,
		[NV_H_VM_REG] = 1367,
		[NV_H_NV1_REG] = 1367,
		[NV_H_SP_EL1] = 1367,
		[NV_H_CPACR] = 1367,
		[NV_H_ACTLR] = 1367,
		[NV_H_DEBUG] = 1367,
		[NV_H_PMU] = 1367,
		[NV_H_EL12] = 1367,
		[NV_H_TIMER] = 1367,
		[NV_H_GICV3] = 1367,
		[NV_H_EL2_XLATE] = 1367,
		[NV_H_ID_REG] = 1367,
		[NV_H_UNDEF] = 1367,
		/* GUESS: a GICH access is a stage-2 data abort: kvm_handle_guest_abort ->
		 * io_mem_abort decodes the access and dispatches to the vgic-v2-nested
		 * region: the sysreg emulation plus ~500 cycles of decode (2 of the 126
		 * traps: +-50% here moves the v8.3 total by < 0.3%). */
		[NV_H_GICV2_MMIO] = 1867,
		/* A GICD_SGIR write (model part 2) is the same stage-2 abort +
		 * io_mem_abort + vgic region dispatch as a GICH access: same value. */
		[NV_H_VGIC_MMIO] = 1867,
		/* GUESS: TLBI and AT emulation walk or unmap shadow stage-2 state;
		 * the sub-model adds the walk itself (none on the hypercall path). */
		[NV_H_TLBI] = 2000,
		[NV_H_AT] = 2000,
	},
	/* GUESS: X-Gene MSR/MRS of a system register (not self-synchronising). */
	.native_sysreg = 8,
	/* ERET/HVC within one hypervisor: the hardware exception costs. */
	.native_eret = 40,
	.native_hvc = 60,
	.native_tlbi = 30,
	.native_at = 30,
	/* GUESS: an uncached device access to the real GICH page. */
	.native_mmio = 60,
	/* GUESS: a logged access to the VNCR page: an L1-cache load/store. */
	.mem_access = 5,
	/* GUESS: a redirected access costs the EL1 register access it becomes. */
	.redirect = 8,
	.blocks = xgene_blocks,
	.nblocks = sizeof(xgene_blocks) / sizeof(xgene_blocks[0]),
	.native_block_default = 100,
};
