/*
 * L0's shadow stage-2 MMUs: the pool, its lookup and recycling, nested-VM
 * accesses that miss the shadow, and the guest hypervisor's TLBIs (Linux
 * arch/arm64/kvm/nested.c and the TLBI handlers of sys_regs.c).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "model/s2mmu.h"

#define HW_MMU_NONE (-1)
#define HW_MMU_CANONICAL (-2)
#define SZ_4K 0x1000ull
#define SZ_2M 0x200000ull
#define SZ_1G 0x40000000ull

enum tlbi_scope { SCOPE_ALL, SCOPE_VMID, SCOPE_IPA, SCOPE_S1_ONLY };

/* What each TLBI reaches (sys_insn_descs[] in sys_regs.c). */
static const struct {
	const char *name;
	enum tlbi_scope scope;
} tlbi_desc[S2_TLBI__COUNT] = {
	[S2_TLBI_ALLE1] = { "TLBI_ALLE1", SCOPE_ALL },
	[S2_TLBI_ALLE1IS] = { "TLBI_ALLE1IS", SCOPE_ALL },
	[S2_TLBI_ALLE1OS] = { "TLBI_ALLE1OS", SCOPE_ALL },
	[S2_TLBI_VMALLS12E1] = { "TLBI_VMALLS12E1", SCOPE_VMID },
	[S2_TLBI_VMALLS12E1IS] = { "TLBI_VMALLS12E1IS", SCOPE_VMID },
	[S2_TLBI_VMALLS12E1OS] = { "TLBI_VMALLS12E1OS", SCOPE_VMID },
	[S2_TLBI_IPAS2E1] = { "TLBI_IPAS2E1", SCOPE_IPA },
	[S2_TLBI_IPAS2E1IS] = { "TLBI_IPAS2E1IS", SCOPE_IPA },
	[S2_TLBI_IPAS2E1OS] = { "TLBI_IPAS2E1OS", SCOPE_IPA },
	[S2_TLBI_IPAS2LE1] = { "TLBI_IPAS2LE1", SCOPE_IPA },
	[S2_TLBI_IPAS2LE1IS] = { "TLBI_IPAS2LE1IS", SCOPE_IPA },
	[S2_TLBI_IPAS2LE1OS] = { "TLBI_IPAS2LE1OS", SCOPE_IPA },
	[S2_TLBI_VMALLE1IS] = { "TLBI_VMALLE1IS", SCOPE_S1_ONLY },
};

static const char *const walk_level_name[4] = {
	"L0 kvm_walk_nested_s2: read level 0 descriptor",
	"L0 kvm_walk_nested_s2: read level 1 descriptor",
	"L0 kvm_walk_nested_s2: read level 2 descriptor",
	"L0 kvm_walk_nested_s2: read level 3 descriptor",
};

const char *s2_tlbi_name(enum s2_tlbi op)
{
	return (unsigned)op < S2_TLBI__COUNT ? tlbi_desc[op].name : "TLBI_?";
}

/* kvm_s2_mmu_valid: a shadow whose key has CnP set has never been used. */
static bool shadow_valid(const struct s2_shadow *s)
{
	return !(s->tlb_vttbr & S2_VTTBR_CNP);
}

/* Whole-VM state: every shadow invalid and unreferenced, no vCPU loaded. */
struct s2mmu *s2mmu_new(int nr_vcpus)
{
	struct s2mmu *m;

	if (nr_vcpus < 1 || nr_vcpus > S2MMU_MAX_VCPUS)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->nr_vcpus = nr_vcpus;
	m->pool_size = nr_vcpus * S2_MMU_PER_VCPU;
	for (int i = 0; i < m->pool_size; i++)
		m->mmu[i].tlb_vttbr = S2_VTTBR_CNP;
	for (int i = 0; i < nr_vcpus; i++)
		m->vcpu[i].hw_mmu = HW_MMU_NONE;
	m->put_vcpu = -1;
	s2mmu_touch(m);
	return m;
}

/* See s2mmu.h. */
void s2mmu_touch(struct s2mmu *m)
{
	m->gen = ++m->gen_next;
}

void s2mmu_free(struct s2mmu *m)
{
	free(m);
}

void s2mmu_set_guest_regs(struct s2mmu *m, int vcpu, uint64_t vttbr,
			  uint64_t vtcr, uint64_t hcr)
{
	struct s2mmu_vcpu *v = &m->vcpu[vcpu];

	if (v->vttbr == vttbr && v->vtcr == vtcr && v->hcr == hcr)
		return;
	v->vttbr = vttbr;
	v->vtcr = vtcr;
	v->hcr = hcr;
	s2mmu_touch(m);
}

