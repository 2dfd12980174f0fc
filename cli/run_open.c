/* Opening a run database for a sub-command. */
#include <stdio.h>
#include "schema/err.h"
#include "cli/run_open.h"
#include "replay/replay.h"

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

/* See run_open.h. */
void ui_run_host(struct nvdb *db, const char *o_arch, const char *o_guest, const char *o_cost,
		 struct ui_run_host *h)
{
	snprintf(h->arch, sizeof(h->arch), "v8.4");
	snprintf(h->guest, sizeof(h->guest), "kvm-vhe");
	snprintf(h->cost, sizeof(h->cost), "%s", NV_REPLAY_DEFAULT_COST);
	nvdb_meta_get(db, "synth_arch_host", h->arch, sizeof(h->arch));
	nvdb_meta_get(db, "synth_guest", h->guest, sizeof(h->guest));
	nvdb_meta_get(db, "synth_cost", h->cost, sizeof(h->cost));
	if (o_arch)
		snprintf(h->arch, sizeof(h->arch), "%s", o_arch);
	if (o_guest)
		snprintf(h->guest, sizeof(h->guest), "%s", o_guest);
	if (o_cost)
		snprintf(h->cost, sizeof(h->cost), "%s", o_cost);
}
