/*
 * Sub-model state carried across consecutive nested exits (replay's fast
 * path with one struct nv_vcpu), each count tied to the KVM behaviour that
 * produces it:
 *  - the seed's hypercall stays 1 / 126 / 15 traps and 2,729 / 422,683 /
 *    92,383 cycles over 10,000 consecutive exits;
 *  - list registers retire: an interrupt the nested VM took (ACK + EOI on
 *    the shadow LRs, no trap) is synced back by L0 (vgic_v3_put_nested),
 *    folded away by the guest's kvm_vgic_sync_hwstate, and no longer costs
 *    the guest's world switch anything after one exit;
 *  - one LR per interrupt, maintenance interrupts where KVM asks for them.
 */
#include <stdlib.h>
#include <string.h>
#include "tap.h"
#include "model/model.h"
#include "model/vcpu.h"
#include "model/s2mmu.h"

static struct nv_model *model(const char *arch, const char *guest, struct nv_profile **p)
{
	char err[256];

	if (nv_profile_load_builtin(guest, p, err, sizeof err))
		return NULL;
	struct nv_model *m = nv_model_new(nv_arch_find(arch), *p, nv_cost_find("xgene"));
	if (m)
		nv_model_prepare(m);
	return m;
}

/* Registers of the gic sub-model's ops in one evaluation, "NAME:fate ...". */
struct regs {
	char s[512];
};
static void collect(void *arg, const struct nv_op_result *r)
{
	struct regs *g = arg;
	size_t len = strlen(g->s);

	if (r->op->source == NV_SRC_GIC && r->op->reg >= 0 && len < sizeof(g->s) - 40)
		snprintf(g->s + len, sizeof(g->s) - len, "%s%s:%s", len ? " " : "",
			 nv_sysreg_at(r->op->reg)->name, nv_fate_name(r->fate));
}

/* The same INTID never sits in two LRs; returns the live LR count. */
static int live_lrs_distinct(const struct nv_vgic *g, int *dup)
{
	int live = 0;

	*dup = 0;
	for (int i = 0; i < g->nr_lr; i++) {
		if (!(g->lr[i] & NV_LR_STATE))
			continue;
		live++;
		for (int j = i + 1; j < g->nr_lr; j++)
			if ((g->lr[j] & NV_LR_STATE) &&
			    (g->lr[j] & NV_LR_VINTID_MASK) == (g->lr[i] & NV_LR_VINTID_MASK))
				(*dup)++;
	}
	return live;
}

/* 10,000 consecutive hypercalls with state: every one is the seed's. */
static void test_hypercall_loop(void)
{
	static const struct { const char *arch; unsigned traps; uint64_t cycles; } seed[] = {
		{ "vm", 1, 2729 }, { "v8.3", 126, 422683 }, { "neve", 15, 92383 },
	};
	for (int a = 0; a < 3; a++) {
		struct nv_profile *p = NULL;
		struct nv_model *m = model(seed[a].arch, "kvm-2017-nvhe", &p);
		struct nv_vcpu *v = nv_vcpu_new();
		int off = 0;

		for (int i = 0; i < 10000; i++) {
			struct nv_result r;

			nv_vcpu_set_time(v, 1000000ull + 50000ull * i);
			if (nv_model_eval_fast(m, NV_EXIT_HVC, v, &r) || r.traps != seed[a].traps ||
			    r.cycles != seed[a].cycles)
				off++;
		}
		T_EQ_INT(off, 0, "%s: 10,000 stateful hypercalls, each %u traps and %llu cycles",
			 seed[a].arch, seed[a].traps, (unsigned long long)seed[a].cycles);
		nv_vcpu_free(v);
		nv_model_free(m);
		nv_profile_free(p);
	}
}

