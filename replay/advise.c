/* nvtrace advise: observed traps, ranked, and the model's remedies (see advise.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/advise.h"
#include "replay/results.h"
#include "replay/trapmap.h"

/* ------------------------------------------------------------ contexts */

static const char *const ctx_names[NV_CTX__COUNT] = {
	"?", "world switch (every exit)", "vcpu_put/vcpu_load", "other",
};

/* The context's name. */
const char *nv_advise_ctx_name(enum nv_advise_ctx c)
{
	return (unsigned)c < NV_CTX__COUNT ? ctx_names[c] : "?";
}

/*
 * Functions of Linux's VHE KVM (7.2, the guest hypervisor of
 * reference/real-arm64-nv) by where they run: the world switch of every
 * exit, or kvm_arch_vcpu_put/kvm_arch_vcpu_load (the vCPU thread leaves
 * KVM_RUN, e.g. for a KVM_EXIT_MMIO round trip to the VMM, or is
 * scheduled out).  gic_poke_irq is the GICv3 driver setting the vtimer's
 * host interrupt active from kvm_timer_vcpu_load (irq_set_irqchip_state).
 * A name ending in '*' is a prefix.
 */
static const struct { const char *fn; uint8_t ctx; } ctx_table[] = {
	{ "__guest_enter", NV_CTX_SWITCH }, { "__guest_exit", NV_CTX_SWITCH },
	{ "__kvm_vcpu_run_vhe", NV_CTX_SWITCH }, { "kvm_vcpu_run_vhe", NV_CTX_SWITCH },
	{ "sysreg_save_guest_state_vhe", NV_CTX_SWITCH },
	{ "sysreg_restore_guest_state_vhe", NV_CTX_SWITCH },
	{ "sysreg_save_host_state_vhe", NV_CTX_SWITCH },
	{ "sysreg_restore_host_state_vhe", NV_CTX_SWITCH },
	{ "__vgic_v3_save_state", NV_CTX_SWITCH }, { "__vgic_v3_restore_state", NV_CTX_SWITCH },
	{ "__activate_traps", NV_CTX_SWITCH }, { "__deactivate_traps", NV_CTX_SWITCH },
	{ "___activate_traps", NV_CTX_SWITCH }, { "__load_stage2", NV_CTX_SWITCH },
	{ "fixup_guest_exit", NV_CTX_SWITCH }, { "kvm_hyp_handle_*", NV_CTX_SWITCH },
	{ "__debug_switch_to_guest", NV_CTX_SWITCH }, { "__debug_switch_to_host", NV_CTX_SWITCH },
	{ "kvm_arch_vcpu_load", NV_CTX_PUTLOAD }, { "kvm_arch_vcpu_put", NV_CTX_PUTLOAD },
	{ "kvm_vcpu_load_vhe", NV_CTX_PUTLOAD }, { "kvm_vcpu_put_vhe", NV_CTX_PUTLOAD },
	{ "kvm_vcpu_load_debug", NV_CTX_PUTLOAD }, { "kvm_vcpu_put_debug", NV_CTX_PUTLOAD },
	{ "kvm_arm_setup_mdcr_el2", NV_CTX_PUTLOAD },
	{ "kvm_timer_vcpu_load*", NV_CTX_PUTLOAD }, { "kvm_timer_vcpu_put", NV_CTX_PUTLOAD },
	{ "timer_save_state", NV_CTX_PUTLOAD }, { "timer_restore_state", NV_CTX_PUTLOAD },
	{ "__sysreg_save_el1_state", NV_CTX_PUTLOAD }, { "__sysreg_restore_el1_state", NV_CTX_PUTLOAD },
	{ "__vcpu_load_switch_sysregs", NV_CTX_PUTLOAD }, { "__vcpu_put_switch_sysregs", NV_CTX_PUTLOAD },
	{ "__vgic_v3_save_aprs", NV_CTX_PUTLOAD }, { "__vgic_v3_restore_vmcr_aprs", NV_CTX_PUTLOAD },
	{ "vgic_v3_load", NV_CTX_PUTLOAD }, { "vgic_v3_put", NV_CTX_PUTLOAD },
	{ "kvm_vgic_load", NV_CTX_PUTLOAD }, { "kvm_vgic_put", NV_CTX_PUTLOAD },
	{ "kvm_vcpu_load_fgt", NV_CTX_PUTLOAD }, { "kvm_vcpu_load_hw_mmu", NV_CTX_PUTLOAD },
	{ "kvm_vcpu_put_hw_mmu", NV_CTX_PUTLOAD }, { "gic_poke_irq", NV_CTX_PUTLOAD },
};

