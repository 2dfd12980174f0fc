/*
 * The per-vCPU sub-model state: a nested VM with some RAM mapped by the
 * guest hypervisor's stage 2 and an emulated device left unmapped, NV
 * timers starting in vEL2, a vGIC with four list registers.
 */
#include <stddef.h>
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
	free(v->mmu_seen);
	nv_memo_free(v->memo);
	free(v);
}

void nv_vcpu_configure(struct nv_vcpu *v, const struct nv_profile *p)
{
	if (v->gic_chosen || !p)
		return;
	v->vgic.gic = nv_profile_gic(p) == 2 ? NV_GIC_V2 : NV_GIC_V3;
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

void nv_vcpu_set_time(struct nv_vcpu *v, uint64_t ns)
{
	if (v && ns > v->now)
		v->now = ns;
}

#define OWN_BYTES (offsetof(struct nv_vcpu, vtimer_last) - offsetof(struct nv_vcpu, id))
_Static_assert(OWN_BYTES <= sizeof(((struct nv_memo_snap *)0)->own), "nv_memo_snap.own holds the vCPU's fields");
#define NV_TIME_SIZE(f) + sizeof(((struct nv_vcpu *)0)->f)
_Static_assert(offsetof(struct nv_vcpu, now) - offsetof(struct nv_vcpu, vtimer_last) ==
	       0 NV_VCPU_TIMES(NV_TIME_SIZE) NV_VCPU_DURATIONS(NV_TIME_SIZE),
	       "every field between vtimer_last and now is in NV_VCPU_TIMES or NV_VCPU_DURATIONS");
#undef NV_TIME_SIZE

/* See vcpu.h: each sub-model feeds its own state, then the vCPU's own
 * fields.  Recomputed only after a step ran. */
const struct nv_digest *nv_vcpu_digest(struct nv_vcpu *v)
{
	if (!v->digest_ok) {
		struct nv_digest mmu = NV_DIGEST_INIT, d;

		if (v->mmu_seen && s2mmu_same(v->mmu, v->mmu_seen)) {
			mmu = v->mmu_digest;
		} else {
			s2mmu_digest(v->mmu, &mmu);
			if (v->mmu_seen || (v->mmu_seen = malloc(sizeof(*v->mmu_seen))))
				memcpy(v->mmu_seen, v->mmu, sizeof(*v->mmu_seen));
		}
		d = mmu;
		nv_timers_digest(&v->timers, &d);
		nv_vgic_digest(&v->vgic, &d);
		nv_digest_bytes(&d, &v->id, OWN_BYTES);
		v->mmu_digest = mmu;
		v->digest = d;
		v->digest_ok = 1;
	}
	return &v->digest;
}

/* See vcpu.h: each time two bits against now and one bit zero, each
 * duration one bit zero. */
uint64_t nv_vcpu_time_rel(const struct nv_vcpu *v)
{
	uint64_t rel = 0;
	int shift = 0;

	_Static_assert(NV_VCPU_NTIMES * 3 <= 64, "three bits a time in one word");
	for (int id = 0; id < NV_TIMER__COUNT; id++, shift += 3)
		rel |= (nv_digest_time_rel(v->timers.t[id].cval, v->now) |
			(uint64_t)(v->timers.t[id].cval == 0) << 2) << shift;
#define NV_TIME_REL(f) rel |= (nv_digest_time_rel(v->f, v->now) | (uint64_t)(v->f == 0) << 2) << shift; shift += 3;
	NV_VCPU_TIMES(NV_TIME_REL)
#undef NV_TIME_REL
#define NV_DURATION_REL(f) rel |= (uint64_t)(v->f == 0) << shift; shift += 3;
	NV_VCPU_DURATIONS(NV_DURATION_REL)
#undef NV_DURATION_REL
	return rel;
}

/* The state the memo keeps: but the shadow stage 2, the statistics and the
 * times. */
static void snap_save(const struct nv_vcpu *v, struct nv_memo_snap *s)
{
	memcpy(&s->timers, &v->timers, offsetof(struct nv_timers, st));
	memcpy(&s->vgic, &v->vgic, offsetof(struct nv_vgic, st));
	memcpy(s->own, &v->id, OWN_BYTES);
}

/* Load a kept state: the CVALs stay v's own (the memo keeps exits that leave
 * them as they were). */
static void snap_load(struct nv_vcpu *v, const struct nv_memo_snap *s)
{
	uint64_t cval[NV_TIMER__COUNT];

	for (int id = 0; id < NV_TIMER__COUNT; id++)
		cval[id] = v->timers.t[id].cval;
	memcpy(&v->timers, &s->timers, offsetof(struct nv_timers, st));
	for (int id = 0; id < NV_TIMER__COUNT; id++)
		v->timers.t[id].cval = cval[id];
	memcpy(&v->vgic, &s->vgic, offsetof(struct nv_vgic, st));
	memcpy(&v->id, s->own, OWN_BYTES);
}

/* See vcpu.h. */
void nv_vcpu_times(const struct nv_vcpu *v, uint64_t t[NV_VCPU_NTIMES])
{
	int n = 0;

	for (int id = 0; id < NV_TIMER__COUNT; id++)
		t[n++] = v->timers.t[id].cval;
#define NV_TIME_FIELD(f) t[n++] = v->f;
	NV_VCPU_TIMES(NV_TIME_FIELD)
	NV_VCPU_DURATIONS(NV_TIME_FIELD)
#undef NV_TIME_FIELD
}

/* See vcpu.h. */
void nv_vcpu_memo_key(struct nv_vcpu *v, const void *m, int kind,
		      const struct nv_variant_sel *sel, struct nv_memo_key *k)
{
	_Static_assert(sizeof(sel->v) == sizeof(k->sel), "the key holds the whole selection");
	memset(k, 0, sizeof(*k));
	k->state = *nv_vcpu_digest(v);
	k->time_rel = nv_vcpu_time_rel(v);
	k->model = m;
	k->kind = kind;
	if (sel)
		memcpy(&k->sel, sel->v, sizeof(k->sel));
}

/* See vcpu.h (after nv_vcpu_memo_key: the digest is current). */
void nv_vcpu_memo_before(const struct nv_vcpu *v, struct nv_memo_before *b)
{
	b->mmu = v->mmu_digest;
	nv_vcpu_times(v, b->times);
}

/* See vcpu.h. */
int nv_vcpu_memo_get(struct nv_vcpu *v, const struct nv_memo_key *k, struct nv_result *res)
{
	struct nv_memo_stats *st = nv_memo_stats_of(v->memo);
	const struct nv_memo_entry *e = nv_memo_find(v->memo, k);

	v->memo_check = NULL;
	if (!e) {
		st->misses++;
		return 0;
	}
	if (nv_memo_verify(v->memo)) { /* evaluated all the same; _put compares */
		v->memo_check = e;
		st->checked++;
		return 0;
	}
	*res = e->res;
	snap_load(v, &e->snap);
	v->digest = e->after;	/* the shadow stage 2 (and its digest) did not change */
	st->hits++;
	return 1;
}

/* See vcpu.h. */
void nv_vcpu_memo_put(struct nv_vcpu *v, const struct nv_memo_key *k,
		      const struct nv_memo_before *b, const struct nv_result *res)
{
	struct nv_memo_stats *st = nv_memo_stats_of(v->memo);
	uint64_t times[NV_VCPU_NTIMES];
	const struct nv_digest *after = nv_vcpu_digest(v);
	struct nv_memo_entry *e;

	nv_vcpu_times(v, times);
	int keep = nv_digest_eq(&v->mmu_digest, &b->mmu) && !memcmp(times, b->times, sizeof(times));
	if (v->memo_check) {
		const struct nv_memo_entry *c = v->memo_check;
		if (!keep || memcmp(&c->res, res, sizeof(*res)) || !nv_digest_eq(&c->after, after))
			st->wrong++;
		v->memo_check = NULL;
	}
	if (!keep || nv_memo_find(v->memo, k))
		return;
	e = nv_memo_slot(v->memo, k);
	e->res = *res;
	e->after = *after;
	snap_save(v, &e->snap);
	st->stored++;
}

/* See model.h. */
int nv_vcpu_memo(struct nv_vcpu *v, int on)
{
	if (!on) {
		nv_memo_free(v->memo);
		v->memo = NULL;
		return 0;
	}
	nv_memo_free(v->memo);
	if (!(v->memo = nv_memo_new(on == 2)))
		return -1;
	return 0;
}

/* See model.h. */
void nv_vcpu_memo_share(struct nv_vcpu *v, struct nv_vcpu *from)
{
	nv_memo_free(v->memo);
	v->memo = from->memo ? nv_memo_ref(from->memo) : NULL;
}

/* See model.h. */
void nv_vcpu_memo_stats(const struct nv_vcpu *v, struct nv_memo_stats *st)
{
	memset(st, 0, sizeof(*st));
	if (v && v->memo)
		*st = *nv_memo_stats_of(v->memo);
}
