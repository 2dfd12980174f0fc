/*
 * Shadow stage-2 MMU: the state changes Linux's nested.c makes.  Expected
 * values come from the 4KB-granule geometry (39-bit IPA, walk from level 1:
 * three descriptor reads to reach a page), S2_MMU_PER_VCPU = 2 and the
 * round-robin recycling of get_s2_mmu_nested.
 */
#include <stdlib.h>
#include "tap.h"
#include "model/s2mmu.h"

#define VMID(v) ((uint64_t)(v) << 48)
#define L2_PAGE 0x40001000ull   /* nested VM IPA */
#define L1_PAGE 0x12345000ull   /* where the guest hypervisor maps it */

static struct s2mmu *setup(int nr_vcpus, uint64_t *root)
{
	struct s2mmu *m = s2mmu_new(nr_vcpus);

	*root = s2g_new_root(m);
	s2mmu_set_guest_regs(m, 0, VMID(1) | *root, S2_VTCR_39BIT_4K, S2_HCR_VM);
	return m;
}

/* A page the guest maps: the first access faults and L0 resolves it alone
 * with a three-read walk; the second access hits the shadow. */
static void test_fault_then_hit(void)
{
	struct nv_subop ops[32];
	struct nv_subop_log log;
	struct s2_walk_result w;
	uint64_t root;
	struct s2mmu *m = setup(1, &root);

	T_EQ_INT(s2g_map(m, S2_VTCR_39BIT_4K, root, L2_PAGE, L1_PAGE, 0x1000, S2_PERM_RW, NULL), 0,
		 "guest maps a fresh page (no valid entry replaced)");
	nv_subop_log_init(&log, ops, 32);
	s2mmu_vcpu_load(m, 0, false, &log);
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE + 0x10, false, &w, &log), S2_ACCESS_RESOLVED,
		 "first access: shadow fault resolved by L0");
	T_EQ_INT(w.reads, 3, "walk read 3 descriptors (levels 1, 2, 3)");
	T_EQ_U64(w.oa, L1_PAGE + 0x10, "walk output is the guest's mapping");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_FORWARD), 0, "nothing forwarded to the guest hypervisor");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_S2_WALK), 3, "one walk op logged per descriptor read");
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE + 0x20, true, NULL, &log), S2_ACCESS_HIT,
		 "second access (same page, write) hits the shadow");
	T_EQ_U64(m->st.walks, 1, "walks = 1");
	T_EQ_U64(m->st.walk_reads, 3, "descriptor reads = 3");
	T_EQ_U64(m->st.shadow_faults, 1, "shadow faults = 1");
	T_EQ_U64(m->st.forwarded_faults, 0, "forwarded faults = 0");
	T_EQ_U64(m->st.hits, 1, "hits = 1");
	s2mmu_free(m);
}

/* An unmapped IPA (an emulated device at 0x4a000000: same 1GB as the mapped
 * page, so the level-1 table entry exists, but a 2MB slot the guest never
 * filled) is forwarded; the walk stops at level 2 after 2 reads. */
static void test_unmapped_is_forwarded(void)
{
	struct s2_walk_result w;
	uint64_t root;
	struct s2mmu *m = setup(1, &root);

	s2g_map(m, S2_VTCR_39BIT_4K, root, L2_PAGE, L1_PAGE, 0x1000, S2_PERM_RW, NULL);
	T_EQ_INT(s2mmu_access(m, 0, 0x4a000000ull, true, &w, NULL), S2_ACCESS_FORWARD,
		 "MMIO hole: forwarded to the guest hypervisor");
	T_EQ_INT(w.fault, S2_FAULT_TRANSLATION, "translation fault");
	T_EQ_INT(w.level, 2, "at level 2");
	T_EQ_INT(w.reads, 2, "after 2 descriptor reads");
	T_EQ_INT(s2mmu_access(m, 0, 0x4a000000ull, true, NULL, NULL), S2_ACCESS_FORWARD,
		 "forwarded again: an unmapped IPA never enters the shadow");
	T_EQ_U64(m->st.forwarded_faults, 2, "forwarded faults = 2");
	/* a read-only page written: permission fault forwarded, guest fixes it */
	s2g_map(m, S2_VTCR_39BIT_4K, root, 0x40002000ull, 0x22000000ull, 0x1000, S2_PERM_R, NULL);
	T_EQ_INT(s2mmu_access(m, 0, 0x40002000ull, true, &w, NULL), S2_ACCESS_FORWARD,
		 "write to a read-only guest mapping is forwarded");
	T_EQ_INT(w.fault, S2_FAULT_PERM, "as a permission fault");
	s2mmu_free(m);
}

