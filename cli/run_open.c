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
#include "view/json.h"

/* The runs this process opened and whether each is incomplete: one warning each, the --json field. */
#define SEEN_RUNS 8
static struct seen_run {
	char path[512];
	char status[64];
	char reason[256];	/* meta incomplete_reason, "" when not stored */
	int incomplete;
} seen[SEEN_RUNS];
static int nseen;

static struct seen_run *seen_of(const char *path)
{
	for (int i = nseen - 1; i >= 0; i--)
		if (!path || strcmp(seen[i].path, path) == 0)
			return &seen[i];
	return NULL;
}

/*
 * Note the run's status the first time path is opened and say once when it
 * did not finish (a killed record, a full disk), with the stored reason.
 */
static void note_status(const char *cmd, const char *path, struct nvdb *db)
{
	struct seen_run *r;
	char safe[300], why[1100];
	if (seen_of(path) || strlen(path) >= sizeof(r->path))
		return;
	r = &seen[nseen < SEEN_RUNS ? nseen++ : SEEN_RUNS - 1];
	memset(r, 0, sizeof(*r));
	snprintf(r->path, sizeof(r->path), "%s", path);
	if (nvdb_meta_get(db, NVDB_META_STATUS, r->status, sizeof(r->status)))
		snprintf(r->status, sizeof(r->status), "none");
	r->incomplete = strcmp(r->status, NVDB_STATUS_COMPLETE) && strcmp(r->status, NVDB_STATUS_SIGNAL);
	if (!r->incomplete)
		return;
	nvdb_meta_get(db, NVDB_META_INCOMPLETE, r->reason, sizeof(r->reason));
	why[0] = 0;
	if (r->reason[0])
		snprintf(why, sizeof(why), " (reason: %s)", term_text(r->reason, safe, sizeof(safe)));
	fprintf(stderr, "nvtrace %s: %s: warning: the run is not complete (status '%s'): "
		"its events may end early%s\n", cmd, path,
		term_text(r->status, safe, sizeof(safe)), why);
}

/*
 * Open RUN.db for command `cmd`, or print the one error line every command
 * gives for a bad run file ("nvtrace CMD: FILE: problem"; nvdb_open's
 * message already names the file) and return NULL.
 */
struct nvdb *ui_open_run(const char *cmd, const char *path, int writable)
{
	char err[NV_ERR_LEN] = "";
	struct nvdb *db = nvdb_open(path, writable, err, sizeof(err));
	if (!db) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		return NULL;
	}
	note_status(cmd, path, db);	/* every reader says when the run did not finish */
	return db;
}

/* See run_open.h. */
const char *ui_run_incomplete(const char *path)
{
	struct seen_run *r = seen_of(path);
	return r && r->incomplete ? r->reason : NULL;
}

/* See run_open.h. */
void ui_json_incomplete(FILE *f, const char *path)
{
	struct seen_run *r = seen_of(path);
	if (!r || !r->incomplete)
		return;
	fprintf(f, ", \"incomplete\": {\"status\": ");
	json_str(f, r->status);
	fprintf(f, ", \"reason\": ");
	json_str(f, r->reason[0] ? r->reason : NULL);
	fputc('}', f);
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
		const char *why = res ? err : "out of memory";
		size_t n = strlen(path);	/* the file named once */
		if (strncmp(why, path, n) == 0 && why[n] == ':')
			fprintf(stderr, "nvtrace %s: %s\n", cmd, why);
		else
			fprintf(stderr, "nvtrace %s: %s: %s\n", cmd, path, why);
		free(res);
		nvdb_close(db);
		return NV_EXIT_ERR;
	}
	free(res);
	return nvdb_close(db) ? NV_EXIT_ERR : NV_EXIT_OK;
}
