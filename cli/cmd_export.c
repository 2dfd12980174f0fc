/*
 * nvtrace export: a run in other tools' formats.  --perfetto writes Chrome
 * trace-event JSON (vCPU tracks, nested exits as slices, traps to L0 as
 * slices inside them) for ui.perfetto.dev; --csv dumps every table.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "view/perfetto.h"
#include "view/viz_model.h"
#include "view/viz_run.h"
#include "cli/run_open.h"

/* The help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace export RUN.db (--perfetto OUT.json | --csv DIR) [--arch A] [--max-exits N]\n\n"
		"  -p, --perfetto OUT   Chrome trace-event JSON for the Perfetto UI: one track per\n"
		"                       vCPU, nested exits as slices, traps to L0 inside them\n"
		"  -C, --csv DIR        every table and view of the run as DIR/NAME.csv\n"
		"  -a, --arch A         architecture of the Perfetto slices (default v8.3)\n"
		"  -n, --max-exits N    Perfetto: the first N nested exits only (each v8.3\n"
		"                       hypercall adds 126 trap slices)\n"
		"  -g, --guest G        guest hypervisor profile of the replay to use (default: latest)\n"
		"  -c, --cost C         cost table of the replay to use (default: latest)\n"
		"  -h, --help           this help\n");
}

/* The Perfetto file, written next to its final name and renamed when whole. */
static int export_perfetto(const char *run, const char *out_path, const char *arch,
			   uint64_t max_exits, const char *guest, const char *cost)
{
	char err[NV_ERR_LEN] = "", tmp[4096];
	struct viz_source *s = viz_source_run(run, guest, cost, err, sizeof(err));
	FILE *out;
	int rc;

	if (!s) {
		fprintf(stderr, "nvtrace export: %s: %s\n", run, err);
		return NV_EXIT_ERR;
	}
	s->progress = &progress_bar;	/* a bar on stderr when it is a terminal */
	snprintf(tmp, sizeof(tmp), "%s.tmp", out_path);
	out = fopen(tmp, "w");
	if (!out) {
		fprintf(stderr, "nvtrace export: %s: %s\n", out_path, strerror(errno));
		viz_source_free(s);
		return NV_EXIT_ERR;
	}
	rc = perfetto_write(s, arch, max_exits, out, err, sizeof(err));
	if (fclose(out) && !rc) {
		snprintf(err, sizeof(err), "write error");
		rc = -1;
	}
	if (!rc && rename(tmp, out_path)) {
		snprintf(err, sizeof(err), "%s", strerror(errno));
		rc = -1;
	}
	if (rc) {
		unlink(tmp);
		fprintf(stderr, "nvtrace export: %s: %s\n", rc && !strcmp(err, "write error") ? out_path : run, err);
	}
	viz_source_free(s);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}

/* Every table of the run into DIR. */
static int export_csv(const char *run, const char *dir)
{
	char err[NV_ERR_LEN] = "";
	struct nvdb *db = ui_open_run("export", run, 0);
	int n;

	if (!db)
		return NV_EXIT_ERR;
	n = csv_dump(db, dir, err, sizeof(err));
	nvdb_close(db);
	if (n < 0) {
		fprintf(stderr, "nvtrace export: %s\n", err);
		return NV_EXIT_ERR;
	}
	fprintf(stderr, "nvtrace export: %d tables and views written to %s\n", n, dir);
	return NV_EXIT_OK;
}

/* Parse the options; Perfetto, then CSV when both are asked for. */
int cmd_export(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "perfetto", required_argument, NULL, 'p' },
		{ "csv", required_argument, NULL, 'C' },
		{ "arch", required_argument, NULL, 'a' },
		{ "max-exits", required_argument, NULL, 'n' },
		{ "guest", required_argument, NULL, 'g' },
		{ "cost", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 }
	};
	const char *perfetto = NULL, *csv = NULL, *arch = "v8.3";
	const char *guest = NULL, *cost = NULL;
	unsigned long long max_exits = 0;
	char *end;
	int c, rc = NV_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:C:a:n:g:c:h", opts, NULL)) != -1) {
		switch (c) {
		case 'p': perfetto = optarg; break;
		case 'C': csv = optarg; break;
		case 'a': arch = optarg; break;
		case 'n':
			max_exits = strtoull(optarg, &end, 10);
			if (*end || !*optarg || optarg[0] == '-') {
				fprintf(stderr, "nvtrace export: --max-exits wants a number, not '%s'\n", optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case 'g': guest = optarg; break;
		case 'c': cost = optarg; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default: usage(stderr); return NV_EXIT_USAGE;
		}
	}
	if (argc - optind != 1 || (!perfetto && !csv)) {
		fprintf(stderr, "nvtrace export: give one RUN.db and --perfetto OUT.json or --csv DIR\n");
		return NV_EXIT_USAGE;
	}
	if (perfetto)
		rc = export_perfetto(argv[optind], perfetto, arch, max_exits, guest, cost);
	if (csv && rc == NV_EXIT_OK)
		rc = export_csv(argv[optind], csv);
	return rc;
}