/* lookup_s2_mmu: S2 enabled -> same VTTBR (VMID+BADDR, CnP ignored) and
 * VTCR; S2 disabled -> same VMID among S2-disabled contexts. */
static int lookup_shadow(const struct s2mmu *m, const struct s2mmu_vcpu *v)
{
	uint64_t vttbr = v->vttbr & ~S2_VTTBR_CNP;
	bool enabled = v->hcr & S2_HCR_VM;

	for (int i = 0; i < m->pool_size; i++) {
		const struct s2_shadow *s = &m->mmu[i];

		if (!shadow_valid(s) || s->s2_enabled != enabled)
			continue;
		if (enabled ? (vttbr == s->tlb_vttbr && v->vtcr == s->tlb_vtcr)
			    : S2_VTTBR_VMID(vttbr) == S2_VTTBR_VMID(s->tlb_vttbr))
			return i;
	}
	return -1;
}

/* get_s2_mmu_nested: reuse the shadow for this key, or take the next
 * unreferenced one round-robin, unmapping what it held. */
static int get_shadow(struct s2mmu *m, struct s2mmu_vcpu *v, struct nv_subop_log *log)
{
	int i = lookup_shadow(m, v), k;

	nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_L0_WORK, -1, "lookup_s2_mmu", 1);
	if (i < 0) {
		for (k = m->next; k < m->next + m->pool_size; k++)
			if (m->mmu[k % m->pool_size].refcnt == 0)
				break;
		if (k == m->next + m->pool_size)
			return HW_MMU_NONE; /* cannot happen: 2 per vCPU, 1 in use each */
		i = k % m->pool_size;
		m->next = (k + 1) % m->pool_size;
		if (shadow_valid(&m->mmu[i])) {
			m->st.evictions++;
			m->st.unmapped += m->mmu[i].nr;
			nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_L0_WORK, -1,
				      "unmap recycled shadow S2", 1);
		}
		m->mmu[i].nr = 0;
		m->mmu[i].tlb_vttbr = v->vttbr & ~S2_VTTBR_CNP;
		m->mmu[i].tlb_vtcr = v->vtcr;
		m->mmu[i].s2_enabled = v->hcr & S2_HCR_VM;
		s2mmu_touch(m);
	}
	m->mmu[i].refcnt++;
	return i;
}

/* kvm_vcpu_load_hw_mmu. */
void s2mmu_vcpu_load(struct s2mmu *m, int vcpu, bool in_hyp, struct nv_subop_log *log)
{
	struct s2mmu_vcpu *v = &m->vcpu[vcpu];

	uint64_t gen = m->gen;

	if (v->hw_mmu != HW_MMU_NONE)
		return;
	v->hw_mmu = in_hyp ? HW_MMU_CANONICAL : get_shadow(m, v, log);
	/* nothing changed since this vCPU's put of the same shadow (no
	 * recycling either): the state is the one before the put */
	if (gen == m->gen && gen == m->put_after && vcpu == m->put_vcpu && v->hw_mmu == m->put_hw)
		m->gen = m->put_before;
	else
		s2mmu_touch(m);
	m->put_vcpu = -1;
}

/* kvm_vcpu_put_hw_mmu (the vCPU is not being scheduled out: the reference
 * is always dropped, as on every vEL2 <-> nested VM switch). */
void s2mmu_vcpu_put(struct s2mmu *m, int vcpu)
{
	struct s2mmu_vcpu *v = &m->vcpu[vcpu];

	if (v->hw_mmu == HW_MMU_NONE)
		return;
	if (v->hw_mmu >= 0)
		m->mmu[v->hw_mmu].refcnt--;
	m->put_before = m->gen;
	m->put_vcpu = vcpu;
	m->put_hw = v->hw_mmu;
	v->hw_mmu = HW_MMU_NONE;
	s2mmu_touch(m);
	m->put_after = m->gen;
}

/* The shadow mapping covering ipa, or NULL. */
static struct s2_shadow_map *shadow_find(struct s2_shadow *s, uint64_t ipa)
{
	for (unsigned i = 0; i < s->nr; i++)
		if (ipa - s->map[i].ipa < s->map[i].size)
			return &s->map[i];
	return NULL;
}

