/* The default guest profile and cost table for a run (see defaults.h). */
#include <stdio.h>
#include <string.h>
#include <sqlite3.h>
#include "replay/defaults.h"

#define HCR_E2H (1ull << 34)

/*
 * HCR_EL2 of the guest hypervisor as L0 logs it (aux of
 * kvm_inject_nested_exception / kvm_nested_eret): 1 VHE, 0 nVHE, -1 unknown
 * (no such event: a single-level or x86 run).
 */
static int guest_e2h(struct nvdb *db)
{
	sqlite3_stmt *st;
	int e2h = -1, any = 0;
	/* the names first: a run without them is not scanned */
	if (sqlite3_prepare_v2(nvdb_sql(db), "SELECT count(*) FROM event_names WHERE name IN"
			       " ('kvm_inject_nested_exception', 'kvm_nested_eret')", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		any = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!any || sqlite3_prepare_v2(nvdb_sql(db),
			       "SELECT aux FROM events WHERE name_id IN (SELECT id FROM event_names"
			       " WHERE name IN ('kvm_inject_nested_exception', 'kvm_nested_eret'))"
			       " AND aux IS NOT NULL LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		e2h = ((uint64_t)sqlite3_column_int64(st, 0) & HCR_E2H) != 0;
	sqlite3_finalize(st);
	return e2h;
}

void nv_run_defaults(struct nvdb *db, struct nv_run_defaults *d)
{
	int e2h;
	snprintf(d->guest, sizeof(d->guest), NV_DEFAULT_GUEST);
	snprintf(d->cost, sizeof(d->cost), NV_DEFAULT_COST);
	d->why = "default";
	if (!db)
		return;
	nvdb_meta_get(db, "synth_cost", d->cost, sizeof(d->cost));
	if (nvdb_meta_get(db, "synth_guest", d->guest, sizeof(d->guest)) == 0 && d->guest[0]) {
		d->why = "the synthetic run's";
		return;
	}
	e2h = guest_e2h(db);
	if (e2h >= 0) {
		snprintf(d->guest, sizeof(d->guest), e2h ? "kvm-vhe" : "kvm-nvhe");
		d->why = e2h ? "the trace's guest HCR_EL2.E2H=1" : "the trace's guest HCR_EL2.E2H=0";
	}
}

const char *nv_exits_label(const char *mode_name)
{
	return mode_name && strstr(mode_name, "single") ? "exits of a single-level VM (each replayed as a nested exit)"
							: "nested exits";
}
