/*
 * Timers with NV: get_timer_map in every context (arch_timer.c), the
 * put/load register work at each vEL2 <-> nested VM switch, and the route of
 * a firing timer.  Expected register counts follow timer_save_state (CTL,
 * CVAL read, CTL write, CNTVOFF write for the virtual timer; no CNTVOFF for
 * the physical one, no CNTPOFF without FEAT_ECV) and timer_restore_state.
 */
#include "tap.h"
#include "model/timer.h"

static void check_map(const struct nv_timers *t, int dv, int dp, int ev, int ep, const char *when)
{
	struct nv_timer_map m;

	nv_timer_get_map(t, &m);
	T_EQ_INT(m.direct_vtimer, dv, "%s: direct vtimer", when);
	T_EQ_INT(m.direct_ptimer, dp, "%s: direct ptimer", when);
	T_EQ_INT(m.emul_vtimer, ev, "%s: emulated vtimer", when);
	T_EQ_INT(m.emul_ptimer, ep, "%s: emulated ptimer", when);
}

static void test_non_nv_maps(void)
{
	struct nv_timers t;

	nv_timers_init(&t, false, true);
	check_map(&t, NV_TIMER_V, NV_TIMER_P, NV_TIMER_NONE, NV_TIMER_NONE, "VHE host, no NV");
	nv_timers_init(&t, false, false);
	check_map(&t, NV_TIMER_V, NV_TIMER_NONE, NV_TIMER_NONE, NV_TIMER_P, "nVHE host, no NV");
}

static void test_switches(void)
{
	struct nv_subop ops[64];
	struct nv_subop_log log;
	struct nv_timers t;

	nv_timers_init(&t, true, true);
	T_OK(t.in_hyp, "a vCPU with EL2 starts in vEL2");
	check_map(&t, NV_TIMER_HV, NV_TIMER_HP, NV_TIMER_V, NV_TIMER_P, "vEL2");
	/* the guest hypervisor arms its own hyp timer and its nested VM's vtimer */
	nv_timer_program(&t, NV_TIMER_HP, NV_CNT_CTL_ENABLE, 5000);
	nv_timer_program(&t, NV_TIMER_V, NV_CNT_CTL_ENABLE, 3000);
	nv_subop_log_init(&log, ops, 64);
	nv_timer_vcpu_load(&t, 0, &log);
	T_OK(t.t[NV_TIMER_HV].loaded && t.t[NV_TIMER_HP].loaded, "vEL2 load: hyp timers on the hardware");
	T_OK(t.t[NV_TIMER_V].hrtimer, "vEL2 load: the nested VM's armed vtimer gets an hrtimer");
	T_OK(!t.t[NV_TIMER_P].hrtimer, "ptimer disabled: no hrtimer");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_SYSREG), 5, "restore: CNTVOFF, CNTV_CVAL, CNTV_CTL, CNTP_CVAL, CNTP_CTL");

	nv_subop_log_init(&log, ops, 64);
	nv_timer_switch(&t, false, 100, &log); /* nested ERET into the nested VM */
	check_map(&t, NV_TIMER_V, NV_TIMER_P, NV_TIMER_HV, NV_TIMER_HP, "after ERET to the nested VM");
	T_OK(t.t[NV_TIMER_V].loaded && t.t[NV_TIMER_P].loaded, "EL1 timers now on the hardware");
	T_OK(!t.t[NV_TIMER_HV].loaded && !t.t[NV_TIMER_HP].loaded, "hyp timers saved");
	T_OK(t.t[NV_TIMER_HP].hrtimer, "armed CNTHP now emulated by an hrtimer");
	T_OK(!t.t[NV_TIMER_V].hrtimer, "vtimer hrtimer cancelled");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_SYSREG), 7 + 5, "switch: 7 save + 5 restore register accesses");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_WORK), 2, "switch: one hrtimer cancel, one start");
	T_EQ_U64(t.t[NV_TIMER_HP].cval, 5000, "CNTHP_CVAL kept across the switch");

	nv_subop_log_init(&log, ops, 64);
	nv_timer_switch(&t, true, 200, &log); /* exit forwarded back to vEL2 */
	check_map(&t, NV_TIMER_HV, NV_TIMER_HP, NV_TIMER_V, NV_TIMER_P, "after the exit back to vEL2");
	T_OK(t.t[NV_TIMER_V].hrtimer && !t.t[NV_TIMER_HP].hrtimer, "vtimer emulated again, CNTHP on hardware");
	T_EQ_U64(t.st.switches, 2, "two switches counted");
	T_EQ_INT(nv_subop_count(&log, NV_SUBOP_L0_SYSREG), 12, "same register work the other way");
	nv_subop_log_init(&log, ops, 64);
	nv_timer_switch(&t, true, 300, &log);
	T_EQ_INT(log.len, 0, "no switch when the context does not change");
}

static void test_routes(void)
{
	struct nv_timer_fire f[4];
	struct nv_timers t;

	nv_timers_init(&t, true, true);
	nv_timer_program(&t, NV_TIMER_HP, NV_CNT_CTL_ENABLE, 5000);
	nv_timer_program(&t, NV_TIMER_V, NV_CNT_CTL_ENABLE, 3000);
	nv_timer_vcpu_load(&t, 0, NULL);
	nv_timer_switch(&t, false, 100, NULL);
	T_EQ_INT(nv_timer_expire(&t, 2999, f, 4), 0, "nothing before CVAL");
	T_EQ_INT(nv_timer_expire(&t, 3000, f, 4), 1, "the nested VM's vtimer fires at 3000");
	T_EQ_INT(f[0].id, NV_TIMER_V, "it is the vtimer");
	T_EQ_INT(f[0].ppi, 27, "PPI 27");
	T_OK(!f[0].emulated, "on the hardware (direct while the nested VM runs)");
	T_EQ_INT(f[0].route, NV_TIMER_VIA_GUEST_HYP, "delivered through the guest hypervisor");
	T_OK(f[0].forces_exit, "which needs an exit from the nested VM");
	T_EQ_INT(nv_timer_expire(&t, 4000, f, 4), 0, "a raised line does not fire twice");
	T_EQ_INT(nv_timer_expire(&t, 5000, f, 4), 1, "CNTHP fires at 5000");
	T_EQ_INT(f[0].id, NV_TIMER_HP, "hptimer");
	T_EQ_INT(f[0].ppi, 26, "PPI 26");
	T_OK(f[0].emulated, "raised by L0's hrtimer");
	T_EQ_INT(f[0].route, NV_TIMER_TO_GUEST_HYP, "for the guest hypervisor itself");

	nv_timers_init(&t, false, false);
	nv_timer_program(&t, NV_TIMER_V, NV_CNT_CTL_ENABLE, 10);
	nv_timer_program(&t, NV_TIMER_HP, NV_CNT_CTL_ENABLE, 10);
	T_EQ_INT(nv_timer_expire(&t, 10, f, 4), 1, "no NV: only the EL1 timers exist");
	T_EQ_INT(f[0].route, NV_TIMER_TO_VM, "to the VM, no forwarding");
}

int main(void)
{
	test_non_nv_maps();
	test_switches();
	test_routes();
	return t_done();
}
