/*
 * nvtrace export: a run in other tools' formats.  -o (or --perfetto) writes
 * Chrome trace-event JSON (vCPU tracks, nested exits as slices, traps to L0
 * as slices inside them) for ui.perfetto.dev; --csv prints the nested exits
 * with their costs; --csv-dir dumps every table.  A Perfetto file larger than
 * --limit is estimated first and needs a confirmation or --force.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/cleanup.h"
#include "cli/commands.h"
#include "cli/opts.h"
#include "cli/progress.h"
#include "replay/results.h"
#include "view/perfetto.h"
#include "view/viz_model.h"
#include "view/viz_run.h"
#include "cli/run_open.h"
#include "cli/model_cli.h"

enum { OPT_PERFETTO = NV_OPT_CMD_BASE, OPT_CSV_DIR, OPT_LIMIT };

static const struct nv_opt export_opts[] = {
	NV_OPT_OUTPUT("OUT.json", "Chrome trace-event JSON for the Perfetto UI: one track per\n"
		      "vCPU, nested exits as slices, traps to L0 inside them"),
	{ OPT_PERFETTO, "perfetto", "OUT.json", "the same as -o", NVC_FILE, NULL },
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: the nested exits and their cost under each\n"
	  "architecture (view exit_costs_named)", NVC_NONE, NULL },
	{ OPT_CSV_DIR, "csv-dir", "DIR", "every table and view of the run as DIR/NAME.csv", NVC_DIR, NULL },
	NV_OPT_ARCH("architecture of the Perfetto slices (default v8.3)"),
	{ 'n', "max-exits", "N", "Perfetto: the first N nested exits only (each v8.3\n"
	  "hypercall adds about 126 trap slices)", NVC_NONE, NULL },
	NV_OPT_GUEST("guest-hypervisor profile of the replay (default: the run's)"),
	NV_OPT_COST("cost table of the replay (default: the run's)"),
	{ OPT_LIMIT, "limit", "MB", "Perfetto: ask before writing more than MB megabytes\n"
	  "(default 1024; estimated from the replay's trap counts)", NVC_NONE, NULL },
	NV_OPT_FORCE("write a Perfetto file above --limit without asking"),
	{ 0 }
};

const struct nv_cmd_spec nv_spec_export = {
	"export", "RUN.db -o OUT.json [--arch A] [--max-exits N] [--force]\n"
	"RUN.db --csv | --csv-dir DIR",
	"Export a run: Perfetto's JSON (open it at ui.perfetto.dev), the nested exits as\n"
	"CSV on stdout, or every table as CSV files.  The run is replayed first when it\n"
	"has no results for the guest profile and cost table.  An interrupted export\n"
	"leaves no file behind.",
	export_opts, NVC_DB, NULL, 0,
};

/* Bytes per nested exit (its slice and its function, operation and fate
 * slices) and per trap beyond them, fitted to the v8.3 and neve exports of a
 * synthetic hypercall run (synth -w hypercall -d 0.02 --arch-host v8.4: 710
 * exits; 14,200 traps, 6,453,245 bytes; 2,130 traps, 6,138,689 bytes); the
 * real nv-hypercall.dat run (1,193 exits, 20,000 traps, 9,263,591 bytes) is
 * estimated 16% high.  Used only for the size estimate. */
#define EXIT_SLICE_BYTES 8568.0
#define TRAP_SLICE_BYTES 26.0

/* Estimated size of the Perfetto file, bytes; 0 when the replay is not found. */
static double perfetto_estimate(const char *run, const char *arch, uint64_t max_exits,
				const struct nv_run_defaults *d)
{
	struct nv_replay_opts o = { .archs = NV_REPLAY_DEFAULT_ARCHS, .guest = d->guest, .cost = d->cost };
	struct nv_replay_result *r = malloc(sizeof(*r));
	struct nvdb *db = ui_open_run("export", run, 0);
	double bytes = 0, exits = 0, traps = 0;
	int a;

	if (db && r && nv_replay_load(db, &o, r) == 1 && (a = nv_results_arch_index(r, arch)) >= 0) {
		for (int k = 0; k < NV_KIND__COUNT; k++) {
			exits += (double)r->exits[k];
			traps += (double)r->traps[a][k];
		}
		if (max_exits && exits > (double)max_exits) {
			traps *= (double)max_exits / exits;
			exits = (double)max_exits;
		}
		bytes = exits * EXIT_SLICE_BYTES + traps * TRAP_SLICE_BYTES;
	}
	free(r);
	nvdb_close(db);
	return bytes;
}

/* Whether to go on with a file this large: --force, a "y" on a terminal, else no. */
static int confirm(double bytes, double limit_mb, int force)
{
	char line[16];
	if (force || bytes <= limit_mb * 1e6)
		return 1;
	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO)) {
		fprintf(stderr, "nvtrace export: the Perfetto file would be about %.0f MB (over --limit %g);"
			" use --max-exits N, or --force\n", bytes / 1e6, limit_mb);
		return 0;
	}
	fprintf(stderr, "nvtrace export: the Perfetto file would be about %.0f MB; write it? [y/N] ",
		bytes / 1e6);
	return fgets(line, sizeof(line), stdin) && (line[0] == 'y' || line[0] == 'Y');
}