/* See advise.h. */
enum nv_advise_ctx nv_advise_ctx_of(const char *fn)
{
	if (!fn)
		return NV_CTX_UNKNOWN;
	for (size_t i = 0; i < sizeof(ctx_table) / sizeof(ctx_table[0]); i++) {
		size_t n = strlen(ctx_table[i].fn);
		if (ctx_table[i].fn[n - 1] == '*' ? !strncmp(fn, ctx_table[i].fn, n - 1)
						 : !strcmp(fn, ctx_table[i].fn))
			return (enum nv_advise_ctx)ctx_table[i].ctx;
	}
	return NV_CTX_OTHER;
}

static const char *const remedy_names[] = {
	"L0 trap control off", "in the VNCR page", "redirected", "guest hypervisor change",
	"architecture switch",
};

/* The name of a remedy kind. */
const char *nv_remedy_kind_name(enum nv_remedy_kind k)
{
	return (unsigned)k <= NV_REM_ARCH ? remedy_names[k] : "?";
}

/* ------------------------------------------------------- why it traps */

/* The profile option that turns an optional L0 trap control on, or NULL. */
static const char *ctl_option(int ctl)
{
	switch (ctl) {
	case NV_CTL_TDA: return "tda";
	case NV_CTL_TPM: return "tpm";
	case NV_CTL_TACR: return "tacr";
	case NV_CTL_TCPAC: return "tcpac";
	default: return NULL;
	}
}

/* Why an observed trap traps on the host architecture, from the register table. */
static void why_traps(const struct nv_trap *t, const char *arch, char *buf, size_t len)
{
	switch (t->code) {
	case NV_EC_ERET:
		snprintf(buf, len, "ERET always traps (HCR_EL2.NV: L0 emulates the exception return)");
		return;
	case NV_EC_HVC64:
	case NV_EC_SMC64:
		snprintf(buf, len, "HVC/SMC from vEL2 always traps (L0 forwards it)");
		return;
	case NV_EC_DABT:
		snprintf(buf, len, "stage-2 abort of the guest hypervisor's own access "
			 "(L0 emulates the device or maps the page)");
		return;
	case NV_EC_WFX:
		snprintf(buf, len, "WFI/WFE trapped by L0 (HCR_EL2.TWI/TWE)");
		return;
	default:
		break;
	}
	int r = t->sysreg >= 0 ? nv_sysreg_by_enc(t->sysreg) : -1;
	if (t->code != NV_EC_SYS64 || r < 0) {
		snprintf(buf, len, "not in the model's register table");
		return;
	}
	const struct nv_sysreg *s = nv_sysreg_at(r);
	switch (s->ctl) {
	case NV_CTL_TDA:
		snprintf(buf, len, "MDCR_EL2.TDA: L0 traps the debug registers%s", s->linux_vncr ?
			 " (checked before its VNCR slot)" : "");
		return;
	case NV_CTL_TPM:
		snprintf(buf, len, "MDCR_EL2.TPM: L0 traps the PMU registers");
		return;
	case NV_CTL_TACR:
		snprintf(buf, len, "HCR_EL2.TACR: L0 traps ACTLR");
		return;
	case NV_CTL_TCPAC:
		snprintf(buf, len, "CPTR_EL2.TCPAC: L0 traps CPACR");
		return;
	case NV_CTL_TID:
		snprintf(buf, len, "HCR_EL2.TID3: ID registers trap for any guest");
		return;
	case NV_CTL_TVM:
		snprintf(buf, len, "HCR_EL2.TVM/TRVM: L0 traps the EL1 VM registers");
		return;
	case NV_CTL_MMIO:
		snprintf(buf, len, "GICv2 GICH page: a stage-2 abort to L0");
		return;
	case NV_CTL_EL12:
		if (s->cls == NV_RC_TIMER)
			snprintf(buf, len, "HCR_EL2.NV: EL02 timer alias, L0 emulates it "
				 "(the hardware timer must follow)");
		else
			snprintf(buf, len, "HCR_EL2.NV: EL12/EL02 alias %s", s->vncr >= 0 ?
				 "with a VNCR slot L0 does not back" : "not in the VNCR page");
		return;
	default:
		break;
	}
	if (s->cls == NV_RC_GIC && s->vncr < 0)
		snprintf(buf, len, "HCR_EL2.NV: not in the VNCR page (computed from the vGIC's "
			 "state on %s: L0 emulates it)", arch);
	else if (s->vncr < 0)
		snprintf(buf, len, "HCR_EL2.NV: not in the VNCR page");
	else if (!s->linux_vncr)
		snprintf(buf, len, "HCR_EL2.NV: has a VNCR slot (0x%03x) that L0 (Linux) does "
			 "not back", (unsigned)s->vncr);
	else
		snprintf(buf, len, "HCR_EL2.NV: in the VNCR page, yet trapped here");
}

