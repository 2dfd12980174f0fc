/* nvtrace compare ARCH... RUN.db: per nested-exit kind, each architecture's cost on a run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/compare_bench.h"
#include "replay/results.h"
#include "view/json.h"
#include "cli/run_open.h"
#include "cli/whatif_cli.h"
#include "cli/model_cli.h"

enum fmt { FMT_TEXT, FMT_CSV, FMT_JSON };

/* Traps and cycles of architecture a over all kinds. */
static void sum_arch(const struct nv_replay_result *r, int a, uint64_t *traps, uint64_t *cycles)
{
	*traps = *cycles = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		*traps += r->traps[a][k];
		*cycles += r->cycles[a][k];
	}
}

/* Two tables (traps, cycles per exit by kind), then totals, slowdown and time share. */
static void print_text(const char *path, const struct nv_replay_result *r, char **archs,
		       int n, double ghz, uint64_t exits, double dur_ns, const char *guest,
		       const char *cost, const char *why)
{
	int vm = nv_results_arch_index(r, "vm");
	printf("%s: %s, %llu %s, guest %s (%s), cost %s\n", path, nv_recon_mode_name(r->mode),
	       (unsigned long long)exits, nv_exits_label(nv_recon_mode_name(r->mode)), guest, why, cost);
	for (int i = 0; i < n; i++)
		if (nv_cost_hypothetical(nv_cost_find(cost), nv_arch_find(archs[i])))
			printf("hypothetical: %s with cost %s (%s)\n", archs[i], cost,
			       nv_cost_hypothetical_why(nv_cost_find(cost), nv_arch_find(archs[i])));
	if (r->st.incomplete_start || r->st.incomplete_end || r->st.unmatched || r->lost_events)
		printf("not replayed: %lld incomplete at start, %lld at end, %lld unmatched;"
		       " %lld lost events\n", (long long)r->st.incomplete_start,
		       (long long)r->st.incomplete_end, (long long)r->st.unmatched,
		       (long long)r->lost_events);
	for (int table = 0; table < 2; table++) {
		printf("\n%s per nested exit\n%-8s %8s", table ? "cycles" : "traps", "kind", "count");
		for (int i = 0; i < n; i++)
			printf(" %10s", archs[i]);
		printf("\n");
		for (int k = 0; k < NV_KIND__COUNT; k++) {
			if (!r->exits[k])
				continue;
			printf("%-8s %8llu", nv_kind_name(k), (unsigned long long)r->exits[k]);
			for (int i = 0; i < n; i++) {
				int a = nv_results_arch_index(r, archs[i]);
				if (!r->traps[vm][k])	/* even vm traps once: no path */
					printf(" %10s", "-");
				else if (table)
					printf(" %10.0f", ui_per(r->cycles[a][k], r->exits[k]));
				else
					printf(" %10.1f", ui_per(r->traps[a][k], r->exits[k]));
			}
			printf("\n");
		}
	}
	for (int k = 0; k < NV_KIND__COUNT; k++)
		if (r->exits[k] && !r->traps[vm][k]) {
			printf("(-: the guest profile has no path for this kind: UNMODELLED, counted at"
			       " cost 0)\n");
			break;
		}
	uint64_t ue, ut, ae, at;
	char line[160];
	nv_replay_unmodelled(r, &ue, &ut, &ae, &at);
	nv_unmodelled_line(ue, ut, ae, at, line, sizeof(line));
	printf("%s\n", line);
	uint64_t vt, vc;
	sum_arch(r, vm, &vt, &vc);
	printf("\n%-6s %12s %14s %10s %12s %10s\n", "arch", "traps", "cycles", "traps/exit",
	       "slowdown/vm", "run time");
	for (int i = 0; i < n; i++) {
		uint64_t t, c;
		sum_arch(r, nv_results_arch_index(r, archs[i]), &t, &c);
		printf("%-6s %12llu %14llu %10.1f %11.1fx", archs[i], (unsigned long long)t,
		       (unsigned long long)c, ui_per(t, exits), ui_per(c, vc));
		if (dur_ns > 0)
			printf(" %9.1f%%\n", 100.0 * (double)c / ghz / dur_ns);
		else
			printf(" %10s\n", "-");
	}
	if (dur_ns > 0)
		printf("\nrun time: the nested exits' cycles at %.1f GHz as a share of the run's %.3f s\n"
		       "(above 100%%: they would take longer than the whole recorded run)\n",
		       ghz, dur_ns / 1e9);
}

