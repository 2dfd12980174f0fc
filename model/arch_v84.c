/*
 * "v8.4": FEAT_NV2 as Linux uses it (torvalds/linux @211fced4).  Every
 * register in the VNCR() block of enum vcpu_sysreg is a VNCR-page memory
 * access; an EL2 register with an EL1 mapping (get_el2_to_el1_mapping) runs
 * on the EL1 register, except for a non-VHE guest when the mapping needs a
 * translation (Linux then keeps the in-memory copy: the access traps); the
 * rest traps.  Trap controls come before the memory transformation, so L0's
 * TACR/TDA/TPM still trap ACTLR/MDSCR/PMU accesses, and Linux traps the EL02
 * timer aliases (seen in reference/real-arm64-nv: CNTV_CTL_EL02 writes trap).
 */
#include "model/model_int.h"

const struct nv_arch nv_arch_v84 = {
	.name = "v8.4",
	.desc = "ARMv8.4 FEAT_NV2 as Linux uses it: VNCR page, EL2->EL1 redirection, the rest traps",
	.nested = 1,
	.vncr_memory = 1,
	.redirect_mapped = 1,
	.el02_timers_trap = 1,
};
