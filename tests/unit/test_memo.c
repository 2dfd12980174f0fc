/*
 * The per-exit memo (model/memo.c, model.h nv_vcpu_memo): the same results
 * and the same sub-model state as evaluating every exit, exit by exit; what
 * it keeps (exits that leave the shadow stage 2 and every time as they were)
 * and what its key tells apart (the state, and where stored times lie
 * against the clock).
 */
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "model/model.h"
#include "model/vcpu.h"

/* The times and the state digest of v equal w's. */
static int same_state(struct nv_vcpu *v, struct nv_vcpu *w)
{
	uint64_t tv[NV_VCPU_NTIMES], tw[NV_VCPU_NTIMES];

	nv_vcpu_times(v, tv);
	nv_vcpu_times(w, tw);
	return !memcmp(tv, tw, sizeof(tv)) && !memcmp(nv_vcpu_digest(v), nv_vcpu_digest(w),
						       sizeof(struct nv_digest));
}

int main(void)
{
	static const enum nv_exit_kind seq[] = {
		NV_EXIT_IPI, NV_EXIT_HVC, NV_EXIT_MMIO, NV_EXIT_IRQ, NV_EXIT_WFI,
		NV_EXIT_IPI, NV_EXIT_MMIO, NV_EXIT_TIMER, NV_EXIT_WFI, NV_EXIT_IRQ,
	};
	struct nv_profile *p;
	char err[256];
	struct nv_memo_stats st;

	T_OK(!nv_profile_load_builtin("kvm-2017-nvhe", &p, err, sizeof err), "profile loads");
	struct nv_model *m = nv_model_new(nv_arch_find("v8.3"), p, nv_cost_find("xgene"));
	T_OK(m && !nv_model_prepare(m), "model prepared");
	struct nv_vcpu *plain = nv_vcpu_new(), *memo = nv_vcpu_new(), *shared = nv_vcpu_new();
	T_EQ_INT(nv_vcpu_memo(memo, 1), 0, "memo on");
	nv_vcpu_memo_share(shared, memo);

	/* 20 rounds of 10 exits, 100 us apart: every result and state equal */
	int diff = 0, states = 0;
	uint64_t now = 1000;
	for (int r = 0; r < 20; r++)
		for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++, now += 100000) {
			struct nv_result a, b;
			nv_vcpu_set_time(plain, now);
			nv_vcpu_set_time(memo, now);
			nv_model_eval_fast(m, seq[i], plain, &a);
			nv_model_eval_fast(m, seq[i], memo, &b);
			diff += memcmp(&a, &b, sizeof(a)) != 0;
			states += !same_state(plain, memo);
		}
	T_EQ_INT(diff, 0, "200 exits: the memo's results are the evaluation's, bit for bit");
	T_EQ_INT(states, 0, "and the sub-model state after each exit is the same");
	nv_vcpu_memo_stats(memo, &st);
	T_EQ_U64(st.hits + st.misses, 200, "every exit looked up once");
	/* exits are met again in the same state, round after round; timer exits
	 * (the vtimer fires at the clock, its period and next deadline follow
	 * from it) are kept as timed entries: their times after, an affine
	 * function of the times before and the clock */
	T_EQ_U64(st.hits, 175, "175 of 200 exits taken from the memo");
	T_EQ_U64(st.stored, 25, "25 (kind, state) entries kept");

	/* a vCPU sharing the memo uses what the first one learned */
	struct nv_result a, b;
	nv_vcpu_set_time(shared, 1000);
	nv_model_eval_fast(m, NV_EXIT_IPI, shared, &b);
	nv_vcpu_memo_stats(shared, &st);
	T_EQ_U64(st.stored, 25, "sharing vCPU: the memo is the first vCPU's");

	/* the key holds where a stored time lies against now: the vtimer's CVAL
	 * ahead of the clock, at it, behind it are three keys (not its value) */
	struct nv_vcpu *tv = nv_vcpu_new();
	tv->timers.t[NV_TIMER_V].ctl = NV_CNT_CTL_ENABLE;
	tv->timers.t[NV_TIMER_V].cval = 5000;
	nv_vcpu_set_time(tv, 4000);
	uint64_t ahead = nv_vcpu_time_rel(tv);
	struct nv_digest d_ahead = *nv_vcpu_digest(tv);
	nv_vcpu_set_time(tv, 5000);
	uint64_t at = nv_vcpu_time_rel(tv);
	nv_vcpu_set_time(tv, 6000);
	uint64_t behind = nv_vcpu_time_rel(tv);
	T_OK(ahead != at && at != behind && ahead != behind, "CVAL ahead / at / behind the clock: three keys");
	tv->timers.t[NV_TIMER_V].cval = 9000;
	tv->digest_ok = 0;
	T_OK(!memcmp(nv_vcpu_digest(tv), &d_ahead, sizeof(d_ahead)),
	     "the CVAL's value is not in the digest (a time: only where it lies)");
	tv->timers.t[NV_TIMER_V].ctl = 0;
	tv->digest_ok = 0;
	T_OK(memcmp(nv_vcpu_digest(tv), &d_ahead, sizeof(d_ahead)) != 0, "the CTL is");
	nv_vcpu_free(tv);

	/* an exit that changes a time is kept timed: a timer exit, met again
	 * later in the same state, gives the times of its own clock */
	struct nv_vcpu *te = nv_vcpu_new(), *te2 = nv_vcpu_new(), *tp = nv_vcpu_new();
	nv_vcpu_memo(te, 1);
	nv_vcpu_memo_share(te2, te);
	nv_vcpu_set_time(te, 1000);
	nv_model_eval_fast(m, NV_EXIT_TIMER, te, &a);
	nv_vcpu_memo_stats(te, &st);
	T_EQ_U64(st.stored, 1, "a timer exit (the vtimer fired at the clock): kept, timed");
	T_EQ_U64(te->vtimer_last, 1000, "it stored the time it fired");
	nv_vcpu_set_time(te2, 7000);
	nv_vcpu_set_time(tp, 7000);
	nv_model_eval_fast(m, NV_EXIT_TIMER, te2, &a);
	nv_model_eval_fast(m, NV_EXIT_TIMER, tp, &b);
	nv_vcpu_memo_stats(te, &st);
	T_EQ_U64(st.hits, 1, "the same exit 6 us later: taken from the memo");
	T_EQ_U64(te2->vtimer_last, 7000, "with the time of its own clock");
	T_OK(!memcmp(&a, &b, sizeof(a)) && same_state(te2, tp), "result and state: the evaluation's");
	nv_vcpu_free(tp);
	nv_vcpu_free(te2);
	nv_vcpu_free(te);

	/* a timer crossing: the vtimer's next deadline is its last one plus its
	 * period (the nested VM's handler re-arms it: gic.sync_l2 after a timer
	 * exit); the key holds the period's being zero, not its value.  Two
	 * histories in the same states but with the period 1 ms and 50 us: the
	 * WFI after the second timer exit puts the deadline 900 us ahead of the
	 * clock, then 50 us behind it: the first entry must not serve the second */
	{
		static const uint64_t when[2][3] = { { 1000000, 2000000, 2100000 },
						     { 1000000, 1050000, 1150000 } };
		static const enum nv_exit_kind ks[3] = { NV_EXIT_TIMER, NV_EXIT_TIMER, NV_EXIT_WFI };
		struct nv_vcpu *c0 = nv_vcpu_new(), *c[3], *cp[3];
		struct nv_memo_stats s0;
		int cd = 0, cs = 0;
		nv_vcpu_memo(c0, 1);
		for (int h = 0; h < 3; h++) {	/* 1 ms, 50 us, 50 us again */
			c[h] = h ? nv_vcpu_new() : c0;
			cp[h] = nv_vcpu_new();
			if (h)
				nv_vcpu_memo_share(c[h], c0);
			nv_vcpu_memo_stats(c0, &s0);
			for (int i = 0; i < 3; i++) {
				nv_vcpu_set_time(c[h], when[h > 0][i]);
				nv_vcpu_set_time(cp[h], when[h > 0][i]);
				nv_model_eval_fast(m, ks[i], c[h], &a);
				nv_model_eval_fast(m, ks[i], cp[h], &b);
				cd += memcmp(&a, &b, sizeof(a)) != 0;
				cs += !same_state(c[h], cp[h]);
			}
			nv_vcpu_memo_stats(c0, &st);
			if (h == 0) {
				T_EQ_U64(st.stored, 3, "1 ms: three entries, all timed");
				T_EQ_U64(c[0]->timers.t[NV_TIMER_V].cval, 3000000,
					 "the deadline after the WFI: 1 ms after the last timer exit");
			} else if (h == 1) {
				T_EQ_U64(st.hits - s0.hits, 2, "50 us: both timer exits from the memo");
				T_EQ_U64(st.misses - s0.misses, 1, "the WFI's deadline would cross the clock: a miss");
				T_EQ_U64(st.stored - s0.stored, 1, "kept as a second entry of the same key");
				T_EQ_U64(c[1]->timers.t[NV_TIMER_V].cval, 1100000,
					 "the deadline: 50 us after the last timer exit, behind the clock");
			} else {
				T_EQ_U64(st.hits - s0.hits, 3, "50 us again: all three from the memo (the second entry)");
			}
		}
		T_EQ_INT(cd, 0, "timer crossing: the results are the evaluation's");
		T_EQ_INT(cs, 0, "and so is the state after each exit");
		for (int h = 0; h < 3; h++) {
			nv_vcpu_free(c[h]);
			nv_vcpu_free(cp[h]);
		}
	}

	/* a stage-2 change forces a miss: the guest hypervisor unmaps a page of
	 * the nested VM (its table write, outside any exit) on a vCPU whose
	 * state digest is cached; the same exit in that state is not the one
	 * kept before the change */
	{
		struct nv_vcpu *s1 = nv_vcpu_new(), *s2 = nv_vcpu_new(), *sp = nv_vcpu_new();
		struct nv_memo_stats s0;
		nv_vcpu_memo(s1, 1);
		nv_vcpu_memo_share(s2, s1);
		nv_vcpu_set_time(s1, 1000);
		nv_model_eval_fast(m, NV_EXIT_HVC, s1, &a);
		nv_vcpu_set_time(s2, 1000);
		nv_vcpu_set_time(sp, 1000);
		nv_vcpu_digest(s2);
		uint64_t root = s2->mmu->vcpu[0].vttbr & S2_DESC_OA_MASK;
		T_EQ_INT(s2g_unmap(s2->mmu, S2_VTCR_39BIT_4K, root, NV_VCPU_RAM_IPA, NULL), 1,
			 "the guest hypervisor unmaps a RAM page");
		s2g_unmap(sp->mmu, S2_VTCR_39BIT_4K, root, NV_VCPU_RAM_IPA, NULL);
		nv_vcpu_memo_stats(s1, &s0);
		nv_model_eval_fast(m, NV_EXIT_HVC, s2, &a);
		nv_model_eval_fast(m, NV_EXIT_HVC, sp, &b);
		nv_vcpu_memo_stats(s1, &st);
		T_EQ_U64(st.misses - s0.misses, 1, "stage 2 changed: the exit is evaluated");
		T_EQ_U64(st.hits - s0.hits, 0, "not taken from the entry of the old stage 2");
		T_OK(!memcmp(&a, &b, sizeof(a)) && same_state(s2, sp), "result and state: the evaluation's");
		nv_vcpu_free(sp);
		nv_vcpu_free(s2);
		nv_vcpu_free(s1);
	}

	/* verify mode: hits are evaluated again and agree */
	struct nv_vcpu *ver = nv_vcpu_new();
	T_EQ_INT(nv_vcpu_memo(ver, 2), 0, "verify mode on");
	now = 1000;
	for (int r = 0; r < 5; r++)
		for (size_t i = 0; i < sizeof(seq) / sizeof(seq[0]); i++, now += 100000) {
			nv_vcpu_set_time(ver, now);
			nv_model_eval_fast(m, seq[i], ver, &a);
		}
	nv_vcpu_memo_stats(ver, &st);
	T_EQ_U64(st.hits, 0, "verify: no result taken from the memo");
	T_OK(st.checked > 0, "verify: remembered results checked (%llu)", (unsigned long long)st.checked);
	T_EQ_U64(st.wrong, 0, "verify: none differs");

	nv_vcpu_free(ver);
	nv_vcpu_free(shared);
	nv_vcpu_free(memo);
	nv_vcpu_free(plain);
	nv_model_free(m);
	nv_profile_free(p);
	return t_done();
}