/* The Perfetto file, written next to its final name and renamed when whole. */
static int export_perfetto(const char *run, const char *out_path, const char *arch,
			   uint64_t max_exits, const struct nv_run_defaults *d)
{
	char err[NV_ERR_LEN] = "", tmp[4096];
	struct viz_source *s = viz_source_run(run, d->guest, d->cost, err, sizeof(err));
	FILE *out;
	int rc;

	if (!s) {
		fprintf(stderr, "nvtrace export: %s: %s\n", run, err);
		return NV_EXIT_ERR;
	}
	s->progress = &progress_bar;	/* a bar on stderr when it is a terminal */
	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", out_path, (int)getpid());
	cleanup_on_signal(tmp);
	out = fopen(tmp, "w");
	if (!out) {
		cleanup_forget();
		fprintf(stderr, "nvtrace export: %s: %s\n", out_path, strerror(errno));
		viz_source_free(s);
		return NV_EXIT_ERR;
	}
	/* an incomplete run says so in the file's metadata too, as every --json does */
	char *other = NULL;
	size_t other_len = 0;
	FILE *mf = open_memstream(&other, &other_len);
	if (mf) {
		ui_json_incomplete(mf, run);
		fclose(mf);
	}
	rc = perfetto_write(s, arch, max_exits, other, out, err, sizeof(err));
	free(other);
	if (fclose(out) && !rc) {
		snprintf(err, sizeof(err), "write error");
		rc = -1;
	}
	if (!rc && rename(tmp, out_path)) {
		snprintf(err, sizeof(err), "%s", strerror(errno));
		rc = -1;
	}
	cleanup_forget();
	if (rc) {
		unlink(tmp);
		fprintf(stderr, "nvtrace export: %s: %s\n", !strcmp(err, "write error") ? out_path : run, err);
	} else {
		fprintf(stderr, "nvtrace export: wrote %s (%s, guest %s, cost %s)\n", out_path, arch,
			d->guest, d->cost);
	}
	viz_source_free(s);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}

/* Every table of the run into DIR, or the exit_costs view to stdout (dir NULL). */
static int export_csv(const char *run, const char *dir)
{
	char err[NV_ERR_LEN] = "";
	struct nvdb *db = ui_open_run("export", run, 0);
	int n;

	if (!db)
		return NV_EXIT_ERR;
	n = dir ? csv_dump(db, dir, err, sizeof(err)) : csv_table(db, "exit_costs_named", stdout, err, sizeof(err));
	nvdb_close(db);
	if (n < 0) {
		fprintf(stderr, "nvtrace export: %s: %s\n", run, err);
		return NV_EXIT_ERR;
	}
	if (dir)
		fprintf(stderr, "nvtrace export: %d tables and views written to %s\n", n, dir);
	return NV_EXIT_OK;
}

/* Parse the options; replay if needed; Perfetto, then CSV when both are asked for. */
int cmd_export(int argc, char **argv)
{
	const char *perfetto = NULL, *csv_dir = NULL, *arch = "v8.3";
	const char *guest = NULL, *cost = NULL;
	unsigned long long max_exits = 0;
	double limit = 1024;
	struct nv_run_defaults d;
	struct nv_optparse p;
	char *end;
	int c, csv = 0, force = 0, rc = NV_EXIT_OK;
	const struct nv_arch *known;

	nv_opt_init(&p, &nv_spec_export, argc, argv);
	while ((c = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'o': case OPT_PERFETTO: perfetto = p.arg; break;
		case NV_OPT_CSV_KEY: csv = 1; break;
		case OPT_CSV_DIR: csv_dir = p.arg; break;
		case 'a': arch = p.arg; break;
		case 'n':
			max_exits = strtoull(p.arg, &end, 10);
			if (*end || !*p.arg || p.arg[0] == '-')
				return nv_usage_error(&nv_spec_export, "--max-exits wants a number, not '%s'", p.arg);
			break;
		case 'g': guest = p.arg; break;
		case 'c': cost = p.arg; break;
		case OPT_LIMIT:
			limit = strtod(p.arg, &end);
			if (*end || !*p.arg || !(limit >= 0))
				return nv_usage_error(&nv_spec_export, "--limit wants megabytes, not '%s'", p.arg);
			break;
		case NV_OPT_FORCE_KEY: force = 1; break;
		}
	}
	if (argc - p.ind != 1)
		return nv_usage_error(&nv_spec_export, "wants one RUN.db, not %d arguments", argc - p.ind);
	if (!perfetto && !csv && !csv_dir)
		return nv_usage_error(&nv_spec_export, "what to export? (-o OUT.json, --csv or --csv-dir DIR)");
	if (perfetto && csv)
		return nv_usage_error(&nv_spec_export, "--csv prints to stdout; write Perfetto in another run");
	if ((rc = model_cli_arch("export", arch, &known)))
		return rc;
	const char *run = argv[p.ind];
	if ((rc = ui_run_settings("export", run, guest, cost, 1, &d)))
		return rc;
	if (perfetto && !confirm(perfetto_estimate(run, arch, max_exits, &d), limit, force))
		return NV_EXIT_ERR;
	if (perfetto)
		rc = export_perfetto(run, perfetto, arch, max_exits, &d);
	if ((csv || csv_dir) && rc == NV_EXIT_OK)
		rc = export_csv(run, csv_dir);
	return rc;
}
