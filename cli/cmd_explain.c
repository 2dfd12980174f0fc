/*
 * nvtrace explain KIND: every operation of one nested exit of that kind, in
 * order, with its phase, register, fate under the architecture and cycles,
 * then the totals.  The trap count is the number of trapping rows listed.
 */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/model_cli.h"
#include "model/microbench.h"
#include "cli/opts.h"
#include "cli/whatif_cli.h"
#include "view/json.h"

struct explain {
	int csv, source, traps_only, options, variants;
	int json, nops;		/* --json: rows written so far (for the commas) */
	const char *variant;	/* --variant LABEL, NULL: plain */
};

enum { OPT_LIST_OPTIONS = NV_OPT_CMD_BASE, OPT_SOURCE, OPT_VARIANT, OPT_VARIANTS };

static const struct nv_opt explain_opts[] = {
	NV_OPT_ARCH("architecture ({archs}); default v8.3"),
	NV_OPT_GUEST("guest-hypervisor profile ({guests}) or a .prof file;\n"
		     "default " NV_DEFAULT_GUEST " (the seed's numbers: --guest kvm-2017-nvhe)"),
	NV_OPT_COST("cost table ({costs}); default " NV_DEFAULT_COST),
	WHATIF_CLI_OPTS,
	{ 't', "traps", NULL, "list only the trapping operations", NVC_NONE, NULL },
	{ OPT_SOURCE, "source", NULL, "add the KVM source (repository:path@commit) of each operation",
	  NVC_NONE, NULL },
	{ OPT_LIST_OPTIONS, "list-options", NULL, "list the profile's options and variants (values, and\n"
	  "why) instead; no KIND", NVC_NONE, NULL },
	{ OPT_VARIANT, "variant", "V", "the path of variant V: plain (default) or names joined by '+'\n"
	  "with an optional count, e.g. putload+live-lr, retry*2", NVC_NONE, NULL },
	{ OPT_VARIANTS, "variants", NULL, "list KIND's path variants: signature, why, traps alone", NVC_NONE,
	  NULL },
	{ OPT_LIST_OPTIONS, "options", NULL, NULL, NVC_NONE, NULL },	/* the old name */
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: seq,phase,op,register,fate,cycles", NVC_NONE, NULL },
	NV_OPT_JSON,
	{ 0 }
};

/* KIND: the exit kinds and the microbenchmarks (help and completion). */
#define EXPLAIN_KINDS "hvc sysreg mmio s2fault irq timer ipi eoi wfi other " \
	"hypercall device-io virtual-ipi virtual-eoi virtual-timer"

const struct nv_cmd_spec nv_spec_explain = {
	"explain", "KIND [--arch A] [--guest G] [--cost C] [--set OPT=V]... [--vncr|--redirect|--cache|--defer REG]...\n"
	"KIND [options] [--csv|--json]\n"
	"--list-options [--guest G]",
	"List every operation of one nested exit of KIND (hvc, sysreg, mmio, s2fault, irq,\n"
	"timer, ipi, eoi, wfi, other) with its fate and cycles, then the totals.  KIND may\n"
	"also be a microbenchmark (hypercall, device-io, virtual-ipi, virtual-eoi,\n"
	"virtual-timer): every operation of the whole scenario, with the shadow stage-2,\n"
	"timer and vGIC state (an exit KIND alone is the profile's path, stateless).\n"
	"'from' says who produced each operation: the profile or a sub-model (mmu, timer, gic).\n"
	"What-if edits (docs/advise.md) list the edited model's operations.",
	explain_opts, NVC_WORDS, EXPLAIN_KINDS, 0,
};

/* Register (or native block) an op names, "-" if none. */
static const char *reg_name(const struct nv_op *op)
{
	return op->reg >= 0 ? nv_sysreg_at(op->reg)->name : op->kind == NV_OP_NATIVE ? op->name : "-";
}

