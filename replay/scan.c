/*
 * Reading a run's events for replay: in storage order when that is time
 * order (no sort, and only the columns reconstruction reads), else through
 * nvdb_iter, which sorts.  Either way one pass, per-vCPU state only.
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

/* The fast pass: storage order (checked to be time order beforehand). */
static int scan_stored(struct nvdb *db, struct nv_recon *r, int progress)
{
	static const char q[] =
		"SELECT ts, cpu, pid, vcpu, type, reason, ec, sysreg, dir, mode,"
		" pc, addr, value, aux FROM events ORDER BY id";
	sqlite3_stmt *st;
	struct nv_event ev;
	int64_t n = 0;
	int rc;
	if (sqlite3_prepare_v2(nvdb_sql(db), q, -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ev.ts = sqlite3_column_int64(st, 0);
		ev.cpu = small(st, 1);
		ev.pid = small(st, 2);
		ev.vcpu = small(st, 3);
		ev.type = (uint16_t)sqlite3_column_int(st, 4);
		ev.name_id = -1;
		ev.reason = small(st, 5);
		ev.ec = small(st, 6);
		ev.sysreg = small(st, 7);
		ev.dir = small(st, 8);
		ev.mode = small(st, 9);
		ev.have = 0;
		ev.pc = big(st, 10, &ev.have, NV_HAVE_PC);
		ev.addr = big(st, 11, &ev.have, NV_HAVE_ADDR);
		ev.value = big(st, 12, &ev.have, NV_HAVE_VALUE);
		ev.aux = big(st, 13, &ev.have, NV_HAVE_AUX);
		ev.raw = NULL;
		nv_recon_feed(r, &ev);
		if (progress && (++n & 0xffff) == 0)
			progress_update((uint64_t)n);
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
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
		nv_recon_feed(r, &ev);
		if (progress && (++n & 0xffff) == 0)
			progress_update((uint64_t)n);
	}
	nvdb_iter_free(it);
	return rc == 0 ? 0 : -1;
}

/*
 * Whether storage order is time order: a lean scan of ts alone, made first
 * because the fast pass emits nested exits as it goes and could not take
 * them back if it met disorder half-way (an edited or merged run).
 */
static int stored_in_time_order(struct nvdb *db)
{
	static const char q[] = "SELECT ts FROM events ORDER BY id";
	sqlite3_stmt *st;
	int64_t last = INT64_MIN;
	int ordered = 1;
	if (sqlite3_prepare_v2(nvdb_sql(db), q, -1, &st, NULL) != SQLITE_OK)
		return 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(st, 0);
		if (ts < last) {
			ordered = 0;
			break;
		}
		last = ts;
	}
	sqlite3_finalize(st);
	return ordered;
}

int nv_replay_scan(struct nvdb *db, enum nv_recon_mode mode, nv_recon_fn fn, void *ctx,
		   struct nv_recon_stats *stats, int progress)
{
	struct nv_recon *r = nv_recon_new(mode, fn, ctx);
	int rc;
	if (!r)
		return -1;
	if (progress)
		progress_start("replay", (uint64_t)nvdb_meta_get_i64(db, NVDB_META_EVENTS, 0));
	if (stored_in_time_order(db))
		rc = scan_stored(db, r, progress);
	else
		rc = scan_sorted(db, r, progress);
	if (progress)
		progress_end();
	if (rc == 0) {
		nv_recon_finish(r);
		*stats = *nv_recon_stats(r);
	}
	nv_recon_free(r);
	return rc ? -1 : 0;
}