/* ------------------------------------------------------------ pricing */

/* The L0 handler an observed trap lands in on the host architecture. */
static enum nv_handler handler_of(const struct nv_model *m, const struct nv_trap *t)
{
	switch (t->code) {
	case NV_EC_ERET: return NV_H_ERET;
	case NV_EC_HVC64:
	case NV_EC_SMC64: return NV_H_FORWARD;
	case NV_EC_SYS64: break;
	default: return NV_H_NONE;
	}
	int r = t->sysreg >= 0 ? nv_sysreg_by_enc(t->sysreg) : -1;
	if (r < 0)
		return NV_H_NONE;
	struct nv_guest_cfg g = nv_profile_cfg(nv_model_profile(m));
	struct nv_fate_info f = nv_arch_fate(nv_model_arch(m), &g,
					     t->dir == 1 ? NV_OP_MSR : NV_OP_MRS, r);
	return f.fate == NV_FATE_TRAP ? f.handler : (enum nv_handler)nv_sysreg_at(r)->handler;
}

/* See advise.h. */
uint64_t nv_advise_trap_cycles(const struct nv_model *m, const struct nv_trap *t)
{
	return nv_model_trap_cycles(m, handler_of(m, t));
}

/* --------------------------------------------------------- grouping */

/* The group of an operation (register or instruction), added on first sight. */
static struct nv_advise_group *group_of(struct nv_advise *a, const struct nv_trap *t, size_t cap)
{
	for (int i = 0; i < a->ngroup; i++)
		if (a->group[i].op.code == t->code && a->group[i].op.sysreg == t->sysreg)
			return &a->group[i];
	if ((size_t)a->ngroup == cap)
		return NULL;
	struct nv_advise_group *g = &a->group[a->ngroup++];
	memset(g, 0, sizeof(*g));
	g->op = *t;
	g->op.dir = -1;
	g->op.pc = 0;
	nv_trap_name(&g->op, g->name, sizeof(g->name));
	return g;
}

/* Add a site to its group's (direction, function-or-PC) details. */
static void add_detail(struct nv_advise_group *g, const struct nv_obs_site *s)
{
	struct nv_advise_detail *d = NULL;
	for (int i = 0; i < g->ndetail && !d; i++)
		if (g->detail[i].dir == s->trap.dir &&
		    (s->sym ? g->detail[i].sym == s->sym : !g->detail[i].sym && g->detail[i].pc == s->trap.pc))
			d = &g->detail[i];
	if (!d) {
		if (g->ndetail == NV_ADVISE_MAX_DETAIL)
			d = &g->detail[NV_ADVISE_MAX_DETAIL - 1];	/* the rest, lumped */
		else {
			d = &g->detail[g->ndetail++];
			memset(d, 0, sizeof(*d));
			d->dir = s->trap.dir;
			d->sym = s->sym;
			d->pc = s->trap.pc;
			d->ctx = (uint8_t)nv_advise_ctx_of(s->sym ? s->sym->name : NULL);
		}
	}
	d->count += s->count;
}

/* Most traps first, then most estimated cycles, then by name. */
static int by_cost(const void *x, const void *y)
{
	const struct nv_advise_group *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	if (a->cycles != b->cycles)
		return a->cycles > b->cycles ? -1 : 1;
	return strcmp(a->name, b->name);
}

/* Details: most traps first. */
static int by_count(const void *x, const void *y)
{
	const struct nv_advise_detail *a = x, *b = y;
	if (a->count != b->count)
		return a->count > b->count ? -1 : 1;
	return a->pc < b->pc ? -1 : a->pc > b->pc;
}