/* Add a mapping; a full shadow recycles the slot the IPA hashes to. */
static void shadow_add(struct s2_shadow *s, const struct s2_shadow_map *e)
{
	struct s2_shadow_map *old = shadow_find(s, e->ipa);

	if (old)
		*old = *e;
	else if (s->nr < S2_SHADOW_MAX)
		s->map[s->nr++] = *e;
	else
		s->map[(e->ipa >> 12) % S2_SHADOW_MAX] = *e;
}

/* Drop every mapping overlapping [base, base+size); returns how many. */
static unsigned shadow_unmap(struct s2_shadow *s, uint64_t base, uint64_t size)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->nr;) {
		struct s2_shadow_map *e = &s->map[i];

		if (e->ipa < base + size && base < e->ipa + e->size) {
			*e = s->map[--s->nr];
			n++;
		} else {
			i++;
		}
	}
	return n;
}

/* A nested-VM access: hit, fault resolved by L0's walk, or forwarded. */
enum s2_access_result s2mmu_access(struct s2mmu *m, int vcpu, uint64_t ipa,
				   bool is_write, struct s2_walk_result *walk,
				   struct nv_subop_log *log)
{
	struct s2mmu_vcpu *v = &m->vcpu[vcpu];
	struct s2_walk_result r = { 0 };
	struct s2_shadow_map *e, add;
	struct s2_shadow *s;

	m->st.accesses++;
	if (v->hw_mmu == HW_MMU_NONE)
		s2mmu_vcpu_load(m, vcpu, false, log);
	if (v->hw_mmu < 0) { /* vEL2: L1's own memory, on L0's canonical S2 */
		m->st.hits++;
		return S2_ACCESS_HIT;
	}
	s = &m->mmu[v->hw_mmu];
	e = shadow_find(s, ipa);
	if (e && (!is_write || e->writable)) {
		m->st.hits++;
		return S2_ACCESS_HIT;
	}
	m->st.shadow_faults++;
	nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_L2_TRAP, is_write, "stage-2 abort (shadow miss)", 1);
	if (!s->s2_enabled) { /* guest S2 off: L2 IPA == L1 IPA, nothing to walk */
		r = (struct s2_walk_result){ .level = 3, .oa = ipa & ~(SZ_4K - 1),
					     .size = SZ_4K, .readable = true, .writable = true };
	} else {
		s2_walk(m, v->vtcr, v->vttbr, ipa, &r);
		m->st.walks++;
		m->st.walk_reads += r.reads;
		for (unsigned k = 0; k < r.reads; k++) /* one op per descriptor read */
			nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_L0_S2_WALK, -1,
				      walk_level_name[(r.level - (int)r.reads + 1 + (int)k) & 3], 1);
		if (r.fault == S2_FAULT_NONE && (is_write ? !r.writable : !r.readable))
			r.fault = S2_FAULT_PERM;
	}
	if (walk)
		*walk = r;
	if (r.fault != S2_FAULT_NONE) {
		m->st.forwarded_faults++;
		nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_L0_FORWARD, -1,
			      "kvm_inject_s2_fault (FAR_EL2, HPFAR_EL2, ESR_EL2)", 1);
		return S2_ACCESS_FORWARD;
	}
	add = (struct s2_shadow_map){ .ipa = ipa & ~(r.size - 1), .size = r.size,
				      .oa = r.oa & ~(r.size - 1), .level = (uint8_t)r.level,
				      .writable = r.writable };
	shadow_add(s, &add);
	s2mmu_touch(m);
	nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_L0_WORK, is_write, "map shadow S2 entry", 1);
	return S2_ACCESS_RESOLVED;
}

/* compute_tlb_inval_range for the 4KB granule: the TTL hint if given
 * (bits [47:44]: granule 0b01 = 4KB, level), else the level the shadow
 * recorded for the guest's mapping, else the largest extent (1GB). */
static uint64_t tlbi_range(struct s2_shadow *s, uint64_t val)
{
	static const uint64_t size_for_level[4] = { 0, SZ_1G, SZ_2M, SZ_4K };
	unsigned ttl = (val >> 44) & 0xf;
	uint64_t addr = (val & 0xfffffffffull) << 12;
	struct s2_shadow_map *e;

	if ((ttl >> 2) == 1 && size_for_level[ttl & 3])
		return size_for_level[ttl & 3];
	e = shadow_find(s, addr);
	if (e && size_for_level[e->level & 3])
		return size_for_level[e->level & 3];
	return SZ_1G;
}

