/* Opening a run database for a sub-command. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/run_open.h"
#include "cli/commands.h"
#include "cli/progress.h"
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
	if (!db)
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
	return db;
}

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
	struct nv_replay_opts o = { NV_REPLAY_DEFAULT_ARCHS, d->guest, d->cost,
				    isatty(STDERR_FILENO) ? &progress_bar : NULL, 0 };
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
