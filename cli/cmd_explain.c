/*
 * nvtrace explain KIND: every operation of one nested exit of that kind, in
 * order, with its phase, register, fate under the architecture and cycles,
 * then the totals.  The trap count is the number of trapping rows listed.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/model_cli.h"
#include "model/microbench.h"

#define MAX_SETS 32

struct explain {
	int csv, source, traps_only, options;
};

/* The --help text. */
static void usage(FILE *f)
{
	char archs[256], guests[256], costs[256];
	model_cli_names(archs, sizeof archs, MODEL_CLI_ARCHS);
	model_cli_names(guests, sizeof guests, MODEL_CLI_GUESTS);
	model_cli_names(costs, sizeof costs, MODEL_CLI_COSTS);
	fprintf(f,
		"usage: nvtrace explain KIND [--arch A] [--guest G] [--cost C] [--set OPT=V]... [--csv]\n"
		"List every operation of one nested exit of KIND (hvc, sysreg, mmio, s2fault, irq,\n"
		"timer, ipi, eoi, wfi, other) with its fate and cycles, then the totals.  KIND may\n"
		"also be a microbenchmark (hypercall, device-io, virtual-ipi, virtual-eoi): every\n"
		"operation of the whole scenario, with the shadow stage-2, timer and vGIC state\n"
		"(an exit KIND alone is the profile's path, stateless).  'from' says who produced\n"
		"each operation: the profile or a sub-model (mmu, timer, gic).\n\n"
		"  -a, --arch A      architecture (%s); default v8.3\n"
		"  -g, --guest G     guest-hypervisor profile (%s) or a .prof file;\n"
		"                    default " MODEL_CLI_DEFAULT_GUEST "\n"
		"  -c, --cost C      cost table (%s); default " MODEL_CLI_DEFAULT_COST "\n"
		"  -s, --set OPT=V   change a profile option (see the profile's 'option' lines)\n"
		"  -t, --traps       list only the trapping operations\n"
		"  -S, --source      add the KVM source (repository:path@commit) of each operation\n"
		"  -o, --options     list the profile's options (values, and why) instead; no KIND\n"
		"      --csv         CSV: seq,phase,op,register,fate,cycles\n"
		"  -h, --help        this help\n", archs, guests, costs);
}

/* Register (or native block) an op names, "-" if none. */
static const char *reg_name(const struct nv_op *op)
{
	return op->reg >= 0 ? nv_sysreg_at(op->reg)->name : op->kind == NV_OP_NATIVE ? op->name : "-";
}

