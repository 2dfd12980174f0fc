/*
 * nvtrace advise RUN.db: which of the guest hypervisor's accesses trap on a
 * nested run, from which function, what they cost, and what each remedy the
 * model can evaluate would save (replay/advise.h computes; this prints).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "cli/commands.h"
#include "cli/model_cli.h"
#include "cli/progress.h"
#include "cli/run_open.h"
#include "cli/whatif_cli.h"
#include "cli/opts.h"
#include "collector/symtab_db.h"
#include "replay/advise.h"
#include "schema/err.h"
#include "view/json.h"

enum fmt { FMT_TEXT, FMT_CSV, FMT_JSON };

enum { OPT_TOP = NV_OPT_CMD_BASE };

static const struct nv_opt advise_opts[] = {
	NV_OPT_ARCH("host architecture (default: the run's synth_arch_host, else v8.4)"),
	NV_OPT_GUEST("guest hypervisor (default: the run's, else " NV_DEFAULT_GUEST ")"),
	NV_OPT_COST("cost table (default: the run's, else " NV_DEFAULT_COST ")"),
	{ OPT_TOP, "top", "N", "groups shown in the text table (default 10; 0: all)", NVC_NONE, NULL },
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: one row per group and remedy", NVC_NONE, NULL },
	NV_OPT_JSON,
	WHATIF_CLI_OPTS,
	{ 0 }
};

const struct nv_cmd_spec nv_spec_advise = {
	"advise", "RUN.db [--arch A] [--guest G] [--cost C] [--top N] [--csv|--json]\n"
	"RUN.db [options] [--set OPT=V] [--vncr|--redirect|--cache|--defer REG]...",
	"For a nested arm64 run: the guest hypervisor's traps as observed, grouped by\n"
	"register or instruction (then direction and function, or PC without symbols),\n"
	"ranked by their estimated cycles; why each traps on the host architecture;\n"
	"and every remedy the model can evaluate, recomputed by replaying the run\n"
	"with that edit (the same figures compare/replay print with it).  What-if\n"
	"edits (docs/advise.md) are applied to the model first: advise then ranks\n"
	"what remains.",
	advise_opts, NVC_DB, NULL, 0,
};

/* The kind where a group occurs most. */
static int main_kind(const uint64_t *per_kind)
{
	int best = 0;
	for (int k = 1; k < NV_KIND__COUNT; k++)
		if (per_kind[k] > per_kind[best])
			best = k;
	return best;
}

/* "hvc 3.00 irq 3.00": traps per nested exit of each kind it occurs in. */
static void kinds_text(const struct nv_advise *a, const uint64_t *per_kind, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	for (int k = 0; k < NV_KIND__COUNT && n < len; k++)
		if (per_kind[k])
			n += snprintf(buf + n, len - n, "%s%s %.2f", n ? " " : "",
				      nv_kind_name((enum nv_kind)k), ui_per(per_kind[k], a->obs.exits[k]));
}

/* A detail's place: "function+0x18" or the PC. */
static void place(const struct nv_advise_detail *d, char *buf, size_t len)
{
	if (d->sym)
		snprintf(buf, len, "%s+0x%llx", d->sym->name,
			 (unsigned long long)(d->pc - d->sym->addr));
	else
		snprintf(buf, len, "0x%llx", (unsigned long long)d->pc);
}

static const char *dir_name(int dir) { return dir == 1 ? "write" : dir == 0 ? "read" : "-"; }

/* One remedy's line: the model's whole-run figures, and the kind k per exit. */
static void print_remedy(const struct nv_advise_remedy *r, int k)
{
	char b1[32], b2[40];
	int64_t dc = (int64_t)r->cycles_before - (int64_t)r->cycles_after;
	model_cli_thousands(b1, sizeof(b1), (uint64_t)(dc < 0 ? -dc : dc));
	snprintf(b2, sizeof(b2), "%s%s", dc < 0 ? "-" : "", b1);
	printf("       %-24s %-24s %7llu -> %-7llu %14s %6.1f%%   %s %.2f -> %.2f | %.2f -> %.2f%s\n",
	       r->label, nv_remedy_kind_name((enum nv_remedy_kind)r->kind),
	       (unsigned long long)r->traps_before, (unsigned long long)r->traps_after, b2,
	       r->cycles_before ? 100.0 * (double)dc / (double)r->cycles_before : 0.0,
	       nv_kind_name((enum nv_kind)k), r->per_exit_before[k], r->per_exit_after[k],
	       r->gh_before[k], r->gh_after[k],
	       dc == 0 && r->traps_after == r->traps_before && r->kind != NV_REM_ARCH ?
	       "  (no trapping access to it on the model's paths)" : "");
}

