/*
 * The sub-model hook of the profiles: "call mmu.STEP", "call timer.STEP",
 * "call gic.STEP".  Each step changes the vCPU's sub-model state and pushes
 * what it cost as model operations, tagged with its source:
 *  - the guest hypervisor's MRS/MSR/MMIO/TLBI: the architecture decides;
 *  - its page-table writes: plain memory;
 *  - L0's software stage-2 walk: one "s2_walk_level" block per descriptor;
 *  - L0's register and bookkeeping work at a vEL2 <-> nested VM switch or
 *    inside a trap handler: listed, with the cost-table block "in_put_load"
 *    or "in_handler" (0 extra cycles: vcpu_put_load and the handler costs
 *    already include it);
 *  - the nested VM's own GIC CPU-interface accesses (ACK, EOI): native,
 *    block "gic_cpuif_access".
 * On a non-nested architecture ("vm") only the hypervisor's own operations
 * remain: there is no shadow, no walk and no switch.
 *
 * Steps:  mmu.mmio_fault  mmu.tlbi_ipa  mmu.tlbi_vmid  mmu.tlbi_all
 *         mmu.enter_l2  mmu.enter_vel2
 *         timer.enter_l2  timer.enter_vel2        (the put/load switch)
 *         timer.fire_l2                           (the nested VM's vtimer fires)
 *         gic.flush_l2  gic.sync_l2               (L0's shadow LRs)
 *         gic.save  gic.restore                   (guest's LR world switch)
 *         gic.inject_ipi  gic.inject_timer  gic.ack  gic.eoi
 *         gic.read_misr|eisr|elrsr
 */
#include <stdio.h> /* snprintf only: the texts of listed operations */
#include <string.h>
#include "model/model_int.h"
#include "model/vcpu.h"

#define LOG_MAX 96

struct step_ctx {
	const struct nv_model *m;
	struct nv_vcpu *v;
	struct nv_sink *sink;
	enum nv_phase phase;
	enum nv_source source;
	const char *fn;      /* function named on every op of this step */
	const char *src;     /* where the modelled behaviour is in Linux */
	int nested;
	int sink_emits;      /* someone lists the ops: build their texts */
};


static void push(struct step_ctx *c, enum nv_op_kind kind, int reg, const char *text,
		 const char *name, const char *fn)
{
	struct nv_op op = {
		.kind = (uint8_t)kind, .phase = (uint8_t)c->phase, .source = (uint8_t)c->source,
		.reg = (int16_t)reg, .fn = fn ? fn : c->fn,
		.src = c->src, .text = text, .name = name, .cond = NULL,
	};
	nv_sink_push(c->sink, &op);
}

/* L0's register accesses of one step, as one listed operation: they cost
 * nothing beyond their parent (vcpu_put_load or the handler), so the per-exit
 * path pushes one op, not a dozen; the text names each access. */
static unsigned flush_l0_regs(struct step_ctx *c, const struct nv_subop_log *log, unsigned i,
			      int in_handler)
{
	char text[320];
	size_t len = (size_t)snprintf(text, sizeof(text), "L0:");
	unsigned k = i;

	for (; k < log->len && (log->op[k].kind == NV_SUBOP_L0_SYSREG ||
				 log->op[k].kind == NV_SUBOP_L0_MMIO); k++)
		if (c->sink_emits && len < sizeof(text))
			len += (size_t)snprintf(text + len, sizeof(text) - len, " %s %s",
						log->op[k].dir ? "w" : "r", log->op[k].name);
	if (c->nested)
		push(c, NV_OP_NATIVE, -1, c->sink_emits ? text : "L0 register accesses",
		     in_handler ? "in_handler" : "in_put_load", NULL);
	return k;
}

