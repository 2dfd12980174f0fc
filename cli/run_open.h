/* Opening a run database for a sub-command, and the settings a command uses on it. */
#ifndef NVTRACE_RUN_OPEN_H
#define NVTRACE_RUN_OPEN_H
#include "schema/db.h"
#include <stdio.h>
#include "replay/defaults.h"

/* v per n (traps per exit, ratios) for the tables commands print; 0 when n is 0. */
static inline double ui_per(uint64_t v, uint64_t n)
{
	return n ? (double)v / (double)n : 0.0;
}
/*
 * Open RUN.db for a command (one error line on failure).  The first time a
 * process opens a run that did not finish it says so on stderr, once, with
 * the stored reason (meta incomplete_reason).
 */
struct nvdb *ui_open_run(const char *cmd, const char *path, int writable);
/* The stored reason ("" when none) when the run at path (NULL: the last opened) is incomplete, else NULL. */
const char *ui_run_incomplete(const char *path);
/*
 * Every --json object on a run: `, "incomplete": {"status": S, "reason": R}`
 * (R null when not stored) when the run at path (NULL: the last opened) is
 * incomplete; nothing otherwise.  Written right after the object's first member.
 */
void ui_json_incomplete(FILE *f, const char *path);

/* How a nested run is read: host architecture, guest profile, cost table. */
struct ui_run_host {
	char arch[32];
	struct nv_run_defaults run;	/* guest, cost and where they came from */
};
/*
 * The host of a nested run (validate, advise, profile from): a synthetic
 * run's synth_arch_host, else v8.4; the guest and cost of ui_settings (the
 * one default of replay/defaults.h); each replaced by the option given
 * (non-NULL).
 */
void ui_run_host(struct nvdb *db, const char *o_arch, const char *o_guest, const char *o_cost,
		 struct ui_run_host *h);
/*
 * The guest profile and cost table a command uses on the run at path: the
 * user's (guest/cost not NULL), else the run's (replay/defaults.h), into d
 * (d->why "given" for the user's).  With `ensure`, replays the run first
 * (default architectures, progress bar on a terminal) when it has no
 * results for them, as compare does.  0, or the exit status after one line.
 */
int ui_run_settings(const char *cmd, const char *path, const char *guest, const char *cost,
		    int ensure, struct nv_run_defaults *d);
/* The same choice on a database already open (no replay). */
void ui_settings(struct nvdb *db, const char *guest, const char *cost, struct nv_run_defaults *d);
#endif
