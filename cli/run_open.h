/* Opening a run database for a sub-command. */
#ifndef NVTRACE_RUN_OPEN_H
#define NVTRACE_RUN_OPEN_H
#include "schema/db.h"

struct nvdb *ui_open_run(const char *cmd, const char *path, int writable);

/* How a nested run is read: host architecture, guest profile, cost table. */
struct ui_run_host {
	char arch[32], guest[256], cost[64];
};
/*
 * The host of a nested run (validate, advise, profile from): a synthetic
 * run's synth_arch_host / synth_guest / synth_cost, else v8.4, kvm-vhe and
 * the default cost table; each replaced by the option given (non-NULL).
 */
void ui_run_host(struct nvdb *db, const char *o_arch, const char *o_guest, const char *o_cost,
		 struct ui_run_host *h);
#endif
