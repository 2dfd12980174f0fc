/*
 * The sub-model hook of the profiles: "call mmu.STEP", "call timer.STEP",
 * "call gic.STEP".  Each step changes the vCPU's sub-model state and pushes
 * what it cost as model operations, tagged with its source:
 *  - the guest hypervisor's MRS/MSR/MMIO/TLBI: the architecture decides;
 *  - its page-table writes: plain memory;
 *  - L0's software stage-2 walk: one NV_BLK_s2_walk_level block per descriptor;
 *  - L0's register and bookkeeping work at a vEL2 <-> nested VM switch or
 *    inside a trap handler: listed, with the cost-table block "in_put_load"
 *    or "in_handler" (0 extra cycles: vcpu_put_load and the handler costs
 *    already include it);
 *  - the nested VM's own GIC CPU-interface accesses (ACK, EOI): native,
 *    block "gic_cpuif_access".
 * On a non-nested architecture ("vm") only the hypervisor's own operations
 * remain: there is no shadow, no walk and no switch.
 *
 * Steps:  mmu.mmio_fault  mmu.s2_fault  mmu.guest_map  mmu.retry
 *         mmu.guest_unmap  mmu.switch_vm
 *         mmu.tlbi_ipa  mmu.tlbi_vmid  mmu.tlbi_all
 *         mmu.enter_l2  mmu.enter_vel2
 *         timer.enter_l2  timer.enter_vel2        (the put/load switch)
 *         timer.fire_l2                           (the nested VM's vtimer fires)
 *         timer.fire_hyp                          (the guest hypervisor's own tick)
 *         gic.flush_l2  gic.sync_l2               (L0's shadow LRs)
 *         gic.save  gic.restore                   (guest's LR world switch)
 *         gic.inject_ipi  gic.inject_timer  gic.inject_level  gic.ack  gic.eoi
 *         gic.read_misr|eisr|elrsr
 */
#include <stdio.h> /* snprintf only: the texts of listed operations */
#include <string.h>
#include "model/model_int.h"
#include "model/vcpu.h"

#define LOG_MAX 96

/* Every step of every sub-model, once: profiles' "call SUB.STEP" texts are
 * interned to these (nv_submodel_step_name, when a path is expanded), so a
 * step is dispatched by pointer, not by comparing texts on every exit. */
#define SUB_STEPS(X) X(mmio_fault) X(s2_fault) X(guest_map) X(retry) X(guest_unmap) X(switch_vm) \
	X(tlbi_ipa) X(tlbi_vmid) X(tlbi_all) X(enter_l2) X(enter_vel2) X(flush_l2) X(sync_l2) X(save) \
	X(restore) X(inject_ipi) X(inject_timer) X(inject_level) X(ack) X(eoi) X(fire_l2) X(fire_hyp) X(read_misr) X(read_eisr) X(read_elrsr)
enum step_id {
#define STEP_ENUM(n) S_##n,
	SUB_STEPS(STEP_ENUM)
#undef STEP_ENUM
	S__COUNT
};
static const char *const step_names[S__COUNT] = {
#define STEP_NAME(n) #n,
	SUB_STEPS(STEP_NAME)
#undef STEP_NAME
};
/* Whether an interned step is step n. */
#define IS(step, n) ((step) == step_names[S_##n])

/* See model_int.h. */
const char *nv_submodel_step_name(const char *step)
{
	for (int i = 0; step && i < S__COUNT; i++)
		if (!strcmp(step, step_names[i]))
			return step_names[i];
	return step;
}

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


/* One op of a step; blk: the cost block it runs (NV_BLK_*), -1 none. */
static void push(struct step_ctx *c, enum nv_op_kind kind, int reg, const char *text,
		 int blk, const char *fn)
{
	struct nv_op op = {
		.kind = (uint8_t)kind, .phase = (uint8_t)c->phase, .source = (uint8_t)c->source,
		.reg = (int16_t)reg, .fn = fn ? fn : c->fn,
		.src = c->src, .text = text, .name = blk >= 0 ? nv_sub_block_name[blk] : NULL,
		.cond = NULL,
	};
	nv_sink_push_block(c->sink, &op, blk);
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
		     in_handler ? NV_BLK_in_handler : NV_BLK_in_put_load, NULL);
	return k;
}