/* Print one evaluated op (emit callback of nv_model_eval). */
static void print_op(void *arg, const struct nv_op_result *r)
{
	struct explain *e = arg;
	const struct nv_op *op = r->op;
	if (e->traps_only && r->fate != NV_FATE_TRAP)
		return;
	if (e->json) {
		printf("%s\n  {\"seq\": %u, \"phase\": \"%s\", \"from\": \"%s\", \"function\": ",
		       e->nops++ ? "," : "", r->seq, nv_phase_name(op->phase), nv_source_name(op->source));
		json_str(stdout, op->fn);
		printf(", \"op\": \"%s\", \"register\": ", nv_op_kind_name(op->kind));
		json_str(stdout, op->reg >= 0 || op->kind == NV_OP_NATIVE ? reg_name(op) : NULL);
		printf(", \"fate\": \"%s\", \"handler\": ", nv_fate_name(r->fate));
		json_str(stdout, r->fate == NV_FATE_TRAP ? nv_handler_name(r->handler) : NULL);
		printf(", \"cycles\": %llu, \"instruction\": ", (unsigned long long)r->cycles);
		json_str(stdout, op->text);
		printf("}");
		return;
	}
	if (e->csv) {
		printf("%u,%s,%s,%s,%s,%llu\n", r->seq, nv_phase_name(op->phase), nv_op_kind_name(op->kind),
		       op->reg >= 0 ? nv_sysreg_at(op->reg)->name : "", nv_fate_name(r->fate),
		       (unsigned long long)r->cycles);
		return;
	}
	char fate[48];
	if (r->fate == NV_FATE_TRAP)
		snprintf(fate, sizeof fate, "trap:%s", nv_handler_name(r->handler));
	else if (r->fate == NV_FATE_REDIRECT && r->target >= 0)
		snprintf(fate, sizeof fate, "redirect:%s", nv_sysreg_at(r->target)->name);
	else
		snprintf(fate, sizeof fate, "%s", nv_fate_name(r->fate));
	printf("%4u %-6s %-7s %-30s %-6s %-15s %-32s %7llu  %s%s%s\n", r->seq, nv_phase_name(op->phase),
	       nv_source_name(op->source), op->fn ? op->fn : "-", nv_op_kind_name(op->kind), reg_name(op), fate,
	       (unsigned long long)r->cycles, op->text ? op->text : "",
	       e->source && op->src ? "  @ " : "", e->source && op->src ? op->src : "");
}

/* Totals after the listing (text mode). */
static void print_totals(const struct nv_result *r)
{
	char cy[32];
	printf("total: %u operations, %u traps, %s cycles", r->ops, r->traps,
	       model_cli_thousands(cy, sizeof cy, r->cycles));
	printf(" (native %u, trap %u, memory %u, redirect %u)\n", r->fate_count[NV_FATE_NATIVE],
	       r->fate_count[NV_FATE_TRAP], r->fate_count[NV_FATE_MEMORY], r->fate_count[NV_FATE_REDIRECT]);
	printf("traps by L0 handler:");
	for (int h = 0; h < NV_H__COUNT; h++)
		if (r->handler_count[h])
			printf(" %s %u", nv_handler_name(h), r->handler_count[h]);
	printf("\ncycles by phase:");
	for (int p = 0; p < NV_PHASE__COUNT; p++)
		printf(" %s %s", nv_phase_name(p), model_cli_thousands(cy, sizeof cy, r->phase_cycles[p]));
	printf("\n");
}

/* The profile's options with their current values and justification. */
static int list_options(const char *guest, const struct nv_whatif *w)
{
	struct nv_profile *prof;
	int rc = model_cli_guest("explain", guest, &prof);
	if (!rc)
		rc = model_cli_whatif("explain", prof, w);
	if (!rc) {
		printf("options of profile %s (%s mode):\n", nv_profile_name(prof),
		       nv_profile_cfg(prof).vhe ? "VHE" : "non-VHE");
		for (int i = 0; i < nv_profile_option_count(prof); i++) {
			const char *name = nv_profile_option_name(prof, i);
			printf("  %-14s %2d  %s\n", name, nv_profile_option_get(prof, name),
			       nv_profile_option_why(prof, i));
		}
		if (nv_profile_variant_count(prof))
			printf("variants (chosen per nested exit from its observed traps):\n");
		for (int i = 0; i < nv_profile_variant_count(prof); i++)
			printf("  %-14s %s\n  %-14s   %s\n", nv_profile_variant_name(prof, i),
			       nv_profile_variant_sig(prof, i), "", nv_profile_variant_why(prof, i));
	}
	nv_profile_free(prof);
	return rc;
}

