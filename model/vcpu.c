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
#define NV_TIME_SIZE(f) + sizeof(((struct nv_vcpu *)0)->f)
_Static_assert(offsetof(struct nv_vcpu, now) - offsetof(struct nv_vcpu, vtimer_last) ==
	       0 NV_VCPU_TIMES(NV_TIME_SIZE) NV_VCPU_DURATIONS(NV_TIME_SIZE),
	       "every field between vtimer_last and now is in NV_VCPU_TIMES or NV_VCPU_DURATIONS");
#undef NV_TIME_SIZE

/* See vcpu.h: each sub-model feeds its own state, then the vCPU's own
 * fields.  Recomputed only after a step ran, the shadow stage 2's part
 * only in a new generation of it (s2mmu_touch: also a change outside a step). */
const struct nv_digest *nv_vcpu_digest(struct nv_vcpu *v)
{
	if (v->mmu_gen != v->mmu->gen) { /* changed, also outside a step */
		struct nv_digest mmu = NV_DIGEST_INIT;

		s2mmu_digest(v->mmu, &mmu);
		v->mmu_digest = mmu;
		v->mmu_gen = v->mmu->gen;
		v->digest_ok = 0;
	}
	if (!v->digest_ok) {
		struct nv_digest d = v->mmu_digest;

		nv_timers_digest(&v->timers, &d);
		nv_vgic_digest(&v->vgic, &d);
		nv_digest_bytes(&d, &v->id, OWN_BYTES);
		v->digest = d;
		v->digest_ok = 1;
	}
	return &v->digest;
}

_Static_assert(NV_VCPU_NTIMES == NV_MEMO_NTIMES, "memo.h NV_MEMO_NTIMES counts the vCPU's times");
#define NT NV_VCPU_NTIMES
#define NABS (NV_TIMER__COUNT NV_VCPU_TIMES(NV_VCPU_TIME_ONE))	/* times, then durations */

/* Where times t (nv_vcpu_times' order) lie against now: each time two bits
 * against now and one bit zero, each duration one bit zero. */
static uint64_t rel_of(const uint64_t t[NT], uint64_t now)
{
	uint64_t rel = 0;

	_Static_assert(NT * 3 <= 64, "three bits a time in one word");
	for (int i = 0; i < NABS; i++)
		rel |= (nv_digest_time_rel(t[i], now) | (uint64_t)(t[i] == 0) << 2) << (3 * i);
	for (int i = NABS; i < NT; i++)
		rel |= (uint64_t)(t[i] == 0) << (3 * i);
	return rel;
}

/* See vcpu.h. */
uint64_t nv_vcpu_time_rel(const struct nv_vcpu *v)
{
	uint64_t t[NT];

	nv_vcpu_times(v, t);
	return rel_of(t, v->now);
}

/* The words of the state an entry keeps (nv_memo_entry.doff): from the
 * timers to the times, 8 bytes each (every struct there is 8-aligned). */
#define NWORDS ((offsetof(struct nv_vcpu, vtimer_last) - NV_VCPU_STATE_OFF) / 8)
_Static_assert(NV_VCPU_STATE_OFF % 8 == 0 && offsetof(struct nv_vcpu, vtimer_last) % 8 == 0,
	       "the state an entry keeps is whole words");
_Static_assert(NWORDS < 65536, "a word's index fits nv_memo_entry.doff");

/* Whether word w of the state is one an entry keeps: not a timer's CVAL
 * (a time) nor in the statistics (no step reads them; a hit leaves them). */
static int kept_word(size_t w)
{
	size_t off = NV_VCPU_STATE_OFF + w * 8;

	for (int id = 0; id < NV_TIMER__COUNT; id++)
		if (off == offsetof(struct nv_vcpu, timers.t) + id * sizeof(struct nv_timer_ctx) +
			   offsetof(struct nv_timer_ctx, cval))
			return 0;
	if (off >= offsetof(struct nv_vcpu, timers.st) &&
	    off < offsetof(struct nv_vcpu, timers.st) + sizeof(struct nv_timer_stats))
		return 0;
	return !(off >= offsetof(struct nv_vcpu, vgic.st) &&
		 off < offsetof(struct nv_vcpu, vgic.st) + sizeof(struct nv_vgic_stats));
}