/* kind,count,arch,traps,cycles: per exit, then a total row per arch. */
static void print_csv(const struct nv_replay_result *r, char **archs, int n, uint64_t exits)
{
	printf("kind,count,arch,traps,cycles\n");
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		if (!r->exits[k])
			continue;
		for (int i = 0; i < n; i++) {
			int a = nv_results_arch_index(r, archs[i]);
			printf("%s,%llu,%s,%.2f,%.0f\n", nv_kind_name(k),
			       (unsigned long long)r->exits[k], archs[i],
			       ui_per(r->traps[a][k], r->exits[k]), ui_per(r->cycles[a][k], r->exits[k]));
		}
	}
	for (int i = 0; i < n; i++) {
		uint64_t t, c;
		sum_arch(r, nv_results_arch_index(r, archs[i]), &t, &c);
		printf("total,%llu,%s,%.2f,%.0f\n", (unsigned long long)exits, archs[i],
		       ui_per(t, exits), ui_per(c, exits));
	}
}

/* The same as text, as one JSON object. */
static void print_json(const char *path, const struct nv_replay_result *r, char **archs,
		       int n, double ghz, uint64_t exits, double dur_ns, const char *guest,
		       const char *cost)
{
	int vm = nv_results_arch_index(r, "vm");
	uint64_t vt, vc;
	sum_arch(r, vm, &vt, &vc);
	printf("{\"run\": ");
	json_str(stdout, path);
	ui_json_incomplete(stdout, path);
	printf(", \"mode\": ");
	json_str(stdout, nv_recon_mode_name(r->mode));
	printf(", \"guest\": ");
	json_str(stdout, guest);
	printf(", \"cost\": ");
	json_str(stdout, cost);
	printf(",\n"
	       " \"nested_exits\": %llu, \"duration_ns\": %.0f, \"ghz\": %g,\n"
	       " \"incomplete_start\": %lld, \"incomplete_end\": %lld, \"unmatched\": %lld,"
	       " \"lost_events\": %lld,\n \"kinds\": [", (unsigned long long)exits, dur_ns, ghz,
	       (long long)r->st.incomplete_start, (long long)r->st.incomplete_end,
	       (long long)r->st.unmatched, (long long)r->lost_events);
	int first = 1;
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		if (!r->exits[k])
			continue;
		printf("%s\n  {\"kind\": \"%s\", \"count\": %llu, \"modelled\": %s, \"archs\": {",
		       first ? "" : ",", nv_kind_name(k), (unsigned long long)r->exits[k],
		       r->traps[vm][k] ? "true" : "false");
		first = 0;
		for (int i = 0; i < n; i++) {
			int a = nv_results_arch_index(r, archs[i]);
			printf("%s\"%s\": {\"traps_per_exit\": %.4f, \"cycles_per_exit\": %.1f}",
			       i ? ", " : "", archs[i], ui_per(r->traps[a][k], r->exits[k]),
			       ui_per(r->cycles[a][k], r->exits[k]));
		}
		printf("}}");
	}
	printf("],\n \"totals\": {");
	for (int i = 0; i < n; i++) {
		uint64_t t, c;
		sum_arch(r, nv_results_arch_index(r, archs[i]), &t, &c);
		printf("%s\n  \"%s\": {\"traps\": %llu, \"cycles\": %llu, \"slowdown_vs_vm\": %.4f",
		       i ? "," : "", archs[i], (unsigned long long)t, (unsigned long long)c,
		       ui_per(c, vc));
		if (dur_ns > 0)
			printf(", \"run_time_share\": %.6f", (double)c / ghz / dur_ns);
		printf("}");
	}
	printf("}}\n");
}

