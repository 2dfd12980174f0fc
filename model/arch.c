/*
 * Architecture policies: the fate of one guest-hypervisor operation at vEL2.
 * The architectures themselves are data (model/arch_*.c); this file is the
 * one decision procedure that reads their switches.
 */
#include <string.h>
#include <strings.h>
#include "model/model_int.h"

extern const struct nv_arch nv_arch_vm, nv_arch_v83, nv_arch_neve, nv_arch_v84;
static const struct nv_arch *const archs[] = { &nv_arch_vm, &nv_arch_v83, &nv_arch_neve, &nv_arch_v84 };
#define NARCH ((int)(sizeof(archs) / sizeof(archs[0])))

int nv_arch_count(void) { return NARCH; }
const struct nv_arch *nv_arch_at(int i) { return i >= 0 && i < NARCH ? archs[i] : NULL; }
const char *nv_arch_name(const struct nv_arch *a) { return a->name; }
const char *nv_arch_desc(const struct nv_arch *a) { return a->desc; }
int nv_arch_is_nested(const struct nv_arch *a) { return a->nested; }

/* Architecture by name (case-insensitive), NULL if unknown. */
const struct nv_arch *nv_arch_find(const char *name)
{
	for (int i = 0; name && i < NARCH; i++)
		if (!strcasecmp(archs[i]->name, name))
			return archs[i];
	return NULL;
}

/* The architecture alone: non-VHE guest, no optional L0 trap control. */
struct nv_guest_cfg nv_guest_cfg_default(void)
{
	struct nv_guest_cfg g = { 0, 0, 0 };
	return g;
}

/* The EL12/EL02 row whose alias_of is this register, -1 if none. */
static int el12_alias_of(const struct nv_sysreg *r)
{
	for (int i = 0; i < nv_sysreg_count(); i++) {
		const struct nv_sysreg *a = nv_sysreg_at(i);
		if (a->alias_of && !strcmp(a->alias_of, r->name))
			return i;
	}
	return -1;
}

/* Fate of a trap: which handler. */
static struct nv_fate_info trap(enum nv_handler h)
{
	struct nv_fate_info f = { NV_FATE_TRAP, h, -1 };
	return f;
}

/* Fate without a handler (native, memory, redirect to target). */
static struct nv_fate_info plain(enum nv_fate fate, int target)
{
	struct nv_fate_info f = { fate, NV_H_NONE, target };
	return f;
}

/* Optional L0 trap controls, set per profile option. */
static int optional_ctl(int ctl)
{
	return ctl == NV_CTL_TCPAC || ctl == NV_CTL_TACR || ctl == NV_CTL_TDA || ctl == NV_CTL_TPM;
}

/* Fate of an access to register r from vEL2 (MRS/MSR/TLBI/AT/MMIO). */
static struct nv_fate_info reg_fate(const struct nv_arch *a, const struct nv_guest_cfg *g, int reg)
{
	const struct nv_sysreg *r = nv_sysreg_at(reg);
	int ctl = r->ctl;

	if (r->el == NV_EL_MMIO || r->cls == NV_RC_TLBI || r->cls == NV_RC_AT)
		return trap(r->handler);
	/* VHE guest: an EL1 encoding with an EL12 alias means the EL2 register
	 * (E2H), which L0 keeps in the hardware EL1 register: native. */
	if (g->vhe && r->el == NV_EL1 && el12_alias_of(r) >= 0)
		return plain(NV_FATE_NATIVE, -1);

	int backed = 0;
	if (a->vncr_memory) {
		if (r->el == NV_EL12) {
			int t = nv_sysreg_by_name(r->alias_of);
			backed = g->vhe && t >= 0 && nv_sysreg_at(t)->linux_vncr &&
				 !(a->el02_timers_trap && r->cls == NV_RC_TIMER);
		} else {
			backed = r->linux_vncr;
		}
	}
	int opt_on = optional_ctl(ctl) && (g->ctl_on & (1u << ctl));
	if (backed && (a->memory_first || !opt_on))
		return plain(NV_FATE_MEMORY, -1);
	if (opt_on)
		return trap(r->handler);
	if (r->el1_map && a->redirect_mapped && (g->vhe || !r->xlate || a->redirect_xlate_nvhe))
		return plain(NV_FATE_REDIRECT, nv_sysreg_by_name(r->el1_map));

	switch (ctl) {
	case NV_CTL_NV:
	case NV_CTL_NV_SP:
	case NV_CTL_MMIO:
	case NV_CTL_TID:
		if (r->el1_map && a->redirect_mapped)
			return trap(NV_H_EL2_XLATE);
		return trap(r->handler);
	case NV_CTL_NV1:
		if (g->elr_spsr_native && strcmp(r->name, "VBAR_EL1"))
			return plain(NV_FATE_NATIVE, -1);
		return trap(r->handler);
	case NV_CTL_TVM:
		return a->tvm_for_nvhe ? trap(r->handler) : plain(NV_FATE_NATIVE, -1);
	case NV_CTL_EL12:
		return g->vhe ? trap(r->handler) : trap(NV_H_UNDEF);
	default:
		return plain(NV_FATE_NATIVE, -1);
	}
}

/*
 * The fate of one operation of the guest hypervisor under architecture a.
 * On "vm" the hypervisor runs at real EL2: everything is native except the
 * VM's own exception, which is the one trap of a single-level exit.
 */
struct nv_fate_info nv_arch_fate(const struct nv_arch *a, const struct nv_guest_cfg *g,
				 enum nv_op_kind kind, int reg)
{
	struct nv_guest_cfg def = nv_guest_cfg_default();
	if (!g)
		g = &def;
	if (kind == NV_OP_EXC)
		return trap(a->nested ? NV_H_FORWARD : NV_H_HVC_VM);
	if (kind == NV_OP_MEM)
		return plain(NV_FATE_MEMORY, -1);
	if (!a->nested || kind == NV_OP_NATIVE || kind == NV_OP_CALL)
		return plain(NV_FATE_NATIVE, -1);
	switch (kind) {
	case NV_OP_ERET:
		return trap(NV_H_ERET);
	case NV_OP_HVC:
	case NV_OP_SMC:
		return trap(NV_H_FORWARD);
	default:
		break;
	}
	if (reg < 0 || reg >= nv_sysreg_count())
		return trap(NV_H_UNDEF);
	return reg_fate(a, g, reg);
}