/* Exit kinds the profile has a path for, as "hvc, sysreg, wfi". */
static void modelled_kinds(const struct nv_profile *p, char *buf, size_t len)
{
	buf[0] = 0;
	for (int k = 0; k < NV_EXIT__COUNT; k++)
		if (nv_profile_has_kind(p, k)) {
			size_t n = strlen(buf);
			snprintf(buf + n, len - n, "%s%s", n ? ", " : "", nv_exit_kind_name(k));
		}
}

/* Every variant KIND's path reads: its signature, why, and its traps alone. */
static void list_variants(const struct nv_model *m, const struct nv_profile *prof, int kind)
{
	struct nv_result r;
	struct nv_variant_sel sel;
	memset(&sel, 0, sizeof sel);
	nv_model_eval_variant(m, kind, &sel, NULL, NULL, NULL, &r);
	printf("variants of the %s path, profile %s, arch %s (traps include the nested VM's exit):\n",
	       nv_exit_kind_name(kind), nv_profile_name(prof), nv_arch_name(nv_model_arch(m)));
	printf("  %-12s %s\n  %-12s %5u  %s\n", "plain", "(no signature holds)", "", r.traps,
	       "the path as written, every variant 0");
	for (int i = 0; i < nv_profile_variant_count(prof); i++) {
		if (!nv_profile_variant_used(prof, kind, i))
			continue;
		memset(&sel, 0, sizeof sel);
		sel.v[i] = 1;
		nv_model_eval_variant(m, kind, &sel, NULL, NULL, NULL, &r);
		printf("  %-12s %s\n  %-12s %5u  %s\n", nv_profile_variant_name(prof, i),
		       nv_profile_variant_sig(prof, i), "", r.traps, nv_profile_variant_why(prof, i));
	}
}

