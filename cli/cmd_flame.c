/*
 * nvtrace flame: flame graphs and charts of exit multiplication.  Stacks are
 * nested exit kind; guest hypervisor function; register or instruction; L0
 * handler (or the operation's fate when it does not trap), or inverted;
 * widths cycles, traps or operations.  Output:
 * an interactive SVG (default), folded stacks, or speedscope JSON.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "view/flame.h"
#include "view/viz_model.h"
#include "view/viz_run.h"
#include "view/flame_observed.h"
#include "cli/whatif_cli.h"
#include "replay/replay.h"
#include "cli/cleanup.h"
#include "cli/run_open.h"
#include "cli/opts.h"

enum { OPT_GRAPH = NV_OPT_CMD_BASE, OPT_CHART, OPT_DIFF, OPT_FOLDED, OPT_SPEEDSCOPE, OPT_WIDTH, OPT_WEIGHT,
       OPT_BENCH, OPT_OBSERVED, OPT_INVERTED, OPT_MINWIDTH, OPT_TITLE };

static const struct nv_opt flame_opts[] = {
	NV_OPT_ARCH("architecture to draw (default v8.3)"),
	NV_OPT_OUTPUT("OUT", "write here (default: standard output, which an SVG\n"
		      "only goes to when it is not a terminal)"),
	{ OPT_GRAPH, "graph", NULL, "merged stacks, like flamegraph.pl (default)", NVC_NONE, NULL },
	{ OPT_CHART, "chart", NULL, "time order: one lane per vCPU, one block per nested exit,\n"
	  "on the run's time axis when it has timestamps", NVC_NONE, NULL },
	{ OPT_DIFF, "diff", "A,B", "differential graph: widths of A, colour the change to B", NVC_NONE, NULL },
	{ OPT_FOLDED, "folded", NULL, "folded stacks (\"a;b;c count\") for flamegraph.pl/inferno", NVC_NONE, NULL },
	{ OPT_SPEEDSCOPE, "speedscope", NULL, "speedscope JSON file format", NVC_NONE, NULL },
	{ OPT_WEIGHT, "weight", "W", "cycles (default), traps, or ops (operations: each\n"
	  "counts 1, so memory (VNCR) work shows)", NVC_WORDS, "cycles traps ops" },
	{ OPT_INVERTED, "inverted", NULL, "graph from the L0 handler or fate down to the kind", NVC_NONE, NULL },
	{ OPT_MINWIDTH, "minwidth", "PX", "leave out SVG frames narrower than PX (default 0.1)", NVC_NONE, NULL },
	{ OPT_TITLE, "title", "TEXT", "the picture's title", NVC_NONE, NULL },
	{ OPT_WIDTH, "width", "PX", "SVG width (default 1200, or wider up to 2400 so that\n"
	  "the five heaviest functions are labelled in full)", NVC_NONE, NULL },
	{ OPT_BENCH, "bench", "NAME", "no database: one microbenchmark (hypercall, device-io,\n"
	  "virtual-ipi, virtual-timer, virtual-eoi)", NVC_WORDS,
	  "hypercall device-io virtual-ipi virtual-timer virtual-eoi" },
	NV_OPT_GUEST("guest hypervisor profile (default: the run's, else " VIZ_DEFAULT_GUEST ";\n"
		     "the run is replayed first when it has no results)"),
	NV_OPT_COST("cost table (default: the run's, else " VIZ_DEFAULT_COST ")"),
	{ OPT_OBSERVED, "observed", NULL, "the run's observed traps instead of the model's: kind;\n"
	  "function (with symbols) or PC; operation; trap (--arch\n"
	  "prices them, default v8.4)",
	  NVC_NONE, NULL },
	WHATIF_CLI_OPTS,
	{ 0 }
};

const struct nv_cmd_spec nv_spec_flame = {
	"flame", "RUN.db [--arch A] [-o OUT] [--graph|--chart] [--diff A,B] [--folded|--speedscope]\n"
	"RUN.db [--weight cycles|traps|ops] [--inverted] [--minwidth PX] [--title TEXT]\n"
	"RUN.db [--observed] [--set OPT=V] [--vncr|--redirect|--cache|--defer REG]...\n"
	"--bench NAME [--arch A] [--guest G] [--cost C] [...]",
	"Flame graph of where nested exits spend their cycles: stacks are exit kind;\n"
	"guest hypervisor function; register or instruction; L0 handler (or fate when\n"
	"it does not trap).\n"
	"What-if edits (docs/advise.md) draw the edited model's replay.",
	flame_opts, NVC_DB, NULL, 0,
};

enum format { FMT_SVG, FMT_FOLDED, FMT_SPEEDSCOPE };

/* Split "A,B" into two architecture names. */
static int parse_diff(char *arg, const char **a, const char **b)
{
	char *comma = strchr(arg, ',');

	if (!comma || comma == arg || !comma[1] || strchr(comma + 1, ','))
		return -1;
	*comma = 0;
	*a = arg;
	*b = comma + 1;
	return 0;
}