/* Turn a sub-model's operation log into model operations. */
static void flush(struct step_ctx *c, const struct nv_subop_log *log, int in_handler)
{
	for (unsigned i = 0; i < log->len;) {
		const struct nv_subop *o = &log->op[i];

		switch (o->kind) {
		case NV_SUBOP_GH_MRS:
			push(c, NV_OP_MRS, nv_vcpu_reg(c->v, o->name), o->name, -1, NULL);
			break;
		case NV_SUBOP_GH_MSR:
			push(c, NV_OP_MSR, nv_vcpu_reg(c->v, o->name), o->name, -1, NULL);
			break;
		case NV_SUBOP_GH_MMIO_RD:
			push(c, NV_OP_MMIO_R, nv_vcpu_reg(c->v, o->name), o->name, -1, NULL);
			break;
		case NV_SUBOP_GH_MMIO_WR:
			push(c, NV_OP_MMIO_W, nv_vcpu_reg(c->v, o->name), o->name, -1, NULL);
			break;
		case NV_SUBOP_GH_TLBI:
			push(c, NV_OP_TLBI, nv_vcpu_reg(c->v, o->name), o->name, -1, NULL);
			break;
		case NV_SUBOP_GH_MEM:
			push(c, NV_OP_MEM, -1, o->name, -1, NULL);
			break;
		case NV_SUBOP_L2_NATIVE: /* GICv3: a system register; GICv2: GICV MMIO */
			push(c, NV_OP_NATIVE, nv_vcpu_reg(c->v, o->name), o->name,
			     c->v->vgic.gic == NV_GIC_V3 ? NV_BLK_gic_cpuif_sysreg : NV_BLK_gic_cpuif_access,
			     "nested VM (no trap)");
			break;
		case NV_SUBOP_L0_S2_WALK:
			if (c->nested)
				push(c, NV_OP_NATIVE, -1, o->name, NV_BLK_s2_walk_level, "kvm_walk_nested_s2 (L0)");
			break;
		case NV_SUBOP_L0_SYSREG:
		case NV_SUBOP_L0_MMIO:
			i = flush_l0_regs(c, log, i, in_handler);
			continue;
		case NV_SUBOP_L0_WORK:
		case NV_SUBOP_L0_FORWARD:
			if (c->nested) /* L0's bookkeeping: named, costed in its parent */
				push(c, NV_OP_NATIVE, -1, o->name, in_handler ? NV_BLK_in_handler : NV_BLK_in_put_load, NULL);
			break;
		case NV_SUBOP_L2_TRAP:
		default:
			break; /* the nested VM's trap is the profile's exception op */
		}
		i++;
	}
}

/* ------------------------------------------------------------- mmu */

/* The nested VM's next page that the guest hypervisor has not mapped yet
 * (demand paging), in the 2MB region its RAM starts in. */
static uint64_t next_fault_ipa(struct nv_vcpu *v)
{
	uint64_t page = NV_VCPU_RAM_PAGES + v->s2_next_page % (512 - NV_VCPU_RAM_PAGES);

	return NV_VCPU_RAM_IPA + (page << 12);
}

