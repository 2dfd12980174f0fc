/* nvtrace replay: cut a run into nested exits, cost each under every architecture, store. */
#include <getopt.h>
#include <stdio.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "replay/replay.h"
#include "cli/run_open.h"

/* The help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace replay RUN.db [--arch LIST] [--guest G] [--cost C]\n\n"
		"Cut the run's events into nested exits (per vCPU, in time order) and run\n"
		"each through the model of every architecture; store the results in RUN.db,\n"
		"replacing an earlier replay with the same settings.\n\n"
		"  -a, --arch LIST   architectures, comma-separated (default %s)\n"
		"  -g, --guest G     guest-hypervisor profile: builtin name or file (default %s)\n"
		"  -c, --cost C      cost table (default %s)\n"
		"      --stateless   cost every exit on its own, as explain does (by default each\n"
		"                    vCPU's sub-model state carries from one exit to the next)\n"
		"  -h, --help        this help\n",
		NV_REPLAY_DEFAULT_ARCHS, NV_REPLAY_DEFAULT_GUEST, NV_REPLAY_DEFAULT_COST);
}

/* Print what reconstruction found, and the totals per architecture. */
static void print_summary(const struct nv_replay_result *r)
{
	const struct nv_recon_stats *s = &r->st;
	uint64_t exits = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++)
		exits += r->exits[k];
	printf("mode %s: %lld events, %lld nested exits, %lld vCPUs\n",
	       nv_recon_mode_name(r->mode), (long long)s->events, (long long)s->exits,
	       (long long)s->vcpus);
	printf("incomplete: %lld at start, %lld at end, %lld unmatched; lost events %lld;"
	       " self-injections %lld; exits outside nested exits %lld\n",
	       (long long)s->incomplete_start, (long long)s->incomplete_end,
	       (long long)s->unmatched, (long long)r->lost_events,
	       (long long)s->self_injections, (long long)s->outside_exits);
	if (r->unmodelled)
		printf("warning: %lld nested exits of kinds the profile has no path for (cost 0)\n",
		       (long long)r->unmodelled);
	printf("%-6s %12s %14s %12s\n", "arch", "traps", "cycles", "traps/exit");
	for (int a = 0; a < r->narch; a++) {
		uint64_t t = 0, c = 0;
		for (int k = 0; k < NV_KIND__COUNT; k++) {
			t += r->traps[a][k];
			c += r->cycles[a][k];
		}
		printf("%-6s %12llu %14llu %12.2f\n", r->arch[a], (unsigned long long)t,
		       (unsigned long long)c, exits ? (double)t / (double)exits : 0.0);
	}
}

/* Parse options, open the run writable, replay, print the summary. */
int cmd_replay(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "arch", required_argument, NULL, 'a' },
		{ "guest", required_argument, NULL, 'g' },
		{ "cost", required_argument, NULL, 'c' },
		{ "stateless", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nv_replay_opts o = {
		NV_REPLAY_DEFAULT_ARCHS, NV_REPLAY_DEFAULT_GUEST, NV_REPLAY_DEFAULT_COST, 0, 0,
	};
	struct nv_replay_result res;
	char err[NV_ERR_LEN];
	int c;

	while ((c = getopt_long(argc, argv, "a:g:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'a': o.archs = optarg; break;
		case 'g': o.guest = optarg; break;
		case 'c': o.cost = optarg; break;
		case 'S': o.stateless = 1; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default: usage(stderr); return NV_EXIT_USAGE;
		}
	}
	if (optind != argc - 1) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	struct nvdb *db = ui_open_run("replay", argv[optind], 1);
	if (!db)
		return NV_EXIT_ERR;
	o.progress = isatty(STDERR_FILENO) ? &progress_bar : NULL;
	if (nv_replay_run(db, &o, &res, err, sizeof(err))) {
		fprintf(stderr, "nvtrace replay: %s\n", err);
		nvdb_close(db);
		return NV_EXIT_ERR;
	}
	print_summary(&res);
	nvdb_close(db);
	return NV_EXIT_OK;
}