/* The top line: the one change that saves the most model cycles on this run. */
static void print_best(const struct nv_advise *a)
{
	char b1[32], b2[32];
	if (a->best < 0) {
		printf("best single change: none of the remedies the model can evaluate saves cycles "
		       "on this run\n");
		return;
	}
	const struct nv_advise_remedy *r = &a->remedy[a->best];
	int k = main_kind(a->obs.exits);
	printf("best single change: %s (%s) saves %s of %s model cycles (%.1f%%) and %lld of %llu "
	       "model traps over the run on %s; %s: %.2f -> %.2f traps per nested exit as compare "
	       "counts them (with the forwarded exception), %.2f -> %.2f guest-hypervisor traps\n",
	       r->label, r->what,
	       model_cli_thousands(b1, sizeof(b1), r->cycles_before - r->cycles_after),
	       model_cli_thousands(b2, sizeof(b2), r->cycles_before),
	       100.0 * ui_per(r->cycles_before - r->cycles_after, r->cycles_before),
	       (long long)r->traps_before - (long long)r->traps_after,
	       (unsigned long long)r->traps_before, a->arch, nv_kind_name((enum nv_kind)k),
	       r->per_exit_before[k], r->per_exit_after[k], r->gh_before[k], r->gh_after[k]);
}

/* The text report. */
static void print_text(const char *path, const struct nv_advise *a, int top, const char *gkey)
{
	char kinds[256], where[160], b1[32];
	print_best(a);
	printf("%s: %llu nested exits (", path, (unsigned long long)a->exits);
	for (int k = 0, n = 0; k < NV_KIND__COUNT; k++)
		if (a->obs.exits[k])
			printf("%s%s %llu", n++ ? ", " : "", nv_kind_name((enum nv_kind)k),
			       (unsigned long long)a->obs.exits[k]);
	printf("); host %s, guest %s, cost %s; %s\n", a->arch, gkey, a->cost,
	       a->have_symbols ? "functions from the run's symbols" :
	       "no symbols: PCs (nvtrace symbols RUN.db KALLSYMS names them)");
	printf("\nobserved: %llu guest-hypervisor traps (%.2f per nested exit; the nested VM's own "
	       "exit not counted), est. %s cycles at %s's cost of one trap on %s\n",
	       (unsigned long long)a->traps, ui_per(a->traps, a->exits),
	       model_cli_thousands(b1, sizeof(b1), a->cycles), a->cost, a->arch);
	printf("rank access              traps   /exit %%traps %%cycles  kinds (traps per exit)    why it traps on %s\n",
	       a->arch);
	for (int i = 0; i < a->ngroup && (!top || i < top); i++) {
		const struct nv_advise_group *g = &a->group[i];
		kinds_text(a, g->per_kind, kinds, sizeof(kinds));
		printf("%4d %-18s %7llu %7.2f %5.1f%% %6.1f%%  %-24s %s\n", i + 1, g->name,
		       (unsigned long long)g->count, ui_per(g->count, a->exits),
		       100.0 * ui_per(g->count, a->traps), 100.0 * ui_per(g->cycles, a->cycles), kinds, g->why);
		for (int d = 0; d < g->ndetail; d++) {
			place(&g->detail[d], where, sizeof(where));
			if (g->detail[d].ctx)
				printf("       %-5s %7llu %7.2f  %-48s %s\n", dir_name(g->detail[d].dir),
				       (unsigned long long)g->detail[d].count,
				       ui_per(g->detail[d].count, a->exits), where,
				       nv_advise_ctx_name(g->detail[d].ctx));
			else
				printf("       %-5s %7llu %7.2f  %s\n", dir_name(g->detail[d].dir),
				       (unsigned long long)g->detail[d].count,
				       ui_per(g->detail[d].count, a->exits), where);
		}
		if (!g->nremedy) {
			printf("       remedy: none the model can evaluate short of another architecture\n");
			continue;
		}
		int k = main_kind(g->per_kind);
		if (a->remedy[g->remedy[0]].per_exit_before[k] == 0) {
			printf("       remedies: the profile %s has no path for %s exits: the model cannot "
			       "recompute them (a profile from 'nvtrace profile from' has one)\n",
			       a->guest, nv_kind_name((enum nv_kind)k));
			continue;
		}
		printf("       %-24s %-24s %-18s %14s %7s   %s traps/exit: compare | guest hyp\n",
		       "remedy (model, run)", "kind", "traps (compare's)", "cycles saved", "",
		       nv_kind_name((enum nv_kind)k));
		for (int j = 0; j < g->nremedy; j++)
			print_remedy(&a->remedy[g->remedy[j]], k);
	}
	if (top && a->ngroup > top)
		printf("(%d more groups: --top 0 shows all)\n", a->ngroup - top);
	printf("\narchitecture switches (model, whole run%s):\n", a->learned ?
	       "; the profile was learned from a trace: it has only what trapped there, so other "
	       "architectures cannot show more traps" : "");
	for (int i = 0; i < a->nremedy; i++)
		if (a->remedy[i].kind == NV_REM_ARCH && a->remedy[i].traps_before)
			print_remedy(&a->remedy[i], main_kind(a->obs.exits));
		else if (a->remedy[i].kind == NV_REM_ARCH)
			printf("       %-24s nothing modelled on this run (the profile has no path for "
			       "its kinds)\n", a->remedy[i].label);
	if (!a->have_symbols)
		return;
	printf("\nby context (from the function names; docs/advise.md):\n");
	for (int c = 1; c < NV_CTX__COUNT; c++) {
		const struct nv_advise_ctx_sum *s = &a->ctx[c];
		if (!s->count)
			continue;
		printf("  %-26s %7llu traps", nv_advise_ctx_name((enum nv_advise_ctx)c),
		       (unsigned long long)s->count);
		for (int k = 0; k < NV_KIND__COUNT; k++)
			if (s->per_kind[k])
				printf("; %s %.2f per exit (%.1f%% of its traps)",
				       nv_kind_name((enum nv_kind)k), ui_per(s->per_kind[k], a->obs.exits[k]),
				       100.0 * ui_per(s->per_kind[k], a->obs.traps[k]));
		printf("\n    functions: %s\n", s->functions);
	}
}

