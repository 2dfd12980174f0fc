/* A profile learned from a nested run's observed traps (see profile_learn.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/profile_learn.h"
#include "replay/trapmap.h"

/* The profile options that switch L0's optional trap controls (profile.c reads them). */
static const struct { const char *opt; int ctl; const char *why; } ctl_opts[] = {
	{ "tcpac", NV_CTL_TCPAC, "CPTR_EL2.TCPAC" }, { "tacr", NV_CTL_TACR, "HCR_EL2.TACR" },
	{ "tda", NV_CTL_TDA, "MDCR_EL2.TDA" },       { "tpm", NV_CTL_TPM, "MDCR_EL2.TPM" },
};
#define NCTL ((int)(sizeof(ctl_opts) / sizeof(ctl_opts[0])))

/* The register an observed stage-2 abort of vEL2 is written as, -1 if none fits. */
static int dabt_reg(const struct nv_sym *sym)
{
	if (sym && strstr(sym->name, "gic") && nv_sysreg_by_name("GICR_ISACTIVER0") >= 0)
		return nv_sysreg_by_name("GICR_ISACTIVER0");
	return nv_sysreg_by_name("L1_RAM");
}

/* The most frequent sequence of a kind, -1 if none. */
static int modal(const struct nv_observed *o, int k)
{
	int best = -1;
	for (int i = 0; i < o->nseq[k]; i++)
		if (best < 0 || o->seq[k][i].count > o->seq[k][best].count)
			best = i;
	return best;
}

/* The symbol of a PC among the run's sites (they carry the lookups). */
static const struct nv_sym *sym_of(const struct nv_observed *o, uint64_t pc)
{
	for (size_t i = 0; i < o->nsite; i++)
		if (o->site[i].trap.pc == pc)
			return o->site[i].sym;
	return NULL;
}

/* One observed trap as a profile line (after its fn line); counts what it cannot write. */
static void write_op(FILE *f, const struct nv_trap *t, const struct nv_sym *sym,
		     const struct nv_arch *a, const struct nv_guest_cfg *g,
		     struct nv_learn_kind *lk)
{
	char at[160], name[64];
	enum nv_op_kind kind;
	int reg = -1;
	if (sym)
		snprintf(at, sizeof(at), "%s+0x%llx", sym->name, (unsigned long long)(t->pc - sym->addr));
	else
		snprintf(at, sizeof(at), "0x%llx", (unsigned long long)t->pc);
	switch (t->code) {
	case NV_EC_ERET: kind = NV_OP_ERET; break;
	case NV_EC_HVC64: kind = NV_OP_HVC; break;
	case NV_EC_SMC64: kind = NV_OP_SMC; break;
	case NV_EC_DABT: kind = NV_OP_MMIO_W; reg = dabt_reg(sym); break;
	case NV_EC_SYS64:
		kind = t->dir == 1 ? NV_OP_MSR : NV_OP_MRS;
		reg = t->sysreg >= 0 ? nv_sysreg_by_enc(t->sysreg) : -1;
		if (reg >= 0 && nv_sysreg_at(reg)->cls == NV_RC_TLBI)
			kind = NV_OP_TLBI;
		else if (reg >= 0 && nv_sysreg_at(reg)->cls == NV_RC_AT)
			kind = NV_OP_AT;
		break;
	default:
		kind = NV_OP__COUNT;
		break;
	}
	nv_trap_name(t, name, sizeof(name));
	if (kind == NV_OP__COUNT || (kind != NV_OP_ERET && kind != NV_OP_HVC && kind != NV_OP_SMC && reg < 0)) {
		fprintf(f, "  # not expressible: %s at %s (no such operation or register in the model)\n",
			name, at);
		lk->skipped++;
		return;
	}
	struct nv_fate_info fi = nv_arch_fate(a, g, kind, reg);
	if (fi.fate != NV_FATE_TRAP) {
		fprintf(f, "  # the model says %s on %s for this op, yet it trapped:\n",
			nv_fate_name(fi.fate), nv_arch_name(a));
		lk->not_trap++;
	}
	const char *kw = kind == NV_OP_MRS ? "mrs" : kind == NV_OP_MSR ? "msr" : kind == NV_OP_TLBI ?
			 "tlbi" : kind == NV_OP_AT ? "at" : kind == NV_OP_MMIO_W ? "mmio-w" :
			 kind == NV_OP_ERET ? "eret" : kind == NV_OP_HVC ? "hvc" : "smc";
	if (reg >= 0)
		fprintf(f, "  %s %s : observed %s at %s\n", kw, nv_sysreg_at(reg)->name, name, at);
	else
		fprintf(f, "  %s : observed %s at %s\n", kw, name, at);
}