/* The words of v's state that differ from before (NV_VCPU_STATE_BYTES as
 * nv_vcpu_memo_before saved them) into e; -1 when more than it holds. */
static int diff_save(const struct nv_vcpu *v, const unsigned char *before, struct nv_memo_entry *e)
{
	const unsigned char *now = (const unsigned char *)v + NV_VCPU_STATE_OFF;

	e->ndiff = 0;
	for (size_t w = 0; w < NWORDS; w++) {
		if (!memcmp(now + w * 8, before + w * 8, 8) || !kept_word(w))
			continue;
		if (e->ndiff == NV_MEMO_DIFF)
			return -1;
		e->doff[e->ndiff] = (uint16_t)w;
		memcpy(&e->dval[e->ndiff++], now + w * 8, 8);
	}
	return 0;
}

/* Load a kept state: v's state is the one before (the key says so) but for
 * the words the exit changed. */
static void diff_load(struct nv_vcpu *v, const struct nv_memo_entry *e)
{
	unsigned char *now = (unsigned char *)v + NV_VCPU_STATE_OFF;

	for (int k = 0; k < e->ndiff; k++)
		memcpy(now + (size_t)e->doff[k] * 8, &e->dval[k], 8);
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
void nv_vcpu_set_times(struct nv_vcpu *v, const uint64_t t[NV_VCPU_NTIMES])
{
	int n = 0;

	for (int id = 0; id < NV_TIMER__COUNT; id++)
		v->timers.t[id].cval = t[n++];
#define NV_TIME_FIELD(f) v->f = t[n++];
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
	memcpy(b->state, (const char *)v + NV_VCPU_STATE_OFF, NV_VCPU_STATE_BYTES);
}

/* The times a timed entry predicts for times in (now: the clock); those
 * it does not move are in's. */
static void predict(const struct nv_memo_entry *e, const uint64_t in[NT], uint64_t now,
		    uint64_t out[NT])
{
	uint64_t d[NV_MEMO_NIN];

	for (int i = 0; i < NT; i++) {
		d[i] = in[i] - e->t0[i];
		out[i] = (e->moved >> i & 1) ? e->t1[i] : in[i];
	}
	d[NT] = now - e->t0[NT];
	for (int k = 0; k < e->nterm; k++)
		out[e->term[k].j] += (uint64_t)(int64_t)e->term[k].c * d[e->term[k].i];
}

/* Whether the times a timed entry predicts lie against now as measured
 * (the times it does not move: the key says so). */
static int fits(const struct nv_memo_entry *e, const uint64_t pred[NT], uint64_t now)
{
	uint64_t rel = rel_of(pred, now);
	uint64_t mask = 0;

	for (int j = 0; j < NT; j++)
		if (e->moved >> j & 1)
			mask |= 7ull << (3 * j);
	return !((rel ^ e->rel_after) & mask);
}

/* See vcpu.h.  A timed entry hits only when the times it predicts lie
 * against the clock as the measured ones did. */
int nv_vcpu_memo_get(struct nv_vcpu *v, const struct nv_memo_key *k, struct nv_result *res)
{
	struct nv_memo_stats *st = nv_memo_stats_of(v->memo);
	const struct nv_memo_entry *e = nv_memo_find(v->memo, k, NULL);
	uint64_t pred[NT], in[NT];

	v->memo_check = NULL;
	if (e && e->timed)
		nv_vcpu_times(v, in);
	/* a timed entry whose times would cross the clock: another of the key */
	for (; e && e->timed; e = nv_memo_find(v->memo, k, e)) {
		predict(e, in, v->now, pred);
		if (fits(e, pred, v->now))
			break;
	}
	if (!e) {
		st->misses++;
		return 0;
	}
	if (nv_memo_verify(v->memo)) { /* evaluated all the same; _put compares */
		v->memo_check = e;
		if (e->timed)
			memcpy(v->memo_pred, pred, sizeof(pred));
		st->checked++;
		return 0;
	}
	*res = e->res;
	diff_load(v, e);
	if (e->timed)
		nv_vcpu_set_times(v, pred);
	v->digest = e->after;	/* the shadow stage 2 (and its digest) did not change */
	st->hits++;
	return 1;
}

/* Which way input i (a time, or the clock: i == NT) can move by one without
 * changing where the times lie against the clock (the key), applied to
 * in/now: 1 or -1; 0 if it cannot.  The clock moves with the times at it. */
static int perturb(int i, uint64_t in[NT], uint64_t *now, uint64_t rel)
{
	static const int way[2] = { 1, -1 };

	for (int w = 0; w < 2; w++) {
		uint64_t t[NT], n = *now;
		memcpy(t, in, sizeof(t));
		if (i == NT) {
			for (int j = 0; j < NABS; j++)
				if (t[j] && t[j] == n)
					t[j] += (uint64_t)(int64_t)way[w];
			n += (uint64_t)(int64_t)way[w];
		} else {
			t[i] += (uint64_t)(int64_t)way[w];
		}
		if (rel_of(t, n) == rel) {
			memcpy(in, t, sizeof(t));
			*now = n;
			return way[w];
		}
	}
	return 0;
}

/* Whether input i moves on its own when measured: not a zero time (stays
 * zero) nor a time at the clock (moves with it). */
static int own_input(const uint64_t in[NT], uint64_t now, int i)
{
	return i == NT || (in[i] && !(i < NABS && in[i] == now));
}

/* The affine function coef (times after by inputs) into e's terms: the
 * times it moves, the terms of those; -1 when they do not fit. */
static int set_terms(struct nv_memo_entry *e, int8_t coef[NT][NV_MEMO_NIN])
{
	e->moved = 0;
	e->nterm = 0;
	for (int j = 0; j < NT; j++) {
		int identity = e->t1[j] == e->t0[j];
		for (int i = 0; i < NV_MEMO_NIN; i++)
			identity &= coef[j][i] == (i == j);
		if (identity)
			continue;
		e->moved |= (uint8_t)(1u << j);
		for (int i = 0; i < NV_MEMO_NIN; i++) {
			if (!coef[j][i])
				continue;
			if (e->nterm == NV_MEMO_TERMS)
				return -1;
			e->term[e->nterm].j = (uint8_t)j;
			e->term[e->nterm].i = (uint8_t)i;
			e->term[e->nterm++].c = coef[j][i];
		}
	}
	return 0;
}

/*
 * A timed exit: its times after as an affine function of the times before
 * and the clock, measured by evaluating it again from the state before with
 * each input moved by one (the others as they were; times at the clock move
 * with it, zero times stay zero: the key holds both), then once with all of
 * them moved, to check the function.  Every run must give the same result
 * and the same state but the times (digest), leave the shadow stage 2 alone
 * and no time crossing the clock.  Fills e's timed part; 0, or -1 when the
 * exit is not such a function.  v is left as after (its digest: after).
 */
static int measure(struct nv_vcpu *v, const struct nv_memo_before *b, const struct nv_result *res,
		   const struct nv_digest *after, nv_memo_rerun_fn rerun, void *arg,
		   struct nv_memo_entry *e)
{
	unsigned char keep[NV_VCPU_STATE_BYTES];
	struct nv_digest mmu = v->mmu_digest;
	uint64_t now0, rel0, out0[NT];
	int8_t way[NV_MEMO_NIN], coef[NT][NV_MEMO_NIN];
	int rc = 0;

	memcpy(keep, (char *)v + NV_VCPU_STATE_OFF, NV_VCPU_STATE_BYTES);
	now0 = v->now;
	rel0 = rel_of(b->times, now0);
	nv_vcpu_times(v, out0);
	e->rel_after = rel_of(out0, now0);
	memcpy(e->t0, b->times, sizeof(b->times));
	e->t0[NT] = now0;
	memcpy(e->t1, out0, sizeof(out0));
	memset(coef, 0, sizeof(coef));
	for (int i = 0; i <= NV_MEMO_NIN && !rc; i++) {
		uint64_t in[NT], now = now0, out[NT], pred[NT];
		struct nv_result r;

		memcpy(in, b->times, sizeof(in));
		if (i < NV_MEMO_NIN) {
			if (!own_input(in, now0, i))
				continue;
			if (!(way[i] = (int8_t)perturb(i, in, &now, rel0))) {
				rc = -1;
				break;
			}
		} else { /* all at once: the function checked */
			if (set_terms(e, coef)) {
				rc = -1;
				break;
			}
			for (int j = 0; j < NV_MEMO_NIN; j++)
				if (own_input(b->times, now0, j) && !perturb(j, in, &now, rel0))
					rc = -1;
			predict(e, in, now, pred);
		}
		memcpy((char *)v + NV_VCPU_STATE_OFF, b->state, NV_VCPU_STATE_BYTES);
		nv_vcpu_set_times(v, in);
		v->now = now;
		v->digest_ok = 0;
		if (rc || rerun(arg, v, &r) || memcmp(&r, res, sizeof(r)) ||
		    !nv_digest_eq(nv_vcpu_digest(v), after) || !nv_digest_eq(&v->mmu_digest, &mmu)) {
			rc = -1;
			break;
		}
		nv_vcpu_times(v, out);
		if (rel_of(out, now) != e->rel_after) {
			rc = -1;
			break;
		}
		if (i == NV_MEMO_NIN) {
			rc = memcmp(out, pred, sizeof(out)) ? -1 : 0;
			break;
		}
		for (int j = 0; j < NT; j++) {
			int64_t c = (int64_t)(out[j] - out0[j]) * way[i];
			if (c < -128 || c > 127)
				rc = -1;
			coef[j][i] = (int8_t)c;
		}
	}
	memcpy((char *)v + NV_VCPU_STATE_OFF, keep, NV_VCPU_STATE_BYTES);
	v->digest = *after;
	v->mmu_digest = mmu;
	v->digest_ok = 1;
	return rc;
}

/* See vcpu.h. */
void nv_vcpu_memo_put(struct nv_vcpu *v, const struct nv_memo_key *k,
		      const struct nv_memo_before *b, const struct nv_result *res,
		      nv_memo_rerun_fn rerun, void *arg)
{
	struct nv_memo_stats *st = nv_memo_stats_of(v->memo);
	uint64_t times[NV_VCPU_NTIMES];
	const struct nv_digest *after = nv_vcpu_digest(v);
	struct nv_memo_entry *e, tmp;

	nv_vcpu_times(v, times);
	int mmu_same = nv_digest_eq(&v->mmu_digest, &b->mmu);
	int timed = memcmp(times, b->times, sizeof(times)) != 0;
	int checked = v->memo_check != NULL;
	if (v->memo_check) {
		const struct nv_memo_entry *c = v->memo_check;
		if (!mmu_same || memcmp(&c->res, res, sizeof(*res)) || !nv_digest_eq(&c->after, after) ||
		    memcmp(times, c->timed ? v->memo_pred : b->times, sizeof(times)))
			st->wrong++;
		v->memo_check = NULL;
	}
	/* a miss: no entry of k fits (verify: one did, it stays) */
	if (!mmu_same || checked || diff_save(v, b->state, &tmp))
		return;
	tmp.timed = (uint8_t)timed;
	if (timed) {
		struct nv_digest a = *after;
		if (!rerun || measure(v, b, res, &a, rerun, arg, &tmp))
			return;
	}
	e = nv_memo_slot(v->memo, k);
	tmp.key = e->key;
	tmp.res = *res;
	tmp.after = *nv_vcpu_digest(v);
	*e = tmp;
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