/*
 * The hypercall loop interrupted by the nested VM's timer every 5th exit
 * (as in nv-hypercall.dat), GICv2, neve.  Before LRs retired this grew to
 * 32 traps per hypercall (all 4 LRs pending forever, PPI 27 in several).
 * Now: the timer exit is 15 + 3 (__vgic_v2_restore_state writes GICH_HCR,
 * GICH_APR, GICH_LR0 for the one LR, all MMIO: trap on every architecture);
 * the hypercall right after it is 15 + 4 (__vgic_v2_save_state for the LR
 * loaded at the last entry: GICH_APR read, GICH_ELRSR0 read, GICH_LR0
 * written 0 -- not read, the nested VM EOI'd it so ELRSR shows it empty --,
 * GICH_HCR = 0); every other hypercall is 15 again.
 */
static void test_timer_every_fifth(void)
{
	struct nv_profile *p = NULL;
	struct nv_model *m = model("neve", "kvm-2017-nvhe", &p);
	struct nv_vcpu *v = nv_vcpu_new();
	unsigned hist[64] = { 0 };
	int maxlive = 0, dups = 0, bad_timer = 0;
	uint64_t timers = 0;

	for (int i = 0; i < 10000; i++) {
		struct nv_result r;
		enum nv_exit_kind k = i % 5 == 3 ? NV_EXIT_TIMER : NV_EXIT_HVC;
		int dup, live;

		nv_vcpu_set_time(v, 1000000ull + 2000000ull * i);
		nv_model_eval_fast(m, k, v, &r);
		if (k == NV_EXIT_TIMER) {
			timers++;
			bad_timer += r.traps != 18;
		} else {
			hist[r.traps < 64 ? r.traps : 63]++;
		}
		live = live_lrs_distinct(&v->vgic, &dup);
		maxlive = live > maxlive ? live : maxlive;
		dups += dup;
	}
	T_EQ_INT(bad_timer, 0, "2,000 timer exits: each 18 traps on neve (15 + 3 GICH writes of the restore)");
	T_EQ_INT(hist[19], 2000, "2,000 hypercalls right after a timer exit: 19 (15 + the save of 1 used LR)");
	T_EQ_INT(hist[15], 6000, "the other 6,000 hypercalls: the seed's 15");
	T_EQ_INT(hist[32], 0, "none at the old 32");
	T_OK(maxlive <= 1, "never more than one live LR (the timer's) in the guest's view");
	T_EQ_INT(dups, 0, "the same INTID never sits in two LRs");
	T_EQ_U64(v->vgic.st.retired, timers, "every injected PPI 27 retired (fold after the nested VM's EOI)");
	T_EQ_U64(v->vgic.st.eois, timers, "the nested VM EOI'd each one on the shadow LRs (no trap)");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
}

/* Two injections of one interrupt before the nested VM takes it: one LR. */
static void test_one_lr_per_intid(void)
{
	struct nv_profile *p = NULL;
	struct nv_model *m = model("v8.3", "kvm-2017-nvhe", &p);
	struct nv_vcpu *v = nv_vcpu_new();
	struct nv_result r;
	int dup;

	memset(&r, 0, sizeof r);
	nv_model_step(m, "gic.inject_timer", v, NULL, NULL, &r);
	T_EQ_INT(nv_vgic_live(&v->vgic), 0, "the vtimer did not fire: kvm_timer_update_irq injects nothing");
	nv_model_step(m, "timer.fire_l2", v, NULL, NULL, &r);
	nv_model_step(m, "gic.inject_timer", v, NULL, NULL, &r);
	nv_model_step(m, "gic.inject_timer", v, NULL, NULL, &r);
	nv_model_step(m, "gic.inject_ipi", v, NULL, NULL, &r);
	T_EQ_INT(live_lrs_distinct(&v->vgic, &dup), 2, "PPI 27 twice and SGI 3: two LRs");
	T_EQ_INT(dup, 0, "PPI 27 in one LR only (re-pended in place)");
	T_EQ_U64(v->vgic.st.repended, 1, "the second PPI 27 re-pended its LR");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
}

/*
 * A level-triggered SPI gets the EOI bit (vgic_v2/v3_populate_lr); the
 * nested VM's EOI of it raises a maintenance interrupt in the hardware,
 * which L0 takes and forwards (vgic_v3_handle_nested_maint_irq).  On the
 * next exit v4.10's __vgic_v2_save_state expects it (save_maint_int_state:
 * an LR with EOI and no HW) and reads GICH_MISR and, MISR.EOI being set,
 * GICH_EISR0: two more GICH traps than for an edge-triggered SGI.
 */
