/* A profile learned from a nested run's observed traps (see profile_learn.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/learn_groups.h"
#include "replay/profile_learn.h"
#include "replay/trapmap.h"

/* The profile options that switch L0's optional trap controls (profile.c reads them). */
static const struct { const char *opt; int ctl; const char *why; } ctl_opts[] = {
	{ "tcpac", NV_CTL_TCPAC, "CPTR_EL2.TCPAC" }, { "tacr", NV_CTL_TACR, "HCR_EL2.TACR" },
	{ "tda", NV_CTL_TDA, "MDCR_EL2.TDA" },       { "tpm", NV_CTL_TPM, "MDCR_EL2.TPM" },
};
#define NCTL ((int)(sizeof(ctl_opts) / sizeof(ctl_opts[0])))

/* What one learning pass works on. */
struct learn {
	const struct nv_observed *o;
	const struct nv_learn_opts *opt;
	const struct nv_arch *a;
	struct nv_guest_cfg g;
	struct nv_learn_groups gs;
	struct nv_learned *l;
	int kvar[NV_KIND__COUNT][NV_VARIANT_MAX];	/* variants a kind's path reads, most exits first */
	int nkvar[NV_KIND__COUNT];
	char sig[NV_VARIANT_MAX][512];
};

/* The symbol of a PC among the run's sites (they carry the lookups). */
static const struct nv_sym *sym_of(const struct nv_observed *o, uint64_t pc)
{
	for (size_t i = 0; i < o->nsite; i++)
		if (o->site[i].trap.pc == pc)
			return o->site[i].sym;
	return NULL;
}

/* The profile word of an op kind. */
static const char *op_word(enum nv_op_kind kind)
{
	switch (kind) {
	case NV_OP_MRS: return "mrs";
	case NV_OP_MSR: return "msr";
	case NV_OP_TLBI: return "tlbi";
	case NV_OP_AT: return "at";
	case NV_OP_MMIO_W: return "mmio-w";
	case NV_OP_ERET: return "eret";
	case NV_OP_HVC: return "hvc";
	default: return "smc";
	}
}

/* One observed trap as a profile line (after its fn line); counts what it cannot write. */
static void write_op(FILE *f, struct learn *L, const struct nv_trap *t, const struct nv_sym *sym,
		     struct nv_learn_kind *lk)
{
	char at[160], name[64];
	enum nv_op_kind kind;
	int reg;
	if (sym)
		snprintf(at, sizeof(at), "%s+0x%llx", sym->name, (unsigned long long)(t->pc - sym->addr));
	else
		snprintf(at, sizeof(at), "0x%llx", (unsigned long long)t->pc);
	nv_trap_name(t, name, sizeof(name));
	if (nv_learn_op_kind(t, &kind, &reg)) {
		fprintf(f, "  # not expressible: %s at %s (no such operation or register in the model)\n",
			name, at);
		lk->skipped++;
		return;
	}
	/* a stage-2 abort in the GIC driver is its redistributor (GICR_ISACTIVER0 stands for it) */
	if (t->code == NV_EC_DABT && sym && strstr(sym->name, "gic") &&
	    nv_sysreg_by_name("GICR_ISACTIVER0") >= 0)
		reg = nv_sysreg_by_name("GICR_ISACTIVER0");
	struct nv_fate_info fi = nv_arch_fate(L->a, &L->g, kind, reg);
	if (fi.fate != NV_FATE_TRAP) {
		fprintf(f, "  # the model says %s on %s for this op, yet it trapped:\n",
			nv_fate_name(fi.fate), nv_arch_name(L->a));
		lk->not_trap++;
	}
	if (reg >= 0)
		fprintf(f, "  %s %s : observed %s at %s\n", op_word(kind), nv_sysreg_at(reg)->name, name, at);
	else
		fprintf(f, "  %s : observed %s at %s\n", op_word(kind), name, at);
}

