/*
 * Reading a run's events for replay: in storage order while that is time
 * order (no sort, only the events reconstruction reads), else through
 * nvdb_iter, which sorts.  Per-vCPU state only.
 */
#include <stdio.h>
#include <string.h>
#include "progress.h"
#include "replay.h"

static const char *const mode_names[] = {
	"arm64-nested", "x86-nested", "arm64-single", "x86-single",
};

const char *nv_recon_mode_name(enum nv_recon_mode m)
{
	return (unsigned)m < sizeof(mode_names) / sizeof(mode_names[0]) ? mode_names[m] : "?";
}

static int exists(struct nvdb *db, const char *sql)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(nvdb_sql(db), sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		found = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return found;
}

enum nv_recon_mode nv_replay_mode_of(struct nvdb *db)
{
	char q[160], arch[32] = "";
	nvdb_meta_get(db, NVDB_META_HOST_ARCH, arch, sizeof(arch));
	snprintf(q, sizeof(q), "SELECT EXISTS (SELECT 1 FROM events WHERE type IN (%d, %d))",
		 NV_EV_KVM_INJECT_NESTED_EXC, NV_EV_KVM_NESTED_ERET);
	int arm = exists(db, q);
	snprintf(q, sizeof(q), "SELECT EXISTS (SELECT 1 FROM events WHERE type IN (%d, %d))",
		 NV_EV_KVM_NESTED_VMEXIT_INJECT, NV_EV_KVM_NESTED_VMENTER);
	int x86 = exists(db, q);
	return nv_recon_mode_for(!strcmp(arch, "arm64") || !strcmp(arch, "aarch64"), arm, x86);
}

static int32_t small(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? -1 : sqlite3_column_int(st, col);
}

static uint64_t big(sqlite3_stmt *st, int col, uint16_t *have, uint16_t bit)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	*have |= bit;
	return (uint64_t)sqlite3_column_int64(st, col);
}

/*
 * The fast pass: storage order, 1 at the first event older than the one
 * before (then the caller starts over sorted); on a
 * connection of its own without SQLite's mutexes, decoding only the events
 * reconstruction reads (SQLite decodes a column when asked; filtering in
 * SQL with "type IN (...)" cost more than it saved).  Reading is most of
 * replay's time.
 */
static int scan_stored(struct nvdb *db, struct nv_recon *r, int progress)
{
	static const char q[] =
		"SELECT type, ts, pid, vcpu, reason, ec, sysreg, dir, mode, addr, value, aux"
		" FROM events ORDER BY id";
	uint8_t want[NV_EV__COUNT];
	sqlite3 *rd;
	sqlite3_stmt *st;
	struct nv_event ev;
	int64_t n = 0, last = INT64_MIN;
	int rc;
	for (int t = 0; t < NV_EV__COUNT; t++)
		want[t] = (uint8_t)nv_recon_wants(t);
	if (sqlite3_open_v2(nvdb_path(db), &rd, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK || sqlite3_prepare_v2(rd, q, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(rd);
		return -1;
	}
	nv_event_clear(&ev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((++n & 0xffff) == 0 && progress)
			progress_update((uint64_t)n);
		int64_t ts = sqlite3_column_int64(st, 1);
		if (ts < last) {
			rc = SQLITE_ABORT;
			break;
		}
		last = ts;
		int type = sqlite3_column_int(st, 0);
		if (type < 0 || type >= NV_EV__COUNT || !want[type])
			continue;
		ev.type = (uint16_t)type;
		ev.ts = ts;
		ev.pid = small(st, 2);
		ev.vcpu = small(st, 3);
		ev.reason = small(st, 4);
		ev.ec = small(st, 5);
		ev.sysreg = small(st, 6);
		ev.dir = small(st, 7);
		ev.mode = small(st, 8);
		ev.have = 0;
		ev.addr = big(st, 9, &ev.have, NV_HAVE_ADDR);
		ev.value = big(st, 10, &ev.have, NV_HAVE_VALUE);
		ev.aux = big(st, 11, &ev.have, NV_HAVE_AUX);
		nv_recon_feed(r, &ev);
	}
	sqlite3_finalize(st);
	sqlite3_close(rd);
	return rc == SQLITE_DONE ? 0 : rc == SQLITE_ABORT ? 1 : -1;
}

/* The general pass: nvdb_iter in (ts, id) order. */
static int scan_sorted(struct nvdb *db, struct nv_recon *r, int progress)
{
	struct nvdb_iter *it = nvdb_iter_new(db, NULL);
	struct nv_event ev;
	int64_t n = 0;
	int rc;
	if (!it)
		return -1;
	while ((rc = nvdb_iter_next(it, &ev)) == 1) {
		if (nv_recon_wants(ev.type))
			nv_recon_feed(r, &ev);
		if ((++n & 0xffff) == 0 && progress)
			progress_update((uint64_t)n);
	}
	nvdb_iter_free(it);
	return rc == 0 ? 0 : -1;
}

int nv_replay_scan(struct nvdb *db, enum nv_recon_mode mode, nv_recon_fn fn,
		   nv_restart_fn restart, void *ctx, struct nv_recon_stats *stats, int progress)
{
	struct nv_recon *r = nv_recon_new(mode, fn, ctx);
	int rc;
	if (!r)
		return -1;
	if (progress)
		progress_start("replay", (uint64_t)nvdb_meta_get_i64(db, NVDB_META_EVENTS, 0));
	rc = scan_stored(db, r, progress);
	if (rc == 1) {		/* not stored in time order: undo, and read sorted */
		nv_recon_free(r);
		r = restart(ctx) ? NULL : nv_recon_new(mode, fn, ctx);
		rc = r ? scan_sorted(db, r, progress) : -1;
	}
	if (progress)
		progress_end();
	if (rc == 0) {
		nv_recon_finish(r);
		*stats = *nv_recon_stats(r);
		stats->events = nvdb_meta_get_i64(db, NVDB_META_EVENTS, stats->events);
	}
	nv_recon_free(r);
	return rc ? -1 : 0;
}
