/*
 * nvtrace flame: flame graphs and charts of exit multiplication.  Stacks are
 * nested exit kind; guest hypervisor phase; operation; L0 handler (or the
 * operation's fate when it does not trap), widths cycles or traps.  Output:
 * an interactive SVG (default), folded stacks, or speedscope JSON.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "view/flame.h"
#include "view/viz_model.h"
#include "view/viz_run.h"

/* The help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace flame RUN.db [--arch A] [-o OUT] [--graph|--chart] [--diff A,B]\n"
		"                     [--folded|--speedscope] [--weight cycles|traps]\n"
		"       nvtrace flame --bench NAME [--arch A] [--guest G] [--cost C] [...]\n\n"
		"Flame graph of where nested exits spend their cycles: stacks are exit kind;\n"
		"guest hypervisor phase; operation; L0 handler (or fate when it does not trap).\n\n"
		"  -a, --arch A         architecture to draw (default v8.3)\n"
		"  -o, --output OUT     write here (default: standard output)\n"
		"      --graph          merged stacks, like flamegraph.pl (default)\n"
		"      --chart          time order: one lane per vCPU, one block per nested exit,\n"
		"                       on the run's time axis when it has timestamps\n"
		"      --diff A,B       differential graph: widths of A, colour the change to B\n"
		"      --folded         folded stacks (\"a;b;c count\") for flamegraph.pl/inferno\n"
		"      --speedscope     speedscope JSON file format\n"
		"  -w, --weight W       cycles (default) or traps\n"
		"      --width PX       SVG width (default 1200)\n"
		"  -b, --bench NAME     no database: one microbenchmark (hypercall, device-io,\n"
		"                       virtual-ipi, virtual-timer, virtual-eoi)\n"
		"  -g, --guest G        guest hypervisor profile (default: the replay's; %s\n"
		"                       for --bench)\n"
		"  -c, --cost C         cost table (default: the replay's; %s for --bench)\n"
		"  -h, --help           this help\n", VIZ_DEFAULT_GUEST, VIZ_DEFAULT_COST);
}

enum { OPT_GRAPH = 256, OPT_CHART, OPT_DIFF, OPT_FOLDED, OPT_SPEEDSCOPE, OPT_WIDTH };
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

/* Parse the options, open the source, build the tree, write it. */
int cmd_flame(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "output", required_argument, NULL, 'o' },
		{ "graph", no_argument, NULL, OPT_GRAPH },
		{ "chart", no_argument, NULL, OPT_CHART },
		{ "diff", required_argument, NULL, OPT_DIFF },
		{ "folded", no_argument, NULL, OPT_FOLDED },
		{ "speedscope", no_argument, NULL, OPT_SPEEDSCOPE },
		{ "weight", required_argument, NULL, 'w' },
		{ "width", required_argument, NULL, OPT_WIDTH },
		{ "bench", required_argument, NULL, 'b' },
		{ "guest", required_argument, NULL, 'g' },
		{ "cost", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	struct flame_opts fo = { FLAME_GRAPH, FLAME_CYCLES, "v8.3", NULL, 0 };
	const char *out_path = NULL, *bench = NULL, *guest = NULL, *cost = NULL;
	enum format fmt = FMT_SVG;
	int width = 1200, c, rc;
	char err[NV_ERR_LEN] = "";
	struct viz_source *src;
	struct flame *f;
	FILE *out;

	optind = 1;
	while ((c = getopt_long(argc, argv, "a:o:w:b:g:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': fo.arch = optarg; break;
		case 'o': out_path = optarg; break;
		case OPT_GRAPH: fo.mode = FLAME_GRAPH; break;
		case OPT_CHART: fo.mode = FLAME_CHART; break;
		case OPT_DIFF:
			if (parse_diff(optarg, &fo.arch, &fo.arch_b)) {
				fprintf(stderr, "nvtrace flame: --diff wants two architectures, A,B\n");
				return NV_EXIT_USAGE;
			}
			break;
		case OPT_FOLDED: fmt = FMT_FOLDED; break;
		case OPT_SPEEDSCOPE: fmt = FMT_SPEEDSCOPE; break;
		case 'w':
			if (!strcmp(optarg, "cycles"))
				fo.weight = FLAME_CYCLES;
			else if (!strcmp(optarg, "traps"))
				fo.weight = FLAME_TRAPS;
			else {
				fprintf(stderr, "nvtrace flame: --weight is cycles or traps, not '%s'\n", optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case OPT_WIDTH:
			width = atoi(optarg);
			if (width < 200 || width > 100000) {
				fprintf(stderr, "nvtrace flame: --width between 200 and 100000\n");
				return NV_EXIT_USAGE;
			}
			break;
		case 'b': bench = optarg; break;
		case 'g': guest = optarg; break;
		case 'c': cost = optarg; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default: usage(stderr); return NV_EXIT_USAGE;
		}
	}
	if ((bench != NULL) == (optind < argc) || argc - optind > 1) {
		fprintf(stderr, "nvtrace flame: give one RUN.db, or --bench NAME\n");
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	if (fo.mode == FLAME_CHART && fo.arch_b) {
		fprintf(stderr, "nvtrace flame: --diff draws a graph, not a chart\n");
		return NV_EXIT_USAGE;
	}
	fo.columns = width - 20;
	src = bench ? viz_source_bench(bench, guest, cost, err, sizeof(err))
		    : viz_source_run(argv[optind], guest, cost, err, sizeof(err));
	if (!src) {
		fprintf(stderr, "nvtrace flame: %s: %s\n", bench ? bench : argv[optind], err);
		return NV_EXIT_ERR;
	}
	src->progress = &progress_bar;	/* a bar on stderr when it is a terminal */
	f = flame_build(src, &fo, err, sizeof(err));
	if (!f) {
		fprintf(stderr, "nvtrace flame: %s: %s\n", bench ? bench : argv[optind], err);
		viz_source_free(src);
		return NV_EXIT_ERR;
	}
	out = out_path ? fopen(out_path, "w") : stdout;
	if (!out) {
		fprintf(stderr, "nvtrace flame: %s: %s\n", out_path, strerror(errno));
		flame_free(f);
		viz_source_free(src);
		return NV_EXIT_ERR;
	}
	rc = fmt == FMT_FOLDED ? flame_write_folded(f, out)
	   : fmt == FMT_SPEEDSCOPE ? flame_write_speedscope(f, out)
	   : flame_write_svg(f, out, width);
	if ((out_path && fclose(out)) || (!out_path && fflush(out)) || rc) {
		fprintf(stderr, "nvtrace flame: %s: write error\n", out_path ? out_path : "stdout");
		if (out_path)
			unlink(out_path);
		rc = -1;
	}
	flame_free(f);
	viz_source_free(src);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}
