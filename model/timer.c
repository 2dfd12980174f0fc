/*
 * vCPU timers with NV: the direct/emulated mapping per context, the save
 * and restore at every put/load, and the route of a timer interrupt
 * (Linux arch/arm64/kvm/arch_timer.c).
 */
#include <stddef.h>
#include <string.h>
#include "model/timer.h"

/* Per timer: names, default PPI (arch_timer.c default_ppi[]), and the
 * hardware timer it runs on when direct (V and HV share CNTV, P and HP
 * share CNTP). */
static const struct {
	const char *name, *ctl, *cval;
	unsigned ppi;
	bool on_cntv;
} timer_desc[NV_TIMER__COUNT] = {
	[NV_TIMER_P] = { "ptimer", "CNTP_CTL_EL0", "CNTP_CVAL_EL0", 30, false },
	[NV_TIMER_V] = { "vtimer", "CNTV_CTL_EL0", "CNTV_CVAL_EL0", 27, true },
	[NV_TIMER_HV] = { "hvtimer", "CNTHV_CTL_EL2", "CNTHV_CVAL_EL2", 28, true },
	[NV_TIMER_HP] = { "hptimer", "CNTHP_CTL_EL2", "CNTHP_CVAL_EL2", 26, false },
};

const char *nv_timer_name(enum nv_timer_id id) { return timer_desc[id].name; }
const char *nv_timer_ctl_name(enum nv_timer_id id) { return timer_desc[id].ctl; }
const char *nv_timer_cval_name(enum nv_timer_id id) { return timer_desc[id].cval; }
unsigned nv_timer_ppi(enum nv_timer_id id) { return timer_desc[id].ppi; }

void nv_timers_init(struct nv_timers *t, bool has_nv, bool host_vhe)
{
	memset(t, 0, sizeof(*t));
	t->has_nv = has_nv;
	t->host_vhe = host_vhe;
	t->in_hyp = has_nv; /* a vCPU with EL2 resets into (v)EL2 */
}

/* get_timer_map: which contexts are on the hardware, which on hrtimers. */
void nv_timer_get_map(const struct nv_timers *t, struct nv_timer_map *map)
{
	if (t->has_nv && t->in_hyp)
		*map = (struct nv_timer_map){ NV_TIMER_HV, NV_TIMER_HP, NV_TIMER_V, NV_TIMER_P };
	else if (t->has_nv)
		*map = (struct nv_timer_map){ NV_TIMER_V, NV_TIMER_P, NV_TIMER_HV, NV_TIMER_HP };
	else if (t->host_vhe)
		*map = (struct nv_timer_map){ NV_TIMER_V, NV_TIMER_P, NV_TIMER_NONE, NV_TIMER_NONE };
	else
		*map = (struct nv_timer_map){ NV_TIMER_V, NV_TIMER_NONE, NV_TIMER_NONE, NV_TIMER_P };
}

static void l0_reg(struct nv_subop_log *log, int dir, const char *name)
{
	nv_subop_emit(log, NV_SUB_TIMER, NV_SUBOP_L0_SYSREG, dir, name, 1);
}

static bool can_fire(const struct nv_timer_ctx *c)
{
	return (c->ctl & NV_CNT_CTL_ENABLE) && !(c->ctl & NV_CNT_CTL_IMASK);
}

/* timer_restore_state: CNTVOFF (virtual only), CVAL, isb, CTL. */
static void restore_direct(struct nv_timers *t, int id, struct nv_subop_log *log)
{
	if (id == NV_TIMER_NONE || t->t[id].loaded)
		return;
	if (timer_desc[id].on_cntv) {
		l0_reg(log, 1, "CNTVOFF_EL2");
		l0_reg(log, 1, "CNTV_CVAL_EL0");
		l0_reg(log, 1, "CNTV_CTL_EL0");
	} else {
		l0_reg(log, 1, "CNTP_CVAL_EL0");
		l0_reg(log, 1, "CNTP_CTL_EL0");
	}
	t->t[id].loaded = true;
	t->st.restores++;
}

/* timer_save_state: read CTL and CVAL, clear CTL, zero CNTVOFF (virtual). */
static void save_direct(struct nv_timers *t, int id, struct nv_subop_log *log)
{
	if (id == NV_TIMER_NONE || !t->t[id].loaded)
		return;
	if (timer_desc[id].on_cntv) {
		l0_reg(log, 0, "CNTV_CTL_EL0");
		l0_reg(log, 0, "CNTV_CVAL_EL0");
		l0_reg(log, 1, "CNTV_CTL_EL0");
		l0_reg(log, 1, "CNTVOFF_EL2");
	} else {
		l0_reg(log, 0, "CNTP_CTL_EL0");
		l0_reg(log, 0, "CNTP_CVAL_EL0");
		l0_reg(log, 1, "CNTP_CTL_EL0");
	}
	t->t[id].loaded = false;
	t->st.saves++;
}

/* timer_emulate: an emulated timer that can fire later gets an hrtimer. */
static void emulate(struct nv_timers *t, int id, uint64_t now, struct nv_subop_log *log)
{
	struct nv_timer_ctx *c;

	if (id == NV_TIMER_NONE)
		return;
	c = &t->t[id];
	if (!can_fire(c) || c->hrtimer || c->irq_level)
		return;
	if (c->cval <= now) {
		/* timer_emulate: already expired, no hrtimer: kvm_timer_update_irq */
		c->irq_level = true;
		c->ctl |= NV_CNT_CTL_ISTATUS;
		t->st.fired++;
		nv_subop_emit(log, NV_SUB_TIMER, NV_SUBOP_L0_WORK, -1,
			      "kvm_timer_update_irq (emulated timer already expired)", 1);
		return;
	}
	c->hrtimer = true;
	t->st.hrtimer_starts++;
	nv_subop_emit(log, NV_SUB_TIMER, NV_SUBOP_L0_WORK, -1, "hrtimer_start (emulated timer)", 1);
}