/* "read f+0x18;write g+0x5c": the details of a group in one CSV/JSON field. */
static void details_text(const struct nv_advise_group *g, char *buf, size_t len)
{
	char where[160];
	size_t n = 0;
	buf[0] = 0;
	for (int d = 0; d < g->ndetail && n < len; d++) {
		place(&g->detail[d], where, sizeof(where));
		n += snprintf(buf + n, len - n, "%s%s %s %llu", d ? ";" : "", dir_name(g->detail[d].dir),
			      where, (unsigned long long)g->detail[d].count);
	}
}

/* CSV: one row per group and remedy (a group without remedies: one row, empty remedy). */
static void print_csv(const struct nv_advise *a)
{
	char kinds[256], sites[4096];
	printf("rank,access,traps,per_exit,trap_share,cycle_share,kinds,why,sites,remedy,remedy_kind,"
	       "arch,model_traps_before,model_traps_after,model_cycles_before,model_cycles_after\n");
	for (int i = 0; i < a->ngroup; i++) {
		const struct nv_advise_group *g = &a->group[i];
		kinds_text(a, g->per_kind, kinds, sizeof(kinds));
		details_text(g, sites, sizeof(sites));
		for (int j = 0; j < (g->nremedy ? g->nremedy : 1); j++) {
			const struct nv_advise_remedy *r = g->nremedy ? &a->remedy[g->remedy[j]] : NULL;
			printf("%d,%s,%llu,%.4f,%.4f,%.4f,%s,\"%s\",\"%s\",", i + 1, g->name,
			       (unsigned long long)g->count, ui_per(g->count, a->exits),
			       ui_per(g->count, a->traps), ui_per(g->cycles, a->cycles), kinds, g->why, sites);
			if (r)
				printf("%s,%s,%s,%llu,%llu,%llu,%llu\n", r->label,
				       nv_remedy_kind_name((enum nv_remedy_kind)r->kind), r->arch,
				       (unsigned long long)r->traps_before, (unsigned long long)r->traps_after,
				       (unsigned long long)r->cycles_before, (unsigned long long)r->cycles_after);
			else
				printf(",,,,,,\n");
		}
	}
	for (int i = 0; i < a->nremedy; i++) {
		const struct nv_advise_remedy *r = &a->remedy[i];
		if (r->kind != NV_REM_ARCH)
			continue;
		printf(",,,,,,,,,%s,%s,%s,%llu,%llu,%llu,%llu\n", r->label,
		       nv_remedy_kind_name((enum nv_remedy_kind)r->kind), r->arch,
		       (unsigned long long)r->traps_before, (unsigned long long)r->traps_after,
		       (unsigned long long)r->cycles_before, (unsigned long long)r->cycles_after);
	}
}