/* What one run of the command writes: a built tree, or a chart streamed from its source. */
struct job {
	struct viz_source *src;
	const struct flame_opts *fo;
	struct flame *f;	/* NULL: stream the chart as speedscope */
	enum format fmt;
	int width;
};

/* The writer of a job; 0, or -1 with err ("" for a write error). */
static int write_job(struct job *j, FILE *out, char *err, size_t errlen)
{
	if (!j->f)
		return flame_write_speedscope_chart(j->src, j->fo, out, err, errlen);
	return j->fmt == FMT_FOLDED ? flame_write_folded(j->f, out)
	     : j->fmt == FMT_SPEEDSCOPE ? flame_write_speedscope(j->f, out)
	     : flame_write_svg(j->f, out, j->width);
}

/*
 * Write the job to out_path (or standard output): a file is removed when
 * the write fails or a signal stops it.  what names the input in errors.
 */
static int write_output(struct job *j, const char *out_path, const char *what)
{
	char err[NV_ERR_LEN] = "";
	FILE *out;
	int rc;

	if (out_path)	/* an interrupted write leaves no half file */
		cleanup_on_signal(out_path);
	out = out_path ? fopen(out_path, "w") : stdout;
	if (!out) {
		fprintf(stderr, "nvtrace flame: %s: %s\n", out_path, strerror(errno));
		cleanup_forget();
		return NV_EXIT_ERR;
	}
	rc = write_job(j, out, err, sizeof(err));
	if ((out_path && fclose(out)) || (!out_path && fflush(out)) || rc) {
		if (err[0])
			fprintf(stderr, "nvtrace flame: %s: %s\n", what, err);
		else
			fprintf(stderr, "nvtrace flame: %s: write error\n", out_path ? out_path : "stdout");
		if (out_path)
			unlink(out_path);
		rc = -1;
	}
	cleanup_forget();
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}