static void test_level_eoi_maintenance(void)
{
	static const char *const inj[2] = { "gic.inject_ipi", "gic.inject_level" };
	unsigned traps[2];
	struct regs g[2];

	for (int k = 0; k < 2; k++) {
		struct nv_profile *p = NULL;
		struct nv_model *m = model("neve", "kvm-2017-nvhe", &p);
		struct nv_vcpu *v = nv_vcpu_new();
		struct nv_result r;

		memset(&r, 0, sizeof r);
		nv_model_eval_fast(m, NV_EXIT_HVC, v, &r);
		nv_model_step(m, inj[k], v, NULL, NULL, &r);
		nv_model_step(m, "gic.restore", v, NULL, NULL, &r);
		nv_model_step(m, "gic.flush_l2", v, NULL, NULL, &r);
		memset(&g[k], 0, sizeof g[k]);
		nv_model_eval(m, NV_EXIT_HVC, v, collect, &g[k], &r);
		traps[k] = r.traps;
		if (k == 1)
			T_EQ_U64(v->vgic.st.maint_irqs, 1, "level SPI: the nested VM's EOI raised one maintenance interrupt");
		else
			T_EQ_U64(v->vgic.st.maint_irqs, 0, "SGI: no maintenance interrupt");
		nv_vcpu_free(v);
		nv_model_free(m);
		nv_profile_free(p);
	}
	T_EQ_STR(g[0].s, "GICH_APR:trap GICH_ELRSR0:trap GICH_LR0:trap GICH_HCR:trap",
		 "edge SGI: save of 1 used LR (APR, ELRSR0, LR0 = 0, HCR = 0)");
	T_EQ_STR(g[1].s, "GICH_APR:trap GICH_MISR:trap GICH_EISR0:trap GICH_ELRSR0:trap GICH_LR0:trap GICH_HCR:trap",
		 "level SPI: MISR and EISR0 read too (save_maint_int_state)");
	T_EQ_INT(traps[1] - traps[0], 2, "so the exit after a level interrupt costs 2 traps more");
}

/*
 * Five interrupts for four LRs: the fifth waits on the guest's ap_list and
 * KVM asks for the underflow interrupt (vgic_set_underflow: ICH_HCR.UIE);
 * once the nested VM has completed the four, the hardware raises it (MISR.U)
 * and L0 forwards it; the guest's next save expects it (UIE) and reads
 * GICH_MISR (no EISR: no EOI bit); its fold moves the fifth into LR0 and
 * clears UIE.
 */
