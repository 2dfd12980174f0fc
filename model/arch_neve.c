/*
 * "neve": the seed's proposal (SOSP'17).  VM registers are logged to memory
 * (the class ARM shipped as the VNCR page stands in for the paper's table,
 * see kvm-2017-hypercall-path.md section 5), hypervisor control registers
 * with an EL1 counterpart are redirected in hardware (format translation
 * included, so also for a non-VHE guest), the rest traps.  Logged accesses
 * are deferred, so L0's optional controls (TACR, TDA...) do not make them trap.
 */
#include "model/model_int.h"

const struct nv_arch nv_arch_neve = {
	.name = "neve",
	.desc = "NEVE: VM registers logged to memory, hypervisor control registers redirected to EL1",
	.nested = 1,
	.vncr_memory = 1,
	.memory_first = 1,
	.redirect_mapped = 1,
	.redirect_xlate_nvhe = 1,
};