/* A per-kind object {"hvc": 3.0, ...} of the kinds the run has. */
static void json_kinds(const struct nv_advise *a, const double *v)
{
	printf("{");
	for (int k = 0, n = 0; k < NV_KIND__COUNT; k++)
		if (a->obs.exits[k])
			printf("%s\"%s\": %.4f", n++ ? ", " : "", nv_kind_name((enum nv_kind)k), v[k]);
	printf("}");
}

/* JSON: the groups (with sites and remedy labels), the remedies, the contexts. */
static void print_json(const char *path, const struct nv_advise *a, const char *gkey)
{
	char where[160];
	printf("{\"run\": ");
	json_str(stdout, path);
	ui_json_incomplete(stdout, path);
	printf(", \"arch\": ");
	json_str(stdout, a->arch);
	printf(", \"guest\": ");
	json_str(stdout, gkey);
	printf(", \"cost\": ");
	json_str(stdout, a->cost);
	printf(", \"nested_exits\": %llu, \"observed_traps\": %llu, \"observed_cycles\": %llu, "
	       "\"best\": ", (unsigned long long)a->exits, (unsigned long long)a->traps,
	       (unsigned long long)a->cycles);
	if (a->best >= 0)
		json_str(stdout, a->remedy[a->best].label);
	else
		printf("null");
	printf(",\n \"groups\": [");
	for (int i = 0; i < a->ngroup; i++) {
		const struct nv_advise_group *g = &a->group[i];
		double pk[NV_KIND__COUNT];
		for (int k = 0; k < NV_KIND__COUNT; k++)
			pk[k] = ui_per(g->per_kind[k], a->obs.exits[k]);
		printf("%s\n  {\"rank\": %d, \"access\": ", i ? "," : "", i + 1);
		json_str(stdout, g->name);
		printf(", \"traps\": %llu, \"per_exit\": %.4f, \"trap_share\": %.4f, \"cycle_share\": %.4f, "
		       "\"per_exit_by_kind\": ", (unsigned long long)g->count, ui_per(g->count, a->exits),
		       ui_per(g->count, a->traps), ui_per(g->cycles, a->cycles));
		json_kinds(a, pk);
		printf(", \"why\": ");
		json_str(stdout, g->why);
		printf(", \"sites\": [");
		for (int d = 0; d < g->ndetail; d++) {
			const struct nv_advise_detail *s = &g->detail[d];
			place(s, where, sizeof(where));
			printf("%s{\"dir\": \"%s\", \"at\": ", d ? ", " : "", dir_name(s->dir));
			json_str(stdout, where);
			printf(", \"function\": ");
			if (s->sym)
				json_str(stdout, s->sym->name);
			else
				printf("null");
			printf(", \"context\": ");
			json_str(stdout, s->ctx ? nv_advise_ctx_name(s->ctx) : "");
			printf(", \"traps\": %llu}", (unsigned long long)s->count);
		}
		printf("], \"remedies\": [");
		for (int j = 0; j < g->nremedy; j++) {
			printf("%s", j ? ", " : "");
			json_str(stdout, a->remedy[g->remedy[j]].label);
		}
		printf("]}");
	}
	printf("],\n \"remedies\": [");
	for (int i = 0; i < a->nremedy; i++) {
		const struct nv_advise_remedy *r = &a->remedy[i];
		printf("%s\n  {\"remedy\": ", i ? "," : "");
		json_str(stdout, r->label);
		printf(", \"kind\": ");
		json_str(stdout, nv_remedy_kind_name((enum nv_remedy_kind)r->kind));
		printf(", \"what\": ");
		json_str(stdout, r->what);
		printf(", \"arch\": ");
		json_str(stdout, r->arch);
		printf(", \"counts\": \"model, whole run; traps as compare counts them\", "
		       "\"traps_before\": %llu, \"traps_after\": %llu, \"cycles_before\": %llu, "
		       "\"cycles_after\": %llu, \"per_exit_before\": ",
		       (unsigned long long)r->traps_before, (unsigned long long)r->traps_after,
		       (unsigned long long)r->cycles_before, (unsigned long long)r->cycles_after);
		json_kinds(a, r->per_exit_before);
		printf(", \"per_exit_after\": ");
		json_kinds(a, r->per_exit_after);
		printf(", \"guest_hyp_per_exit_before\": ");
		json_kinds(a, r->gh_before);
		printf(", \"guest_hyp_per_exit_after\": ");
		json_kinds(a, r->gh_after);
		printf("}");
	}
	printf("],\n \"contexts\": [");
	for (int c = 1, n = 0; c < NV_CTX__COUNT; c++) {
		const struct nv_advise_ctx_sum *s = &a->ctx[c];
		double pk[NV_KIND__COUNT];
		if (!s->count)
			continue;
		for (int k = 0; k < NV_KIND__COUNT; k++)
			pk[k] = ui_per(s->per_kind[k], a->obs.exits[k]);
		printf("%s\n  {\"context\": ", n++ ? "," : "");
		json_str(stdout, nv_advise_ctx_name((enum nv_advise_ctx)c));
		printf(", \"traps\": %llu, \"per_exit_by_kind\": ", (unsigned long long)s->count);
		json_kinds(a, pk);
		printf(", \"functions\": ");
		json_str(stdout, s->functions);
		printf("}");
	}
	printf("]}\n");
}