static void test_underflow(void)
{
	struct nv_profile *p = NULL;
	struct nv_model *m = model("neve", "kvm-2017-nvhe", &p);
	struct nv_vcpu *v = nv_vcpu_new();
	struct nv_result r;
	struct regs g;

	memset(&r, 0, sizeof r);
	nv_model_eval_fast(m, NV_EXIT_HVC, v, &r);
	/* SGI 3, PPI 27, SPI 48 and two more distinct SGIs through the vGIC API */
	nv_model_step(m, "gic.inject_ipi", v, NULL, NULL, &r);
	nv_model_step(m, "timer.fire_l2", v, NULL, NULL, &r);
	nv_model_step(m, "gic.inject_timer", v, NULL, NULL, &r);
	nv_vgic_guest_queue(&v->vgic, 5, 0xa0, false, 0, false);
	nv_vgic_guest_queue(&v->vgic, 6, 0xa0, false, 0, false);
	T_EQ_INT(nv_vgic_guest_queue(&v->vgic, 7, 0xa0, false, 0, false), -1, "the fifth interrupt has no LR");
	T_OK((v->vgic.hcr & NV_HCR_UIE) != 0, "the guest asked for the underflow interrupt (UIE)");
	nv_model_step(m, "gic.restore", v, NULL, NULL, &r);
	nv_model_step(m, "gic.flush_l2", v, NULL, NULL, &r);
	memset(&g, 0, sizeof g);
	nv_model_eval(m, NV_EXIT_HVC, v, collect, &g, &r);
	T_EQ_U64(v->vgic.st.eois, 4, "the nested VM completed the four it could see");
	T_EQ_U64(v->vgic.st.underflow_mis, 1, "one underflow maintenance interrupt");
	T_EQ_STR(g.s, "GICH_APR:trap GICH_MISR:trap GICH_ELRSR0:trap GICH_LR0:trap GICH_LR1:trap "
		 "GICH_LR2:trap GICH_LR3:trap GICH_HCR:trap GICH_HCR:trap GICH_APR:trap GICH_LR0:trap",
		 "save of 4 used LRs with UIE: MISR read, no EISR, each LR written 0; "
		 "the restore then loads the fifth into LR0 (HCR, APR, LR0)");
	T_EQ_INT(nv_vgic_live(&v->vgic), 1, "after the fold the fifth interrupt is in an LR");
	T_EQ_U64(v->vgic.lr[0] & NV_LR_VINTID_MASK, 7, "LR0 holds INTID 7");
	T_OK(!(v->vgic.hcr & NV_HCR_UIE), "and UIE is cleared (nothing waits)");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
}

/* The GIC version is the profile's "gic v2|v3" line, not its name. */
static void test_gic_option(void)
{
	const char *text = nv_profile_builtin_text("kvm-nvhe");
	char err[256], *copy = malloc(strlen(text) + 1), *at;
	struct nv_profile *p = NULL;

	strcpy(copy, text);
	at = strstr(copy, "gic v3\n");
	T_OK(at != NULL, "kvm-nvhe says gic v3");
	at[5] = '2';
	T_EQ_INT(nv_profile_parse(copy, strlen(copy), "mine.prof", &p, err, sizeof err), 0, "gic v2 parses");
	T_EQ_INT(nv_profile_gic(p), 2, "and is GICv2 whatever the name");
	struct nv_model *m = nv_model_new(nv_arch_find("v8.3"), p, nv_cost_find("xgene"));
	struct nv_vcpu *v = nv_vcpu_new();
	struct nv_result r;
	memset(&r, 0, sizeof r);
	nv_model_step(m, "gic.inject_ipi", v, NULL, NULL, &r);
	T_EQ_INT(v->vgic.gic, NV_GIC_V2, "the vGIC sub-model programs GICH");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
	at[5] = '5';
	T_EQ_INT(nv_profile_parse(copy, strlen(copy), "mine.prof", &p, err, sizeof err), -1, "gic v5 is an error");
	T_OK(strstr(err, "mine.prof:") && strstr(err, "gic must be v2 or v3, not 'v5'"), "naming the file and line: %s", err);
	free(copy);
	struct nv_profile *q = NULL;
	nv_profile_load_builtin("kvm-2017-vhe", &q, err, sizeof err);
	T_EQ_INT(nv_profile_gic(q), 2, "kvm-2017-vhe: gic v2 (X-Gene's GIC-400)");
	nv_profile_free(q);
}

/*
 * The timer's clock follows the trace.  The nested VM's vtimer fires at 10
 * and 20 ms (timer exits): the period is 10 ms; the nested VM's handler
 * re-arms it for 30 ms when it takes PPI 27 (in the 22 ms exit).  In that
 * exit the vtimer becomes an emulated timer of L0 while the guest
 * hypervisor runs (get_timer_map with NV in vEL2), its deadline is ahead:
 * kvm_timer_vcpu_load arms an hrtimer (timer_emulate), cancelled at the
 * nested ERET.  In an exit at 35 ms the deadline has passed: no hrtimer,
 * the interrupt is raised at once (kvm_timer_update_irq).
 */
