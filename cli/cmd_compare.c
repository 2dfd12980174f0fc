/*
 * nvtrace compare: with a run database (an argument ending in .db) replay
 * compares architectures on the recorded exits (compare_run_main, provided
 * by replay in cli/compare_run.c); without one, the model's microbenchmarks (compare_bench.c).
 * Both forms share one option table.
 */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/compare_bench.h"
#include "cli/opts.h"
#include "cli/whatif_cli.h"
#include "replay/defaults.h"

static const struct nv_opt compare_opts[] = {
	NV_OPT_GUEST("guest-hypervisor profile ({guests}) or a .prof file;\n"
		     "default: the run's (see docs/compare.md), else " NV_DEFAULT_GUEST),
	NV_OPT_COST("cost table ({costs}); default: the run's, else " NV_DEFAULT_COST),
	WHATIF_CLI_OPTS,
	{ COMPARE_OPT_GHZ, "ghz", "F", "RUN.db: clock that turns cycles into time (default 2.4, X-Gene)",
	  NVC_NONE, NULL },
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: bench,arch,traps,cycles,ratio_to_vm;\n"
	  "with RUN.db kind,count,arch,traps,cycles (per exit; kind 'total')", NVC_NONE, NULL },
	NV_OPT_JSON,
	{ 0 }
};

const struct nv_cmd_spec nv_spec_compare = {
	"compare", "[ARCH...] [options]\n[ARCH...] RUN.db [options]",
	"Without a run database: the microbenchmarks evaluated by the model on each ARCH\n"
	"({archs}; default all), with the ratio to vm.  With RUN.db: for each nested\n"
	"exit kind of the run, the count, traps and cycles per exit under each ARCH\n"
	"(default all), the totals, the slowdown against vm, and the share of the run's\n"
	"time the nested exits would take; the run is replayed first when it has no\n"
	"results for these settings.  The guest profile is the run's: a synthetic run's\n"
	"own, kvm-vhe or kvm-nvhe from the trace's guest HCR_EL2.E2H; else " NV_DEFAULT_GUEST ".\n"
	"What-if edits (any number; docs/advise.md) apply to both forms: with RUN.db the\n"
	"run is replayed with the edited model, shown as guest \"G [EDITS]\".",
	compare_opts, NVC_ARCH, NULL, 0,
};

/* Whether an argument names a run database. */
static int is_db(const char *arg)
{
	size_t n = strlen(arg);
	return n > 3 && !strcmp(arg + n - 3, ".db");
}

int cmd_compare(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (is_db(argv[i]))
			return compare_run_main(argc, argv);
	}
	return compare_bench_report(argc, argv);
}
