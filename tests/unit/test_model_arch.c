/*
 * Fates of representative operations per architecture, from the
 * architecture's definition (background: nested-arm-background.md,
 * linux-arm64-nv.md) rather than from the model's own output.
 */
#include "tap.h"
#include "model/model.h"

static struct nv_fate_info fate(const char *arch, const struct nv_guest_cfg *g, enum nv_op_kind k,
				const char *reg)
{
	return nv_arch_fate(nv_arch_find(arch), g, k, reg ? nv_sysreg_by_name(reg) : -1);
}

#define FATE(arch, g, k, reg, want, what) \
	T_EQ_STR(nv_fate_name(fate(arch, g, k, reg).fate), want, "%s: %s", arch, what)
#define HANDLER(arch, g, k, reg, want, what) \
	T_EQ_STR(nv_handler_name(fate(arch, g, k, reg).handler), want, "%s: %s handler", arch, what)

int main(void)
{
	struct nv_guest_cfg nvhe = nv_guest_cfg_default(), vhe = nvhe, nvhe_l0 = nvhe;
	vhe.vhe = 1;
	nvhe_l0.ctl_on = 1u << NV_CTL_TDA | 1u << NV_CTL_TACR;

	T_EQ_INT(nv_arch_count(), 4, "four architectures");
	T_OK(nv_arch_find("x86-vmcs") == NULL, "unknown architecture -> NULL");

	/* vm: the hypervisor is at EL2: all native, only the VM's exit traps. */
	FATE("vm", &nvhe, NV_OP_MSR, "HCR_EL2", "native", "HCR_EL2 write");
	FATE("vm", &nvhe, NV_OP_ERET, NULL, "native", "ERET");
	FATE("vm", &nvhe, NV_OP_TLBI, "TLBI_VMALLS12E1IS", "native", "TLBI VMALLS12E1IS");
	FATE("vm", &nvhe, NV_OP_EXC, NULL, "trap", "the VM's exit");

	/* v8.3 */
	FATE("v8.3", &nvhe, NV_OP_MSR, "HCR_EL2", "trap", "HCR_EL2 write (NV)");
	HANDLER("v8.3", &nvhe, NV_OP_MSR, "HCR_EL2", "trap_el2_reg", "HCR_EL2 write");
	FATE("v8.3", &nvhe, NV_OP_MSR, "TTBR0_EL1", "trap", "TTBR0_EL1 write under NV1 (TVM)");
	HANDLER("v8.3", &nvhe, NV_OP_MSR, "TTBR0_EL1", "access_vm_reg", "TTBR0_EL1 write");
	FATE("v8.3", &vhe, NV_OP_MSR, "TTBR0_EL1", "native", "TTBR0_EL1 write by a VHE guest (its TTBR0_EL2)");
	FATE("v8.3", &vhe, NV_OP_MSR, "TTBR0_EL12", "trap", "TTBR0_EL12 write (NV)");
	FATE("v8.3", &nvhe, NV_OP_MSR, "VBAR_EL1", "trap", "VBAR_EL1 under NV1");
	FATE("v8.3", &vhe, NV_OP_MSR, "VBAR_EL1", "native", "VBAR_EL1 with E2H (NV1 clear)");
	FATE("v8.3", &nvhe, NV_OP_MSR, "SP_EL1", "trap", "SP_EL1 (NV)");
	FATE("v8.3", &nvhe, NV_OP_ERET, NULL, "trap", "ERET");
	HANDLER("v8.3", &nvhe, NV_OP_ERET, NULL, "kvm_emulate_nested_eret", "ERET");
	FATE("v8.3", &nvhe, NV_OP_TLBI, "TLBI_VMALLS12E1IS", "trap", "TLBI VMALLS12E1IS");
	FATE("v8.3", &nvhe, NV_OP_AT, "AT_S12E1R", "trap", "AT S12E1R");
	FATE("v8.3", &nvhe, NV_OP_MSR, "ICH_LR0_EL2", "trap", "ICH_LR0_EL2 write");
	FATE("v8.3", &nvhe, NV_OP_MSR, "CNTHP_CTL_EL2", "trap", "CNTHP_CTL_EL2 write");
	HANDLER("v8.3", &nvhe, NV_OP_MSR, "CNTHP_CTL_EL2", "access_arch_timer", "CNTHP_CTL_EL2");
	FATE("v8.3", &nvhe, NV_OP_MRS, "TPIDR_EL0", "native", "TPIDR_EL0 read");
	FATE("v8.3", &nvhe, NV_OP_MSR, "CPACR_EL1", "native", "CPACR_EL1 without TCPAC");
	FATE("v8.3", &nvhe, NV_OP_MMIO_R, "GICH_VMCR", "trap", "GICH_VMCR read (stage-2 abort)");

	/* neve */
	FATE("neve", &nvhe, NV_OP_MSR, "HCR_EL2", "memory", "HCR_EL2 write (VM register, logged)");
	FATE("neve", &nvhe, NV_OP_MSR, "TTBR0_EL1", "memory", "TTBR0_EL1 write (logged)");
	FATE("neve", &nvhe, NV_OP_MRS, "ESR_EL2", "redirect", "ESR_EL2 read (to ESR_EL1)");
	T_EQ_STR(nv_sysreg_at(fate("neve", &nvhe, NV_OP_MRS, "ESR_EL2").target)->name, "ESR_EL1",
		 "neve: ESR_EL2 redirect target");
	FATE("neve", &nvhe, NV_OP_MSR, "CPTR_EL2", "redirect", "CPTR_EL2 (translated in hardware)");
	FATE("neve", &nvhe, NV_OP_MSR, "MDCR_EL2", "trap", "MDCR_EL2 (no EL1 mapping, no VNCR)");
	FATE("neve", &nvhe, NV_OP_MSR, "CNTHCTL_EL2", "trap", "CNTHCTL_EL2");
	FATE("neve", &nvhe, NV_OP_ERET, NULL, "trap", "ERET");
	FATE("neve", &nvhe_l0, NV_OP_MSR, "MDSCR_EL1", "memory", "MDSCR_EL1 with TDA (logged first)");

	/* v8.4 */
	FATE("v8.4", &nvhe, NV_OP_MSR, "HCR_EL2", "memory", "HCR_EL2 write (VNCR 0x078)");
	FATE("v8.4", &nvhe, NV_OP_MSR, "TTBR0_EL1", "memory", "TTBR0_EL1 write under NV1 (VNCR 0x200)");
	FATE("v8.4", &nvhe, NV_OP_ERET, NULL, "trap", "ERET");
	FATE("v8.4", &nvhe, NV_OP_TLBI, "TLBI_VMALLS12E1IS", "trap", "TLBI VMALLS12E1IS");
	HANDLER("v8.4", &nvhe, NV_OP_TLBI, "TLBI_VMALLS12E1IS", "handle_tlbi", "TLBI VMALLS12E1IS");
	FATE("v8.4", &nvhe, NV_OP_MSR, "ICH_LR0_EL2", "memory", "ICH_LR0_EL2 write (VNCR 0x400)");
	FATE("v8.4", &nvhe, NV_OP_MRS, "ICH_VTR_EL2", "trap", "ICH_VTR_EL2 (status, not backed)");
	FATE("v8.4", &nvhe, NV_OP_MSR, "CNTHP_CTL_EL2", "trap", "CNTHP_CTL_EL2 (access_arch_timer)");
	FATE("v8.4", &nvhe, NV_OP_MRS, "ESR_EL2", "redirect", "ESR_EL2 (MAPPED_EL2_SYSREG, no xlate)");
	FATE("v8.4", &nvhe, NV_OP_MSR, "SCTLR_EL2", "trap", "SCTLR_EL2 of a non-VHE guest (needs xlate)");
	FATE("v8.4", &vhe, NV_OP_MSR, "SCTLR_EL2", "redirect", "SCTLR_EL2 of a VHE guest");
	FATE("v8.4", &nvhe, NV_OP_MSR, "CNTHCTL_EL2", "trap", "CNTHCTL_EL2 (PURE_EL2_SYSREG, no VNCR)");
	FATE("v8.4", &nvhe, NV_OP_MSR, "MDCR_EL2", "trap", "MDCR_EL2 (traps in reference/real-arm64-nv)");
	FATE("v8.4", &vhe, NV_OP_MSR, "SCTLR_EL12", "memory", "SCTLR_EL12 by a VHE guest");
	FATE("v8.4", &vhe, NV_OP_MSR, "CNTV_CTL_EL02", "trap", "CNTV_CTL_EL02 (traps in the real trace)");
	FATE("v8.4", &nvhe_l0, NV_OP_MSR, "MDSCR_EL1", "trap", "MDSCR_EL1 with TDA (trap before memory)");
	FATE("v8.4", &nvhe_l0, NV_OP_MRS, "ACTLR_EL1", "trap", "ACTLR_EL1 with TACR");
	return t_done();
}