/* Print one evaluated op (emit callback of nv_model_eval). */
static void print_op(void *arg, const struct nv_op_result *r)
{
	const struct explain *e = arg;
	const struct nv_op *op = r->op;
	if (e->traps_only && r->fate != NV_FATE_TRAP)
		return;
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
static int list_options(const char *guest, char **sets, int nsets)
{
	struct nv_profile *prof;
	int rc = model_cli_guest("explain", guest, &prof);
	for (int i = 0; i < nsets && !rc; i++)
		rc = model_cli_set("explain", prof, sets[i]);
	if (!rc) {
		printf("options of profile %s (%s mode):\n", nv_profile_name(prof),
		       nv_profile_cfg(prof).vhe ? "VHE" : "non-VHE");
		for (int i = 0; i < nv_profile_option_count(prof); i++) {
			const char *name = nv_profile_option_name(prof, i);
			printf("  %-14s %2d  %s\n", name, nv_profile_option_get(prof, name),
			       nv_profile_option_why(prof, i));
		}
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

static int run(const char *kind_name, const char *arch_name, const char *guest, const char *cost_name,
	       char **sets, int nsets, struct explain *e)
{
	const struct nv_arch *arch;
	const struct nv_cost *cost;
	struct nv_profile *prof = NULL;
	int rc, kind = nv_exit_kind_from_name(kind_name);
	int bench = kind < 0 ? nv_bench_find(kind_name) : -1; /* device-io, virtual-ipi ... */
	if (kind < 0 && bench < 0) {
		fprintf(stderr, "nvtrace explain: unknown exit kind '%s' (hvc, sysreg, mmio, s2fault, irq, "
			"timer, ipi, eoi, wfi, other) or microbenchmark (hypercall, device-io, virtual-ipi, "
			"virtual-eoi)\n", kind_name);
		return NV_EXIT_USAGE;
	}
	if ((rc = model_cli_arch("explain", arch_name, &arch)) || (rc = model_cli_cost("explain", cost_name, &cost)) ||
	    (rc = model_cli_guest("explain", guest, &prof)))
		return rc;
	for (int i = 0; i < nsets && !rc; i++)
		rc = model_cli_set("explain", prof, sets[i]);
	if (rc) {
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
	struct nv_model *m = nv_model_new(arch, prof, cost);
	struct nv_result res;
	const char *missing = NULL;
	if (!m) {
		fprintf(stderr, "nvtrace explain: out of memory\n");
		nv_profile_free(prof);
		return NV_EXIT_ERR;
	}
	if (e->csv)
		printf("seq,phase,op,register,fate,cycles\n");
	else
		printf("%s %s%s: arch %s, guest %s, cost %s\n%4s %-6s %-7s %-30s %-6s %-15s %-32s %7s  %s\n",
		       bench >= 0 ? "microbenchmark" : "nested", kind_name, bench >= 0 ? "" : " exit",
		       nv_arch_name(arch), nv_profile_name(prof), nv_cost_name(cost), "seq",
		       "phase", "from", "function", "op", "register", "fate", "cycles", "instruction");
	if (bench >= 0)
		rc = nv_bench_eval(m, bench, print_op, e, &res, &missing);
	else
		rc = nv_model_eval(m, kind, NULL, print_op, e, &res); /* the path alone, stateless */
	if (rc && missing)
		fprintf(stderr, "nvtrace explain: %s: profile %s has no %s path\n", kind_name,
			nv_profile_name(prof), missing);
	if (!rc && !e->csv)
		print_totals(&res);
	nv_model_free(m);
	nv_profile_free(prof);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}

/* nvtrace explain: parse options, then list one exit or the options. */
int cmd_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "arch", required_argument, NULL, 'a' }, { "guest", required_argument, NULL, 'g' },
		{ "cost", required_argument, NULL, 'c' }, { "set", required_argument, NULL, 's' },
		{ "traps", no_argument, NULL, 't' },      { "source", no_argument, NULL, 'S' },
		{ "csv", no_argument, NULL, 'C' },        { "help", no_argument, NULL, 'h' },
		{ "options", no_argument, NULL, 'o' },    { NULL, 0, NULL, 0 },
	};
	const char *arch = "v8.3", *guest = MODEL_CLI_DEFAULT_GUEST, *cost = MODEL_CLI_DEFAULT_COST;
	char *sets[MAX_SETS];
	int nsets = 0, c;
	struct explain e = { 0, 0, 0, 0 };
	while ((c = getopt_long(argc, argv, "a:g:c:s:tSoh", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': arch = optarg; break;
		case 'g': guest = optarg; break;
		case 'c': cost = optarg; break;
		case 's':
			if (nsets == MAX_SETS) {
				fprintf(stderr, "nvtrace explain: at most %d --set options\n", MAX_SETS);
				return NV_EXIT_USAGE;
			}
			sets[nsets++] = optarg;
			break;
		case 't': e.traps_only = 1; break;
		case 'S': e.source = 1; break;
		case 'o': e.options = 1; break;
		case 'C': e.csv = 1; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default:
			fprintf(stderr, "nvtrace explain: see 'nvtrace explain --help'\n");
			return NV_EXIT_USAGE;
		}
	}
	if (e.options && argc == optind)
		return list_options(guest, sets, nsets);
	if (argc - optind != 1) {
		fprintf(stderr, "nvtrace explain: want exactly one exit KIND (see 'nvtrace explain --help')\n");
		return NV_EXIT_USAGE;
	}
	return run(argv[optind], arch, guest, cost, sets, nsets, &e);
}
