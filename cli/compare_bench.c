/*
 * nvtrace compare ARCH... (no database): the seed's microbenchmarks run
 * through the model, one row per benchmark and architecture, with the ratio
 * to the single-level VM ("vm") computed in the same run.
 */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/compare_bench.h"
#include "cli/model_cli.h"
#include "cli/whatif_cli.h"
#include "model/microbench.h"
#include "view/json.h"

/* The microbenchmarks: model/microbench.c (hypercall, device-io, virtual-ipi,
 * virtual-eoi), each a complete nested scenario. */
#define NBENCH ((size_t)nv_bench_count() < MAX_BENCH ? (size_t)nv_bench_count() : MAX_BENCH)
#define MAX_BENCH 8
#define MAX_ARCHS 8

enum format { TEXT, CSV, JSON };

struct row {
	const char *bench, *arch;
	struct nv_result res;
	double ratio;
};

/* Evaluate every benchmark on every architecture; a benchmark whose path
 * the profile lacks is left out with a note; -1 if none could be run. */
static int evaluate(const struct nv_arch **archs, int narch, const struct nv_profile *p,
		    const struct nv_cost *cost, const struct nv_whatif *w, struct row *rows, int *nrows)
{
	struct nv_model *vm = nv_model_new(nv_arch_find("vm"), p, cost);
	if (vm)
		model_cli_warn_placeholders("compare", vm);
	int rc = vm ? 0 : -1;
	*nrows = 0;
	for (size_t b = 0; b < NBENCH && !rc; b++) {
		struct nv_result ref;
		const char *missing = NULL;
		if (nv_bench_eval(vm, (int)b, NULL, NULL, &ref, &missing)) {
			fprintf(stderr, "nvtrace compare: profile %s has no %s path: benchmark %s left out\n",
				nv_profile_name(p), missing ? missing : "?", nv_bench_name((int)b));
			continue;
		}
		for (int a = 0; a < narch && !rc; a++) {
			struct nv_model *m = nv_model_new(archs[a], p, cost);
			struct row *r = &rows[(*nrows)++];
			if (m)
				nv_whatif_apply_model(w, m);	/* register edits (nested archs only) */
			r->bench = nv_bench_name((int)b);
			r->arch = nv_arch_name(archs[a]);
			rc = !m || nv_bench_eval(m, (int)b, NULL, NULL, &r->res, NULL);
			r->ratio = ref.cycles ? (double)r->res.cycles / (double)ref.cycles : 0;
			nv_model_free(m);
		}
	}
	nv_model_free(vm);
	return rc || !*nrows ? -1 : 0;
}

static void print_rows(const struct row *rows, int n, enum format fmt, const struct nv_profile *p,
		       const struct nv_cost *cost)
{
	char cy[32];
	int hyp_any = 0;
	if (fmt == CSV)
		printf("bench,arch,traps,cycles,ratio_to_vm,cost,hypothetical\n");
	else if (fmt == JSON) {
		printf("{\"guest\": ");
		json_str(stdout, nv_profile_name(p));
		printf(", \"cost\": ");
		json_str(stdout, nv_cost_name(cost));
		printf(", \"host\": ");
		json_str(stdout, nv_cost_host(cost));
		printf(", \"results\": [");
	}
	else
		printf("guest %s, cost %s (%s)\n%-13s %-6s %8s %12s %12s\n", nv_profile_name(p), nv_cost_name(cost),
		       nv_cost_host(cost), "bench", "arch", "traps", "cycles", "ratio_to_vm");
	for (int i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		int hyp = nv_cost_hypothetical(cost, nv_arch_find(r->arch));
		hyp_any |= hyp;
		if (fmt == CSV)
			printf("%s,%s,%u,%llu,%.2f,%s,%d\n", r->bench, r->arch, r->res.traps,
			       (unsigned long long)r->res.cycles, r->ratio, nv_cost_name(cost), hyp);
		else if (fmt == JSON)
			printf("%s\n  {\"bench\": \"%s\", \"arch\": \"%s\", \"traps\": %u, \"cycles\": %llu, "
			       "\"ratio_to_vm\": %.2f, \"hypothetical\": %s}", i ? "," : "", r->bench, r->arch, r->res.traps,
			       (unsigned long long)r->res.cycles, r->ratio, hyp ? "true" : "false");
		else
			printf("%-13s %-6s %8u %12s %11.1fx%s\n", r->bench, r->arch, r->res.traps,
			       model_cli_thousands(cy, sizeof cy, r->res.cycles), r->ratio, hyp ? "  hypothetical" : "");
	}
	if (fmt == JSON)
		printf("\n]}\n");
	else if (fmt == TEXT && hyp_any)
		for (int i = 0; i < nv_arch_count(); i++)
			for (int k = 0; k < n; k++)
				if (!strcmp(rows[k].arch, nv_arch_name(nv_arch_at(i))) &&
				    nv_cost_hypothetical(cost, nv_arch_at(i))) {
					printf("hypothetical: %s with cost %s (%s)\n", rows[k].arch, nv_cost_name(cost),
					       nv_cost_hypothetical_why(cost, nv_arch_at(i)));
					break;
				}
}

/* Parse options, evaluate every benchmark on every ARCH, print. */
int compare_bench_report(int argc, char **argv)
{
	const char *guest = MODEL_CLI_DEFAULT_GUEST, *cost_name = MODEL_CLI_DEFAULT_COST;
	struct nv_whatif w = { 0 };
	int c, rc;
	enum format fmt = TEXT;
	struct nv_optparse o;
	nv_opt_init(&o, &nv_spec_compare, argc, argv);
	while ((c = whatif_cli_next(&o, "compare", &w)) != NV_OPT_DONE) {	/* --set, --vncr ... taken into w */
		switch (c) {
		case NV_OPT_STOP: return o.status;
		case 'g': guest = o.arg; break;
		case 'c': cost_name = o.arg; break;
		case COMPARE_OPT_GHZ:
			return nv_usage_error(&nv_spec_compare, "--ghz applies to a RUN.db only");
		case NV_OPT_CSV_KEY: fmt = CSV; break;
		case NV_OPT_JSON_KEY: fmt = JSON; break;
		}
	}
	optind = o.ind;
	const struct nv_arch *archs[MAX_ARCHS];
	int narch = 0;
	if (argc - optind > MAX_ARCHS)
		return nv_usage_error(&nv_spec_compare, "at most %d architectures", MAX_ARCHS);
	for (int i = optind; i < argc; i++)
		if ((rc = model_cli_arch("compare", argv[i], &archs[narch++])))
			return rc;
	if (!narch)
		for (narch = 0; narch < nv_arch_count() && narch < MAX_ARCHS; narch++)
			archs[narch] = nv_arch_at(narch);
	const struct nv_cost *cost;
	struct nv_profile *p;
	if ((rc = model_cli_cost("compare", cost_name, &cost)) || (rc = model_cli_guest("compare", guest, &p)))
		return rc;
	rc = model_cli_whatif("compare", p, &w);
	struct row rows[MAX_BENCH * MAX_ARCHS];
	int nrows = 0;
	if (!rc && evaluate(archs, narch, p, cost, &w, rows, &nrows))
		rc = NV_EXIT_ERR;
	if (!rc)
		print_rows(rows, nrows, fmt, p, cost);
	nv_profile_free(p);
	return rc;
}