/* Parse the options, open the source, build the tree, write it. */
int cmd_flame(int argc, char **argv)
{
	struct nv_whatif w = { 0 };
	char gkey[768];
	int observed = 0, arch_given = 0;
	struct flame_opts fo = { .mode = FLAME_GRAPH, .weight = FLAME_CYCLES, .arch = "v8.3" };
	const char *out_path = NULL, *bench = NULL, *guest = NULL, *cost = NULL;
	enum format fmt = FMT_SVG;
	int width = 0, c, rc;	/* 0: flame_svg_width */
	double minwidth = FLAME_MINWIDTH;
	char *end;
	char err[NV_ERR_LEN] = "";
	struct viz_source *src;
	struct nv_run_defaults d;

	struct nv_optparse p;
	nv_opt_init(&p, &nv_spec_flame, argc, argv);
	while ((c = whatif_cli_next(&p, "flame", &w)) != NV_OPT_DONE) {	/* --set ... taken into w */
		char *arg = (char *)p.arg;	/* argv's: --diff splits it */
		switch (c) {
		case 'a': fo.arch = arg; arch_given = 1; break;
		case OPT_OBSERVED: observed = 1; break;
		case 'o': out_path = arg; break;
		case OPT_GRAPH: fo.mode = FLAME_GRAPH; break;
		case OPT_CHART: fo.mode = FLAME_CHART; break;
		case OPT_DIFF:
			if (parse_diff(arg, &fo.arch, &fo.arch_b)) {
				fprintf(stderr, "nvtrace flame: --diff wants two architectures, A,B\n");
				return NV_EXIT_USAGE;
			}
			break;
		case OPT_FOLDED: fmt = FMT_FOLDED; break;
		case OPT_SPEEDSCOPE: fmt = FMT_SPEEDSCOPE; break;
		case OPT_WEIGHT:
			if (flame_weight_find(arg) < 0) {
				fprintf(stderr, "nvtrace flame: --weight is cycles, traps or ops, not '%s'\n", arg);
				return NV_EXIT_USAGE;
			}
			fo.weight = (enum flame_weight)flame_weight_find(arg);
			break;
		case OPT_INVERTED: fo.inverted = 1; break;
		case OPT_TITLE: fo.title = arg; break;
		case OPT_MINWIDTH:
			minwidth = strtod(arg, &end);
			if (end == arg || *end || !(minwidth >= 0 && minwidth <= 10000)) {
				fprintf(stderr, "nvtrace flame: --minwidth is pixels from 0 to 10000, not '%s'\n", arg);
				return NV_EXIT_USAGE;
			}
			break;
		case OPT_WIDTH:
			width = (int)strtol(arg, &end, 10);
			if (end == arg || *end || width < 200 || width > 100000) {
				fprintf(stderr, "nvtrace flame: --width is pixels from 200 to 100000, not '%s'\n", arg);
				return NV_EXIT_USAGE;
			}
			break;
		case OPT_BENCH: bench = arg; break;
		case 'g': guest = arg; break;
		case 'c': cost = arg; break;
		case NV_OPT_STOP: return p.status;
		}
	}
	optind = p.ind;
	if ((bench != NULL) == (optind < argc) || argc - optind > 1) {
		fprintf(stderr, "nvtrace flame: give one RUN.db, or --bench NAME (see 'nvtrace flame --help')\n");
		return NV_EXIT_USAGE;
	}
	if (fo.mode == FLAME_CHART && (fo.arch_b || fo.inverted || fo.weight == FLAME_OPS)) {
		fprintf(stderr, "nvtrace flame: --%s draws a graph, not a chart\n",
			fo.arch_b ? "diff" : fo.inverted ? "inverted" : "weight ops");
		return NV_EXIT_USAGE;
	}
	if (fmt == FMT_SVG && !out_path && isatty(STDOUT_FILENO)) {	/* 150 kB of XML on a screen */
		fprintf(stderr, "nvtrace flame: the SVG is not for a terminal: give -o FILE.svg, or --folded"
			" for text (see 'nvtrace flame --help')\n");
		return NV_EXIT_USAGE;
	}
	/* an SVG chart merges the exits of one pixel column; data never does */
	fo.columns = fmt == FMT_SVG ? (width ? width : FLAME_WIDTH) - 20 : 0;
	if (!bench) {	/* the run's guest and cost; replayed first when it has no results */
		if ((rc = ui_run_settings("flame", argv[optind], guest, cost, !w.n && !observed, &d)))
			return rc;
		guest = d.guest;
		cost = d.cost;
	}
	if (w.n && !bench) {	/* the edited model's replay, stored under "GUEST [EDITS]" */
		if (whatif_cli_replay("flame", argv[optind], fo.arch, guest, cost, &w, gkey, sizeof(gkey)))
			return NV_EXIT_ERR;
		guest = gkey;
	}
	if (observed && !bench) {	/* the observed traps: a graph of their own */
		struct job jo = { NULL, &fo, NULL, fmt, width };
		jo.f = flame_observed_open(argv[optind], arch_given ? fo.arch : "v8.4", guest, cost,
					   fo.weight, err, sizeof(err));
		if (!jo.f) {
			fprintf(stderr, "nvtrace flame: %s: %s\n", argv[optind], err);
			return NV_EXIT_ERR;
		}
		jo.f->minwidth = minwidth;
		rc = write_output(&jo, out_path, argv[optind]);
		flame_free(jo.f);
		return rc;
	}
	src = bench ? viz_source_bench(bench, guest, cost, err, sizeof(err))
		    : viz_source_run(argv[optind], guest, cost, err, sizeof(err));
	if (!src) {
		fprintf(stderr, "nvtrace flame: %s: %s\n", bench ? bench : argv[optind], err);
		return NV_EXIT_ERR;
	}
	src->progress = &progress_bar;	/* a bar on stderr when it is a terminal */
	struct job j = { src, &fo, NULL, fmt, width };
	if (!(fo.mode == FLAME_CHART && fmt == FMT_SPEEDSCOPE)) {	/* else streamed */
		j.f = flame_build(src, &fo, err, sizeof(err));
		if (!j.f) {
			fprintf(stderr, "nvtrace flame: %s: %s\n", bench ? bench : argv[optind], err);
			viz_source_free(src);
			return NV_EXIT_ERR;
		}
		j.f->minwidth = minwidth;
	}
	rc = write_output(&j, out_path, bench ? bench : argv[optind]);
	flame_free(j.f);
	viz_source_free(src);
	return rc;
}