/* The ops of one observed sequence, with fn lines where the function changes, ERET in phase entry. */
static void write_ops(FILE *f, struct learn *L, const struct nv_obs_seq *s, struct nv_learn_kind *lk)
{
	const struct nv_sym *last = NULL;
	uint64_t last_pc = 0;
	for (uint32_t i = 0; i < s->n; i++) {
		const struct nv_trap *t = &s->trap[i];
		const struct nv_sym *sym = sym_of(L->o, t->pc);
		if (t->code == NV_EC_ERET && i == s->n - 1)
			fprintf(f, "  phase entry\n");
		if (i == 0 || sym != last || (!sym && t->pc != last_pc)) {
			if (sym)
				fprintf(f, "  fn %s observed:%s\n", sym->name, L->opt->arch);
			else
				fprintf(f, "  fn pc_%llx observed:%s\n", (unsigned long long)t->pc,
					L->opt->arch);
		}
		last = sym;
		last_pc = t->pc;
		write_op(f, L, t, sym, lk);
	}
}

/* The header: what this profile is and what it cannot know. */
static void write_header(FILE *f, struct learn *L)
{
	const struct nv_learn_opts *opt = L->opt;
	fprintf(f, "# Guest-hypervisor profile learned by 'nvtrace profile from %s' (format: docs/profiles.md).\n"
		"# OBSERVED on %s: the nested exits of each kind grouped by the traps they show; each\n"
		"# frequent group is a variant whose signature selects exactly it among the run's groups,\n"
		"# and whose sequence is the group's most frequent order (registers, directions,\n"
		"# functions, ERET). 'variants exhaustive': an exit that selects no variant matched no\n"
		"# learned group; validate reports it apart, replay costs it on its kind's first variant.\n"
		"# What it cannot know: every access the host did not trap. On ARMv8.4 NV2 the VNCR page\n"
		"# turns most EL2/EL1 context accesses into memory and L0 never sees them, so this profile\n"
		"# has none of them: its v8.3/neve figures count only the operations that trapped on %s,\n"
		"# and the model's cycles for the untrapped code (native, memory) are absent. It answers\n"
		"# questions about the trapping operations on %s: what each costs, and what removing\n"
		"# one (--set tda=0, --vncr REG, --cache REG ...) saves.\n",
		opt->run, opt->arch, opt->arch, opt->arch);
	fprintf(f, "profile %s\n", opt->name);
	fprintf(f, "describe observed on %s from %s (%lld nested exits): trapping operations only, "
		"%d learned sequences\n", opt->arch, opt->run, (long long)L->o->st.exits, L->l->nvar);
	fprintf(f, "mode %s\n\n", opt->vhe ? "vhe" : "nvhe");
	for (int i = 0; i < NCTL; i++)
		fprintf(f, "option %s %d %s: %s\n", ctl_opts[i].opt,
			(L->g.ctl_on >> ctl_opts[i].ctl) & 1, ctl_opts[i].why,
			(L->g.ctl_on >> ctl_opts[i].ctl) & 1 ? "registers it guards trapped in the run"
							     : "nothing it guards trapped in the run");
}

/* Learn group gi as the next variant if the budget allows and a signature exists. */
static void take(struct learn *L, int gi)
{
	struct nv_learn_group *g = &L->gs.g[gi];
	struct nv_learned *l = L->l;
	if (g->var >= 0 || g->no_sig || l->nvar == NV_LEARN_MAX_VARIANTS || !g->expressible)
		return;
	if (nv_learn_signature(&L->gs, gi, L->sig[l->nvar], sizeof(L->sig[0]))) {
		g->no_sig = 1;
		return;
	}
	struct nv_learn_var *v = &l->var[l->nvar];
	snprintf(v->name, sizeof(v->name), "seq%u", g->traps);
	for (int n = 1, dup = 1; dup && n < 26; n++) {	/* seq26, seq26b, seq26c ... */
		dup = 0;
		for (int i = 0; i < l->nvar; i++)
			dup |= !strcmp(l->var[i].name, v->name);
		if (dup)
			snprintf(v->name, sizeof(v->name), "seq%u%c", g->traps, 'a' + n);
	}
	v->traps = g->traps;
	memcpy(v->exits, g->per_kind, sizeof(v->exits));
	g->var = l->nvar++;
}