static int mmu_step(struct step_ctx *c, const char *step, struct nv_subop_log *log)
{
	struct nv_vcpu *v = c->v;
	struct s2mmu *mmu = v->mmu;
	int id = v->id;

	if (IS(step, mmio_fault)) {
		/* the nested VM writes the emulated device's register: a shadow
		 * miss L0 walks; the guest's tables do not map it: forwarded */
		c->fn = "kvm_handle_guest_abort (L0)";
		if (c->nested)
			s2mmu_access(mmu, id, NV_VCPU_DEV_IPA, true, NULL, log);
	} else if (IS(step, s2_fault)) {
		/* the nested VM touches RAM its hypervisor has not mapped yet: L0
		 * walks the guest's stage 2 (kvm_walk_nested_s2), finds no entry
		 * and forwards the fault (kvm_inject_s2_fault) */
		struct s2mmu_vcpu *sv = &mmu->vcpu[id];
		c->fn = "kvm_handle_guest_abort (L0)";
		v->s2_fault_ipa = next_fault_ipa(v);
		v->s2_next_page++;
		/* past the model's window of demand-paged pages the page was mapped
		 * by an earlier fault: the trace says this one was forwarded, so the
		 * guest hypervisor has reclaimed it since (its unmap and TLBIs were
		 * other exits' work): drop it from its tables and L0's shadow */
		if (s2g_unmap(mmu, sv->vtcr, sv->vttbr, v->s2_fault_ipa, NULL) == 1)
			s2mmu_tlbi(mmu, id, S2_TLBI_IPAS2E1IS, (v->s2_fault_ipa >> 12) & 0xfffffffffull, NULL);
		if (c->nested)
			s2mmu_access(mmu, id, v->s2_fault_ipa, true, NULL, log);
	} else if (IS(step, guest_map)) {
		/* the guest hypervisor's user_mem_abort maps the faulting page
		 * (kvm_pgtable_stage2_map: descriptor writes; a valid entry
		 * replaced means break-before-make and TLBI IPAS2E1IS) */
		uint64_t ipa = v->s2_fault_ipa ? v->s2_fault_ipa : next_fault_ipa(v);
		c->fn = "user_mem_abort (guest hypervisor)";
		s2mmu_guest_fix_fault(mmu, id, ipa, NV_VCPU_RAM_L1 + (ipa - NV_VCPU_RAM_IPA), 0x1000,
				      S2_PERM_RW, log);
	} else if (IS(step, retry)) {
		/* after the ERET the nested VM retries the access: L0's shadow has
		 * no entry yet, L0 walks the guest's tables, now mapped, fills the
		 * shadow and resumes the nested VM: a trap to L0, no exit to vEL2 */
		enum s2_access_result r;
		c->fn = "kvm_handle_guest_abort (L0)";
		if (!c->nested || !v->s2_fault_ipa)
			return 0;
		r = s2mmu_access(mmu, id, v->s2_fault_ipa, true, NULL, log);
		v->s2_fault_ipa = 0;
		if (r == S2_ACCESS_RESOLVED)
			push(c, NV_OP_MMIO_W, nv_vcpu_reg(v, "L2_RAM"),
			     "the nested VM's retried access: shadow miss resolved by L0", -1, NULL);
	} else if (IS(step, guest_unmap)) {
		/* the guest hypervisor unmaps a page of its nested VM (reclaim,
		 * migration: kvm_unmap_gfn_range): descriptor cleared, then
		 * __kvm_tlb_flush_vmid_ipa's TLBI IPAS2E1IS + VMALLE1IS, which trap
		 * to L0 and drop the shadow entry (handle_ipas2e1is); the nested
		 * VM's next access to it faults again (mmu.s2_fault/retry).  The
		 * page: the first of the nested VM's RAM still mapped (the trace
		 * shows the TLBIs, so one was) */
		uint64_t ipa = NV_VCPU_RAM_IPA;
		struct s2mmu_vcpu *sv = &mmu->vcpu[id];
		struct s2_walk_result w;
		for (int k = 0; k < 512 && s2_walk(mmu, sv->vtcr, sv->vttbr, ipa, &w) != S2_FAULT_NONE; k++)
			ipa += 0x1000;
		c->fn = "kvm_unmap_gfn_range (guest hypervisor)";
		s2g_unmap(mmu, sv->vtcr, sv->vttbr, ipa, log);
		nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_MSR, 1, "VTTBR_EL2", 1);
		s2mmu_tlbi(mmu, id, S2_TLBI_IPAS2E1IS, (ipa >> 12) & 0xfffffffffull, log);
		s2mmu_tlbi(mmu, id, S2_TLBI_VMALLE1IS, 0, log);
		nv_subop_emit(log, NV_SUB_S2MMU, NV_SUBOP_GH_MSR, 1, "VTTBR_EL2", 1);
		flush(c, log, 1);
		return 0;
	} else if (IS(step, switch_vm)) {
		/* the guest hypervisor runs the vCPU of another nested VM (its next
		 * VMID, cycling over one more VM than L0 has shadows:
		 * S2_MMU_PER_VCPU per vCPU): kvm_vcpu_load_hw_mmu on the next
		 * entry looks its key up (lookup_s2_mmu); a key without a shadow
		 * recycles the next unreferenced one (get_s2_mmu_nested: unmapped,
		 * refilled by faults) */
		struct s2mmu_vcpu *sv = &mmu->vcpu[id];
		uint64_t vmid = S2_VTTBR_VMID(sv->vttbr) % (uint64_t)(mmu->pool_size + 1) + 1;
		c->fn = "kvm_vcpu_load_hw_mmu (L0, at the nested ERET: another nested VM)";
		/* the guest's VTTBR_EL2 write is its path's __load_stage2 at the
		 * entry; L0 looks the new key up when that entry's ERET loads the
		 * nested MMU (the same exit: done here, its work is in put/load) */
		s2mmu_vcpu_put(mmu, id);
		s2mmu_set_guest_regs(mmu, id, (vmid << 48) | (sv->vttbr & ~(0xffffull << 48)), sv->vtcr, sv->hcr);
		s2mmu_vcpu_load(mmu, id, false, log);
	} else if (IS(step, tlbi_ipa) || IS(step, tlbi_vmid) || IS(step, tlbi_all)) {
		enum s2_tlbi op = step[5] == 'i' ? S2_TLBI_IPAS2E1IS
				: step[5] == 'v' ? S2_TLBI_VMALLS12E1IS : S2_TLBI_ALLE1IS;
		c->fn = "__kvm_tlb_flush_vmid_ipa";
		s2mmu_tlbi(mmu, id, op, NV_VCPU_RAM_IPA >> 12, log);
		if (!c->nested) /* a plain VM's hypervisor has no shadow to drop */
			log->len = 1;
		flush(c, log, 1);
		return 0;
	} else if (IS(step, enter_l2)) {
		c->fn = "kvm_vcpu_load_hw_mmu (L0)";
		s2mmu_vcpu_load(mmu, id, false, log);
	} else if (IS(step, enter_vel2)) {
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
	if (IS(step, enter_l2)) {
		c->fn = "kvm_timer_vcpu_put/load (L0, nested ERET)";
		nv_timer_switch(t, false, c->v->now, log);
	} else if (IS(step, enter_vel2)) {
		c->fn = "kvm_timer_vcpu_put/load (L0, exception to vEL2)";
		nv_timer_switch(t, true, c->v->now, log);
	} else if (IS(step, fire_l2) || IS(step, fire_hyp)) {
		/* fire_l2: the nested VM's vtimer (on the hardware while it runs)
		 * expired: L0 takes PPI 27, the guest hypervisor's interrupt to
		 * deliver (route VIA_GUEST_HYP), so the nested VM exits.
		 * fire_hyp: the guest hypervisor's own tick (its EL2 virtual timer,
		 * PPI 28), emulated by an L0 hrtimer while the nested VM runs,
		 * expired: L0 forces the exit; the guest takes it at vEL2 itself
		 * and nothing is injected into the nested VM.  The trace says when
		 * it fired: a deadline the model did not know (the nested VM's
		 * CNTV writes do not trap) is taken to be now. */
		int hyp = step[5] == 'h';
		enum nv_timer_id id = hyp ? NV_TIMER_HV : NV_TIMER_V;
		struct nv_timer_ctx *tc = &t->t[id];
		uint64_t *last = hyp ? &c->v->hvtimer_last : &c->v->vtimer_last;
		uint64_t *period = hyp ? &c->v->hvtimer_period : &c->v->vtimer_period;
		struct nv_timer_fire f[NV_TIMER__COUNT];
		int n;

		c->fn = "kvm_arch_timer_handler (L0)";
		if (!tc->irq_level && (!(tc->ctl & NV_CNT_CTL_ENABLE) || tc->cval > c->v->now))
			nv_timer_program(t, id, NV_CNT_CTL_ENABLE, c->v->now);
		n = nv_timer_expire(t, c->v->now, f, NV_TIMER__COUNT);
		if (*last && c->v->now > *last)
			*period = c->v->now - *last;
		*last = c->v->now;
		for (int k = 0; k < n && c->nested; k++)
			if (f[k].id == id && f[k].forces_exit)
				push(c, NV_OP_NATIVE, -1, hyp
				     ? "hvtimer PPI 28 (the guest hypervisor's tick) expired on L0's hrtimer: forced exit, taken at vEL2"
				     : "vtimer PPI 27 fired on the hardware: the guest hypervisor's interrupt (IMO), forwarded as an IRQ",
				     NV_BLK_in_handler, NULL);
		if (hyp) { /* its own handler re-arms its tick (tick_program_event) */
			nv_timer_ack(t, NV_TIMER_HV);
			nv_timer_program(t, NV_TIMER_HV, NV_CNT_CTL_ENABLE,
					 c->v->now + (*period ? *period : NV_VCPU_TICK_NS));
		}
	} else {
		return -1;
	}
	flush(c, log, 0);
	return 0;
}