static void test_timer_clock(void)
{
	struct nv_profile *p = NULL;
	struct nv_model *m = model("neve", "kvm-2017-nvhe", &p);
	struct nv_vcpu *v = nv_vcpu_new();
	struct nv_result r;
	uint64_t starts, fired;

	nv_vcpu_set_time(v, 10000000);
	nv_model_eval_fast(m, NV_EXIT_TIMER, v, &r);
	nv_vcpu_set_time(v, 12000000);
	nv_model_eval_fast(m, NV_EXIT_HVC, v, &r);
	T_OK(!(v->timers.t[NV_TIMER_V].ctl & NV_CNT_CTL_ENABLE), "one firing: no period yet, the handler leaves it off");
	nv_vcpu_set_time(v, 20000000);
	nv_model_eval_fast(m, NV_EXIT_TIMER, v, &r);
	T_EQ_U64(v->vtimer_period, 10000000, "period from the trace's timestamps: 10 ms");
	starts = v->timers.st.hrtimer_starts;
	nv_vcpu_set_time(v, 22000000);
	nv_model_eval_fast(m, NV_EXIT_HVC, v, &r);
	T_EQ_U64(v->timers.t[NV_TIMER_V].cval, 30000000, "the nested VM's handler re-armed it for 30 ms");
	T_EQ_U64(v->timers.st.hrtimer_starts - starts, 1, "22 ms exit: deadline ahead, L0 arms an hrtimer for it");
	starts = v->timers.st.hrtimer_starts;
	fired = v->timers.st.fired;
	nv_vcpu_set_time(v, 35000000);
	nv_model_eval_fast(m, NV_EXIT_HVC, v, &r);
	T_EQ_U64(v->timers.st.hrtimer_starts - starts, 0, "35 ms exit: deadline passed, no hrtimer");
	T_EQ_U64(v->timers.st.fired - fired, 1, "... the interrupt is raised at the switch instead");
	nv_vcpu_set_time(v, 5);
	T_EQ_U64(v->now, 35000000, "the clock never goes back");
	nv_vcpu_free(v);

	/* the guest hypervisor's own tick: no LR for the nested VM */
	v = nv_vcpu_new();
	memset(&r, 0, sizeof r);
	nv_vcpu_set_time(v, 40000000);
	nv_model_step(m, "timer.fire_hyp", v, NULL, NULL, &r);
	nv_model_step(m, "gic.inject_timer", v, NULL, NULL, &r);
	T_EQ_INT(nv_vgic_live(&v->vgic), 0, "hvtimer PPI 28 fired: nothing injected into the nested VM");
	T_EQ_U64(v->timers.t[NV_TIMER_HV].cval, 44000000, "its tick re-armed 4 ms on (HZ=250 until the trace shows one)");
	nv_vcpu_set_time(v, 43000000);
	nv_model_step(m, "timer.fire_hyp", v, NULL, NULL, &r);
	T_EQ_U64(v->timers.t[NV_TIMER_HV].cval, 46000000, "then at the period the trace shows (3 ms)");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
}

/* A stage-2 fault path through the mmu steps (what a profile's s2fault
 * path calls): forwarded fault, the guest maps the page, the nested VM's
 * retry is resolved by L0 alone. */
static const char s2_profile[] =
	"profile s2t\nmode vhe\ngic v3\nsource TL torvalds/linux\n"
	"path s2fault\n"
	"  phase exit\n"
	"  fn nested_vm TL:arch/arm64/kvm/nested.c\n"
	"  exc : stage-2 fault on a page the guest hypervisor has not mapped (kvm_inject_s2_fault)\n"
	"  call mmu.s2_fault\n"
	"  call gic.sync_l2\n"
	"  call timer.enter_vel2\n"
	"  call mmu.enter_vel2\n"
	"  phase handle\n"
	"  fn kvm_handle_guest_abort TL:arch/arm64/kvm/mmu.c\n"
	"  native kvm_handle_hvc : user_mem_abort\n"
	"  call mmu.guest_map\n"
	"  phase entry\n"
	"  fn __guest_enter TL:arch/arm64/kvm/hyp/entry.S\n"
	"  eret : enter the nested VM\n"
	"  call timer.enter_l2\n"
	"  call gic.flush_l2\n"
	"  call mmu.enter_l2\n"
	"  call mmu.retry\n"
	"end\n";