/* A guest-hypervisor TLBI: L0 applies it to every shadow it reaches
 * (all of them, or those of the guest's current VMID as
 * kvm_s2_mmu_iterate_by_vmid does). */
void s2mmu_tlbi(struct s2mmu *m, int vcpu, enum s2_tlbi op, uint64_t val,
		struct nv_subop_log *log)
{
	uint16_t vmid = S2_VTTBR_VMID(m->vcpu[vcpu].vttbr);
	enum tlbi_scope scope = tlbi_desc[op].scope;
	bool reached = false;

	nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_TLBI, -1, tlbi_desc[op].name, 1);
	if (scope == SCOPE_S1_ONLY)
		return;
	for (int i = 0; i < m->pool_size; i++) {
		struct s2_shadow *s = &m->mmu[i];
		uint64_t base = 0, size = ~0ull;

		if (!shadow_valid(s))
			continue;
		if (scope != SCOPE_ALL && S2_VTTBR_VMID(s->tlb_vttbr) != vmid)
			continue;
		if (scope == SCOPE_IPA) {
			size = tlbi_range(s, val);
			base = ((val & 0xfffffffffull) << 12) & ~(size - 1);
		}
		unsigned n = shadow_unmap(s, base, size);
		if (n)
			s2mmu_touch(m);
		m->st.unmapped += n;
		reached = true;
		nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_L0_WORK, -1, "unmap shadow S2 range", 1);
	}
	m->st.invalidations += reached;
}

/* The guest hypervisor fixes a forwarded fault in its current tables. */
int s2mmu_guest_fix_fault(struct s2mmu *m, int vcpu, uint64_t ipa, uint64_t oa,
			  uint64_t size, unsigned perms, struct nv_subop_log *log)
{
	struct s2mmu_vcpu *v = &m->vcpu[vcpu];
	int replaced = s2g_map(m, v->vtcr, v->vttbr, ipa & ~(size - 1),
			       oa & ~(size - 1), size, perms, log);

	if (replaced == 1) {
		nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_MSR, 1, "VTTBR_EL2", 1);
		s2mmu_tlbi(m, vcpu, S2_TLBI_IPAS2E1IS, (ipa >> 12) & 0xfffffffffull, log);
		s2mmu_tlbi(m, vcpu, S2_TLBI_VMALLE1IS, 0, log);
		nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_MSR, 1, "VTTBR_EL2", 1);
	}
	return replaced;
}

/* The state of m as byte ranges in struct order (arrays only as far as
 * they are used, the statistics left out): fn(arg, offset, length) each. */
static int state_ranges(const struct s2mmu *m, int (*fn)(void *arg, size_t off, size_t len),
			void *arg)
{
	int rc = fn(arg, 0, offsetof(struct s2mmu, mmu));

	for (int i = 0; i < S2MMU_POOL && !rc; i++) {
		const struct s2_shadow *s = &m->mmu[i];
		unsigned nr = s->nr < S2_SHADOW_MAX ? s->nr : S2_SHADOW_MAX;
		size_t off = (size_t)((const char *)s - (const char *)m);

		rc = fn(arg, off, offsetof(struct s2_shadow, map) + nr * sizeof(s->map[0]));
	}
	if (!rc)
		rc = fn(arg, offsetof(struct s2mmu, vcpu),
			offsetof(struct s2mmu, guest_table) - offsetof(struct s2mmu, vcpu));
	if (!rc) /* the page count before the pages it counts */
		rc = fn(arg, offsetof(struct s2mmu, guest_tables),
			offsetof(struct s2mmu, st) - offsetof(struct s2mmu, guest_tables));
	if (!rc)
		rc = fn(arg, offsetof(struct s2mmu, guest_table),
			(m->guest_tables < S2G_TABLES ? m->guest_tables : S2G_TABLES) *
			sizeof(m->guest_table[0]));
	return rc;
}

struct range_arg {
	const struct s2mmu *m;
	struct nv_digest *d;
};

static int digest_range(void *arg, size_t off, size_t len)
{
	struct range_arg *r = arg;

	nv_digest_bytes(r->d, (const char *)r->m + off, len);
	return 0;
}

/* See s2mmu.h. */
void s2mmu_digest(const struct s2mmu *m, struct nv_digest *d)
{
	struct range_arg r = { m, d };

	state_ranges(m, digest_range, &r);
}
