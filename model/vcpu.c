/*
 * The per-vCPU sub-model state: a nested VM with some RAM mapped by the
 * guest hypervisor's stage 2 and an emulated device left unmapped, NV
 * timers starting in vEL2, a vGIC with four list registers.
 */
#include <stdlib.h>
#include <string.h>
#include "model/vcpu.h"

#define GUEST_HCR_VM_IMO_FMO (S2_HCR_VM | (1ull << 3) | (1ull << 4))

/* A vCPU as a guest hypervisor leaves it after creating its nested VM. */
struct nv_vcpu *nv_vcpu_new(void)
{
	struct nv_vcpu *v = calloc(1, sizeof(*v));
	uint64_t root;

	if (!v)
		return NULL;
	v->mmu = s2mmu_new(2);
	if (!v->mmu) {
		free(v);
		return NULL;
	}
	root = s2g_new_root(v->mmu);
	for (int i = 0; i < NV_VCPU_RAM_PAGES; i++)
		s2g_map(v->mmu, S2_VTCR_39BIT_4K, root, NV_VCPU_RAM_IPA + 0x1000ull * i,
			NV_VCPU_RAM_L1 + 0x1000ull * i, 0x1000, S2_PERM_RW, NULL);
	for (int c = 0; c < 2; c++)
		s2mmu_set_guest_regs(v->mmu, c, (1ull << 48) | root, S2_VTCR_39BIT_4K,
				     GUEST_HCR_VM_IMO_FMO);
	nv_timers_init(&v->timers, true, false);
	nv_vgic_init(&v->vgic, NV_GIC_V3, NV_VCPU_NR_LR);
	v->vgic.hcr = NV_HCR_EN;
	v->vgic.vmcr = NV_VMCR_ENG1;
	nv_vgic_map_hw(&v->vgic, 27, 27); /* L0 maps the vtimer PPI to the host's */
	/* The nested VM is running: EL1 timers on the hardware, shadow LRs and
	 * a shadow stage 2 loaded. */
	nv_timer_vcpu_load(&v->timers, 0, NULL);
	nv_timer_switch(&v->timers, false, 0, NULL);
	nv_vgic_nested_load(&v->vgic, NULL);
	s2mmu_vcpu_load(v->mmu, 0, false, NULL);
	return v;
}

void nv_vcpu_free(struct nv_vcpu *v)
{
	if (!v)
		return;
	s2mmu_free(v->mmu);
	free(v);
}

void nv_vcpu_configure(struct nv_vcpu *v, const struct nv_profile *p)
{
	int gicv2;
	const char *name;

	if (v->gic_chosen || !p)
		return;
	gicv2 = nv_profile_option_get(p, "gicv2");
	name = nv_profile_name(p);
	if (gicv2 < 0)
		gicv2 = name && !strncmp(name, "kvm-2017", 8);
	v->vgic.gic = gicv2 ? NV_GIC_V2 : NV_GIC_V3;
	v->gic_chosen = 1;
}

/* The sub-models name registers with static strings, so the pointer is a
 * key; a full cache just falls back to the table's own lookup. */
int nv_vcpu_reg(struct nv_vcpu *v, const char *name)
{
	int idx;

	for (int i = 0; i < v->nregcache; i++)
		if (v->regcache[i].name == name)
			return v->regcache[i].idx;
	idx = nv_sysreg_by_name(name);
	if (v->nregcache < (int)(sizeof(v->regcache) / sizeof(v->regcache[0]))) {
		v->regcache[v->nregcache].name = name;
		v->regcache[v->nregcache++].idx = (int16_t)idx;
	}
	return idx;
}