static void test_shadow_s2(void)
{
	char err[256];
	struct nv_profile *p = NULL;
	T_EQ_INT(nv_profile_parse(s2_profile, sizeof s2_profile - 1, "s2t.prof", &p, err, sizeof err), 0,
		 "an s2fault path with the mmu steps parses");
	static const char *const archs[] = { "vm", "v8.3", "neve", "v8.4" };
	/* vm: the VM's own fault (1 trap), its hypervisor maps, the hardware
	 * walks both stages on the retry: no shadow, no second trap.  Nested:
	 * the forwarded fault, the ERET, and the retry L0 resolves alone
	 * (kvm_walk_nested_s2 reads 3 descriptors each time: the page's
	 * level-3 table exists, its entry is empty the first time). */
	static const unsigned want[] = { 1, 3, 3, 3 };
	for (int a = 0; a < 4; a++) {
		struct nv_model *m = nv_model_new(nv_arch_find(archs[a]), p, nv_cost_find("xgene"));
		struct nv_vcpu *v = nv_vcpu_new();
		int off = 0;
		nv_model_prepare(m);
		for (int i = 0; i < 100; i++) {
			struct nv_result r;
			nv_model_eval_fast(m, NV_EXIT_S2FAULT, v, &r);
			off += r.traps != want[a];
		}
		T_EQ_INT(off, 0, "%s: 100 stage-2 fault exits, each %u traps", archs[a], want[a]);
		if (a == 2) {
			T_EQ_U64(v->mmu->st.forwarded_faults, 100, "neve: 100 faults forwarded to the guest hypervisor");
			T_EQ_U64(v->mmu->st.shadow_faults, 200, "... and 100 more resolved by L0 (the retries)");
			T_EQ_U64(v->mmu->st.walk_reads, 600, "3 descriptor reads per walk");
		}
		nv_vcpu_free(v);
		nv_model_free(m);
	}
	nv_profile_free(p);

	/* TLBI and recycling, reached from the steps that cause them */
	struct nv_profile *q = NULL;
	struct nv_model *m = model("v8.4", "kvm-vhe", &q);
	struct nv_vcpu *v = nv_vcpu_new();
	struct nv_result r;
	memset(&r, 0, sizeof r);
	nv_model_step(m, "mmu.s2_fault", v, NULL, NULL, &r);
	nv_model_step(m, "mmu.guest_map", v, NULL, NULL, &r);
	nv_model_step(m, "mmu.retry", v, NULL, NULL, &r);
	T_EQ_INT(r.traps, 1, "v8.4: the retry is one trap to L0 (NV2 does nothing for shadow stage 2)");
	T_EQ_INT(r.handler_count[NV_H_L0_S2], 1, "... handled by kvm_handle_guest_abort in L0");
	memset(&r, 0, sizeof r);
	nv_model_step(m, "mmu.guest_unmap", v, NULL, NULL, &r);
	T_EQ_INT(r.traps, 2, "the guest's unmap: TLBI IPAS2E1IS and TLBI VMALLE1IS trap on v8.4 too");
	T_EQ_U64(v->mmu->st.unmapped, 1, "L0 dropped the shadow entry (no level hint, no shadow for the page: 1GB range)");
	memset(&r, 0, sizeof r);
	for (int i = 0; i < 4; i++) {
		nv_model_step(m, "mmu.enter_vel2", v, NULL, NULL, &r);
		nv_model_step(m, "mmu.switch_vm", v, NULL, NULL, &r);
		nv_model_step(m, "mmu.enter_l2", v, NULL, NULL, &r);
	}
	T_EQ_U64(v->mmu->st.evictions, 1, "the 5th nested VM on a 2-vCPU VM (4 shadows) recycles one (get_s2_mmu_nested)");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(q);
}

/* kvm-vhe's s2fault path (the mmu steps where KVM does that work), stateful
 * on v8.4: L0 forwards the fault (kvm_walk_nested_s2 finds no entry), the
 * guest hypervisor maps the page, the nested VM's retry after the ERET is
 * one trap L0 resolves alone; a second access to that page hits the shadow
 * stage 2 and reaches neither L0's handler nor L1. */
