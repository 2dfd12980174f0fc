/*
 * nvtrace ui: the interactive terminal UI on a run (or, without one, on the
 * model's microbenchmarks).  The screens live in tui/tui_*.c.
 */
#include <getopt.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "tui/tui.h"
#include "view/viz_model.h"
#include "view/viz_run.h"

/* The help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace ui [RUN.db] [--guest G] [--cost C]\n\n"
		"Interactive terminal UI: the run overview, the exit table (sortable, like\n"
		"perf kvm stat), the architectures side by side, a flame view, and drill-down\n"
		"into a kind and one nested exit's operations.  Without RUN.db: the model's\n"
		"microbenchmarks.  Press ? in the UI for its keys, q to quit.\n\n"
		"  -g, --guest G   guest hypervisor profile (default: the replay's; %s\n"
		"                  without RUN.db)\n"
		"  -c, --cost C    cost table (default: the replay's; %s without RUN.db)\n"
		"  -h, --help      this help\n"
		"(live counts while recording: nvtrace top)\n", VIZ_DEFAULT_GUEST, VIZ_DEFAULT_COST);
}

/* Open the run (or the microbenchmarks) and hand it to the UI. */
int cmd_ui(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "guest", required_argument, NULL, 'g' },
		{ "cost", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *guest = NULL, *cost = NULL, *run;
	char err[NV_ERR_LEN] = "";
	struct viz_source *s;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "g:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'g': guest = optarg; break;
		case 'c': cost = optarg; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default: usage(stderr); return NV_EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	run = optind < argc ? argv[optind] : NULL;
	s = run ? viz_source_run(run, guest, cost, err, sizeof(err))
		: viz_source_bench(NULL, guest, cost, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "nvtrace ui: %s: %s\n", run ? run : "microbenchmarks", err);
		return NV_EXIT_ERR;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "nvtrace ui: %s: needs a terminal (use compare or stat when piped)\n",
			run ? run : "microbenchmarks");
		viz_source_free(s);
		return NV_EXIT_ERR;
	}
	rc = tui_run(s);
	if (rc)
		fprintf(stderr, "nvtrace ui: %s: %s\n", run ? run : "microbenchmarks", s->err);
	viz_source_free(s);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}