static void cancel(struct nv_timers *t, int id, struct nv_subop_log *log)
{
	if (id == NV_TIMER_NONE || !t->t[id].hrtimer)
		return;
	t->t[id].hrtimer = false;
	t->st.hrtimer_cancels++;
	nv_subop_emit(log, NV_SUB_TIMER, NV_SUBOP_L0_WORK, -1, "hrtimer_cancel (emulated timer)", 1);
}

/* kvm_timer_vcpu_load: restore the direct timers, arm the emulated ones. */
void nv_timer_vcpu_load(struct nv_timers *t, uint64_t now, struct nv_subop_log *log)
{
	struct nv_timer_map map;

	if (t->loaded)
		return;
	nv_timer_get_map(t, &map);
	restore_direct(t, map.direct_vtimer, log);
	restore_direct(t, map.direct_ptimer, log);
	emulate(t, map.emul_vtimer, now, log);
	emulate(t, map.emul_ptimer, now, log);
	t->loaded = true;
}

/* kvm_timer_vcpu_put: save the direct timers, cancel the hrtimers. */
void nv_timer_vcpu_put(struct nv_timers *t, struct nv_subop_log *log)
{
	struct nv_timer_map map;

	if (!t->loaded)
		return;
	nv_timer_get_map(t, &map);
	save_direct(t, map.direct_vtimer, log);
	save_direct(t, map.direct_ptimer, log);
	cancel(t, map.emul_vtimer, log);
	cancel(t, map.emul_ptimer, log);
	t->loaded = false;
}

/* A vEL2 <-> nested VM switch: put, change context, load. */
void nv_timer_switch(struct nv_timers *t, bool to_hyp, uint64_t now, struct nv_subop_log *log)
{
	bool was_loaded = t->loaded;

	if (!t->has_nv || t->in_hyp == to_hyp)
		return;
	nv_timer_vcpu_put(t, log);
	t->in_hyp = to_hyp;
	t->st.switches++;
	if (was_loaded)
		nv_timer_vcpu_load(t, now, log);
}

void nv_timer_program(struct nv_timers *t, enum nv_timer_id id, uint64_t ctl, uint64_t cval)
{
	t->t[id].ctl = ctl & (NV_CNT_CTL_ENABLE | NV_CNT_CTL_IMASK);
	t->t[id].cval = cval;
	t->t[id].irq_level = false;
}

/* Which context a timer belongs to decides who gets its interrupt: the
 * EL1 timers belong to whatever runs at EL1 under the guest hypervisor
 * (its nested VM), the hyp timers to the guest hypervisor itself. */
static enum nv_timer_route route_of(const struct nv_timers *t, int id)
{
	if (!t->has_nv)
		return NV_TIMER_TO_VM;
	return (id == NV_TIMER_HV || id == NV_TIMER_HP) ? NV_TIMER_TO_GUEST_HYP
							: NV_TIMER_VIA_GUEST_HYP;
}

/* Timers whose deadline has passed raise their line once. */
int nv_timer_expire(struct nv_timers *t, uint64_t now, struct nv_timer_fire *out, int max)
{
	struct nv_timer_map map;
	int n = 0;

	nv_timer_get_map(t, &map);
	for (int id = 0; id < NV_TIMER__COUNT && n < max; id++) {
		struct nv_timer_ctx *c = &t->t[id];
		bool emulated = id == map.emul_vtimer || id == map.emul_ptimer;

		if (!t->has_nv && id >= NV_TIMER_HV)
			continue;
		if (!can_fire(c) || c->cval > now || c->irq_level)
			continue;
		c->irq_level = true;
		c->ctl |= NV_CNT_CTL_ISTATUS;
		c->hrtimer = false;
		t->st.fired++;
		out[n++] = (struct nv_timer_fire){
			.id = (enum nv_timer_id)id, .ppi = timer_desc[id].ppi,
			.emulated = emulated, .route = route_of(t, id),
			.forces_exit = t->has_nv && !t->in_hyp,
		};
	}
	return n;
}

void nv_timer_ack(struct nv_timers *t, enum nv_timer_id id)
{
	t->t[id].irq_level = false;
	t->t[id].ctl &= ~(NV_CNT_CTL_ISTATUS | NV_CNT_CTL_ENABLE);
}

/* See timer.h: the statistics are last in struct nv_timers; each timer's
 * CVAL is a time, left to nv_vcpu_time_rel (vcpu.c). */
void nv_timers_digest(const struct nv_timers *t, struct nv_digest *d)
{
	nv_digest_bytes(d, t, offsetof(struct nv_timers, t));
	for (int id = 0; id < NV_TIMER__COUNT; id++) {
		const struct nv_timer_ctx *c = &t->t[id];

		nv_digest_bytes(d, c, offsetof(struct nv_timer_ctx, cval));
		nv_digest_bytes(d, (const char *)c + offsetof(struct nv_timer_ctx, cval) + sizeof(c->cval),
				sizeof(*c) - offsetof(struct nv_timer_ctx, cval) - sizeof(c->cval));
	}
	nv_digest_bytes(d, &t->t[NV_TIMER__COUNT], offsetof(struct nv_timers, st) -
			offsetof(struct nv_timers, t) - sizeof(t->t));
}
