/* nvtrace validate: observed nested traps per kind against the model's prediction. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "replay/trapmap.h"
#include "replay/validate.h"
#include "cli/run_open.h"

/* The help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace validate RUN.db [--arch A] [--guest G] [--cost C] [--csv]\n\n"
		"For a nested arm64 run: the guest-hypervisor traps the trace shows in each\n"
		"nested exit (between kvm_inject_nested_exception and kvm_nested_eret; the\n"
		"ERET trap included, the nested VM's own exit and host interrupts not) against\n"
		"the traps the model predicts for the host's architecture and guest hypervisor.\n"
		"Per kind: observed and predicted traps per nested exit and the error\n"
		"(observed - predicted); then every operation whose totals differ.\n\n"
		"  -a, --arch A    host architecture (default: the run's synth_arch_host, else v8.4)\n"
		"  -g, --guest G   guest hypervisor (default: the run's synth_guest, else kvm-vhe)\n"
		"  -c, --cost C    cost table (default: the run's synth_cost, else %s)\n"
		"      --csv       CSV: kind,count,observed_traps,predicted_traps,error\n"
		"  -h, --help      this help\n", NV_REPLAY_DEFAULT_COST);
}

/* v per n, 0 when n is 0. */
static double per(uint64_t v, uint64_t n) { return n ? (double)v / (double)n : 0.0; }

/* kind,count,observed_traps,predicted_traps,error per kind. */
static void print_csv(const struct nv_validate_result *r)
{
	printf("kind,count,observed_traps,predicted_traps,error\n");
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_validate_kind *v = &r->kind[k];
		if (!v->count)
			continue;
		printf("%s,%llu,%.4f,%.4f,%.4f\n", nv_kind_name(k), (unsigned long long)v->count,
		       per(v->observed, v->count), per(v->predicted, v->count),
		       per(v->observed, v->count) - per(v->predicted, v->count));
	}
}

/* Per kind, then every operation whose totals differ. */
static void print_text(const char *path, const struct nv_validate_result *r, const char *arch,
		       const char *guest)
{
	const struct nv_recon_stats *s = &r->st;
	int differ = 0;
	printf("%s: %lld nested exits; host %s, guest %s\n", path, (long long)s->exits, arch, guest);
	printf("not counted: %lld incomplete at start, %lld at end, %lld unmatched;"
	       " %lld self-injections\n\n", (long long)s->incomplete_start,
	       (long long)s->incomplete_end, (long long)s->unmatched,
	       (long long)s->self_injections);
	printf("%-8s %8s %10s %10s %8s %10s   (traps per nested exit)\n", "kind", "count",
	       "observed", "predicted", "error", "host irqs");
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_validate_kind *v = &r->kind[k];
		if (!v->count)
			continue;
		printf("%-8s %8llu %10.2f %10.2f %+8.2f %10llu\n", nv_kind_name(k),
		       (unsigned long long)v->count, per(v->observed, v->count),
		       per(v->predicted, v->count),
		       per(v->observed, v->count) - per(v->predicted, v->count),
		       (unsigned long long)v->host_irqs);
	}
	printf("\noperations that differ (totals over the kind's nested exits):\n");
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_validate_kind *v = &r->kind[k];
		for (int i = 0; i < v->nops; i++) {
			const struct nv_validate_op *o = &v->op[i];
			char name[64];
			if (o->observed == o->predicted)
				continue;
			nv_trap_name(&o->trap, name, sizeof(name));
			printf("  %-8s %-28s observed %8llu  predicted %8llu  (%+lld)\n",
			       nv_kind_name(k), name, (unsigned long long)o->observed,
			       (unsigned long long)o->predicted,
			       (long long)o->observed - (long long)o->predicted);
			differ++;
		}
	}
	if (!differ)
		printf("  none\n");
	if (r->unmodelled)
		printf("warning: %lld nested exits of kinds the profile has no path for\n",
		       (long long)r->unmodelled);
}

/* Parse options (defaults from a synthetic run's metadata), validate, print. */
int cmd_validate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "guest", required_argument, NULL, 'g' },
		{ "cost", required_argument, NULL, 'c' },
		{ "csv", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char arch[32] = "v8.4", guest[256] = "kvm-vhe", cost[64] = NV_REPLAY_DEFAULT_COST;
	const char *o_arch = NULL, *o_guest = NULL, *o_cost = NULL;
	char err[NV_ERR_LEN];
	int csv = 0, c;

	while ((c = getopt_long(argc, argv, "a:g:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o_arch = optarg; break;
		case 'g': o_guest = optarg; break;
		case 'c': o_cost = optarg; break;
		case 'C': csv = 1; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default: usage(stderr); return NV_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	struct nvdb *db = ui_open_run("validate", argv[optind], 1);
	if (!db)
		return NV_EXIT_ERR;
	/* a synthetic nested run says which host and guest made it */
	nvdb_meta_get(db, "synth_arch_host", arch, sizeof(arch));
	nvdb_meta_get(db, "synth_guest", guest, sizeof(guest));
	nvdb_meta_get(db, "synth_cost", cost, sizeof(cost));
	if (o_arch)
		snprintf(arch, sizeof(arch), "%s", o_arch);
	if (o_guest)
		snprintf(guest, sizeof(guest), "%s", o_guest);
	if (o_cost)
		snprintf(cost, sizeof(cost), "%s", o_cost);
	struct nv_validate_result *r = malloc(sizeof(*r));
	int rc = NV_EXIT_OK;
	if (!r || nv_validate_run(db, arch, guest, cost, isatty(STDERR_FILENO) ? &progress_bar : NULL, r, err,
				  sizeof(err))) {
		fprintf(stderr, "nvtrace validate: %s\n", r ? err : "out of memory");
		rc = NV_EXIT_ERR;
	} else if (csv) {
		print_csv(r);
	} else {
		print_text(argv[optind], r, arch, guest);
	}
	free(r);
	nvdb_close(db);
	return rc;
}