/* Append a function name to a context's list once. */
static void ctx_add_fn(struct nv_advise_ctx_sum *c, const char *fn)
{
	size_t n = strlen(c->functions), k = strlen(fn);
	for (const char *p = c->functions; (p = strstr(p, fn)); p += k)
		if ((p == c->functions || p[-1] == ' ') && (p[k] == ',' || !p[k]))
			return;
	if (n + k + 3 < sizeof(c->functions))
		snprintf(c->functions + n, sizeof(c->functions) - n, "%s%s", n ? ", " : "", fn);
}

/* ----------------------------------------------------------- remedies */

/* A remedy by label, added once; its index, or -1 when the table is full. */
static int remedy_add(struct nv_advise *a, enum nv_remedy_kind kind, enum nv_edit_type et,
		      const char *arg, const char *arch, const char *what)
{
	char label[64], e2[128];
	if (kind == NV_REM_ARCH)
		snprintf(label, sizeof(label), "arch %s", arch);
	else
		snprintf(label, sizeof(label), "%s %s", nv_edit_type_name(et), arg);
	for (int i = 0; i < a->nremedy; i++)
		if (!strcmp(a->remedy[i].label, label))
			return i;
	if (a->nremedy == NV_ADVISE_MAX_REMEDIES)
		return -1;
	struct nv_advise_remedy *r = &a->remedy[a->nremedy];
	memset(r, 0, sizeof(*r));
	r->kind = (uint8_t)kind;
	snprintf(r->label, sizeof(r->label), "%s", label);
	snprintf(r->what, sizeof(r->what), "%s", what);
	const char *ra = kind == NV_REM_ARCH ? arch : a->arch;
	size_t ral = strnlen(ra, sizeof(r->arch) - 1);
	memcpy(r->arch, ra, ral);
	r->arch[ral] = 0;
	if (kind != NV_REM_ARCH && nv_whatif_add(&r->edit, et, arg, e2, sizeof(e2)))
		return -1;
	return a->nremedy++;
}

/* The remedies the model can evaluate for one group. */
static void group_remedies(struct nv_advise *a, struct nv_advise_group *g,
			   const struct nv_profile *p)
{
	int r = g->op.code == NV_EC_SYS64 && g->op.sysreg >= 0 ? nv_sysreg_by_enc(g->op.sysreg) : -1;
	char what[128], arg[64];
	int idx[NV_ADVISE_MAX_REMEDY], n = 0;
	if (r < 0)
		return;
	const struct nv_sysreg *s = nv_sysreg_at(r);
	const char *opt = ctl_option(s->ctl);
	if (opt && nv_profile_option_get(p, opt) > 0) {
		snprintf(arg, sizeof(arg), "%s=0", opt);
		snprintf(what, sizeof(what), "L0 stops setting %s: profile option %s",
			 s->ctl == NV_CTL_TDA ? "MDCR_EL2.TDA" : s->ctl == NV_CTL_TPM ? "MDCR_EL2.TPM" :
			 s->ctl == NV_CTL_TACR ? "HCR_EL2.TACR" : "CPTR_EL2.TCPAC", opt);
		idx[n++] = remedy_add(a, NV_REM_L0_CTL, NV_EDIT_SET, arg, NULL, what);
	}
	if (s->cls != NV_RC_ID && s->cls != NV_RC_TLBI && s->cls != NV_RC_AT) {
		if (s->cls == NV_RC_GIC)
			snprintf(what, sizeof(what), "%s computed into the VNCR page by the hardware "
				 "(an NV2 variant): its accesses become memory", s->name);
		else
			snprintf(what, sizeof(what), "%s in the VNCR page: its accesses become memory "
				 "(architecture)", s->name);
		idx[n++] = remedy_add(a, NV_REM_VNCR, NV_EDIT_VNCR, s->name, NULL, what);
	}
	if (s->el == NV_EL2 && s->el1_map) {
		snprintf(what, sizeof(what), "%s redirected to %s in hardware (architecture)",
			 s->name, s->el1_map);
		idx[n++] = remedy_add(a, NV_REM_REDIRECT, NV_EDIT_REDIRECT, s->name, NULL, what);
	}
	if (g->reads) {
		snprintf(what, sizeof(what), "guest hypervisor: read a copy of %s kept in memory "
			 "(e.g. loaded at vcpu_load) instead of the register", s->name);
		idx[n++] = remedy_add(a, NV_REM_GUEST, NV_EDIT_CACHE, s->name, NULL, what);
	}
	if (g->writes && n < NV_ADVISE_MAX_REMEDY) {
		snprintf(what, sizeof(what), "guest hypervisor: defer the writes of %s "
			 "(e.g. to vcpu_put, or skip unchanged values)", s->name);
		idx[n++] = remedy_add(a, NV_REM_GUEST, NV_EDIT_DEFER, s->name, NULL, what);
	}
	for (int i = 0; i < n; i++)
		if (idx[i] >= 0)
			g->remedy[g->nremedy++] = idx[i];
}