/* The header: what this profile is and what it cannot know. */
static void write_header(FILE *f, const struct nv_learn_opts *opt, const struct nv_observed *o,
			 const struct nv_guest_cfg *g)
{
	fprintf(f, "# Guest-hypervisor profile learned by 'nvtrace profile from %s' (format: docs/profiles.md).\n"
		"# OBSERVED on %s: per kind, the most frequent sequence of the guest hypervisor's\n"
		"# traps in the run (registers, directions, functions, ERET); comments list the others.\n"
		"# What it cannot know: every access the host did not trap. On ARMv8.4 NV2 the VNCR page\n"
		"# turns most EL2/EL1 context accesses into memory and L0 never sees them, so this profile\n"
		"# has none of them: its v8.3/neve figures count only the operations that trapped on %s,\n"
		"# and the model's cycles for the untrapped code (native, memory) are absent. It answers\n"
		"# questions about the trapping operations on %s: what each costs, and what removing\n"
		"# one (--set tda=0, --vncr REG, --cache REG ...) saves.\n",
		opt->run, opt->arch, opt->arch, opt->arch);
	fprintf(f, "profile %s\n", opt->name);
	fprintf(f, "describe observed on %s from %s (%lld nested exits): trapping operations only\n",
		opt->arch, opt->run, (long long)o->st.exits);
	fprintf(f, "mode %s\n\n", opt->vhe ? "vhe" : "nvhe");
	for (int i = 0; i < NCTL; i++)
		fprintf(f, "option %s %d %s: %s\n", ctl_opts[i].opt,
			(g->ctl_on >> ctl_opts[i].ctl) & 1, ctl_opts[i].why,
			(g->ctl_on >> ctl_opts[i].ctl) & 1 ? "registers it guards trapped in the run"
							   : "nothing it guards trapped in the run");
}

/* See profile_learn.h. */
int nv_learn_profile(const struct nv_observed *o, const struct nv_learn_opts *opt,
		     char **text, size_t *len, struct nv_learn_kind lk[NV_KIND__COUNT],
		     char *err, size_t errlen)
{
	const struct nv_arch *a = nv_arch_find(opt->arch);
	struct nv_guest_cfg g = nv_guest_cfg_default();
	FILE *f;

	memset(lk, 0, NV_KIND__COUNT * sizeof(*lk));
	*text = NULL;
	*len = 0;
	if (!a || !nv_arch_is_nested(a)) {
		snprintf(err, errlen, "'%s' is not a nested architecture", opt->arch);
		return -1;
	}
	g.vhe = (uint8_t)opt->vhe;
	/* L0 set a control when a register it guards trapped */
	for (size_t i = 0; i < o->nsite; i++) {
		int r = o->site[i].trap.code == NV_EC_SYS64 && o->site[i].trap.sysreg >= 0 ?
			nv_sysreg_by_enc(o->site[i].trap.sysreg) : -1;
		for (int c = 0; r >= 0 && c < NCTL; c++)
			if (nv_sysreg_at(r)->ctl == ctl_opts[c].ctl)
				g.ctl_on |= 1u << ctl_opts[c].ctl;
	}
	if (!(f = open_memstream(text, len))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	write_header(f, opt, o, &g);
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		int m = modal(o, k);
		if (m < 0)
			continue;
		const struct nv_obs_seq *s = &o->seq[k][m];
		const struct nv_sym *last = NULL;
		uint64_t last_pc = 0;
		lk[k].exits = o->exits[k];
		lk[k].covered = s->count;
		lk[k].traps = s->n;
		fprintf(f, "\n# %s: %llu of %llu nested exits trap exactly like this (%u traps)\n",
			nv_kind_name((enum nv_kind)k), (unsigned long long)s->count,
			(unsigned long long)o->exits[k], s->n);
		for (int i = 0; i < o->nseq[k]; i++)
			if (i != m)
				fprintf(f, "#   another sequence: %u traps, %llu exits\n", o->seq[k][i].n,
					(unsigned long long)o->seq[k][i].count);
		if (o->seq_other[k])
			fprintf(f, "#   %llu exits with sequences not kept\n",
				(unsigned long long)o->seq_other[k]);
		fprintf(f, "path %s\n  phase exit\n  fn nested_vm observed\n"
			"  exc : the nested VM's exit, forwarded to vEL2 by L0\n",
			nv_kind_name((enum nv_kind)k));
		for (uint32_t i = 0; i < s->n; i++) {
			const struct nv_trap *t = &s->trap[i];
			const struct nv_sym *sym = sym_of(o, t->pc);
			if (t->code == NV_EC_ERET && i == s->n - 1)
				fprintf(f, "  phase entry\n");
			if (i == 0 || sym != last || (!sym && t->pc != last_pc)) {
				if (sym)
					fprintf(f, "  fn %s observed:%s\n", sym->name, opt->arch);
				else
					fprintf(f, "  fn pc_%llx observed:%s\n", (unsigned long long)t->pc,
						opt->arch);
			}
			last = sym;
			last_pc = t->pc;
			write_op(f, t, sym, a, &g, &lk[k]);
		}
		fprintf(f, "end\n");
	}
	if (fclose(f)) {
		free(*text);
		*text = NULL;
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}