/* ------------------------------------------------------------- gic */

/* The guest hypervisor's world-switch LR save (exit) for the LRs it loaded
 * at its last entry (its used_lrs), then its kvm_vgic_sync_hwstate fold:
 * __vgic_v2_save_state (v4.10 vgic-v2-sr.c: GICH_APR, save_maint_int_state's
 * GICH_MISR / GICH_EISR0 when a maintenance interrupt is expected, ELRSR0,
 * each used LR read unless empty in ELRSR and written 0, GICH_HCR = 0) or
 * __vgic_v3_save_state (ICH_ELRSR_EL2, ICH_HCR_EL2 without En, each used
 * LR read unless empty, written 0). */
static void gic_guest_save(struct nv_vgic *g, struct nv_subop_log *log)
{
	int used = g->guest_used;
	int v3 = g->gic == NV_GIC_V3;

	if (used) {
		if (!v3) {
			bool expect_mi = (g->hcr & NV_HCR_UIE) != 0;

			nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_GH_MMIO_RD, 0, "GICH_APR", 1);
			for (int i = 0; i < used; i++)
				expect_mi |= !(g->lr[i] & NV_LR_HW) && (g->lr[i] & NV_LR_EOI);
			if (expect_mi && (nv_vgic_guest_read_status(g, NV_VGIC_MISR, log) & NV_MISR_EOI))
				nv_vgic_guest_read_status(g, NV_VGIC_EISR, log);
		}
		nv_vgic_guest_read_status(g, NV_VGIC_ELRSR, log);
		if (v3) /* __vgic_v3_save_state: En cleared before the LRs */
			nv_vgic_guest_write_hcr(g, g->hcr, log);
		for (int i = 0; i < used; i++) {
			if (g->lr[i] & NV_LR_STATE) /* empty in ELRSR: not read */
				nv_vgic_guest_read_lr(g, i, log);
			/* cleared in the hardware; the content lives on in memory */
			nv_subop_emit(log, NV_SUB_VGIC, v3 ? NV_SUBOP_GH_MSR : NV_SUBOP_GH_MMIO_WR,
				      1, nv_vgic_lr_name(g->gic, i), 1);
		}
		if (!v3) /* __vgic_v2_save_state: GICH_HCR = 0 last */
			nv_vgic_guest_write_hcr(g, g->hcr, log);
	}
	g->guest_used = 0;
	if (g->unfolded || used) /* kvm_vgic_sync_hwstate: nothing to fold otherwise */
		nv_vgic_guest_fold(g);
}