/* The forwarded exceptions (EXC ops) per exit of each kind on a model. */
static void count_exc(void *arg, const struct nv_op_result *r)
{
	if (r->op->kind == NV_OP_EXC && r->fate == NV_FATE_TRAP)
		(*(double *)arg)++;
}

/* Fill one side (before/after) of a remedy from a replay result's column. */
static void fill_side(const struct nv_replay_result *res, int col, const double *exc,
		      uint64_t *traps, uint64_t *cycles, double *per, double *gh)
{
	*traps = *cycles = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		*traps += res->traps[col][k];
		*cycles += res->cycles[col][k];
		per[k] = res->exits[k] ? (double)res->traps[col][k] / (double)res->exits[k] : 0;
		gh[k] = res->traps[col][k] ? per[k] - exc[k] : 0;
	}
}

/* User edits plus one more: the what-if a remedy is replayed with. */
static void merged(const struct nv_whatif *user, const struct nv_whatif *extra, struct nv_whatif *out)
{
	memset(out, 0, sizeof(*out));
	if (user)
		*out = *user;
	for (int i = 0; i < extra->n && out->n < NV_WHATIF_MAX; i++)
		out->e[out->n++] = extra->e[i];
}

/* Evaluate every remedy by replaying the run with its edit (stored, as compare does). */
static int eval_remedies(struct nvdb *db, const struct nv_advise_opts *o, struct nv_advise *a,
			 char *err, size_t errlen)
{
	struct nv_replay_result *base = malloc(sizeof(*base)), *res = malloc(sizeof(*res));
	double exc[NV_REPLAY_MAX_ARCH][NV_KIND__COUNT] = { { 0 } };
	struct nv_models ms;
	char *arch = a->arch;
	int rc = -1;

	if (!base || !res) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (nv_results_get(db, &arch, 1, o->guest, o->cost, o->whatif, o->progress, base,
			   err, errlen))
		goto out;
	if (nv_models_open_whatif(&ms, NV_REPLAY_DEFAULT_ARCHS, o->guest, o->cost, o->whatif,
				  err, errlen))
		goto out;
	for (int i = 0; i < ms.n; i++) {
		int col = nv_results_arch_index(base, nv_arch_name(ms.arch[i]));
		for (int k = 0; col >= 0 && k < NV_KIND__COUNT; k++) {
			struct nv_result r;
			nv_model_eval(ms.m[i], (enum nv_exit_kind)k, NULL, count_exc, &exc[col][k], &r);
		}
	}
	nv_models_close(&ms);
	int host = nv_results_arch_index(base, a->arch);
	for (int i = 0; i < a->nremedy; i++) {
		struct nv_advise_remedy *r = &a->remedy[i];
		fill_side(base, host, exc[host], &r->traps_before, &r->cycles_before,
			  r->per_exit_before, r->gh_before);
		r->unmodelled = base->unmodelled;
		if (r->kind == NV_REM_ARCH) {
			int col = nv_results_arch_index(base, r->arch);
			if (col < 0)
				continue;
			fill_side(base, col, exc[col], &r->traps_after, &r->cycles_after,
				  r->per_exit_after, r->gh_after);
			continue;
		}
		struct nv_whatif w;
		merged(o->whatif, &r->edit, &w);
		if (nv_results_get(db, &arch, 1, o->guest, o->cost, &w, o->progress, res, err, errlen))
			goto out;
		int col = nv_results_arch_index(res, a->arch);
		fill_side(res, col, exc[host], &r->traps_after, &r->cycles_after,
			  r->per_exit_after, r->gh_after);
	}
	rc = 0;
out:
	free(base);
	free(res);
	return rc;
}

/* ---------------------------------------------------------------- run */

