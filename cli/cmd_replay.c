/* nvtrace replay: cut a run into nested exits, cost each under every architecture, store. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "replay/replay.h"
#include "cli/run_open.h"
#include "cli/whatif_cli.h"
#include "cli/opts.h"
#include "view/json.h"

enum { OPT_STATELESS = NV_OPT_CMD_BASE };

static const struct nv_opt replay_opts[] = {
	{ 'a', "arch", "LIST", "architectures, comma-separated (default " NV_REPLAY_DEFAULT_ARCHS ")",
	  NVC_ARCH, NULL },
	NV_OPT_GUEST("guest-hypervisor profile ({guests}) or a .prof file;\n"
		     "default: the run's, else " NV_DEFAULT_GUEST),
	NV_OPT_COST("cost table ({costs}); default: the run's, else " NV_DEFAULT_COST),
	{ OPT_STATELESS, "stateless", NULL, "cost every exit on its own, as explain does (by default\n"
	  "each vCPU's sub-model state carries from one exit to the next)", NVC_NONE, NULL },
	{ 'j', "jobs", "N", "threads, the vCPUs split between them; the results are the\n"
	  "same for any N (default: the machine's cores)", NVC_NONE, NULL },
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: arch,traps,cycles,traps_per_exit", NVC_NONE, NULL },
	NV_OPT_JSON,
	WHATIF_CLI_OPTS,
	{ 0 }
};

const struct nv_cmd_spec nv_spec_replay = {
	"replay", "RUN.db [--arch LIST] [--guest G] [--cost C] [--stateless] [-j N] [--csv|--json]\n"
	"RUN.db [options] [--set OPT=V] [--vncr|--redirect|--cache|--defer REG]...",
	"Cut the run's events into nested exits (per vCPU, in time order) and run\n"
	"each through the model of every architecture; store the results in RUN.db,\n"
	"replacing an earlier replay with the same settings.  The default guest profile\n"
	"is the run's: a synthetic run's own, kvm-vhe or kvm-nvhe from the trace's guest\n"
	"HCR_EL2.E2H, else " NV_DEFAULT_GUEST ".  What-if edits (any number; docs/advise.md)\n"
	"replay an edited model, stored under the guest name \"G [EDITS]\".",
	replay_opts, NVC_DB, NULL, 0,
};

/* Print what reconstruction found, and the totals per architecture. */
static void print_summary(const struct nv_replay_result *r, const struct nv_run_defaults *d,
			  const struct nv_whatif *w)
{
	const struct nv_recon_stats *s = &r->st;
	uint64_t exits = 0;
	char edits[512];
	for (int k = 0; k < NV_KIND__COUNT; k++)
		exits += r->exits[k];
	nv_whatif_format(w, edits, sizeof(edits));
	printf("guest %s (%s)%s%s%s, cost %s\n", d->guest, d->why, edits[0] ? " [" : "", edits,
	       edits[0] ? "]" : "", d->cost);
	for (int a = 0; a < r->narch; a++) /* figures that describe no real machine */
		if (nv_cost_hypothetical(nv_cost_find(d->cost), nv_arch_find(r->arch[a])))
			printf("hypothetical: %s with cost %s (%s)\n", r->arch[a], d->cost,
			       nv_cost_hypothetical_why(nv_cost_find(d->cost), nv_arch_find(r->arch[a])));
	printf("mode %s: %lld events, %lld %s, %lld vCPUs\n",
	       nv_recon_mode_name(r->mode), (long long)s->events, (long long)s->exits,
	       nv_exits_label(nv_recon_mode_name(r->mode)), (long long)s->vcpus);
	printf("incomplete: %lld at start, %lld at end, %lld unmatched; lost events %lld;"
	       " self-injections %lld; exits outside nested exits %lld\n",
	       (long long)s->incomplete_start, (long long)s->incomplete_end,
	       (long long)s->unmatched, (long long)r->lost_events,
	       (long long)s->self_injections, (long long)s->outside_exits);
	if (r->unmodelled)
		printf("warning: %lld nested exits of kinds the profile has no path for (cost 0)\n",
		       (long long)r->unmodelled);
	uint64_t ue, ut, ae, at;
	char line[160];
	nv_replay_unmodelled(r, &ue, &ut, &ae, &at);
	nv_unmodelled_line(ue, ut, ae, at, line, sizeof(line));
	printf("%s\n", line);
	printf("%-6s %12s %14s %12s\n", "arch", "traps", "cycles", "traps/exit");
	for (int a = 0; a < r->narch; a++) {
		uint64_t t = 0, c = 0;
		for (int k = 0; k < NV_KIND__COUNT; k++) {
			t += r->traps[a][k];
			c += r->cycles[a][k];
		}
		printf("%-6s %12llu %14llu %12.2f\n", r->arch[a], (unsigned long long)t,
		       (unsigned long long)c, ui_per(t, exits));
	}
}

