/*
 * nvtrace plot: gnuplot draws a run: cycles or traps per nested exit by
 * architecture, nested exits over time, the mix of kinds.
 */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "view/gnuplot.h"
#include "view/viz_model.h"
#include "view/viz_run.h"

/* The help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace plot RUN.db --what cycles|traps|timeline|kinds [-o OUT.png|OUT.svg]\n"
		"       nvtrace plot --bench --what cycles|traps [-o OUT]\n\n"
		"  -W, --what W        cycles: cycles per nested exit, by kind and architecture\n"
		"                      traps: traps to L0 per nested exit, likewise\n"
		"                      timeline: nested exits over the run's time, per kind\n"
		"                      kinds: how many nested exits of each kind\n"
		"  -o, --output OUT    .png or .svg (default nvtrace-WHAT.png)\n"
		"  -b, --bench         no database: the microbenchmarks\n"
		"  -g, --guest G       guest hypervisor profile (default: the replay's; %s\n"
		"                      for --bench)\n"
		"  -c, --cost C        cost table (default: the replay's; %s for --bench)\n"
		"  -h, --help          this help\n"
		"Needs gnuplot (Debian: gnuplot-nox); $NVTRACE_GNUPLOT names another binary.\n",
		VIZ_DEFAULT_GUEST, VIZ_DEFAULT_COST);
}

/* Parse the options, summarise the source, plot. */
int cmd_plot(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "what", required_argument, NULL, 'W' },
		{ "output", required_argument, NULL, 'o' },
		{ "bench", no_argument, NULL, 'b' },
		{ "guest", required_argument, NULL, 'g' },
		{ "cost", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *what = NULL, *out = NULL, *guest = NULL, *cost = NULL;
	char err[NV_ERR_LEN] = "", def_out[64];
	int c, bench = 0, rc;
	struct viz_source *s;
	struct viz_summary *sum;

	optind = 1;
	while ((c = getopt_long(argc, argv, "W:o:bg:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'W': what = optarg; break;
		case 'o': out = optarg; break;
		case 'b': bench = 1; break;
		case 'g': guest = optarg; break;
		case 'c': cost = optarg; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default: usage(stderr); return NV_EXIT_USAGE;
		}
	}
	if (!what || !plot_what_valid(what) || (bench ? argc != optind : argc - optind != 1)) {
		fprintf(stderr, "nvtrace plot: give RUN.db (or --bench) and --what cycles|traps|timeline|kinds\n");
		return NV_EXIT_USAGE;
	}
	if (!out) {
		snprintf(def_out, sizeof(def_out), "nvtrace-%s.png", what);
		out = def_out;
	}
	if (!strrchr(out, '.') || (strcmp(strrchr(out, '.'), ".png") && strcmp(strrchr(out, '.'), ".svg"))) {
		fprintf(stderr, "nvtrace plot: %s: the output must end in .png or .svg\n", out);
		return NV_EXIT_USAGE;
	}
	s = bench ? viz_source_bench(NULL, guest, cost, err, sizeof(err))
		  : viz_source_run(argv[optind], guest, cost, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "nvtrace plot: %s: %s\n", bench ? "microbenchmarks" : argv[optind], err);
		return NV_EXIT_ERR;
	}
	s->progress = &progress_bar;	/* a bar on stderr when it is a terminal */
	sum = malloc(sizeof(*sum));
	if (!sum || viz_summarize(s, sum)) {
		fprintf(stderr, "nvtrace plot: %s: %s\n", bench ? "microbenchmarks" : argv[optind],
			sum ? s->err : "out of memory");
		free(sum);
		viz_source_free(s);
		return NV_EXIT_ERR;
	}
	rc = plot_run(s, sum, what, out, err, sizeof(err));
	if (rc)
		fprintf(stderr, "nvtrace plot: %s\n", err);
	free(sum);
	viz_source_free(s);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}