static void test_vhe_s2fault_path(void)
{
	struct nv_profile *p = NULL;
	struct nv_model *m = model("v8.4", "kvm-vhe", &p);
	struct nv_vcpu *v = nv_vcpu_new();
	struct nv_result r, plain;
	uint64_t ipa, faults;
	int off = 0;

	nv_model_eval_fast(m, NV_EXIT_S2FAULT, NULL, &plain);
	nv_model_eval_fast(m, NV_EXIT_S2FAULT, v, &r);
	T_EQ_INT(r.traps - plain.traps, 1, "stateful: one trap more than the stateless path (the retry)");
	T_EQ_INT(r.handler_count[NV_H_L0_S2], 1, "... in L0's kvm_handle_guest_abort");
	T_EQ_U64(v->mmu->st.forwarded_faults, 1, "the fault was forwarded to the guest hypervisor");
	T_EQ_U64(v->mmu->st.shadow_faults, 2, "L0 saw two shadow misses: the fault and the retry");
	ipa = NV_VCPU_RAM_IPA + ((uint64_t)NV_VCPU_RAM_PAGES << 12);
	faults = v->mmu->st.shadow_faults;
	T_EQ_INT(s2mmu_access(v->mmu, v->id, ipa, true, NULL, NULL), S2_ACCESS_HIT,
		 "the same page again: a shadow stage-2 hit");
	T_EQ_U64(v->mmu->st.shadow_faults - faults, 0, "... no fault, nothing forwarded");
	/* past the 496 pages the model pages in, every fault is still forwarded
	 * (the trace says so) and the guest's map replaces nothing (no TLBI) */
	for (int i = 1; i < 1200; i++) {
		nv_model_eval_fast(m, NV_EXIT_S2FAULT, v, &r);
		off += r.traps != plain.traps + 1;
	}
	T_EQ_INT(off, 0, "1,200 stage-2 fault exits, each the path + the retry");
	T_EQ_U64(v->mmu->st.forwarded_faults, 1200, "every one forwarded to the guest hypervisor");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
}

/* kvm-vhe's timer and irq paths: the nested VM's vtimer (PPI 27) exit
 * injects it through an LR (kvm_timer_update_irq); the guest hypervisor's
 * own tick (INTID 28, the irq kind) injects nothing and re-arms at the
 * period the trace's clock shows. */
static void test_vhe_timer_paths(void)
{
	struct nv_profile *p = NULL;
	struct nv_model *m = model("v8.4", "kvm-vhe", &p);
	struct nv_vcpu *v = nv_vcpu_new();
	struct nv_result r;

	nv_vcpu_set_time(v, 10000000);
	nv_model_eval_fast(m, NV_EXIT_TIMER, v, &r);
	T_EQ_INT(nv_vgic_live(&v->vgic), 1, "timer exit: PPI 27 in one LR for the nested VM");
	nv_vcpu_set_time(v, 11000000);
	nv_model_eval_fast(m, NV_EXIT_HVC, v, &r);
	T_EQ_INT(nv_vgic_live(&v->vgic), 0, "the nested VM took it (ACK, EOI on the shadow LR): retired");
	nv_vcpu_set_time(v, 40000000);
	nv_model_eval_fast(m, NV_EXIT_IRQ, v, &r);
	T_EQ_INT(nv_vgic_live(&v->vgic), 0, "irq exit (its own tick): nothing injected into the nested VM");
	T_EQ_U64(v->timers.t[NV_TIMER_HV].cval, 44000000, "its tick re-armed 4 ms on (no period seen yet)");
	nv_vcpu_set_time(v, 43000000);
	nv_model_eval_fast(m, NV_EXIT_IRQ, v, &r);
	T_EQ_U64(v->timers.t[NV_TIMER_HV].cval, 46000000, "the next at the period the trace's clock shows (3 ms)");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
}