/* The totals per architecture as CSV (arch,traps,cycles,traps_per_exit) or one JSON object. */
static void print_table(const struct nv_replay_result *r, const struct nv_run_defaults *d, int json)
{
	const struct nv_recon_stats *s = &r->st;
	uint64_t exits = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++)
		exits += r->exits[k];
	if (json) {
		printf("{\"guest\": ");
		json_str(stdout, d->guest);
		ui_json_incomplete(stdout, NULL);	/* the run replayed */
		printf(", \"guest_from\": ");
		json_str(stdout, d->why);
		printf(", \"cost\": ");
		json_str(stdout, d->cost);
		printf(", \"mode\": \"%s\", \"events\": %lld, \"exits\": %lld, \"vcpus\": %lld, "
		       "\"incomplete_start\": %lld, \"incomplete_end\": %lld, \"unmatched\": %lld, "
		       "\"lost_events\": %lld, \"unmodelled\": %lld, \"archs\": [", nv_recon_mode_name(r->mode),
		       (long long)s->events, (long long)s->exits, (long long)s->vcpus,
		       (long long)s->incomplete_start, (long long)s->incomplete_end, (long long)s->unmatched,
		       (long long)r->lost_events, (long long)r->unmodelled);
	} else {
		printf("arch,traps,cycles,traps_per_exit\n");
	}
	for (int a = 0; a < r->narch; a++) {
		uint64_t t = 0, c = 0;
		for (int k = 0; k < NV_KIND__COUNT; k++) {
			t += r->traps[a][k];
			c += r->cycles[a][k];
		}
		if (json)
			printf("%s{\"arch\": \"%s\", \"traps\": %llu, \"cycles\": %llu, \"traps_per_exit\": %.4f}",
			       a ? ", " : "", r->arch[a], (unsigned long long)t, (unsigned long long)c,
			       ui_per(t, exits));
		else
			printf("%s,%llu,%llu,%.2f\n", r->arch[a], (unsigned long long)t, (unsigned long long)c,
			       ui_per(t, exits));
	}
	if (json)
		printf("]}\n");
}

/* Parse options, open the run writable, replay, print the summary. */
int cmd_replay(int argc, char **argv)
{
	struct nv_whatif w = { 0 };
	struct nv_replay_opts o = { .archs = NV_REPLAY_DEFAULT_ARCHS, .whatif = &w };
	struct nv_replay_result res;
	struct nv_run_defaults d;
	struct nv_optparse p;
	char err[NV_ERR_LEN];
	int c, fmt = 0;
	char *end;

	nv_opt_init(&p, &nv_spec_replay, argc, argv);
	while ((c = whatif_cli_next(&p, "replay", &w)) != NV_OPT_DONE) {	/* --set, --vncr ... taken into w */
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'a': o.archs = p.arg; break;
		case 'g': o.guest = p.arg; break;
		case 'c': o.cost = p.arg; break;
		case OPT_STATELESS: o.stateless = 1; break;
		case 'j':
			o.jobs = (int)strtol(p.arg, &end, 10);
			if (*end || !*p.arg || o.jobs < 1 || o.jobs > NV_REPLAY_MAX_JOBS)
				return nv_usage_error(&nv_spec_replay, "-j wants a number of threads,"
						      " 1 to %d, not '%s'", NV_REPLAY_MAX_JOBS, p.arg);
			break;
		case NV_OPT_CSV_KEY: case NV_OPT_JSON_KEY: fmt = c; break;
		}
	}
	if (argc - p.ind != 1)
		return nv_usage_error(&nv_spec_replay, "wants one RUN.db, not %d arguments", argc - p.ind);
	optind = p.ind;
	/* writable first: that also brings an older database's schema up to date */
	struct nvdb *db = ui_open_run("replay", argv[optind], 1);
	if (!db)
		return NV_EXIT_ERR;
	ui_settings(db, o.guest, o.cost, &d);
	o.guest = d.guest;
	o.cost = d.cost;
	o.progress = isatty(STDERR_FILENO) ? &progress_bar : NULL;
	if (nv_replay_run(db, &o, &res, err, sizeof(err))) {
		fprintf(stderr, "nvtrace replay: %s\n", err);
		nvdb_close(db);
		return NV_EXIT_ERR;
	}
	if (fmt)
		print_table(&res, &d, fmt == NV_OPT_JSON_KEY);
	else
		print_summary(&res, &d, &w);
	nvdb_close(db);
	return NV_EXIT_OK;
}