/* See advise.h. */
int nv_advise_run(struct nvdb *db, const struct nv_advise_opts *o, struct nv_advise *a,
		  char *err, size_t errlen)
{
	struct nv_models ms;
	size_t cap;

	memset(a, 0, sizeof(*a));
	a->best = -1;
	snprintf(a->arch, sizeof(a->arch), "%s", o->arch);
	snprintf(a->guest, sizeof(a->guest), "%s", o->guest);
	snprintf(a->cost, sizeof(a->cost), "%s", o->cost);
	a->have_symbols = o->syms != NULL;
	if (nv_models_open_whatif(&ms, o->arch, o->guest, o->cost, o->whatif, err, errlen))
		return -1;
	if (!nv_arch_is_nested(ms.arch[0])) {
		snprintf(err, errlen, "advise needs a nested host architecture, not '%s'", o->arch);
		nv_models_close(&ms);
		return -1;
	}
	snprintf(a->arch, sizeof(a->arch), "%s", nv_arch_name(ms.arch[0]));
	a->learned = !strncmp(nv_profile_desc(ms.profile) ? nv_profile_desc(ms.profile) : "",
			      "observed on ", 12);
	if (nv_observed_run(db, o->syms, o->progress, &a->obs, err, errlen)) {
		nv_models_close(&ms);
		return -1;
	}
	cap = a->obs.nsite ? a->obs.nsite : 1;
	if (!(a->group = calloc(cap, sizeof(*a->group)))) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	for (int k = 0; k < NV_KIND__COUNT; k++)
		a->exits += a->obs.exits[k];
	for (size_t i = 0; i < a->obs.nsite; i++) {
		const struct nv_obs_site *s = &a->obs.site[i];
		struct nv_advise_group *g = group_of(a, &s->trap, cap);
		uint64_t cy = s->count * nv_advise_trap_cycles(ms.m[0], &s->trap);
		enum nv_advise_ctx cx = nv_advise_ctx_of(s->sym ? s->sym->name : NULL);
		g->count += s->count;
		g->cycles += cy;
		g->reads += s->trap.dir == 0 ? s->count : 0;
		g->writes += s->trap.dir == 1 ? s->count : 0;
		for (int k = 0; k < NV_KIND__COUNT; k++) {
			g->per_kind[k] += s->per_kind[k];
			a->ctx[cx].per_kind[k] += s->per_kind[k];
		}
		a->ctx[cx].count += s->count;
		a->ctx[cx].cycles += cy;
		if (s->sym)
			ctx_add_fn(&a->ctx[cx], s->sym->name);
		a->traps += s->count;
		a->cycles += cy;
		add_detail(g, s);
	}
	qsort(a->group, (size_t)a->ngroup, sizeof(*a->group), by_cost);
	for (int i = 0; i < a->ngroup; i++) {
		struct nv_advise_group *g = &a->group[i];
		qsort(g->detail, (size_t)g->ndetail, sizeof(*g->detail), by_count);
		why_traps(&g->op, a->arch, g->why, sizeof(g->why));
		group_remedies(a, g, ms.profile);
	}
	for (int i = 0; i < nv_arch_count(); i++) {
		const struct nv_arch *x = nv_arch_at(i);
		char what[128];
		if (!nv_arch_is_nested(x) || x == ms.arch[0])
			continue;
		snprintf(what, sizeof(what), "the host is %s: %s", nv_arch_name(x), nv_arch_desc(x));
		remedy_add(a, NV_REM_ARCH, NV_EDIT_SET, NULL, nv_arch_name(x), what);
	}
	nv_models_close(&ms);
	if (eval_remedies(db, o, a, err, errlen)) {
		nv_advise_free(a);
		return -1;
	}
	for (int i = 0; i < a->nremedy; i++) {
		const struct nv_advise_remedy *r = &a->remedy[i];
		int64_t save = (int64_t)r->cycles_before - (int64_t)r->cycles_after;
		/* a learned profile has only what trapped on its host: another
		 * architecture's figure from it is a lower bound, never "best" */
		if (save <= 0 || (a->learned && r->kind == NV_REM_ARCH))
			continue;
		if (a->best < 0) {
			a->best = i;
			continue;
		}
		const struct nv_advise_remedy *b = &a->remedy[a->best];
		int64_t bs = (int64_t)b->cycles_before - (int64_t)b->cycles_after;
		if (save > bs || (save == bs && r->kind < b->kind))
			a->best = i;
	}
	return 0;
fail:
	nv_models_close(&ms);
	nv_advise_free(a);
	return -1;
}

/* See advise.h. */
void nv_advise_free(struct nv_advise *a)
{
	nv_observed_free(&a->obs);
	free(a->group);
	a->group = NULL;
	a->ngroup = 0;
}
