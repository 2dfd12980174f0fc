/*
 * The system register table: every register (and TLBI/AT instruction, and
 * GICv2 GICH MMIO register) the model's paths touch or an importer must name.
 * Encodings from the Arm ARM (Op0, Op1, CRn, CRm, Op2); VNCR offsets from
 * Linux arch/arm64/include/asm/vncr_mapping.h @211fced4; "linux_vncr" = in the
 * VNCR() block of enum vcpu_sysreg (kvm_host.h @211fced4); el1_map / xlate =
 * get_el2_to_el1_mapping() in sys_regs.c @211fced4 (see linux-arm64-nv.md).
 * ctl = the ARMv8.3 trap control (emulate-nested.c coarse groups @48a71076).
 */
#include <string.h>
#include <strings.h>
#include "model/model.h"

#define E(op0, op1, crn, crm, op2) NV_MREG(op0, op1, crn, crm, op2)
/* name, encoding, el, class, ctl, handler, vncr, linux_vncr, xlate, el1_map, alias_of, mmio */
#define REG(n, enc, el, cls, ctl, h, vncr, lv, x, m, a, mm) \
	{ n, enc, NV_##el, NV_RC_##cls, NV_CTL_##ctl, NV_H_##h, vncr, lv, x, m, a, mm }

static const struct nv_sysreg table[] = {
	REG("SCTLR_EL1", E(3, 0, 1, 0, 0), EL1, VM, TVM, VM_REG, 0x110, 1, 0, NULL, NULL, -1),
	REG("TTBR0_EL1", E(3, 0, 2, 0, 0), EL1, VM, TVM, VM_REG, 0x200, 1, 0, NULL, NULL, -1),
	REG("TTBR1_EL1", E(3, 0, 2, 0, 1), EL1, VM, TVM, VM_REG, 0x210, 1, 0, NULL, NULL, -1),
	REG("TCR_EL1", E(3, 0, 2, 0, 2), EL1, VM, TVM, VM_REG, 0x120, 1, 0, NULL, NULL, -1),
	REG("TCR2_EL1", E(3, 0, 2, 0, 3), EL1, VM, TVM, VM_REG, 0x270, 1, 0, NULL, NULL, -1),
	REG("AFSR0_EL1", E(3, 0, 5, 1, 0), EL1, VM, TVM, VM_REG, 0x128, 1, 0, NULL, NULL, -1),
	REG("AFSR1_EL1", E(3, 0, 5, 1, 1), EL1, VM, TVM, VM_REG, 0x130, 1, 0, NULL, NULL, -1),
	REG("ESR_EL1", E(3, 0, 5, 2, 0), EL1, VM, TVM, VM_REG, 0x138, 1, 0, NULL, NULL, -1),
	REG("FAR_EL1", E(3, 0, 6, 0, 0), EL1, VM, TVM, VM_REG, 0x220, 1, 0, NULL, NULL, -1),
	REG("MAIR_EL1", E(3, 0, 10, 2, 0), EL1, VM, TVM, VM_REG, 0x140, 1, 0, NULL, NULL, -1),
	REG("PIRE0_EL1", E(3, 0, 10, 2, 2), EL1, VM, TVM, VM_REG, 0x290, 1, 0, NULL, NULL, -1),
	REG("PIR_EL1", E(3, 0, 10, 2, 3), EL1, VM, TVM, VM_REG, 0x2a0, 1, 0, NULL, NULL, -1),
	REG("POR_EL1", E(3, 0, 10, 2, 4), EL1, VM, TVM, VM_REG, 0x2a8, 1, 0, NULL, NULL, -1),
	REG("AMAIR_EL1", E(3, 0, 10, 3, 0), EL1, VM, TVM, VM_REG, 0x148, 1, 0, NULL, NULL, -1),
	REG("CONTEXTIDR_EL1", E(3, 0, 13, 0, 1), EL1, VM, TVM, VM_REG, 0x108, 1, 0, NULL, NULL, -1),
	REG("VBAR_EL1", E(3, 0, 12, 0, 0), EL1, VM, NV1, NV1_REG, 0x250, 1, 0, NULL, NULL, -1),
	REG("ELR_EL1", E(3, 0, 4, 0, 1), EL1, VM, NV1, NV1_REG, 0x230, 1, 0, NULL, NULL, -1),
	REG("SPSR_EL1", E(3, 0, 4, 0, 0), EL1, VM, NV1, NV1_REG, 0x160, 1, 0, NULL, NULL, -1),
	REG("SP_EL1", E(3, 4, 4, 1, 0), EL1, VM, NV_SP, SP_EL1, 0x240, 1, 0, NULL, NULL, -1),
	REG("CPACR_EL1", E(3, 0, 1, 0, 2), EL1, VM, TCPAC, CPACR, 0x100, 1, 0, NULL, NULL, -1),
	REG("ACTLR_EL1", E(3, 0, 1, 0, 1), EL1, VM, TACR, ACTLR, 0x118, 1, 0, NULL, NULL, -1),
	REG("MDSCR_EL1", E(2, 0, 0, 2, 2), EL1, DEBUG, TDA, DEBUG, 0x158, 1, 0, NULL, NULL, -1),
	REG("ZCR_EL1", E(3, 0, 1, 2, 0), EL1, VM, NONE, NONE, 0x1e0, 1, 0, NULL, NULL, -1),
	REG("TFSR_EL1", E(3, 0, 5, 6, 0), EL1, VM, NONE, NONE, 0x190, 1, 0, NULL, NULL, -1),
	REG("TFSRE0_EL1", E(3, 0, 5, 6, 1), EL1, VM, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("SCXTNUM_EL1", E(3, 0, 13, 0, 7), EL1, VM, NONE, NONE, 0x188, 0, 0, NULL, NULL, -1),
	REG("DISR_EL1", E(3, 0, 12, 1, 1), EL1, VM, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("MPAM1_EL1", E(3, 0, 10, 5, 0), EL1, VM, NONE, NONE, 0x900, 0, 0, NULL, NULL, -1),
	REG("TRFCR_EL1", E(3, 0, 1, 2, 1), EL1, VM, NONE, NONE, 0x880, 0, 0, NULL, NULL, -1),
	REG("PMBLIMITR_EL1", E(3, 0, 9, 10, 0), EL1, DEBUG, NONE, NONE, 0x800, 0, 0, NULL, NULL, -1),
	REG("PMBPTR_EL1", E(3, 0, 9, 10, 1), EL1, DEBUG, NONE, NONE, 0x810, 0, 0, NULL, NULL, -1),
	REG("PMBSR_EL1", E(3, 0, 9, 10, 3), EL1, DEBUG, NONE, NONE, 0x820, 0, 0, NULL, NULL, -1),
	REG("PMSCR_EL1", E(3, 0, 9, 9, 0), EL1, DEBUG, NONE, NONE, 0x828, 0, 0, NULL, NULL, -1),
	REG("PMSICR_EL1", E(3, 0, 9, 9, 2), EL1, DEBUG, NONE, NONE, 0x838, 0, 0, NULL, NULL, -1),
	REG("PMSIRR_EL1", E(3, 0, 9, 9, 3), EL1, DEBUG, NONE, NONE, 0x840, 0, 0, NULL, NULL, -1),
	REG("PMSEVFR_EL1", E(3, 0, 9, 9, 5), EL1, DEBUG, NONE, NONE, 0x830, 0, 0, NULL, NULL, -1),
	REG("PMSLATFR_EL1", E(3, 0, 9, 9, 6), EL1, DEBUG, NONE, NONE, 0x848, 0, 0, NULL, NULL, -1),
	REG("TPIDR_EL1", E(3, 0, 13, 0, 4), EL1, THREAD, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("PAR_EL1", E(3, 0, 7, 4, 0), EL1, THREAD, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("CSSELR_EL1", E(3, 2, 0, 0, 0), EL1, THREAD, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("CNTKCTL_EL1", E(3, 0, 14, 1, 0), EL1, TIMER, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("TPIDR_EL0", E(3, 3, 13, 0, 2), EL0, THREAD, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("TPIDRRO_EL0", E(3, 3, 13, 0, 3), EL0, THREAD, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("SP_EL0", E(3, 0, 4, 1, 0), EL0, THREAD, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("MPIDR_EL1", E(3, 0, 0, 0, 5), EL1, ID, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("ID_AA64PFR0_EL1", E(3, 0, 0, 4, 0), EL1, ID, TID, ID_REG, -1, 0, 0, NULL, NULL, -1),
	REG("ID_AA64PFR1_EL1", E(3, 0, 0, 4, 1), EL1, ID, TID, ID_REG, -1, 0, 0, NULL, NULL, -1),
	REG("ID_AA64DFR0_EL1", E(3, 0, 0, 5, 0), EL1, ID, TID, ID_REG, -1, 0, 0, NULL, NULL, -1),
	REG("ID_AA64ISAR0_EL1", E(3, 0, 0, 6, 0), EL1, ID, TID, ID_REG, -1, 0, 0, NULL, NULL, -1),
	REG("ID_AA64ISAR1_EL1", E(3, 0, 0, 6, 1), EL1, ID, TID, ID_REG, -1, 0, 0, NULL, NULL, -1),
	REG("ID_AA64MMFR0_EL1", E(3, 0, 0, 7, 0), EL1, ID, TID, ID_REG, -1, 0, 0, NULL, NULL, -1),
	REG("ID_AA64MMFR1_EL1", E(3, 0, 0, 7, 1), EL1, ID, TID, ID_REG, -1, 0, 0, NULL, NULL, -1),
	REG("ID_AA64MMFR2_EL1", E(3, 0, 0, 7, 2), EL1, ID, TID, ID_REG, -1, 0, 0, NULL, NULL, -1),
	REG("CNTV_CTL_EL0", E(3, 3, 14, 3, 1), EL0, TIMER, NONE, NONE, 0x170, 1, 0, NULL, NULL, -1),
	REG("CNTV_CVAL_EL0", E(3, 3, 14, 3, 2), EL0, TIMER, NONE, NONE, 0x168, 1, 0, NULL, NULL, -1),
	REG("CNTV_TVAL_EL0", E(3, 3, 14, 3, 0), EL0, TIMER, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("CNTP_CTL_EL0", E(3, 3, 14, 2, 1), EL0, TIMER, NONE, NONE, 0x180, 1, 0, NULL, NULL, -1),
	REG("CNTP_CVAL_EL0", E(3, 3, 14, 2, 2), EL0, TIMER, NONE, NONE, 0x178, 1, 0, NULL, NULL, -1),
	REG("CNTP_TVAL_EL0", E(3, 3, 14, 2, 0), EL0, TIMER, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("CNTVCT_EL0", E(3, 3, 14, 0, 2), EL0, TIMER, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("CNTPCT_EL0", E(3, 3, 14, 0, 1), EL0, TIMER, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("PMCR_EL0", E(3, 3, 9, 12, 0), EL0, PMU, TPM, PMU, -1, 0, 0, NULL, NULL, -1),
	REG("PMCNTENSET_EL0", E(3, 3, 9, 12, 1), EL0, PMU, TPM, PMU, -1, 0, 0, NULL, NULL, -1),
	REG("PMCNTENCLR_EL0", E(3, 3, 9, 12, 2), EL0, PMU, TPM, PMU, -1, 0, 0, NULL, NULL, -1),
	REG("PMOVSCLR_EL0", E(3, 3, 9, 12, 3), EL0, PMU, TPM, PMU, -1, 0, 0, NULL, NULL, -1),
	REG("PMSELR_EL0", E(3, 3, 9, 12, 5), EL0, PMU, TPM, PMU, -1, 0, 0, NULL, NULL, -1),
	REG("PMUSERENR_EL0", E(3, 3, 9, 14, 0), EL0, PMU, TPM, PMU, -1, 0, 0, NULL, NULL, -1),
	REG("PMCCFILTR_EL0", E(3, 3, 14, 15, 7), EL0, PMU, TPM, PMU, -1, 0, 0, NULL, NULL, -1),
	REG("PMINTENSET_EL1", E(3, 0, 9, 14, 1), EL1, PMU, TPM, PMU, -1, 0, 0, NULL, NULL, -1),
	REG("ICC_PMR_EL1", E(3, 0, 4, 6, 0), EL1, GIC, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("ICC_SRE_EL1", E(3, 0, 12, 12, 5), EL1, GIC, NONE, NONE, -1, 0, 0, NULL, NULL, -1),
	REG("ICC_SGI1R_EL1", E(3, 0, 12, 11, 5), EL1, GIC, NV, GICV3, -1, 0, 0, NULL, NULL, -1),
	REG("SCTLR_EL12", E(3, 5, 1, 0, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "SCTLR_EL1", -1),
	REG("CPACR_EL12", E(3, 5, 1, 0, 2), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "CPACR_EL1", -1),
	REG("ZCR_EL12", E(3, 5, 1, 2, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "ZCR_EL1", -1),
	REG("TTBR0_EL12", E(3, 5, 2, 0, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "TTBR0_EL1", -1),
	REG("TTBR1_EL12", E(3, 5, 2, 0, 1), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "TTBR1_EL1", -1),
	REG("TCR_EL12", E(3, 5, 2, 0, 2), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "TCR_EL1", -1),
	REG("TCR2_EL12", E(3, 5, 2, 0, 3), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "TCR2_EL1", -1),
	REG("SPSR_EL12", E(3, 5, 4, 0, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "SPSR_EL1", -1),
	REG("ELR_EL12", E(3, 5, 4, 0, 1), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "ELR_EL1", -1),
	REG("AFSR0_EL12", E(3, 5, 5, 1, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "AFSR0_EL1", -1),
	REG("AFSR1_EL12", E(3, 5, 5, 1, 1), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "AFSR1_EL1", -1),
	REG("ESR_EL12", E(3, 5, 5, 2, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "ESR_EL1", -1),
	REG("TFSR_EL12", E(3, 5, 5, 6, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "TFSR_EL1", -1),
	REG("FAR_EL12", E(3, 5, 6, 0, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "FAR_EL1", -1),
	REG("MAIR_EL12", E(3, 5, 10, 2, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "MAIR_EL1", -1),
	REG("PIRE0_EL12", E(3, 5, 10, 2, 2), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "PIRE0_EL1", -1),
	REG("PIR_EL12", E(3, 5, 10, 2, 3), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "PIR_EL1", -1),
	REG("POR_EL12", E(3, 5, 10, 2, 4), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "POR_EL1", -1),
	REG("AMAIR_EL12", E(3, 5, 10, 3, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "AMAIR_EL1", -1),
	REG("VBAR_EL12", E(3, 5, 12, 0, 0), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "VBAR_EL1", -1),
	REG("CONTEXTIDR_EL12", E(3, 5, 13, 0, 1), EL12, VM, EL12, EL12, -1, 0, 0, NULL, "CONTEXTIDR_EL1", -1),
	REG("CNTKCTL_EL12", E(3, 5, 14, 1, 0), EL12, TIMER, EL12, TIMER, -1, 0, 0, NULL, "CNTKCTL_EL1", -1),
	REG("CNTP_TVAL_EL02", E(3, 5, 14, 2, 0), EL12, TIMER, EL12, TIMER, -1, 0, 0, NULL, "CNTP_TVAL_EL0", -1),
	REG("CNTP_CTL_EL02", E(3, 5, 14, 2, 1), EL12, TIMER, EL12, TIMER, -1, 0, 0, NULL, "CNTP_CTL_EL0", -1),
	REG("CNTP_CVAL_EL02", E(3, 5, 14, 2, 2), EL12, TIMER, EL12, TIMER, -1, 0, 0, NULL, "CNTP_CVAL_EL0", -1),
	REG("CNTV_TVAL_EL02", E(3, 5, 14, 3, 0), EL12, TIMER, EL12, TIMER, -1, 0, 0, NULL, "CNTV_TVAL_EL0", -1),
	REG("CNTV_CTL_EL02", E(3, 5, 14, 3, 1), EL12, TIMER, EL12, TIMER, -1, 0, 0, NULL, "CNTV_CTL_EL0", -1),
	REG("CNTV_CVAL_EL02", E(3, 5, 14, 3, 2), EL12, TIMER, EL12, TIMER, -1, 0, 0, NULL, "CNTV_CVAL_EL0", -1),
	REG("SCTLR_EL2", E(3, 4, 1, 0, 0), EL2, HYP, NV, EL2_REG, -1, 0, 1, "SCTLR_EL1", NULL, -1),
	REG("CPTR_EL2", E(3, 4, 1, 1, 2), EL2, HYP, NV, EL2_REG, -1, 0, 1, "CPACR_EL1", NULL, -1),
	REG("ZCR_EL2", E(3, 4, 1, 2, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, "ZCR_EL1", NULL, -1),
	REG("TTBR0_EL2", E(3, 4, 2, 0, 0), EL2, HYP, NV, EL2_REG, -1, 0, 1, "TTBR0_EL1", NULL, -1),
	REG("TTBR1_EL2", E(3, 4, 2, 0, 1), EL2, HYP, NV, EL2_REG, -1, 0, 0, "TTBR1_EL1", NULL, -1),
	REG("TCR_EL2", E(3, 4, 2, 0, 2), EL2, HYP, NV, EL2_REG, -1, 0, 1, "TCR_EL1", NULL, -1),
	REG("TCR2_EL2", E(3, 4, 2, 0, 3), EL2, HYP, NV, EL2_REG, -1, 0, 0, "TCR2_EL1", NULL, -1),
	REG("SPSR_EL2", E(3, 4, 4, 0, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, "SPSR_EL1", NULL, -1),
	REG("ELR_EL2", E(3, 4, 4, 0, 1), EL2, HYP, NV, EL2_REG, -1, 0, 0, "ELR_EL1", NULL, -1),
	REG("AFSR0_EL2", E(3, 4, 5, 1, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, "AFSR0_EL1", NULL, -1),
	REG("AFSR1_EL2", E(3, 4, 5, 1, 1), EL2, HYP, NV, EL2_REG, -1, 0, 0, "AFSR1_EL1", NULL, -1),
	REG("ESR_EL2", E(3, 4, 5, 2, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, "ESR_EL1", NULL, -1),
	REG("FAR_EL2", E(3, 4, 6, 0, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, "FAR_EL1", NULL, -1),
	REG("MAIR_EL2", E(3, 4, 10, 2, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, "MAIR_EL1", NULL, -1),
	REG("PIRE0_EL2", E(3, 4, 10, 2, 2), EL2, HYP, NV, EL2_REG, -1, 0, 0, "PIRE0_EL1", NULL, -1),
	REG("PIR_EL2", E(3, 4, 10, 2, 3), EL2, HYP, NV, EL2_REG, -1, 0, 0, "PIR_EL1", NULL, -1),
	REG("POR_EL2", E(3, 4, 10, 2, 4), EL2, HYP, NV, EL2_REG, -1, 0, 0, "POR_EL1", NULL, -1),
	REG("AMAIR_EL2", E(3, 4, 10, 3, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, "AMAIR_EL1", NULL, -1),
	REG("VBAR_EL2", E(3, 4, 12, 0, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, "VBAR_EL1", NULL, -1),
	REG("CONTEXTIDR_EL2", E(3, 4, 13, 0, 1), EL2, HYP, NV, EL2_REG, -1, 0, 0, "CONTEXTIDR_EL1", NULL, -1),
	REG("VPIDR_EL2", E(3, 4, 0, 0, 0), EL2, HYP, NV, EL2_REG, 0x088, 1, 0, NULL, NULL, -1),
	REG("VMPIDR_EL2", E(3, 4, 0, 0, 5), EL2, HYP, NV, EL2_REG, 0x050, 1, 0, NULL, NULL, -1),
	REG("ACTLR_EL2", E(3, 4, 1, 0, 1), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("HCR_EL2", E(3, 4, 1, 1, 0), EL2, HYP, NV, EL2_REG, 0x078, 1, 0, NULL, NULL, -1),
	REG("MDCR_EL2", E(3, 4, 1, 1, 1), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("HSTR_EL2", E(3, 4, 1, 1, 3), EL2, HYP, NV, EL2_REG, 0x080, 1, 0, NULL, NULL, -1),
	REG("HACR_EL2", E(3, 4, 1, 1, 7), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("HCRX_EL2", E(3, 4, 1, 2, 2), EL2, HYP, NV, EL2_REG, 0x0a0, 1, 0, NULL, NULL, -1),
	REG("VTTBR_EL2", E(3, 4, 2, 1, 0), EL2, HYP, NV, EL2_REG, 0x020, 1, 0, NULL, NULL, -1),
	REG("VTCR_EL2", E(3, 4, 2, 1, 2), EL2, HYP, NV, EL2_REG, 0x040, 1, 0, NULL, NULL, -1),
	REG("VNCR_EL2", E(3, 4, 2, 2, 0), EL2, HYP, NV, EL2_REG, 0x0b0, 1, 0, NULL, NULL, -1),
	REG("DACR32_EL2", E(3, 4, 3, 0, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("IFSR32_EL2", E(3, 4, 5, 0, 1), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("VSESR_EL2", E(3, 4, 5, 2, 3), EL2, HYP, NV, EL2_REG, 0x508, 1, 0, NULL, NULL, -1),
	REG("FPEXC32_EL2", E(3, 4, 5, 3, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("HPFAR_EL2", E(3, 4, 6, 0, 4), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("MPAMHCR_EL2", E(3, 4, 10, 4, 0), EL2, HYP, NV, EL2_REG, 0x930, 0, 0, NULL, NULL, -1),
	REG("MPAMVPMV_EL2", E(3, 4, 10, 4, 1), EL2, HYP, NV, EL2_REG, 0x938, 0, 0, NULL, NULL, -1),
	REG("RVBAR_EL2", E(3, 4, 12, 0, 1), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("RMR_EL2", E(3, 4, 12, 0, 2), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("VDISR_EL2", E(3, 4, 12, 1, 1), EL2, HYP, NV, EL2_REG, 0x500, 1, 0, NULL, NULL, -1),
	REG("TPIDR_EL2", E(3, 4, 13, 0, 2), EL2, HYP, NV, EL2_REG, 0x090, 1, 0, NULL, NULL, -1),
	REG("DBGVCR32_EL2", E(2, 4, 0, 7, 0), EL2, HYP, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("MPAMVPM0_EL2", E(3, 4, 10, 6, 0), EL2, HYP, NV, EL2_REG, 0x940, 0, 0, NULL, NULL, -1),
	REG("MPAMVPM1_EL2", E(3, 4, 10, 6, 1), EL2, HYP, NV, EL2_REG, 0x948, 0, 0, NULL, NULL, -1),
	REG("MPAMVPM2_EL2", E(3, 4, 10, 6, 2), EL2, HYP, NV, EL2_REG, 0x950, 0, 0, NULL, NULL, -1),
	REG("MPAMVPM3_EL2", E(3, 4, 10, 6, 3), EL2, HYP, NV, EL2_REG, 0x958, 0, 0, NULL, NULL, -1),
	REG("MPAMVPM4_EL2", E(3, 4, 10, 6, 4), EL2, HYP, NV, EL2_REG, 0x960, 0, 0, NULL, NULL, -1),
	REG("MPAMVPM5_EL2", E(3, 4, 10, 6, 5), EL2, HYP, NV, EL2_REG, 0x968, 0, 0, NULL, NULL, -1),
	REG("MPAMVPM6_EL2", E(3, 4, 10, 6, 6), EL2, HYP, NV, EL2_REG, 0x970, 0, 0, NULL, NULL, -1),
	REG("MPAMVPM7_EL2", E(3, 4, 10, 6, 7), EL2, HYP, NV, EL2_REG, 0x978, 0, 0, NULL, NULL, -1),
	REG("HFGRTR_EL2", E(3, 4, 1, 1, 4), EL2, FGT, NV, EL2_REG, 0x1b8, 1, 0, NULL, NULL, -1),
	REG("HFGWTR_EL2", E(3, 4, 1, 1, 5), EL2, FGT, NV, EL2_REG, 0x1c0, 1, 0, NULL, NULL, -1),
	REG("HFGITR_EL2", E(3, 4, 1, 1, 6), EL2, FGT, NV, EL2_REG, 0x1c8, 1, 0, NULL, NULL, -1),
	REG("HDFGRTR2_EL2", E(3, 4, 3, 1, 0), EL2, FGT, NV, EL2_REG, 0x1a0, 1, 0, NULL, NULL, -1),
	REG("HDFGWTR2_EL2", E(3, 4, 3, 1, 1), EL2, FGT, NV, EL2_REG, 0x1b0, 1, 0, NULL, NULL, -1),
	REG("HFGRTR2_EL2", E(3, 4, 3, 1, 2), EL2, FGT, NV, EL2_REG, 0x2c0, 1, 0, NULL, NULL, -1),
	REG("HFGWTR2_EL2", E(3, 4, 3, 1, 3), EL2, FGT, NV, EL2_REG, 0x2c8, 1, 0, NULL, NULL, -1),
	REG("HDFGRTR_EL2", E(3, 4, 3, 1, 4), EL2, FGT, NV, EL2_REG, 0x1d0, 1, 0, NULL, NULL, -1),
	REG("HDFGWTR_EL2", E(3, 4, 3, 1, 5), EL2, FGT, NV, EL2_REG, 0x1d8, 1, 0, NULL, NULL, -1),
	REG("HAFGRTR_EL2", E(3, 4, 3, 1, 6), EL2, FGT, NV, EL2_REG, 0x1e8, 1, 0, NULL, NULL, -1),
	REG("HFGITR2_EL2", E(3, 4, 3, 1, 7), EL2, FGT, NV, EL2_REG, 0x310, 1, 0, NULL, NULL, -1),
	REG("CNTVOFF_EL2", E(3, 4, 14, 0, 3), EL2, TIMER, NV, EL2_REG, 0x060, 1, 0, NULL, NULL, -1),
	REG("CNTHCTL_EL2", E(3, 4, 14, 1, 0), EL2, TIMER, NV, EL2_REG, -1, 0, 0, NULL, NULL, -1),
	REG("CNTHP_TVAL_EL2", E(3, 4, 14, 2, 0), EL2, TIMER, NV, TIMER, -1, 0, 0, NULL, NULL, -1),
	REG("CNTHP_CTL_EL2", E(3, 4, 14, 2, 1), EL2, TIMER, NV, TIMER, -1, 0, 0, NULL, NULL, -1),
	REG("CNTHP_CVAL_EL2", E(3, 4, 14, 2, 2), EL2, TIMER, NV, TIMER, -1, 0, 0, NULL, NULL, -1),
	REG("CNTHV_TVAL_EL2", E(3, 4, 14, 3, 0), EL2, TIMER, NV, TIMER, -1, 0, 0, NULL, NULL, -1),
	REG("CNTHV_CTL_EL2", E(3, 4, 14, 3, 1), EL2, TIMER, NV, TIMER, -1, 0, 0, NULL, NULL, -1),
	REG("CNTHV_CVAL_EL2", E(3, 4, 14, 3, 2), EL2, TIMER, NV, TIMER, -1, 0, 0, NULL, NULL, -1),
	REG("ICH_AP0R0_EL2", E(3, 4, 12, 8, 0), EL2, GIC, NV, GICV3, 0x480, 1, 0, NULL, NULL, -1),
	REG("ICH_AP0R1_EL2", E(3, 4, 12, 8, 1), EL2, GIC, NV, GICV3, 0x488, 1, 0, NULL, NULL, -1),
	REG("ICH_AP0R2_EL2", E(3, 4, 12, 8, 2), EL2, GIC, NV, GICV3, 0x490, 1, 0, NULL, NULL, -1),
	REG("ICH_AP0R3_EL2", E(3, 4, 12, 8, 3), EL2, GIC, NV, GICV3, 0x498, 1, 0, NULL, NULL, -1),
	REG("ICH_AP1R0_EL2", E(3, 4, 12, 9, 0), EL2, GIC, NV, GICV3, 0x4a0, 1, 0, NULL, NULL, -1),
	REG("ICH_AP1R1_EL2", E(3, 4, 12, 9, 1), EL2, GIC, NV, GICV3, 0x4a8, 1, 0, NULL, NULL, -1),
	REG("ICH_AP1R2_EL2", E(3, 4, 12, 9, 2), EL2, GIC, NV, GICV3, 0x4b0, 1, 0, NULL, NULL, -1),
	REG("ICH_AP1R3_EL2", E(3, 4, 12, 9, 3), EL2, GIC, NV, GICV3, 0x4b8, 1, 0, NULL, NULL, -1),
	REG("ICC_SRE_EL2", E(3, 4, 12, 9, 5), EL2, GIC, NV, GICV3, -1, 0, 0, NULL, NULL, -1),
	REG("ICH_HCR_EL2", E(3, 4, 12, 11, 0), EL2, GIC, NV, GICV3, 0x4c0, 1, 0, NULL, NULL, -1),
	REG("ICH_VTR_EL2", E(3, 4, 12, 11, 1), EL2, GIC, NV, GICV3, -1, 0, 0, NULL, NULL, -1),
	REG("ICH_MISR_EL2", E(3, 4, 12, 11, 2), EL2, GIC, NV, GICV3, -1, 0, 0, NULL, NULL, -1),
	REG("ICH_EISR_EL2", E(3, 4, 12, 11, 3), EL2, GIC, NV, GICV3, -1, 0, 0, NULL, NULL, -1),
	REG("ICH_ELRSR_EL2", E(3, 4, 12, 11, 5), EL2, GIC, NV, GICV3, -1, 0, 0, NULL, NULL, -1),
	REG("ICH_VMCR_EL2", E(3, 4, 12, 11, 7), EL2, GIC, NV, GICV3, 0x4c8, 1, 0, NULL, NULL, -1),
	REG("ICH_LR0_EL2", E(3, 4, 12, 12, 0), EL2, GIC, NV, GICV3, 0x400, 1, 0, NULL, NULL, -1),
	REG("ICH_LR1_EL2", E(3, 4, 12, 12, 1), EL2, GIC, NV, GICV3, 0x408, 1, 0, NULL, NULL, -1),
	REG("ICH_LR2_EL2", E(3, 4, 12, 12, 2), EL2, GIC, NV, GICV3, 0x410, 1, 0, NULL, NULL, -1),
	REG("ICH_LR3_EL2", E(3, 4, 12, 12, 3), EL2, GIC, NV, GICV3, 0x418, 1, 0, NULL, NULL, -1),
	REG("ICH_LR4_EL2", E(3, 4, 12, 12, 4), EL2, GIC, NV, GICV3, 0x420, 1, 0, NULL, NULL, -1),
	REG("ICH_LR5_EL2", E(3, 4, 12, 12, 5), EL2, GIC, NV, GICV3, 0x428, 1, 0, NULL, NULL, -1),
	REG("ICH_LR6_EL2", E(3, 4, 12, 12, 6), EL2, GIC, NV, GICV3, 0x430, 1, 0, NULL, NULL, -1),
	REG("ICH_LR7_EL2", E(3, 4, 12, 12, 7), EL2, GIC, NV, GICV3, 0x438, 1, 0, NULL, NULL, -1),
	REG("ICH_LR8_EL2", E(3, 4, 12, 13, 0), EL2, GIC, NV, GICV3, 0x440, 1, 0, NULL, NULL, -1),
	REG("ICH_LR9_EL2", E(3, 4, 12, 13, 1), EL2, GIC, NV, GICV3, 0x448, 1, 0, NULL, NULL, -1),
	REG("ICH_LR10_EL2", E(3, 4, 12, 13, 2), EL2, GIC, NV, GICV3, 0x450, 1, 0, NULL, NULL, -1),
	REG("ICH_LR11_EL2", E(3, 4, 12, 13, 3), EL2, GIC, NV, GICV3, 0x458, 1, 0, NULL, NULL, -1),
	REG("ICH_LR12_EL2", E(3, 4, 12, 13, 4), EL2, GIC, NV, GICV3, 0x460, 1, 0, NULL, NULL, -1),
	REG("ICH_LR13_EL2", E(3, 4, 12, 13, 5), EL2, GIC, NV, GICV3, 0x468, 1, 0, NULL, NULL, -1),
	REG("ICH_LR14_EL2", E(3, 4, 12, 13, 6), EL2, GIC, NV, GICV3, 0x470, 1, 0, NULL, NULL, -1),
	REG("ICH_LR15_EL2", E(3, 4, 12, 13, 7), EL2, GIC, NV, GICV3, 0x478, 1, 0, NULL, NULL, -1),
	/* A page of the nested VM's RAM that L0's shadow stage 2 lacks but the
	 * guest hypervisor's stage 2 maps: the nested VM's access is a stage-2
	 * fault L0 resolves alone (kvm_handle_guest_abort -> kvm_walk_nested_s2,
	 * shadow filled, no exit to vEL2).  Pushed by mmu.retry. */
	REG("L2_RAM", -1, EL_MMIO, VM, MMIO, L0_S2, -1, 0, 0, NULL, NULL, -1),
	REG("GICH_HCR", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x000),
	REG("GICH_VTR", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x004),
	REG("GICH_VMCR", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x008),
	REG("GICH_MISR", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x010),
	REG("GICH_EISR0", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x020),
	REG("GICH_EISR1", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x024),
	REG("GICH_ELRSR0", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x030),
	REG("GICH_ELRSR1", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x034),
	REG("GICH_APR", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x0f0),
	REG("GICH_LR0", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x100),
	REG("GICH_LR1", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x104),
	REG("GICH_LR2", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x108),
	REG("GICH_LR3", -1, EL_MMIO, GIC, MMIO, GICV2_MMIO, -1, 0, 0, NULL, NULL, 0x10c),
	/* GICv2 distributor SGI register (offset 0xf00): a VM's write is a
	 * stage-2 abort its hypervisor emulates (vgic_mmio_write_sgir). */
	REG("GICD_SGIR", -1, EL_MMIO, GIC, MMIO, VGIC_MMIO, -1, 0, 0, NULL, NULL, 0xf00),
	/* GICv3 redistributor SGI frame (RD base + 0x10000): the guest
	 * hypervisor's own GIC driver sets/clears a PPI's active state
	 * (gic_poke_irq), a stage-2 abort its host (L0) emulates. */
	REG("GICR_ISACTIVER0", -1, EL_MMIO, GIC, MMIO, VGIC_MMIO, -1, 0, 0, NULL, NULL, 0x10300),
	REG("GICR_ICACTIVER0", -1, EL_MMIO, GIC, MMIO, VGIC_MMIO, -1, 0, 0, NULL, NULL, 0x10380),
	/* A page of the guest hypervisor's own RAM its host has not mapped in
	 * stage 2 yet: the first store is a stage-2 fault L0 fixes
	 * (kvm_handle_guest_abort -> user_mem_abort), visible as a DABT. */
	REG("L1_RAM", -1, EL_MMIO, VM, MMIO, L0_S2, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VMALLE1IS", E(1, 0, 8, 3, 0), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VAE1IS", E(1, 0, 8, 3, 1), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_ASIDE1IS", E(1, 0, 8, 3, 2), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VAAE1IS", E(1, 0, 8, 3, 3), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VALE1IS", E(1, 0, 8, 3, 5), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VAALE1IS", E(1, 0, 8, 3, 7), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_RVAE1IS", E(1, 0, 8, 2, 1), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_RVAALE1IS", E(1, 0, 8, 2, 7), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VMALLE1", E(1, 0, 8, 7, 0), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VAE1", E(1, 0, 8, 7, 1), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VALE1", E(1, 0, 8, 7, 5), EL1, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_IPAS2E1IS", E(1, 4, 8, 0, 1), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_IPAS2LE1IS", E(1, 4, 8, 0, 5), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_IPAS2E1", E(1, 4, 8, 4, 1), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_ALLE2IS", E(1, 4, 8, 3, 0), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VAE2IS", E(1, 4, 8, 3, 1), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_ALLE1IS", E(1, 4, 8, 3, 4), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VMALLS12E1IS", E(1, 4, 8, 3, 6), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_ALLE2", E(1, 4, 8, 7, 0), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VAE2", E(1, 4, 8, 7, 1), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_ALLE1", E(1, 4, 8, 7, 4), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("TLBI_VMALLS12E1", E(1, 4, 8, 7, 6), EL2, TLBI, NV, TLBI, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S1E1R", E(1, 0, 7, 8, 0), EL1, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S1E1W", E(1, 0, 7, 8, 1), EL1, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S1E0R", E(1, 0, 7, 8, 2), EL1, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S1E0W", E(1, 0, 7, 8, 3), EL1, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S1E2R", E(1, 4, 7, 8, 0), EL2, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S1E2W", E(1, 4, 7, 8, 1), EL2, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S12E1R", E(1, 4, 7, 8, 4), EL2, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S12E1W", E(1, 4, 7, 8, 5), EL2, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S12E0R", E(1, 4, 7, 8, 6), EL2, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
	REG("AT_S12E0W", E(1, 4, 7, 8, 7), EL2, AT, NV, AT, -1, 0, 0, NULL, NULL, -1),
};

#define NREGS ((int)(sizeof(table) / sizeof(table[0])))

/* Number of rows in the table. */
int nv_sysreg_count(void)
{
	return NREGS;
}

/* Row idx, NULL out of range. */
const struct nv_sysreg *nv_sysreg_at(int idx)
{
	return idx >= 0 && idx < NREGS ? &table[idx] : NULL;
}

/* Linear scan: the table is small and lookups happen at set-up, not per event. */
int nv_sysreg_by_name(const char *name)
{
	for (int i = 0; name && i < NREGS; i++)
		if (!strcasecmp(table[i].name, name))
			return i;
	return -1;
}

/* The rows by encoding, an open-addressing hash (4 slots a row; the first
 * row of an encoding, as a scan of the table in order finds it), built once
 * per thread (no lock: model/ uses the C library alone): replay looks an
 * encoding up per trap. */
#define ENC_SLOTS 1024
_Static_assert(ENC_SLOTS >= 4 * NREGS, "the hash at most a quarter full");
static _Thread_local int16_t by_enc[ENC_SLOTS];	/* row + 1, 0: empty */
static _Thread_local int by_enc_built;

/* The first slot of encoding enc. */
static unsigned enc_slot(int32_t enc)
{
	return ((uint32_t)enc * 0x9e3779b1u) >> 22;	/* 10 bits: ENC_SLOTS */
}

/* Fill this thread's by_enc, rows in order (a later row of an encoding
 * already there is left out). */
static void by_enc_build(void)
{
	for (int i = 0; i < NREGS; i++) {
		unsigned k = enc_slot(table[i].enc);
		if (table[i].enc < 0)
			continue;
		while (by_enc[k] && table[by_enc[k] - 1].enc != table[i].enc)
			k = (k + 1) & (ENC_SLOTS - 1);
		if (!by_enc[k])
			by_enc[k] = (int16_t)(i + 1);
	}
	by_enc_built = 1;
}

/* The first row with encoding enc, -1 if none. */
int nv_sysreg_by_enc(int32_t enc)
{
	if (enc < 0)
		return -1;
	if (!by_enc_built)
		by_enc_build();
	for (unsigned k = enc_slot(enc); by_enc[k]; k = (k + 1) & (ENC_SLOTS - 1))
		if (table[by_enc[k] - 1].enc == enc)
			return by_enc[k] - 1;
	return -1;
}