/*
 * Which groups become variants: first each kind's most frequent group
 * (kinds with the most exits first), so every kind has a path; then the
 * other groups of at least NV_LEARN_MIN_EXITS exits, most exits first.
 */
static void choose(struct learn *L)
{
	const struct nv_observed *o = L->o;
	int korder[NV_KIND__COUNT], nk = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++)
		if (o->exits[k])
			korder[nk++] = k;
	for (int i = 1; i < nk; i++)	/* insertion sort: most exits first */
		for (int j = i; j > 0 && o->exits[korder[j]] > o->exits[korder[j - 1]]; j--) {
			int t = korder[j];
			korder[j] = korder[j - 1];
			korder[j - 1] = t;
		}
	for (int i = 0; i < nk; i++) {
		int k = korder[i], best = -1;
		for (int j = 0; j < L->gs.n; j++)
			if (L->gs.g[j].expressible && L->gs.g[j].per_kind[k] &&
			    (best < 0 || L->gs.g[j].per_kind[k] > L->gs.g[best].per_kind[k]))
				best = j;
		if (best >= 0)
			take(L, best);
	}
	for (;;) {
		int best = -1;
		for (int j = 0; j < L->gs.n; j++) {
			const struct nv_learn_group *g = &L->gs.g[j];
			if (g->var < 0 && g->expressible && !g->no_sig && g->exits >= NV_LEARN_MIN_EXITS &&
			    (best < 0 || g->exits > L->gs.g[best].exits))
				best = j;
		}
		if (best < 0 || L->l->nvar == NV_LEARN_MAX_VARIANTS)
			break;
		take(L, best);
	}
	/* per kind: the variants its path reads, most of its exits first */
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		int *kv = L->kvar[k], n = 0;
		for (int v = 0; v < L->l->nvar; v++) {
			if (!L->l->var[v].exits[k])
				continue;
			int j = n++;
			for (; j > 0 && L->l->var[v].exits[k] > L->l->var[kv[j - 1]].exits[k]; j--)
				kv[j] = kv[j - 1];
			kv[j] = v;
		}
		L->nkvar[k] = n;
		L->l->kind[k].fallback = n ? kv[0] : -1;
		L->l->kind[k].nvar = n;
		memcpy(L->l->kind[k].var, kv, sizeof(L->l->kind[k].var));
	}
}

/* The group learned as variant v. */
static const struct nv_learn_group *group_of(const struct learn *L, int v)
{
	for (int i = 0; i < L->gs.n; i++)
		if (L->gs.g[i].var == v)
			return &L->gs.g[i];
	return NULL;
}

/* The variant lines and, per kind, what was left unlearned (comments). */
static void write_variants(FILE *f, struct learn *L)
{
	fprintf(f, "\nvariants exhaustive : an exit that selects no variant below matched no learned group\n");
	for (int v = 0; v < L->l->nvar; v++) {
		const struct nv_learn_var *x = &L->l->var[v];
		fprintf(f, "variant %s when %s : the group of", x->name, L->sig[v]);
		for (int k = 0, n = 0; k < NV_KIND__COUNT; k++)
			if (x->exits[k])
				fprintf(f, "%s %llu %s", n++ ? "," : "", (unsigned long long)x->exits[k],
					nv_kind_name((enum nv_kind)k));
		fprintf(f, " exits with these %u traps\n", x->traps);
	}
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		struct nv_learn_kind *lk = &L->l->kind[k];
		uint64_t left = lk->exits - lk->learned;
		if (!left)
			continue;
		fprintf(f, "# %s: %llu of %llu exits not learned (%u group%s too rare or not expressible",
			nv_kind_name((enum nv_kind)k), (unsigned long long)left,
			(unsigned long long)lk->exits, lk->groups_left, lk->groups_left == 1 ? "" : "s");
		if (L->o->seq_other[k])
			fprintf(f, "; %llu exits whose sequences were not kept",
				(unsigned long long)L->o->seq_other[k]);
		fprintf(f, ")\n");
		for (int i = 0; i < L->gs.n; i++) {
			const struct nv_learn_group *g = &L->gs.g[i];
			if (g->var < 0 && g->per_kind[k])
				fprintf(f, "#   %u traps: %llu exit%s%s\n", g->traps,
					(unsigned long long)g->per_kind[k], g->per_kind[k] == 1 ? "" : "s",
					!g->expressible ? " (a trap the format cannot express)" :
					g->no_sig ? " (no signature tells it apart from the others)" : "");
		}
	}
}