/* The guest unmaps a page and TLBIs it: the shadow loses it, the next
 * access faults again and is forwarded; remapping refaults and resolves. */
static void test_tlbi_then_refault(void)
{
	struct nv_subop ops[32];
	struct nv_subop_log log;
	uint64_t root;
	struct s2mmu *m = setup(1, &root);

	s2g_map(m, S2_VTCR_39BIT_4K, root, L2_PAGE, L1_PAGE, 0x1000, S2_PERM_RW, NULL);
	s2g_map(m, S2_VTCR_39BIT_4K, root, L2_PAGE + 0x200000, L1_PAGE + 0x200000, 0x1000, S2_PERM_RW, NULL);
	s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL);
	s2mmu_access(m, 0, L2_PAGE + 0x200000, false, NULL, NULL);
	T_EQ_INT(m->mmu[m->vcpu[0].hw_mmu].nr, 2, "two pages in the shadow");

	T_EQ_INT(s2g_unmap(m, S2_VTCR_39BIT_4K, root, L2_PAGE, NULL), 1, "guest unmaps the first page");
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL), S2_ACCESS_HIT,
		 "before the TLBI the stale shadow entry still hits (as on hardware)");
	nv_subop_log_init(&log, ops, 32);
	/* no TTL: L0 uses the level recorded in the shadow (4KB) */
	s2mmu_tlbi(m, 0, S2_TLBI_IPAS2E1IS, L2_PAGE >> 12, &log);
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_GH_TLBI), 1, "the TLBI is logged");
	T_EQ_U64(m->st.invalidations, 1, "invalidations = 1");
	T_EQ_U64(m->st.unmapped, 1, "one shadow mapping dropped (4KB range)");
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE + 0x200000, false, NULL, NULL), S2_ACCESS_HIT,
		 "the other page (2MB away) survived the 4KB invalidation");
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL), S2_ACCESS_FORWARD,
		 "after the TLBI: refault, forwarded (guest unmapped it)");
	s2mmu_guest_fix_fault(m, 0, L2_PAGE, L1_PAGE, 0x1000, S2_PERM_RW, NULL);
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL), S2_ACCESS_RESOLVED,
		 "guest remapped it: refault resolved by L0");

	/* VMALLS12E1IS drops the whole shadow of the current VMID */
	s2mmu_tlbi(m, 0, S2_TLBI_VMALLS12E1IS, 0, NULL);
	T_EQ_INT(m->mmu[m->vcpu[0].hw_mmu].nr, 0, "VMALLS12E1IS empties the shadow");
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE + 0x200000, false, NULL, NULL), S2_ACCESS_RESOLVED,
		 "and the next access refaults");
	/* an IPAS2E1IS without TTL for an address the shadow does not hold
	 * invalidates the largest extent, 1GB: both pages go */
	s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL);
	s2mmu_tlbi(m, 0, S2_TLBI_IPAS2E1IS, 0x40100000ull >> 12, NULL);
	T_EQ_INT(m->mmu[m->vcpu[0].hw_mmu].nr, 0, "no level hint: 1GB range invalidated");
	s2mmu_free(m);
}

/* One vCPU has two shadows; a third VTTBR recycles the oldest (round-robin),
 * whose mappings are lost; the second VTTBR's shadow is kept. */
