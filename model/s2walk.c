/*
 * The guest hypervisor's stage-2 tables and L0's software walk of them
 * (the C version of AArch64.TranslationTableWalk that Linux's
 * walk_nested_s2_pgd is), 4KB granule only.  Table pages are model memory:
 * page k lives at L1 IPA S2G_TABLE_BASE + k * 4KB.
 */
#include <string.h>
#include "model/s2mmu.h"

#define PAGE_SHIFT 12
#define LEVEL_SHIFT(l) (PAGE_SHIFT + 9 * (3 - (l)))
#define LEVEL_SIZE(l) (1ull << LEVEL_SHIFT(l))

/* Geometry of a walk from VTCR_EL2: first level (SL0 for 4KB: 0 -> level 2,
 * 1 -> level 1, 2 -> level 0) and IPA size (64 - T0SZ). */
static int vtcr_start_level(uint64_t vtcr)
{
	static const int start_for_sl0[4] = { 2, 1, 0, -1 };
	return start_for_sl0[(vtcr >> 6) & 3];
}

static bool ipa_too_big(uint64_t vtcr, uint64_t ipa)
{
	unsigned bits = 64 - (unsigned)(vtcr & 0x3f);

	return bits < 64 && (ipa >> bits) != 0;
}

/* The table page at L1 IPA addr, or NULL if addr is not one of the guest's. */
static uint64_t *table_at(struct s2mmu *m, uint64_t addr)
{
	uint64_t k = (addr - S2G_TABLE_BASE) >> PAGE_SHIFT;

	if (addr < S2G_TABLE_BASE || k >= m->guest_tables)
		return NULL;
	return m->guest_table[k];
}

static const uint64_t *table_at_const(const struct s2mmu *m, uint64_t addr)
{
	return table_at((struct s2mmu *)m, addr);
}

/* A fresh zeroed table page for the guest; its L1 IPA, or 0 when none left. */
uint64_t s2g_new_root(struct s2mmu *m)
{
	if (m->guest_tables >= S2G_TABLES)
		return 0;
	memset(m->guest_table[m->guest_tables], 0, sizeof(m->guest_table[0]));
	s2mmu_touch(m);
	return S2G_TABLE_BASE + ((uint64_t)m->guest_tables++ << PAGE_SHIFT);
}

/* Level of the leaf for a mapping of size bytes (4KB -> 3, 2MB -> 2, 1GB -> 1). */
static int level_for_size(uint64_t size)
{
	for (int l = 1; l <= 3; l++)
		if (size == LEVEL_SIZE(l))
			return l;
	return -1;
}

/* Descend from the root to the table holding the entry for ipa at level
 * want, creating missing tables when create is set.  Each descriptor written
 * is a plain memory write of the guest hypervisor. */
static uint64_t *entry_for(struct s2mmu *m, uint64_t vtcr, uint64_t baddr,
			   uint64_t ipa, int want, bool create,
			   struct nv_subop_log *log)
{
	int level = vtcr_start_level(vtcr);
	uint64_t *table = table_at(m, baddr & S2_DESC_OA_MASK);

	if (level < 0 || !table || want < level)
		return NULL;
	for (;; level++) {
		uint64_t *e = &table[(ipa >> LEVEL_SHIFT(level)) & 511];

		if (level == want)
			return e;
		if (!(*e & S2_DESC_VALID)) {
			uint64_t t;

			if (!create || !(t = s2g_new_root(m)))
				return NULL;
			*e = t | S2_DESC_TABLE | S2_DESC_VALID;
			s2mmu_touch(m);
			nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_MEM, 1,
				      "S2 table descriptor", 1);
		} else if (!(*e & S2_DESC_TABLE)) {
			return NULL; /* a block already covers it */
		}
		table = table_at(m, *e & S2_DESC_OA_MASK);
		if (!table)
			return NULL;
	}
}

/* The guest hypervisor maps [ipa, ipa+size) -> oa with perms. */
int s2g_map(struct s2mmu *m, uint64_t vtcr, uint64_t baddr, uint64_t ipa,
	    uint64_t oa, uint64_t size, unsigned perms, struct nv_subop_log *log)
{
	int level = level_for_size(size);
	uint64_t *e, desc;
	int replaced;

	if (level < 0 || (ipa | oa) & (size - 1) || ipa_too_big(vtcr, ipa))
		return -1;
	e = entry_for(m, vtcr, baddr, ipa, level, true, log);
	if (!e)
		return -1;
	desc = (oa & S2_DESC_OA_MASK) | S2_DESC_AF | S2_DESC_VALID |
	       (level == 3 ? S2_DESC_TABLE : 0) |
	       (perms & S2_PERM_R ? S2_DESC_S2AP_R : 0) |
	       (perms & S2_PERM_W ? S2_DESC_S2AP_W : 0);
	replaced = (*e & S2_DESC_VALID) != 0;
	if (replaced) { /* break-before-make: invalidate first, then write */
		*e = 0;
		nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_MEM, 1, "S2 leaf descriptor", 1);
	}
	*e = desc;
	s2mmu_touch(m);
	nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_MEM, 1, "S2 leaf descriptor", 1);
	return replaced;
}

/* The guest hypervisor unmaps the leaf covering ipa. */
int s2g_unmap(struct s2mmu *m, uint64_t vtcr, uint64_t baddr, uint64_t ipa,
	      struct nv_subop_log *log)
{
	struct s2_walk_result r;
	uint64_t *e;

	if (s2_walk(m, vtcr, baddr, ipa, &r) != S2_FAULT_NONE)
		return 0;
	e = entry_for(m, vtcr, baddr, ipa, r.level, false, NULL);
	if (!e)
		return 0;
	*e = 0;
	s2mmu_touch(m);
	nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_MEM, 1, "S2 leaf descriptor", 1);
	return 1;
}

/* L0's walk: one descriptor read per level until a leaf or an invalid
 * entry (translation fault at that level), as kvm_walk_nested_s2 does. */
enum s2_fault s2_walk(const struct s2mmu *m, uint64_t vtcr, uint64_t baddr,
		      uint64_t ipa, struct s2_walk_result *r)
{
	int level = vtcr_start_level(vtcr);
	const uint64_t *table = table_at_const(m, baddr & S2_DESC_OA_MASK);

	memset(r, 0, sizeof(*r));
	r->level = level;
	if (level < 0 || (vtcr >> 14 & 3) != 0 || ipa_too_big(vtcr, ipa) || !table)
		return r->fault = S2_FAULT_ADDRSZ;
	for (;; level++) {
		uint64_t desc = table[(ipa >> LEVEL_SHIFT(level)) & 511];

		r->reads++;
		r->level = level;
		if (!(desc & S2_DESC_VALID) || (level == 3 && !(desc & S2_DESC_TABLE)))
			return r->fault = S2_FAULT_TRANSLATION;
		if (level < 3 && (desc & S2_DESC_TABLE)) {
			table = table_at_const(m, desc & S2_DESC_OA_MASK);
			if (!table) /* a table outside the guest's memory */
				return r->fault = S2_FAULT_ADDRSZ;
			continue;
		}
		if (level == 0) /* no level-0 blocks with 4KB */
			return r->fault = S2_FAULT_TRANSLATION;
		r->size = LEVEL_SIZE(level);
		r->oa = (desc & S2_DESC_OA_MASK & ~(r->size - 1)) | (ipa & (r->size - 1));
		r->readable = desc & S2_DESC_S2AP_R;
		r->writable = desc & S2_DESC_S2AP_W;
		return r->fault = S2_FAULT_NONE;
	}
}
