/*
 * nvtrace compare ARCH... (no database): the seed's microbenchmarks run
 * through the model, one row per benchmark and architecture, with the ratio
 * to the single-level VM ("vm") computed in the same run.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/compare_bench.h"
#include "cli/model_cli.h"
#include "model/microbench.h"

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

/* The --help text of both forms of compare. */
void compare_bench_usage(FILE *f)
{
	char archs[256], guests[256], costs[256];
	model_cli_names(archs, sizeof archs, MODEL_CLI_ARCHS);
	model_cli_names(guests, sizeof guests, MODEL_CLI_GUESTS);
	model_cli_names(costs, sizeof costs, MODEL_CLI_COSTS);
	fprintf(f,
		"usage: nvtrace compare [ARCH...] [--guest G] [--cost C] [--set OPT=V]... [--csv|--json]\n"
		"       nvtrace compare RUN.db ...   (replay a recorded run; see the replay docs)\n"
		"Without a run database: the microbenchmarks (");
	for (size_t b = 0; b < NBENCH; b++)
		fprintf(f, "%s%s", b ? ", " : "", nv_bench_name((int)b));
	fprintf(f, ") evaluated by the model\non each ARCH (%s; default all), with the ratio to vm.\n\n"
		"  -g, --guest G     guest-hypervisor profile (%s) or a .prof file;\n"
		"                    default " MODEL_CLI_DEFAULT_GUEST "\n"
		"  -c, --cost C      cost table (%s); default " MODEL_CLI_DEFAULT_COST "\n"
		"  -s, --set OPT=V   change a profile option\n"
		"      --csv         CSV: bench,arch,traps,cycles,ratio_to_vm\n"
		"      --json        JSON\n"
		"  -h, --help        this help\n", archs, guests, costs);
}

/* Evaluate every benchmark on every architecture; a benchmark whose path
 * the profile lacks is left out with a note; -1 if none could be run. */
static int evaluate(const struct nv_arch **archs, int narch, const struct nv_profile *p,
		    const struct nv_cost *cost, struct row *rows, int *nrows)
{
	struct nv_model *vm = nv_model_new(nv_arch_find("vm"), p, cost);
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

/* A JSON string literal (profile names come from user files). */
static void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void print_rows(const struct row *rows, int n, enum format fmt, const struct nv_profile *p,
		       const struct nv_cost *cost)
{
	char cy[32];
	if (fmt == CSV)
		printf("bench,arch,traps,cycles,ratio_to_vm\n");
	else if (fmt == JSON) {
		printf("{\"guest\": ");
		json_str(nv_profile_name(p));
		printf(", \"cost\": \"%s\", \"results\": [", nv_cost_name(cost));
	}
	else
		printf("guest %s, cost %s\n%-13s %-6s %8s %12s %12s\n", nv_profile_name(p), nv_cost_name(cost),
		       "bench", "arch", "traps", "cycles", "ratio_to_vm");
	for (int i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		if (fmt == CSV)
			printf("%s,%s,%u,%llu,%.2f\n", r->bench, r->arch, r->res.traps,
			       (unsigned long long)r->res.cycles, r->ratio);
		else if (fmt == JSON)
			printf("%s\n  {\"bench\": \"%s\", \"arch\": \"%s\", \"traps\": %u, \"cycles\": %llu, "
			       "\"ratio_to_vm\": %.2f}", i ? "," : "", r->bench, r->arch, r->res.traps,
			       (unsigned long long)r->res.cycles, r->ratio);
		else
			printf("%-13s %-6s %8u %12s %11.1fx\n", r->bench, r->arch, r->res.traps,
			       model_cli_thousands(cy, sizeof cy, r->res.cycles), r->ratio);
	}
	if (fmt == JSON)
		printf("\n]}\n");
}

/* Parse options, evaluate every benchmark on every ARCH, print. */
int compare_bench_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "guest", required_argument, NULL, 'g' }, { "cost", required_argument, NULL, 'c' },
		{ "set", required_argument, NULL, 's' },   { "csv", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'J' },        { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *guest = MODEL_CLI_DEFAULT_GUEST, *cost_name = MODEL_CLI_DEFAULT_COST, *sets[32];
	int nsets = 0, c, rc;
	enum format fmt = TEXT;
	while ((c = getopt_long(argc, argv, "g:c:s:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'g': guest = optarg; break;
		case 'c': cost_name = optarg; break;
		case 's':
			if (nsets == 32) {
				fprintf(stderr, "nvtrace compare: at most 32 --set options\n");
				return NV_EXIT_USAGE;
			}
			sets[nsets++] = optarg;
			break;
		case 'C': fmt = CSV; break;
		case 'J': fmt = JSON; break;
		case 'h': compare_bench_usage(stdout); return NV_EXIT_OK;
		default:
			fprintf(stderr, "nvtrace compare: see 'nvtrace compare --help'\n");
			return NV_EXIT_USAGE;
		}
	}
	const struct nv_arch *archs[MAX_ARCHS];
	int narch = 0;
	if (argc - optind > MAX_ARCHS) {
		fprintf(stderr, "nvtrace compare: at most %d architectures\n", MAX_ARCHS);
		return NV_EXIT_USAGE;
	}
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
	for (int i = 0; i < nsets && !rc; i++)
		rc = model_cli_set("compare", p, sets[i]);
	struct row rows[MAX_BENCH * MAX_ARCHS];
	int nrows = 0;
	if (!rc && evaluate(archs, narch, p, cost, rows, &nrows))
		rc = NV_EXIT_ERR;
	if (!rc)
		print_rows(rows, nrows, fmt, p, cost);
	nv_profile_free(p);
	return rc;
}