static void test_third_vttbr_evicts(void)
{
	uint64_t root_a, root_b, root_c;
	struct s2mmu *m = setup(1, &root_a);
	uint64_t vtcr = S2_VTCR_39BIT_4K;

	root_b = s2g_new_root(m);
	root_c = s2g_new_root(m);
	s2g_map(m, vtcr, root_a, L2_PAGE, L1_PAGE, 0x1000, S2_PERM_RW, NULL);
	s2g_map(m, vtcr, root_b, L2_PAGE, L1_PAGE + 0x1000, 0x1000, S2_PERM_RW, NULL);
	s2g_map(m, vtcr, root_c, L2_PAGE, L1_PAGE + 0x2000, 0x1000, S2_PERM_RW, NULL);
	T_EQ_INT(m->pool_size, 2, "pool: S2_MMU_PER_VCPU (2) for one vCPU");

	s2mmu_set_guest_regs(m, 0, VMID(1) | root_a, vtcr, S2_HCR_VM);
	s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL);
	T_EQ_INT(m->vcpu[0].hw_mmu, 0, "VTTBR A -> shadow 0");
	s2mmu_vcpu_put(m, 0);
	s2mmu_set_guest_regs(m, 0, VMID(2) | root_b, vtcr, S2_HCR_VM);
	s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL);
	T_EQ_INT(m->vcpu[0].hw_mmu, 1, "VTTBR B -> shadow 1");
	s2mmu_vcpu_put(m, 0);
	s2mmu_set_guest_regs(m, 0, VMID(1) | root_a, vtcr, S2_HCR_VM);
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL), S2_ACCESS_HIT,
		 "back to A: shadow 0 reused, still populated");
	s2mmu_vcpu_put(m, 0);
	T_EQ_U64(m->st.evictions, 0, "no eviction with two keys");

	s2mmu_set_guest_regs(m, 0, VMID(3) | root_c, vtcr, S2_HCR_VM);
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL), S2_ACCESS_RESOLVED,
		 "VTTBR C: fresh shadow, fault");
	T_EQ_INT(m->vcpu[0].hw_mmu, 0, "C recycled shadow 0 (round-robin, unreferenced)");
	T_EQ_U64(m->st.evictions, 1, "evictions = 1");
	s2mmu_vcpu_put(m, 0);

	s2mmu_set_guest_regs(m, 0, VMID(2) | root_b, vtcr, S2_HCR_VM);
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL), S2_ACCESS_HIT, "B's shadow kept");
	s2mmu_vcpu_put(m, 0);
	s2mmu_set_guest_regs(m, 0, VMID(1) | root_a, vtcr, S2_HCR_VM);
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL), S2_ACCESS_RESOLVED,
		 "A lost its shadow: it faults again");
	T_EQ_INT(m->vcpu[0].hw_mmu, 1, "and takes shadow 1 (next in round-robin)");
	T_EQ_U64(m->st.evictions, 2, "evictions = 2");
	s2mmu_vcpu_put(m, 0);
	s2mmu_set_guest_regs(m, 0, VMID(1) | root_a | S2_VTTBR_CNP, vtcr, S2_HCR_VM);
	T_EQ_INT(s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL), S2_ACCESS_HIT,
		 "CnP is not part of the key (same shadow)");
	s2mmu_free(m);
}

/* The generation (s2mmu_touch): new at every change of the state, the
 * same when nothing changed, and back to the old one when a vCPU's put is
 * undone by a load of the same shadow (the state as it was before). */
static void test_generation(void)
{
	uint64_t root, g0, g1, g2;
	struct s2mmu *m = setup(1, &root);
	struct nv_digest d0 = NV_DIGEST_INIT, d1 = NV_DIGEST_INIT;

	s2mmu_vcpu_load(m, 0, false, NULL);
	g0 = m->gen;
	s2mmu_set_guest_regs(m, 0, VMID(1) | root, S2_VTCR_39BIT_4K, S2_HCR_VM);
	T_EQ_U64(m->gen, g0, "the guest's registers written as they were: same generation");
	s2mmu_vcpu_put(m, 0);
	g1 = m->gen;
	T_OK(g1 != g0, "a put (the shadow's reference dropped): a new generation");
	s2mmu_vcpu_load(m, 0, false, NULL);
	T_EQ_U64(m->gen, g0, "the load of the same shadow: the generation before the put");
	s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL);
	T_EQ_U64(m->gen, g0, "an access to an unmapped page, forwarded: nothing changed");
	s2g_map(m, S2_VTCR_39BIT_4K, root, L2_PAGE, L1_PAGE, 0x1000, S2_PERM_RW, NULL);
	g2 = m->gen;
	T_OK(g2 != g0 && g2 != g1, "the guest maps the page: a generation never used before");
	s2mmu_digest(m, &d0);
	s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL);
	s2mmu_digest(m, &d1);
	T_OK(m->gen != g2 && (d0.a != d1.a || d0.b != d1.b), "L0 fills the shadow: new generation, new digest");
	g2 = m->gen;
	s2mmu_access(m, 0, L2_PAGE, false, NULL, NULL);
	T_EQ_U64(m->gen, g2, "a shadow hit: same generation");
	s2mmu_tlbi(m, 0, S2_TLBI_VMALLE1IS, 0, NULL);
	T_EQ_U64(m->gen, g2, "a stage-1 TLBI: same generation");
	s2mmu_tlbi(m, 0, S2_TLBI_VMALLS12E1IS, 0, NULL);
	T_OK(m->gen != g2, "a stage-2 TLBI unmapping the shadow entry: a new generation");
	s2mmu_free(m);
}

int main(void)
{
	test_fault_then_hit();
	test_generation();
	test_unmapped_is_forwarded();
	test_tlbi_then_refault();
	test_third_vttbr_evicts();
	return t_done();
}