/* Turn a sub-model's operation log into model operations. */
static void flush(struct step_ctx *c, const struct nv_subop_log *log, int in_handler)
{
	for (unsigned i = 0; i < log->len;) {
		const struct nv_subop *o = &log->op[i];

		switch (o->kind) {
		case NV_SUBOP_GH_MRS:
			push(c, NV_OP_MRS, nv_vcpu_reg(c->v, o->name), o->name, NULL, NULL);
			break;
		case NV_SUBOP_GH_MSR:
			push(c, NV_OP_MSR, nv_vcpu_reg(c->v, o->name), o->name, NULL, NULL);
			break;
		case NV_SUBOP_GH_MMIO_RD:
			push(c, NV_OP_MMIO_R, nv_vcpu_reg(c->v, o->name), o->name, NULL, NULL);
			break;
		case NV_SUBOP_GH_MMIO_WR:
			push(c, NV_OP_MMIO_W, nv_vcpu_reg(c->v, o->name), o->name, NULL, NULL);
			break;
		case NV_SUBOP_GH_TLBI:
			push(c, NV_OP_TLBI, nv_vcpu_reg(c->v, o->name), o->name, NULL, NULL);
			break;
		case NV_SUBOP_GH_MEM:
			push(c, NV_OP_MEM, -1, o->name, NULL, NULL);
			break;
		case NV_SUBOP_L2_NATIVE: /* GICv3: a system register; GICv2: GICV MMIO */
			push(c, NV_OP_NATIVE, nv_vcpu_reg(c->v, o->name), o->name,
			     c->v->vgic.gic == NV_GIC_V3 ? "gic_cpuif_sysreg" : "gic_cpuif_access",
			     "nested VM (no trap)");
			break;
		case NV_SUBOP_L0_S2_WALK:
			if (c->nested)
				push(c, NV_OP_NATIVE, -1, o->name, "s2_walk_level", "kvm_walk_nested_s2 (L0)");
			break;
		case NV_SUBOP_L0_SYSREG:
		case NV_SUBOP_L0_MMIO:
			i = flush_l0_regs(c, log, i, in_handler);
			continue;
		case NV_SUBOP_L0_WORK:
		case NV_SUBOP_L0_FORWARD:
			if (c->nested) /* L0's bookkeeping: named, costed in its parent */
				push(c, NV_OP_NATIVE, -1, o->name, in_handler ? "in_handler" : "in_put_load", NULL);
			break;
		case NV_SUBOP_L2_TRAP:
		default:
			break; /* the nested VM's trap is the profile's exception op */
		}
		i++;
	}
}

/* ------------------------------------------------------------- mmu */

static int mmu_step(struct step_ctx *c, const char *step, struct nv_subop_log *log)
{
	struct s2mmu *mmu = c->v->mmu;
	int id = c->v->id;

	if (!strcmp(step, "mmio_fault")) {
		/* the nested VM writes the emulated device's register: a shadow
		 * miss L0 walks; the guest's tables do not map it: forwarded */
		c->fn = "kvm_handle_guest_abort (L0)";
		if (c->nested)
			s2mmu_access(mmu, id, NV_VCPU_DEV_IPA, true, NULL, log);
	} else if (!strcmp(step, "tlbi_ipa") || !strcmp(step, "tlbi_vmid") || !strcmp(step, "tlbi_all")) {
		enum s2_tlbi op = step[5] == 'i' ? S2_TLBI_IPAS2E1IS
				: step[5] == 'v' ? S2_TLBI_VMALLS12E1IS : S2_TLBI_ALLE1IS;
		c->fn = "__kvm_tlb_flush_vmid_ipa";
		s2mmu_tlbi(mmu, id, op, NV_VCPU_RAM_IPA >> 12, log);
		if (!c->nested) /* a plain VM's hypervisor has no shadow to drop */
			log->len = 1;
		flush(c, log, 1);
		return 0;
	} else if (!strcmp(step, "enter_l2")) {
		c->fn = "kvm_vcpu_load_hw_mmu (L0)";
		s2mmu_vcpu_load(mmu, id, false, log);
	} else if (!strcmp(step, "enter_vel2")) {
		c->fn = "kvm_vcpu_put_hw_mmu (L0)";
		s2mmu_vcpu_put(mmu, id);
	} else {
		return -1;
	}
	flush(c, log, 0);
	return 0;
}

/* ------------------------------------------------------------- timer */

static int timer_step(struct step_ctx *c, const char *step, struct nv_subop_log *log)
{
	struct nv_timers *t = &c->v->timers;

	if (!t->loaded)
		nv_timer_vcpu_load(t, c->v->now, NULL);
	if (!strcmp(step, "enter_l2")) {
		c->fn = "kvm_timer_vcpu_put/load (L0, nested ERET)";
		nv_timer_switch(t, false, c->v->now, log);
	} else if (!strcmp(step, "enter_vel2")) {
		c->fn = "kvm_timer_vcpu_put/load (L0, exception to vEL2)";
		nv_timer_switch(t, true, c->v->now, log);
	} else if (!strcmp(step, "fire_l2")) {
		/* the nested VM's vtimer (on the hardware while it runs) expires:
		 * L0 takes PPI 27; it is the guest hypervisor's interrupt to
		 * deliver (route VIA_GUEST_HYP), so the nested VM must exit */
		struct nv_timer_fire f[NV_TIMER__COUNT];
		int n;
		c->fn = "kvm_arch_timer_handler (L0)";
		nv_timer_program(t, NV_TIMER_V, NV_CNT_CTL_ENABLE, c->v->now);
		n = nv_timer_expire(t, c->v->now, f, NV_TIMER__COUNT);
		for (int k = 0; k < n && c->nested; k++)
			if (f[k].id == NV_TIMER_V && f[k].route == NV_TIMER_VIA_GUEST_HYP && f[k].forces_exit)
				push(c, NV_OP_NATIVE, -1, "vtimer PPI 27 fired on the hardware: the guest "
				     "hypervisor's interrupt (IMO), forwarded as an IRQ", "in_handler", NULL);
		nv_timer_ack(t, NV_TIMER_V); /* the guest hypervisor's handler masks it */
	} else {
		return -1;
	}
	flush(c, log, 0);
	return 0;
}

