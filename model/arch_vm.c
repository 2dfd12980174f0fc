/* "vm": the single-level reference: the hypervisor runs at real EL2. */
#include "model/model_int.h"

const struct nv_arch nv_arch_vm = {
	.name = "vm",
	.desc = "single-level VM: the hypervisor runs at EL2, only the VM's exit traps",
	.nested = 0,
};
