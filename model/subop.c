/* The sub-models' operation log: append, name, count. */
#include <stddef.h>
#include "model/subop.h"

static const char *const submodel_names[NV_SUB__COUNT] = {
	[NV_SUB_S2MMU] = "s2mmu",
	[NV_SUB_TIMER] = "timer",
	[NV_SUB_VGIC] = "vgic",
};

static const char *const kind_names[NV_SUBOP__COUNT] = {
	[NV_SUBOP_GH_MRS] = "gh-mrs",
	[NV_SUBOP_GH_MSR] = "gh-msr",
	[NV_SUBOP_GH_MMIO_RD] = "gh-mmio-read",
	[NV_SUBOP_GH_MMIO_WR] = "gh-mmio-write",
	[NV_SUBOP_GH_TLBI] = "gh-tlbi",
	[NV_SUBOP_GH_MEM] = "gh-mem",
	[NV_SUBOP_L2_TRAP] = "l2-trap",
	[NV_SUBOP_L2_NATIVE] = "l2-native",
	[NV_SUBOP_L0_SYSREG] = "l0-sysreg",
	[NV_SUBOP_L0_MMIO] = "l0-mmio",
	[NV_SUBOP_L0_S2_WALK] = "l0-s2-walk",
	[NV_SUBOP_L0_WORK] = "l0-work",
	[NV_SUBOP_L0_FORWARD] = "l0-forward",
};

/* Start an empty log over the caller's array. */
void nv_subop_log_init(struct nv_subop_log *log, struct nv_subop *ops, unsigned cap)
{
	log->op = ops;
	log->cap = ops ? cap : 0;
	log->len = 0;
	log->dropped = 0;
}

/* Append one operation; a full log counts what it drops instead of growing,
 * so the sub-models never allocate on the per-exit path. */
void nv_subop_emit(struct nv_subop_log *log, enum nv_sub_id sub,
		   enum nv_subop_kind kind, int dir, const char *name, unsigned n)
{
	if (!log)
		return;
	if (log->len >= log->cap) {
		log->dropped++;
		return;
	}
	log->op[log->len++] = (struct nv_subop){
		.sub = (uint8_t)sub, .kind = (uint8_t)kind, .dir = (int8_t)dir,
		.n = (uint16_t)(n > 0xffff ? 0xffff : n), .name = name,
	};
}

/* Name of a sub-model ("s2mmu", "timer", "vgic"). */
const char *nv_sub_name(enum nv_sub_id sub)
{
	return (unsigned)sub < NV_SUB__COUNT ? submodel_names[sub] : "?";
}

/* Name of an operation kind. */
const char *nv_subop_kind_name(enum nv_subop_kind kind)
{
	return (unsigned)kind < NV_SUBOP__COUNT ? kind_names[kind] : "?";
}

/* Number of operations of one kind in a log. */
unsigned nv_subop_count(const struct nv_subop_log *log, enum nv_subop_kind kind)
{
	unsigned c = 0;

	for (unsigned i = 0; log && i < log->len; i++)
		c += log->op[i].kind == kind;
	return c;
}