/* vgic_flush_lr_state then __vgic_v2/v3_restore_state: the live LRs, from
 * LR0 (the fold compacted them), become the guest's used_lrs. */
static void gic_guest_restore(struct nv_vgic *g, struct nv_subop_log *log)
{
	int live;

	if (g->unfolded)
		nv_vgic_guest_fold(g);
	live = nv_vgic_live(g);
	g->guest_used = live;
	if (!live)
		return;
	nv_vgic_guest_write_hcr(g, g->hcr, log);
	if (g->gic == NV_GIC_V2)
		nv_subop_emit(log, NV_SUB_VGIC, NV_SUBOP_GH_MMIO_WR, 1, "GICH_APR", 1);
	for (int i = 0; i < live; i++)
		nv_vgic_guest_write_lr(g, i, g->lr[i], log);
}

/* The nested VM's timer handler took PPI 27: it acknowledged it, re-armed
 * its vtimer one period on (as the trace's vtimer run does: ICC_IAR1_EL1,
 * CNTV_TVAL, ICC_EOIR1_EL1), completed it; the line drops. */
static void l2_timer_handled(struct nv_vcpu *v)
{
	nv_timer_ack(&v->timers, NV_TIMER_V);
	if (v->vtimer_period)
		nv_timer_program(&v->timers, NV_TIMER_V, NV_CNT_CTL_ENABLE, v->vtimer_last + v->vtimer_period);
}

