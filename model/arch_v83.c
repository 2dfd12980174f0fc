/*
 * "v8.3": FEAT_NV.  HCR_EL2.NV traps EL2 register accesses, ERET, EL12/EL02
 * aliases, SP_EL1 and EL2 TLBI/AT; NV1 (non-VHE guest) traps VBAR/ELR/
 * SPSR_EL1; L0 must also set TVM/TRVM for a non-VHE vEL2 because the
 * hardware EL1 registers hold the guest hypervisor's own (shadow) state
 * (columbia/nesting-pub switch.c@0a0bfd01: HCR_TVM|HCR_TRVM|HCR_NV|HCR_NV1).
 */
#include "model/model_int.h"

const struct nv_arch nv_arch_v83 = {
	.name = "v8.3",
	.desc = "ARMv8.3 FEAT_NV: NV+NV1 (non-VHE guest) or NV+E2H (VHE guest), trap and emulate",
	.nested = 1,
	.tvm_for_nvhe = 1,
};
