/*
 * nvtrace plot: gnuplot draws a run: cycles or traps per nested exit by
 * architecture, nested exits over time, the mix of kinds.
 */
#include <stdlib.h>
#include <string.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "view/gnuplot.h"
#include "view/viz_model.h"
#include "view/viz_run.h"
#include "cli/cleanup.h"
#include "cli/opts.h"
#include "cli/run_open.h"

enum { OPT_BENCH = NV_OPT_CMD_BASE };

#define PLOT_WHATS "cycles traps timeline kinds"

static const struct nv_opt plot_opts[] = {
	{ 'W', "what", "W", "cycles: cycles per nested exit, by kind and architecture\n"
	  "traps: traps to L0 per nested exit, likewise\n"
	  "timeline: nested exits over the run's time, per kind\n"
	  "kinds: how many nested exits of each kind", NVC_WORDS, PLOT_WHATS },
	NV_OPT_OUTPUT("OUT", ".png or .svg (default nvtrace-WHAT.png)"),
	{ OPT_BENCH, "bench", NULL, "no database: the microbenchmarks", NVC_NONE, NULL },
	NV_OPT_GUEST("guest-hypervisor profile (default: the run's, else " NV_DEFAULT_GUEST ")"),
	NV_OPT_COST("cost table (default: the run's, else " NV_DEFAULT_COST ")"),
	{ 0 }
};

const struct nv_cmd_spec nv_spec_plot = {
	"plot", "RUN.db --what cycles|traps|timeline|kinds [-o OUT.png|OUT.svg]\n"
	"--bench --what cycles|traps [-o OUT]",
	"Plots through gnuplot (Debian: gnuplot-nox; $NVTRACE_GNUPLOT names another\n"
	"binary).  The run is replayed first when it has no results for the guest\n"
	"profile and cost table.  Says which file it wrote; an interrupted plot leaves\n"
	"no file behind.",
	plot_opts, NVC_DB, NULL, 0,
};

/* Parse the options, summarise the source, plot. */
int cmd_plot(int argc, char **argv)
{
	const char *what = NULL, *out = NULL, *guest = NULL, *cost = NULL, *run = NULL;
	char err[NV_ERR_LEN] = "", def_out[64];
	int c, bench = 0, rc;
	struct viz_source *s;
	struct viz_summary *sum;
	struct nv_run_defaults d;
	struct nv_optparse p;

	nv_opt_init(&p, &nv_spec_plot, argc, argv);
	while ((c = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'W': what = p.arg; break;
		case 'o': out = p.arg; break;
		case OPT_BENCH: bench = 1; break;
		case 'g': guest = p.arg; break;
		case 'c': cost = p.arg; break;
		}
	}
	if (!what)
		return nv_usage_error(&nv_spec_plot, "what to plot? (--what cycles|traps|timeline|kinds)");
	if (!plot_what_valid(what))
		return nv_usage_error(&nv_spec_plot, "--what is cycles, traps, timeline or kinds, not '%s'", what);
	if (bench && argc != p.ind)
		return nv_usage_error(&nv_spec_plot, "--bench takes no RUN.db");
	if (!bench && argc - p.ind != 1)
		return nv_usage_error(&nv_spec_plot, "wants one RUN.db (or --bench), not %d arguments",
				      argc - p.ind);
	if (!out) {
		snprintf(def_out, sizeof(def_out), "nvtrace-%s.png", what);
		out = def_out;
	}
	if (!strrchr(out, '.') || (strcmp(strrchr(out, '.'), ".png") && strcmp(strrchr(out, '.'), ".svg")))
		return nv_usage_error(&nv_spec_plot, "%s: the output must end in .png or .svg", out);
	if (!bench) {
		run = argv[p.ind];
		if ((rc = ui_run_settings("plot", run, guest, cost, 1, &d)))
			return rc;
		guest = d.guest;
		cost = d.cost;
	}
	s = bench ? viz_source_bench(NULL, guest, cost, err, sizeof(err))
		  : viz_source_run(run, guest, cost, err, sizeof(err));
	if (!s) {
		fprintf(stderr, "nvtrace plot: %s: %s\n", bench ? "microbenchmarks" : run, err);
		return NV_EXIT_ERR;
	}
	s->progress = &progress_bar;	/* a bar on stderr when it is a terminal */
	sum = malloc(sizeof(*sum));
	if (!sum || viz_summarize(s, sum)) {
		fprintf(stderr, "nvtrace plot: %s: %s\n", bench ? "microbenchmarks" : run,
			sum ? s->err : "out of memory");
		free(sum);
		viz_source_free(s);
		return NV_EXIT_ERR;
	}
	cleanup_on_signal(out);
	rc = plot_run(s, sum, what, out, err, sizeof(err));
	cleanup_forget();
	if (rc)
		fprintf(stderr, "nvtrace plot: %s\n", err);
	else
		fprintf(stderr, "nvtrace plot: wrote %s (%s, guest %s, cost %s)\n", out, what,
		       guest ? guest : NV_DEFAULT_GUEST, cost ? cost : NV_DEFAULT_COST);
	free(sum);
	viz_source_free(s);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}