/* ------------------------------------------------------------- gic */

/* The guest hypervisor's world-switch LR save (exit) and restore (entry),
 * for the LRs its vGIC state says are in use: __vgic_v2_save_state /
 * __vgic_v3_save_state and the restore counterparts. */
static void gic_guest_save(struct nv_vgic *g, struct nv_subop_log *log)
{
	uint16_t elrsr = nv_vgic_elrsr(g);
	int live = g->nr_lr - __builtin_popcount(elrsr);
	int v3 = g->gic == NV_GIC_V3;

	if (!live)
		return;
	if (!v3)
		nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_GH_MMIO_RD, 0, "GICH_APR", 1);
	nv_vgic_guest_read_status(g, NV_VGIC_ELRSR, log);
	if (v3) /* __vgic_v3_save_state: En cleared before the LRs */
		nv_vgic_guest_write_hcr(g, g->hcr, log);
	for (int i = 0; i < g->nr_lr; i++) {
		if (!(g->lr[i] & NV_LR_STATE))
			continue; /* empty in ELRSR: neither read nor cleared */
		nv_vgic_guest_read_lr(g, i, log);
		/* cleared in the hardware; the content lives on in the guest's memory */
		nv_subop_emit(log, NV_SUB_VGIC, v3 ? NV_SUBOP_GH_MSR : NV_SUBOP_GH_MMIO_WR,
			      1, nv_vgic_lr_name(g->gic, i), 1);
	}
	if (!v3) /* __vgic_v2_save_state: GICH_HCR = 0 last */
		nv_vgic_guest_write_hcr(g, g->hcr, log);
}

static void gic_guest_restore(struct nv_vgic *g, struct nv_subop_log *log)
{
	int live = g->nr_lr - __builtin_popcount(nv_vgic_elrsr(g));

	if (!live)
		return;
	nv_vgic_guest_write_hcr(g, g->hcr, log);
	if (g->gic == NV_GIC_V2)
		nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_GH_MMIO_WR, 1, "GICH_APR", 1);
	for (int i = 0; i < g->nr_lr; i++)
		if (g->lr[i] & NV_LR_STATE)
			nv_vgic_guest_write_lr(g, i, g->lr[i], log);
}

static int gic_step(struct step_ctx *c, const char *step, struct nv_subop_log *log)
{
	struct nv_vgic *g = &c->v->vgic;
	int v3 = g->gic == NV_GIC_V3;

	if (!strcmp(step, "inject_ipi") || !strcmp(step, "inject_timer")) {
		/* vgic_flush_lr_state in the guest's kernel: the LR is filled in
		 * memory; the world switch writes it (step "restore").  The
		 * timer's PPI 27 is a HW interrupt for the guest hypervisor: its
		 * LR carries the HW bit and pINTID 27 (L0 translates it). */
		int timer = step[7] == 't', i;
		c->fn = "vgic_flush_lr_state (guest hypervisor, in memory)";
		for (i = 0; i < g->nr_lr && (g->lr[i] & NV_LR_STATE); i++)
			;
		if (i < g->nr_lr) {
			g->lr[i] = NV_LR_PENDING | NV_LR_GROUP | (0xa0ull << NV_LR_PRIO_SHIFT) |
				   (timer ? NV_LR_HW | (27ull << NV_LR_PINTID_SHIFT) | 27 : NV_VCPU_IPI_SGI);
			g->st.injected++;
		}
		push(c, NV_OP_NATIVE, -1, timer ? "LR <- PPI 27 pending, HW, pINTID 27 (vgic_populate_lr)"
						: "LR <- SGI 3 pending (vgic_populate_lr)", "in_handler", NULL);
		return 0;
	} else if (!strcmp(step, "save")) {
		c->fn = v3 ? "__vgic_v3_save_state" : "__vgic_v2_save_state";
		gic_guest_save(g, log);
	} else if (!strcmp(step, "restore")) {
		c->fn = v3 ? "__vgic_v3_restore_state" : "__vgic_v2_restore_state";
		gic_guest_restore(g, log);
	} else if (!strcmp(step, "flush_l2")) {
		c->fn = "L0: load shadow LRs (vgic_v3_load_nested)";
		if (c->nested)
			nv_vgic_nested_load(g, log);
	} else if (!strcmp(step, "sync_l2")) {
		c->fn = "L0: sync LRs back (vgic_v3_put_nested)";
		if (c->nested)
			nv_vgic_nested_put(g, log);
	} else if (!strcmp(step, "ack") || !strcmp(step, "eoi")) {
		c->fn = "nested VM";
		if (step[0] == 'a' && (!c->nested || !g->loaded))
			nv_vgic_nested_load(g, NULL); /* a plain VM runs on its hypervisor's LRs */
		if (step[0] == 'a')
			c->v->last_ack = nv_vgic_l2_ack(g, log);
		else
			nv_vgic_l2_eoi(g, c->v->last_ack, log);
	} else if (!strcmp(step, "read_misr") || !strcmp(step, "read_eisr") || !strcmp(step, "read_elrsr")) {
		enum nv_vgic_status_reg r = step[6] == 'm' ? NV_VGIC_MISR
					  : step[6] == 'e' && step[7] == 'i' ? NV_VGIC_EISR : NV_VGIC_ELRSR;
		c->fn = "vgic_process_maintenance";
		nv_vgic_guest_read_status(g, r, log);
	} else {
		return -1;
	}
	flush(c, log, 0);
	return 0;
}

