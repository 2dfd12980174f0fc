/*
 * nvtrace ui: the interactive terminal UI on a run (or, without one, on the
 * model's microbenchmarks).  The screens live in tui/tui_*.c.
 */
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "tui/tui.h"
#include "view/viz_model.h"
#include "view/viz_run.h"
#include "cli/run_open.h"
#include "cli/opts.h"

enum { OPT_LIVE = NV_OPT_CMD_BASE };

static const struct nv_opt ui_opts[] = {
	NV_OPT_GUEST("guest-hypervisor profile (default: the run's, else " NV_DEFAULT_GUEST ";\n"
		     "the run is replayed first when it has no results)"),
	NV_OPT_COST("cost table (default: the run's, else " NV_DEFAULT_COST ")"),
	{ OPT_LIVE, "live", NULL, "follow RUN.db while it grows: nested exits and traps per\n"
	  "kind, in all and per second, refreshed every second", NVC_NONE, NULL },
	{ 0 }
};

const struct nv_cmd_spec nv_spec_ui = {
	"ui", "[RUN.db] [--guest G] [--cost C]\n--live RUN.db",
	"Interactive terminal UI: the run overview, the exit table (sortable, like\n"
	"perf kvm stat), the architectures side by side, a flame view, and drill-down\n"
	"into a kind and one nested exit's operations.  Without RUN.db: the model's\n"
	"microbenchmarks.  Press ? in the UI for its keys, q to quit.  With --live:\n"
	"follow RUN.db while it grows (a recording writing it), nested exits per\n"
	"kind and the guest hypervisor's traps, in all and per second.",
	ui_opts, NVC_DB, NULL, 0,
};

/* ui --live RUN.db: the live screen on a growing run. */
static int ui_live(const char *run)
{
	char err[NV_ERR_LEN] = "";

	if (!run)
		return nv_usage_error(&nv_spec_ui, "--live needs the RUN.db a recording writes");
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "nvtrace ui: %s: needs a terminal\n", run);
		return NV_EXIT_ERR;
	}
	if (tui_live(run, 1.0, err, sizeof(err))) {
		fprintf(stderr, "nvtrace ui: %s: %s\n", run, err);
		return NV_EXIT_ERR;
	}
	return NV_EXIT_OK;
}

/* Open the run (or the microbenchmarks) and hand it to the UI. */
int cmd_ui(int argc, char **argv)
{
	const char *guest = NULL, *cost = NULL, *run;
	char err[NV_ERR_LEN] = "";
	struct viz_source *s;
	struct nv_run_defaults d;
	struct nv_optparse p;
	int c, rc, live = 0;

	nv_opt_init(&p, &nv_spec_ui, argc, argv);
	while ((c = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'g': guest = p.arg; break;
		case 'c': cost = p.arg; break;
		case OPT_LIVE: live = 1; break;
		}
	}
	optind = p.ind;
	if (argc - optind > 1)
		return nv_usage_error(&nv_spec_ui, "one RUN.db at most, not %d arguments", argc - optind);
	run = optind < argc ? argv[optind] : NULL;
	if (live)
		return ui_live(run);
	if (run) {	/* the run's guest and cost; replayed first when it has no results */
		if ((rc = ui_run_settings("ui", run, guest, cost, 1, &d)))
			return rc;
		guest = d.guest;
		cost = d.cost;
	}
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