/*
 * Per kind: one seq per learned variant (its observed order), and the
 * if/else chain that picks one: "use K_V if V" then, if not, the next;
 * the last falls back on the kind's first variant, which is what the plain
 * path (no variant selected: an unlearned exit, or compare's bench) costs.
 */
static void write_kind(FILE *f, struct learn *L, int k)
{
	const char *kn = nv_kind_name((enum nv_kind)k);
	const int *kv = L->kvar[k];
	int n = L->nkvar[k];
	struct nv_learn_kind *lk = &L->l->kind[k];
	for (int i = 0; i < n; i++) {
		const struct nv_learn_group *g = group_of(L, kv[i]);
		fprintf(f, "\n# %s: %llu exit%s trap like this (%u traps)\nseq %s_%s\n", kn,
			(unsigned long long)g->per_kind[k], g->per_kind[k] == 1 ? "" : "s", g->traps, kn,
			L->l->var[kv[i]].name);
		write_ops(f, L, &L->o->seq[k][g->rep[k]], lk);
		fprintf(f, "end\n");
	}
	for (int i = 1; i < n; i++) {
		fprintf(f, "%sseq %s_not_%s\n", i == 1 ? "\n" : "", kn, L->l->var[kv[i - 1]].name);
		fprintf(f, "  use %s_%s if %s\n", kn, L->l->var[kv[i]].name, L->l->var[kv[i]].name);
		if (i < n - 1)
			fprintf(f, "  use %s_not_%s if !%s\n", kn, L->l->var[kv[i]].name,
				L->l->var[kv[i]].name);
		else
			fprintf(f, "  # none of the learned groups: the kind's most frequent sequence\n"
				"  use %s_%s if !%s\n", kn, L->l->var[kv[0]].name, L->l->var[kv[i]].name);
		fprintf(f, "end\n");
	}
	fprintf(f, "\npath %s\n  phase exit\n  fn nested_vm observed\n"
		"  exc : the nested VM's exit, forwarded to vEL2 by L0\n", kn);
	if (!n) {	/* nothing learned: the most frequent sequence, every exit unlearned */
		const struct nv_obs_seq *best = NULL;
		for (int i = 0; i < L->o->nseq[k]; i++)
			if (!best || L->o->seq[k][i].count > best->count)
				best = &L->o->seq[k][i];
		fprintf(f, "  # no group of this kind could be learned: its most frequent sequence\n");
		if (best)
			write_ops(f, L, best, lk);
	} else {
		const char *v0 = L->l->var[kv[0]].name;
		fprintf(f, "  use %s_%s if %s\n", kn, v0, v0);
		if (n > 1)
			fprintf(f, "  use %s_not_%s if !%s\n", kn, v0, v0);
		else
			fprintf(f, "  # none of the learned groups: the same sequence\n"
				"  use %s_%s if !%s\n", kn, v0, v0);
	}
	fprintf(f, "end\n");
}