/* ------------------------------------------------------------- hook */

typedef int (*step_fn)(struct step_ctx *c, const char *step, struct nv_subop_log *log);

/* Steps exist whatever the state (stateless calls still report unknown ones). */
static int known_step(const char *step)
{
	static const char *const steps[] = {
		"mmio_fault", "tlbi_ipa", "tlbi_vmid", "tlbi_all", "enter_l2", "enter_vel2",
		"flush_l2", "sync_l2", "save", "restore", "inject_ipi", "inject_timer", "ack", "eoi",
		"fire_l2",
		"read_misr", "read_eisr", "read_elrsr",
	};
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (!strcmp(step, steps[i]))
			return 0;
	return -1;
}

static int expand(const struct nv_model *m, const char *step, struct nv_vcpu *v,
		  enum nv_phase phase, struct nv_sink *s, enum nv_source source, step_fn fn)
{
	static const char *const src_of[NV_SRC__COUNT] = {
		[NV_SRC_MMU] = "torvalds/linux:arch/arm64/kvm/nested.c",
		[NV_SRC_TIMER] = "torvalds/linux:arch/arm64/kvm/arch_timer.c",
		[NV_SRC_GIC] = "torvalds/linux:arch/arm64/kvm/vgic/vgic-v3-nested.c",
	};
	struct nv_subop ops[LOG_MAX];
	struct nv_subop_log log;
	struct step_ctx c = { .m = m, .sink = s, .phase = phase, .source = source,
			      .src = src_of[source] };
	int rc;

	if (!v) /* stateless defaults (model.h): the sub-models add nothing */
		return fn == mmu_step || fn == timer_step || fn == gic_step ? known_step(step) : -1;
	nv_vcpu_configure(v, nv_model_profile(m));
	c.v = v;
	c.nested = nv_arch_is_nested(nv_model_arch(m));
	c.sink_emits = s->emit != NULL;
	nv_subop_log_init(&log, ops, LOG_MAX);
	rc = fn(&c, step, &log);
	return rc;
}

static int expand_mmu(const struct nv_model *m, const char *step, struct nv_vcpu *v,
		      enum nv_phase phase, struct nv_sink *s)
{
	return expand(m, step, v, phase, s, NV_SRC_MMU, mmu_step);
}

static int expand_timer(const struct nv_model *m, const char *step, struct nv_vcpu *v,
			enum nv_phase phase, struct nv_sink *s)
{
	return expand(m, step, v, phase, s, NV_SRC_TIMER, timer_step);
}

static int expand_gic(const struct nv_model *m, const char *step, struct nv_vcpu *v,
		      enum nv_phase phase, struct nv_sink *s)
{
	return expand(m, step, v, phase, s, NV_SRC_GIC, gic_step);
}

static const struct nv_submodel submodels[] = {
	{ "mmu", NV_SRC_MMU, expand_mmu },
	{ "timer", NV_SRC_TIMER, expand_timer },
	{ "gic", NV_SRC_GIC, expand_gic },
};

/* Sub-model by name, NULL if unknown (its calls then add nothing). */
const struct nv_submodel *nv_submodel_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(submodels) / sizeof(submodels[0]); i++)
		if (!strcmp(submodels[i].name, name))
			return &submodels[i];
	return NULL;
}
