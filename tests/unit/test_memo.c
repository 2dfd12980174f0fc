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
	/* timer exits fire the vtimer at the clock (times change) and are never
	 * kept; the other exits are met again in the same state, round after round */
	T_EQ_U64(st.hits, 140, "140 of 200 exits taken from the memo");
	T_EQ_U64(st.stored, 21, "21 (kind, state) entries kept");

	/* a vCPU sharing the memo uses what the first one learned */
	struct nv_result a, b;
	nv_vcpu_set_time(shared, 1000);
	nv_model_eval_fast(m, NV_EXIT_IPI, shared, &b);
	nv_vcpu_memo_stats(shared, &st);
	T_EQ_U64(st.stored, 21, "sharing vCPU: the memo is the first vCPU's");

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

	/* an exit that changes a time is not kept: a timer exit */
	struct nv_vcpu *te = nv_vcpu_new();
	nv_vcpu_memo(te, 1);
	nv_vcpu_set_time(te, 1000);
	nv_model_eval_fast(m, NV_EXIT_TIMER, te, &a);
	nv_vcpu_memo_stats(te, &st);
	T_EQ_U64(st.stored, 0, "a timer exit (the vtimer fired at the clock): not kept");
	T_EQ_U64(te->vtimer_last, 1000, "it stored the time it fired");
	nv_vcpu_free(te);

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