static int gic_step(struct step_ctx *c, const char *step, struct nv_subop_log *log)
{
	struct nv_vgic *g = &c->v->vgic;
	int v3 = g->gic == NV_GIC_V3;

	if (IS(step, inject_ipi) || IS(step, inject_timer) || IS(step, inject_level)) {
		/* vgic_flush_lr_state in the guest's kernel: the LR is filled in
		 * memory; the world switch writes it (step "restore").  The
		 * timer's PPI 27 is a HW interrupt for the guest hypervisor: its
		 * LR carries the HW bit and pINTID 27 (L0 translates it); a
		 * level-triggered SPI gets the EOI bit (maintenance on EOI). */
		static const struct { enum step_id step; const char *text; uint32_t intid; bool hw, level; } inj[] = {
			{ S_inject_ipi, "LR <- SGI 3 pending (vgic_populate_lr)", NV_VCPU_IPI_SGI, false, false },
			{ S_inject_timer, "LR <- PPI 27 pending, HW, pINTID 27 (vgic_populate_lr)", 27, true, false },
			{ S_inject_level, "LR <- SPI 48 pending, level: EOI bit (vgic_populate_lr)", NV_VCPU_LEVEL_SPI, false, true },
		};
		size_t k = 0;

		while (k < sizeof(inj) / sizeof(inj[0]) && step != step_names[inj[k].step])
			k++;
		if (k == sizeof(inj) / sizeof(inj[0]))
			return -1;
		c->fn = "vgic_flush_lr_state (guest hypervisor, in memory)";
		if (g->unfolded)
			nv_vgic_guest_fold(g);
		if (inj[k].hw && !c->v->timers.t[NV_TIMER_V].irq_level) {
			/* kvm_timer_update_irq: the vtimer's line is low (the exit was
			 * not its interrupt): nothing to inject */
			push(c, NV_OP_NATIVE, -1, "vtimer line low: PPI 27 not injected", NV_BLK_in_handler, NULL);
			return 0;
		}
		nv_vgic_guest_queue(g, inj[k].intid, 0xa0, inj[k].hw, inj[k].intid, inj[k].level);
		push(c, NV_OP_NATIVE, -1, inj[k].text, NV_BLK_in_handler, NULL);
		return 0;
	} else if (IS(step, save)) {
		c->fn = v3 ? "__vgic_v3_save_state" : "__vgic_v2_save_state";
		gic_guest_save(g, log);
	} else if (IS(step, restore)) {
		c->fn = v3 ? "__vgic_v3_restore_state" : "__vgic_v2_restore_state";
		gic_guest_restore(g, log);
	} else if (IS(step, flush_l2)) {
		c->fn = "L0: load shadow LRs (vgic_v3_load_nested)";
		if (g->unfolded) /* a profile without gic.save/restore */
			nv_vgic_guest_fold(g);
		g->guest_used = nv_vgic_live(g);
		if (c->nested)
			nv_vgic_nested_load(g, log);
	} else if (IS(step, sync_l2)) {
		/* the nested VM ran since L0 loaded the shadow LRs: it took
		 * what they delivered (ACK, EOI: no trap), then exited */
		c->fn = "L0: sync LRs back (vgic_v3_put_nested)";
		g->l2_handled_ppis = 0;
		if (c->nested) {
			if (g->loaded && g->used_lrs)
				nv_vgic_l2_run(g, log, NULL);
			nv_vgic_nested_put(g, log);
		} else if (nv_vgic_live(g)) { /* a plain VM runs on its hypervisor's LRs */
			nv_vgic_nested_load(g, NULL);
			nv_vgic_l2_run(g, log, NULL);
			nv_vgic_nested_put(g, NULL);
		}
		if (g->l2_handled_ppis & (1u << 27))
			l2_timer_handled(c->v);
	} else if (IS(step, ack) || IS(step, eoi)) {
		c->fn = "nested VM";
		if (step[0] == 'a' && (!c->nested || !g->loaded))
			nv_vgic_nested_load(g, NULL); /* a plain VM runs on its hypervisor's LRs */
		if (step[0] == 'a')
			c->v->last_ack = nv_vgic_l2_ack(g, log);
		else
			nv_vgic_l2_eoi(g, c->v->last_ack, log);
	} else if (IS(step, read_misr) || IS(step, read_eisr) || IS(step, read_elrsr)) {
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

/* Steps exist whatever the state (stateless calls still report unknown
 * ones): a path's step is interned, found by pointer before any strcmp. */
static int known_step(const char *step)
{
	const char *s;

	for (int i = 0; i < S__COUNT; i++) /* interned (a path's): by pointer */
		if (step == step_names[i])
			return 0;
	s = nv_submodel_step_name(step);
	for (int i = 0; i < S__COUNT; i++)
		if (s == step_names[i])
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
	if (!v->gic_chosen)
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