/* Parse, open the run writable (remedies are stored replays), compute, print. */
int cmd_advise(int argc, char **argv)
{
	const char *o_arch = NULL, *o_guest = NULL, *o_cost = NULL;
	char err[NV_ERR_LEN], gkey[768];
	struct nv_whatif w = { 0 };
	enum fmt fmt = FMT_TEXT;
	int c, top = 10, rc = NV_EXIT_ERR;

	struct nv_optparse p;
	nv_opt_init(&p, &nv_spec_advise, argc, argv);
	while ((c = whatif_cli_next(&p, "advise", &w)) != NV_OPT_DONE) {	/* --set, --vncr ... taken into w */
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'a': o_arch = p.arg; break;
		case 'g': o_guest = p.arg; break;
		case 'c': o_cost = p.arg; break;
		case OPT_TOP:
			top = atoi(p.arg);
			if (top < 0)
				return nv_usage_error(&nv_spec_advise, "--top wants 0 or more, not '%s'", p.arg);
			break;
		case NV_OPT_CSV_KEY: fmt = FMT_CSV; break;
		case NV_OPT_JSON_KEY: fmt = FMT_JSON; break;
		}
	}
	if (argc - p.ind != 1)
		return nv_usage_error(&nv_spec_advise, "wants one RUN.db, not %d arguments", argc - p.ind);
	optind = p.ind;
	struct nvdb *db = ui_open_run("advise", argv[optind], 1);
	if (!db)
		return NV_EXIT_ERR;
	struct ui_run_host h;
	ui_run_host(db, o_arch, o_guest, o_cost, &h);
	const char *arch = h.arch, *guest = h.run.guest, *cost = h.run.cost;
	struct nv_symtab *syms = NULL;
	struct nv_advise *a = calloc(1, sizeof(*a));
	struct nv_advise_opts ao = { arch, guest, cost, &w, NULL,
				     isatty(STDERR_FILENO) ? &progress_bar : NULL };
	if (!a) {
		fprintf(stderr, "nvtrace advise: out of memory\n");
		goto out;
	}
	if (nv_symtab_load(db, &syms, err, sizeof(err))) {
		fprintf(stderr, "nvtrace advise: %s\n", err);
		goto out;
	}
	ao.syms = syms;
	if (nv_advise_run(db, &ao, a, err, sizeof(err))) {
		fprintf(stderr, "nvtrace advise: %s\n", err);
		goto out;
	}
	nv_replay_guest_key(guest, &w, gkey, sizeof(gkey));
	if (fmt == FMT_CSV)
		print_csv(a);
	else if (fmt == FMT_JSON)
		print_json(argv[optind], a, gkey);
	else
		print_text(argv[optind], a, top, gkey);
	nv_advise_free(a);
	rc = NV_EXIT_OK;
out:
	free(a);
	nv_symtab_free(syms);
	nvdb_close(db);
	return rc;
}