/* The RUN.db form of compare (cmd_compare.c hands over on a .db argument). */
int compare_run_main(int argc, char **argv)
{
	static char *all[] = { "vm", "v8.3", "neve", "v8.4" };
	const char *guest = NULL, *cost = NULL, *path = NULL;
	struct nv_run_defaults d;
	struct nv_whatif w = { 0 };
	char gkey[768];
	enum fmt fmt = FMT_TEXT;
	double ghz = 2.4;
	char err[NV_ERR_LEN], *end, *archs[NV_REPLAY_MAX_ARCH];
	const struct nv_arch *known;
	struct nv_optparse o;
	int c, n = 0, rc;

	nv_opt_init(&o, &nv_spec_compare, argc, argv);
	while ((c = whatif_cli_next(&o, "compare", &w)) != NV_OPT_DONE) {	/* --set, --vncr ... taken into w */
		switch (c) {
		case NV_OPT_STOP: return o.status;
		case 'g': guest = o.arg; break;
		case 'c': cost = o.arg; break;
		case COMPARE_OPT_GHZ:
			/* nan, inf, 0 or junk would end in a division or invalid JSON */
			ghz = strtod(o.arg, &end);
			if (end == o.arg || *end || !isfinite(ghz) || !(ghz > 0) || ghz > 1000)
				return nv_usage_error(&nv_spec_compare, "--ghz: a clock in GHz (0 to 1000), "
						      "not '%s'", o.arg);
			break;
		case NV_OPT_CSV_KEY: fmt = FMT_CSV; break;
		case NV_OPT_JSON_KEY: fmt = FMT_JSON; break;
		}
	}
	for (int i = o.ind; i < argc; i++) {
		size_t len = strlen(argv[i]);
		if (len > 3 && !strcmp(argv[i] + len - 3, ".db")) {
			if (path)
				return nv_usage_error(&nv_spec_compare, "one RUN.db at a time, not %s and %s",
						      path, argv[i]);
			path = argv[i];
		} else if (n == NV_REPLAY_MAX_ARCH - 1) {
			return nv_usage_error(&nv_spec_compare, "at most %d architectures",
					      NV_REPLAY_MAX_ARCH - 1);
		} else if ((rc = model_cli_arch("compare", argv[i], &known))) {
			return rc;
		} else {
			archs[n++] = argv[i];
		}
	}
	if (!n)		/* like the microbenchmark form: every architecture */
		for (n = 0; n < (int)(sizeof(all) / sizeof(all[0])); n++)
			archs[n] = all[n];
	if ((rc = ui_run_settings("compare", path, guest, cost, 0, &d)))
		return rc;
	guest = d.guest;
	cost = d.cost;
	struct nvdb *db = ui_open_run("compare", path, 1);
	if (!db)
		return NV_EXIT_ERR;
	struct nv_replay_result *r = malloc(sizeof(*r));
	if (!r || nv_results_get(db, archs, n, guest, cost, &w,
				   isatty(STDERR_FILENO) ? &progress_bar : NULL, r, err, sizeof(err))) {
		fprintf(stderr, "nvtrace compare: %s\n", r ? err : "out of memory");
		free(r);
		nvdb_close(db);
		return NV_EXIT_ERR;
	}
	uint64_t exits = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++)
		exits += r->exits[k];
	double dur = r->ts_last > r->ts_first ? (double)(r->ts_last - r->ts_first) : 0;
	nv_replay_guest_key(guest, &w, gkey, sizeof(gkey));
	guest = gkey;	/* the edits show with the guest's name */
	if (fmt == FMT_CSV)
		print_csv(r, archs, n, exits);
	else if (fmt == FMT_JSON)
		print_json(path, r, archs, n, ghz, exits, dur, guest, cost);
	else
		print_text(path, r, archs, n, ghz, exits, dur, guest, cost, d.why);
	free(r);
	nvdb_close(db);
	return NV_EXIT_OK;
}