/* kvm-vhe's unmap variant (an exit whose traps show the guest hypervisor's
 * TLBI IPAS2E1IS) and its switch-vm option (each put/load runs another
 * nested VM): mmu.guest_unmap and mmu.switch_vm on the paths. */
static void test_vhe_unmap_switch(void)
{
	struct nv_profile *p = NULL;
	struct nv_model *m = model("v8.4", "kvm-vhe", &p);
	struct nv_vcpu *v = nv_vcpu_new();
	struct nv_variant_sel plain_sel, unmap, putload;
	struct nv_result r, plain;
	uint64_t ipa = NV_VCPU_RAM_IPA + ((uint64_t)NV_VCPU_RAM_PAGES << 12), faults;

	memset(&plain_sel, 0, sizeof plain_sel);
	T_EQ_INT(nv_variant_parse(p, "unmap", &unmap), 0, "kvm-vhe has the unmap variant");
	nv_model_eval_fast(m, NV_EXIT_S2FAULT, v, &r); /* page 16 mapped, shadowed */
	nv_model_eval_fast_variant(m, NV_EXIT_HVC, &plain_sel, v, &plain);
	nv_model_eval_fast_variant(m, NV_EXIT_HVC, &unmap, v, &r);
	T_EQ_INT(r.traps - plain.traps, 2, "an hvc exit with an unmap: TLBI IPAS2E1IS + VMALLE1IS trap on v8.4");
	T_EQ_INT(r.handler_count[NV_H_TLBI], 2, "... handled by L0's TLBI emulation");
	nv_model_eval_fast_variant(m, NV_EXIT_HVC, &unmap, v, &r);
	T_EQ_INT(r.traps - plain.traps, 2, "a second unmap (another mapped page): 2 traps again");
	T_EQ_U64(v->mmu->st.unmapped, 1, "the first TLBI (no level hint: a 1GB range) dropped the shadowed page 16");
	faults = v->mmu->st.shadow_faults;
	T_EQ_INT(s2mmu_access(v->mmu, v->id, ipa, true, NULL, NULL), S2_ACCESS_RESOLVED,
		 "page 16 (still mapped by the guest; the unmaps took pages 0 and 1) faults in L0 again");
	T_EQ_U64(v->mmu->st.shadow_faults - faults, 1, "... one shadow fault L0 resolves, not forwarded");

	/* another nested VM at each put/load: the 5th key on a 2-vCPU VM's 4
	 * shadows recycles one; the page shadowed before faults in L0 again
	 * when its VM runs once more (the refilled shadow starts empty) */
	T_EQ_INT(nv_profile_option_set(p, "switch-vm", 1), 0, "option switch-vm");
	nv_model_free(m);
	m = nv_model_new(nv_arch_find("v8.4"), p, nv_cost_find("xgene"));
	nv_model_prepare(m);
	T_EQ_INT(nv_variant_parse(p, "putload", &putload), 0, "kvm-vhe has the putload variant");
	for (int i = 0; i < 4; i++)
		nv_model_eval_fast_variant(m, NV_EXIT_HVC, &putload, v, &r);
	T_EQ_U64(v->mmu->st.evictions, 1, "4 switches: the 5th nested VM recycles a shadow (get_s2_mmu_nested)");
	nv_model_eval_fast_variant(m, NV_EXIT_HVC, &putload, v, &r);
	faults = v->mmu->st.shadow_faults;
	T_EQ_INT(s2mmu_access(v->mmu, v->id, ipa, true, NULL, NULL), S2_ACCESS_RESOLVED,
		 "back on the first VM: its recycled shadow misses the page, L0 walks and refills");
	T_EQ_U64(v->mmu->st.shadow_faults - faults, 1, "... one shadow fault, not forwarded");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
}

int main(void)
{
	test_vhe_unmap_switch();
	test_vhe_s2fault_path();
	test_vhe_timer_paths();
	test_shadow_s2();
	test_timer_clock();
	test_gic_option();
	test_hypercall_loop();
	test_timer_every_fifth();
	test_one_lr_per_intid();
	test_level_eoi_maintenance();
	test_underflow();
	return t_done();
}