/* Expand group g's multiset into an observed-trap array (caller frees). */
static struct nv_obs_trap *expand(const struct nv_learn_group *g)
{
	struct nv_obs_trap *t = malloc((g->traps ? g->traps : 1) * sizeof(*t));
	int n = 0;
	for (int i = 0; t && i < g->nops; i++)
		for (int j = 0; j < g->ops[i].n; j++)
			t[n++] = g->ops[i].op;
	return t;
}

/* Parse the text back; each group of each kind selects exactly its variant, or none. */
static int check(struct learn *L, const char *text, size_t len, char *err, size_t errlen)
{
	struct nv_profile *p = NULL;
	int rc = 0;
	if (nv_profile_parse(text, len, L->opt->name, &p, err, errlen))
		return -1;
	for (int i = 0; i < L->gs.n && !rc; i++) {
		const struct nv_learn_group *g = &L->gs.g[i];
		struct nv_obs_trap *t = expand(g);
		for (int k = 0; t && k < NV_KIND__COUNT && !rc; k++) {
			struct nv_variant_sel sel;
			if (!g->per_kind[k])
				continue;
			nv_profile_variant_select(p, (enum nv_exit_kind)k, t, (int)g->traps, 0, &sel);
			for (int v = 0; v < NV_VARIANT_MAX && !rc; v++)
				if (sel.v[v] != (v == g->var)) {
					snprintf(err, errlen, "learned profile: %s's group of %u traps selects "
						 "variant %s %s", nv_kind_name((enum nv_kind)k), g->traps,
						 v < L->l->nvar ? L->l->var[v].name : "?",
						 sel.v[v] ? "too" : "not");
					rc = -1;
				}
		}
		if (!t) {
			snprintf(err, errlen, "out of memory");
			rc = -1;
		}
		free(t);
	}
	nv_profile_free(p);
	return rc;
}

/* See profile_learn.h. */
int nv_learn_profile(const struct nv_observed *o, const struct nv_learn_opts *opt,
		     char **text, size_t *len, struct nv_learned *l, char *err, size_t errlen)
{
	struct learn *L = calloc(1, sizeof(*L));
	FILE *f;
	int rc = -1;

	memset(l, 0, sizeof(*l));
	*text = NULL;
	*len = 0;
	if (!L) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	L->o = o;
	L->opt = opt;
	L->l = l;
	L->a = nv_arch_find(opt->arch);
	L->g = nv_guest_cfg_default();
	if (!L->a || !nv_arch_is_nested(L->a)) {
		snprintf(err, errlen, "'%s' is not a nested architecture", opt->arch);
		goto out;
	}
	L->g.vhe = (uint8_t)opt->vhe;
	/* L0 set a control when a register it guards trapped */
	for (size_t i = 0; i < o->nsite; i++) {
		int r = o->site[i].trap.code == NV_EC_SYS64 && o->site[i].trap.sysreg >= 0 ?
			nv_sysreg_by_enc(o->site[i].trap.sysreg) : -1;
		for (int c = 0; r >= 0 && c < NCTL; c++)
			if (nv_sysreg_at(r)->ctl == ctl_opts[c].ctl)
				L->g.ctl_on |= 1u << ctl_opts[c].ctl;
	}
	if (nv_learn_group_run(o, &L->gs)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	choose(L);
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		l->kind[k].exits = o->exits[k];
		for (int i = 0; i < L->gs.n; i++) {
			if (L->gs.g[i].var >= 0)
				l->kind[k].learned += L->gs.g[i].per_kind[k];
			else
				l->kind[k].groups_left += L->gs.g[i].per_kind[k] > 0;
		}
	}
	if (!(f = open_memstream(text, len))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	write_header(f, L);
	write_variants(f, L);
	for (int k = 0; k < NV_KIND__COUNT; k++)
		if (o->exits[k])
			write_kind(f, L, k);
	if (fclose(f)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = check(L, *text, *len, err, errlen);
out:
	if (rc) {
		free(*text);
		*text = NULL;
		*len = 0;
	}
	nv_learn_groups_free(&L->gs);
	free(L);
	return rc;
}