static int run(const char *kind_name, const char *arch_name, const char *guest, const char *cost_name,
	       const struct nv_whatif *w, struct explain *e)
{
	const struct nv_arch *arch;
	const struct nv_cost *cost;
	struct nv_profile *prof = NULL;
	int rc, kind = nv_exit_kind_from_name(kind_name);
	int bench = kind < 0 ? nv_bench_find(kind_name) : -1; /* device-io, virtual-ipi ... */
	if (kind < 0 && bench < 0) {
		char benches[256] = "";
		for (int b = 0; b < nv_bench_count(); b++) {
			size_t n = strlen(benches);
			snprintf(benches + n, sizeof(benches) - n, "%s%s", b ? ", " : "", nv_bench_name(b));
		}
		fprintf(stderr, "nvtrace explain: unknown exit kind '%s' (hvc, sysreg, mmio, s2fault, irq, "
			"timer, ipi, eoi, wfi, other) or microbenchmark (%s)\n", kind_name, benches);
		return NV_EXIT_USAGE;
	}
	if ((rc = model_cli_arch("explain", arch_name, &arch)) || (rc = model_cli_cost("explain", cost_name, &cost)) ||
	    (rc = model_cli_guest("explain", guest, &prof)))
		return rc;
	if ((rc = model_cli_whatif("explain", prof, w))) {
		nv_profile_free(prof);
		return rc;
	}
	if (bench < 0 && !nv_profile_has_kind(prof, kind)) {
		char have[128];
		modelled_kinds(prof, have, sizeof have);
		fprintf(stderr, "nvtrace explain: %s: not modelled yet by profile %s (modelled: %s; the other "
			"paths need the MMU/timer/vGIC sub-models)\n", kind_name, nv_profile_name(prof), have);
		nv_profile_free(prof);
		return NV_EXIT_ERR;
	}
	struct nv_variant_sel sel;
	if (nv_variant_parse(prof, e->variant, &sel)) {
		fprintf(stderr, "nvtrace explain: unknown variant '%s' of profile %s (see --options)\n",
			e->variant, nv_profile_name(prof));
		nv_profile_free(prof);
		return NV_EXIT_USAGE;
	}
	struct nv_model *m = nv_model_new(arch, prof, cost);
	struct nv_result res;
	const char *missing = NULL;
	if (!m) {
		fprintf(stderr, "nvtrace explain: out of memory\n");
		nv_profile_free(prof);
		return NV_EXIT_ERR;
	}
	nv_whatif_apply_model(w, m);	/* register edits, before the model is prepared */
	model_cli_warn_placeholders("explain", m); /* placeholder cost blocks, on stderr */
	if (e->variants && bench < 0) {
		list_variants(m, prof, kind);
		nv_model_free(m);
		nv_profile_free(prof);
		return NV_EXIT_OK;
	}
	char vlabel[96] = "";
	if (e->variant)
		nv_variant_label(prof, &sel, vlabel + 10, sizeof vlabel - 10),
			memcpy(vlabel, ", variant ", 10);
	if (e->csv)
		printf("seq,phase,op,register,fate,cycles\n");
	else if (e->json) {	/* the profile's name comes from a user file: escaped */
		printf("{\"kind\": \"%s\", \"arch\": \"%s\", \"guest\": ", kind_name, nv_arch_name(arch));
		json_str(stdout, nv_profile_name(prof));
		printf(", \"cost\": \"%s\", \"ops\": [", nv_cost_name(cost));
	} else
		printf("%s %s%s: arch %s, guest %s, cost %s%s\n%4s %-6s %-7s %-30s %-6s %-15s %-32s %7s  %s\n",
		       bench >= 0 ? "microbenchmark" : "nested", kind_name, bench >= 0 ? "" : " exit",
		       nv_arch_name(arch), nv_profile_name(prof), nv_cost_name(cost), vlabel, "seq",
		       "phase", "from", "function", "op", "register", "fate", "cycles", "instruction");
	if (bench >= 0)
		rc = nv_bench_eval(m, bench, print_op, e, &res, &missing);
	else
		rc = nv_model_eval_variant(m, kind, &sel, NULL, print_op, e, &res); /* stateless */
	if (rc && missing)
		fprintf(stderr, "nvtrace explain: %s: profile %s has no %s path\n", kind_name,
			nv_profile_name(prof), missing);
	if (!rc && e->json)
		printf("\n ], \"operations\": %u, \"traps\": %u, \"cycles\": %llu}\n", res.ops, res.traps,
		       (unsigned long long)res.cycles);
	else if (!rc && !e->csv)
		print_totals(&res);
	nv_model_free(m);
	nv_profile_free(prof);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}

/* nvtrace explain: parse options, then list one exit or the options. */
int cmd_explain(int argc, char **argv)
{
	const char *arch = "v8.3", *guest = MODEL_CLI_DEFAULT_GUEST, *cost = MODEL_CLI_DEFAULT_COST;
	struct nv_whatif w = { 0 };
	int c;
	struct explain e = { 0 };
	struct nv_optparse p;
	nv_opt_init(&p, &nv_spec_explain, argc, argv);
	while ((c = whatif_cli_next(&p, "explain", &w)) != NV_OPT_DONE) {	/* --set, --vncr ... taken into w */
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'a': arch = p.arg; break;
		case 'g': guest = p.arg; break;
		case 'c': cost = p.arg; break;
		case 't': e.traps_only = 1; break;
		case OPT_SOURCE: e.source = 1; break;
		case OPT_LIST_OPTIONS: e.options = 1; break;
		case NV_OPT_CSV_KEY: e.csv = 1; break;
		case NV_OPT_JSON_KEY: e.json = 1; break;
		case OPT_VARIANT: e.variant = p.arg; break;
		case OPT_VARIANTS: e.variants = 1; break;
		}
	}
	optind = p.ind;
	if (e.options && argc == optind)
		return list_options(guest, &w);
	if (argc - optind != 1)
		return nv_usage_error(&nv_spec_explain, argc == optind ? "wants an exit KIND" :
				      "wants one exit KIND, not %d arguments", argc - optind);
	return run(argv[optind], arch, guest, cost, &w, &e);
}
