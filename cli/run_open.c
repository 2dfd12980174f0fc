/* Opening a run database for a sub-command. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/run_open.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/term_text.h"
#include "replay/results.h"

/*
 * Open RUN.db for command `cmd`, or print the one error line every command
 * gives for a bad run file ("nvtrace CMD: FILE: problem"; nvdb_open's
 * message already names the file) and return NULL.
 */
struct nvdb *ui_open_run(const char *cmd, const char *path, int writable)
{
	char err[NV_ERR_LEN] = "";
	struct nvdb *db = nvdb_open(path, writable, err, sizeof(err));
	char status[64] = "", safe[300];
	if (!db) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		return NULL;
	}
	/* every reader says when the run did not finish (a killed record, a full disk) */
	if (nvdb_meta_get(db, NVDB_META_STATUS, status, sizeof(status)) ||
	    (strcmp(status, NVDB_STATUS_COMPLETE) && strcmp(status, NVDB_STATUS_SIGNAL)))
		fprintf(stderr, "nvtrace %s: %s: warning: the run is not complete (status '%s'): "
			"its events may end early\n", cmd, path,
			term_text(status[0] ? status : "none", safe, sizeof(safe)));
	return db;
}

/* See run_open.h. */
void ui_run_host(struct nvdb *db, const char *o_arch, const char *o_guest, const char *o_cost,
		 struct ui_run_host *h)
{
	snprintf(h->arch, sizeof(h->arch), "v8.4");
	nvdb_meta_get(db, "synth_arch_host", h->arch, sizeof(h->arch));
	if (o_arch)
		snprintf(h->arch, sizeof(h->arch), "%s", o_arch);
	ui_settings(db, o_guest, o_cost, &h->run);
}

/* See run_open.h. */
void ui_settings(struct nvdb *db, const char *guest, const char *cost, struct nv_run_defaults *d)
{
	nv_run_defaults(db, d);
	if (guest)
		snprintf(d->guest, sizeof(d->guest), "%s", guest);
	if (cost)
		snprintf(d->cost, sizeof(d->cost), "%s", cost);
	if (guest)
		d->why = "given";
}

/* See run_open.h. */
int ui_run_settings(const char *cmd, const char *path, const char *guest, const char *cost,
		    int ensure, struct nv_run_defaults *d)
{
	char err[NV_ERR_LEN] = "";
	struct nv_results_replay rp;
	struct nv_replay_result *res;
	struct nvdb *db = ui_open_run(cmd, path, 0);
	int have;

	if (!db)
		return NV_EXIT_ERR;
	ui_settings(db, guest, cost, d);
	have = nv_results_pick(db, d->guest, d->cost, &rp, err, sizeof(err)) == 0;
	nvdb_close(db);
	if (!ensure || have)
		return NV_EXIT_OK;
	struct nv_replay_opts o = { .archs = NV_REPLAY_DEFAULT_ARCHS, .guest = d->guest, .cost = d->cost,
				    .progress = isatty(STDERR_FILENO) ? &progress_bar : NULL };
	if (!(db = ui_open_run(cmd, path, 1)))
		return NV_EXIT_ERR;
	res = malloc(sizeof(*res));
	if (!res || nv_replay_run(db, &o, res, err, sizeof(err))) {
		fprintf(stderr, "nvtrace %s: %s: %s\n", cmd, path, res ? err : "out of memory");
		free(res);
		nvdb_close(db);
		return NV_EXIT_ERR;
	}
	free(res);
	return nvdb_close(db) ? NV_EXIT_ERR : NV_EXIT_OK;
}
