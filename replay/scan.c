/*
 * Reading a run's events for replay: in storage order while that is time
 * order (no sort, only the events reconstruction reads), else through
 * nvdb_iter, which sorts.  Per-vCPU state only.
 */
#include <stdio.h>
#include <string.h>
#include "replay/replay.h"

static const char *const mode_names[] = {
	"arm64-nested", "x86-nested", "arm64-single", "x86-single",
};

/* The name stored in replays.mode. */
const char *nv_recon_mode_name(enum nv_recon_mode m)
{
	return (unsigned)m < sizeof(mode_names) / sizeof(mode_names[0]) ? mode_names[m] : "?";
}

/* The first column of the first row of sql as an integer (0 if none). */
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

/* See replay.h: the host arch from the metadata, nesting events by index. */
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

/* A small integer column, -1 for NULL. */
static int32_t small(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL ? -1 : sqlite3_column_int(st, col);
}

/* A 64-bit column, 0 for NULL; sets its have bit when present. */
static uint64_t big(sqlite3_stmt *st, int col, uint16_t *have, uint16_t bit)
{
	if (sqlite3_column_type(st, col) == SQLITE_NULL)
		return 0;
	*have |= bit;
	return (uint64_t)sqlite3_column_int64(st, col);
}

/* Columns beyond ts and pid that reconstruction reads, per event type. */
#define C_SYSREG 0x01
#define C_DIR    0x02
#define C_MODE   0x04
#define C_ADDR   0x08
#define C_VALUE  0x10
#define C_AUX    0x20
#define C_REASON 0x40
#define C_EC     0x80
static const struct { uint16_t type; uint8_t cols; } extra_cols[] = {
	{ NV_EV_KVM_EXIT, C_REASON | C_EC },
	{ NV_EV_KVM_USERSPACE_EXIT, C_REASON },
	{ NV_EV_KVM_MMIO, C_REASON },
	{ NV_EV_KVM_SYS_ACCESS, C_SYSREG | C_DIR },
	{ NV_EV_KVM_FORWARD_SYSREG_TRAP, C_SYSREG | C_DIR },
	{ NV_EV_KVM_INJECT_NESTED_EXC, C_REASON | C_EC | C_MODE | C_VALUE | C_AUX },
	{ NV_EV_KVM_NESTED_ERET, C_MODE | C_AUX },
	{ NV_EV_VGIC_UPDATE_IRQ_PENDING, C_VALUE | C_AUX },
	{ NV_EV_KVM_TIMER_UPDATE_IRQ, C_VALUE | C_AUX },
	{ NV_EV_KVM_PIO, C_DIR },
	{ NV_EV_KVM_MSR, C_ADDR | C_DIR },
	{ NV_EV_KVM_NESTED_VMEXIT_INJECT, C_REASON },
};

/*
 * The fast pass: storage order, 1 at the first event older than the one
 * before (then the caller starts over sorted); on a connection of its own
 * without SQLite's mutexes, decoding only the events reconstruction reads
 * and only their columns it reads (SQLite decodes a column when asked;
 * filtering in SQL with "type IN (...)" cost more than it saved).  Reading
 * is most of replay's time.
 */
static int scan_stored(struct nvdb *db, struct nv_recon *r, int x86, const struct nv_progress *progress)
{
	static const char q[] =
		"SELECT type, ts, pid, vcpu, reason, ec, sysreg, dir, mode, addr, value, aux"
		" FROM events ORDER BY id";
	uint8_t want[NV_EV__COUNT], cols[NV_EV__COUNT] = { 0 };
	sqlite3 *rd;
	sqlite3_stmt *st;
	struct nv_event ev;
	int64_t n = 0, last = INT64_MIN;
	int rc;
	for (int t = 0; t < NV_EV__COUNT; t++)
		want[t] = (uint8_t)nv_recon_wants(t);
	for (size_t i = 0; i < sizeof(extra_cols) / sizeof(extra_cols[0]); i++)
		cols[extra_cols[i].type] = extra_cols[i].cols;
	if (sqlite3_open_v2(nvdb_path(db), &rd, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK || sqlite3_prepare_v2(rd, q, -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(rd);
		return -1;
	}
	nv_event_clear(&ev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((++n & 0xffff) == 0 && progress)
			progress->update((uint64_t)n);
		int64_t ts = sqlite3_column_int64(st, 1);
		if (ts < last) {
			rc = SQLITE_ABORT;
			break;
		}
		last = ts;
		int type = sqlite3_column_int(st, 0);
		if (type < 0 || type >= NV_EV__COUNT || !want[type])
			continue;
		uint8_t c = cols[type];
		ev.type = (uint16_t)type;
		ev.ts = ts;
		ev.pid = small(st, 2);
		ev.vcpu = x86 || ev.pid < 0 ? small(st, 3) : -1;	/* arm64 keys by thread */
		ev.reason = c & C_REASON ? small(st, 4) : -1;
		ev.ec = c & C_EC ? small(st, 5) : -1;
		ev.sysreg = c & C_SYSREG ? small(st, 6) : -1;
		ev.dir = c & C_DIR ? small(st, 7) : -1;
		ev.mode = c & C_MODE ? small(st, 8) : -1;
		ev.have = 0;
		ev.addr = c & C_ADDR ? big(st, 9, &ev.have, NV_HAVE_ADDR) : 0;
		ev.value = c & C_VALUE ? big(st, 10, &ev.have, NV_HAVE_VALUE) : 0;
		ev.aux = c & C_AUX ? big(st, 11, &ev.have, NV_HAVE_AUX) : 0;
		nv_recon_feed(r, &ev);
	}
	sqlite3_finalize(st);
	sqlite3_close(rd);
	return rc == SQLITE_DONE ? 0 : rc == SQLITE_ABORT ? 1 : -1;
}

/* The general pass: nvdb_iter in (ts, id) order. */
static int scan_sorted(struct nvdb *db, struct nv_recon *r, const struct nv_progress *progress)
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
			progress->update((uint64_t)n);
	}
	nvdb_iter_free(it);
	return rc == 0 ? 0 : -1;
}

/* See replay.h. */
int nv_replay_scan(struct nvdb *db, enum nv_recon_mode mode, nv_recon_fn fn,
		   nv_restart_fn restart, void *ctx, struct nv_recon_stats *stats,
		   const struct nv_progress *progress)
{
	struct nv_recon *r = nv_recon_new(mode, fn, ctx);
	int rc;
	if (!r)
		return -1;
	if (progress)
		progress->start("replay", (uint64_t)nvdb_meta_get_i64(db, NVDB_META_EVENTS, 0));
	rc = scan_stored(db, r, mode == NV_RECON_X86_NESTED || mode == NV_RECON_X86_SINGLE,
			 progress);
	if (rc == 1) {		/* not stored in time order: undo, and read sorted */
		nv_recon_free(r);
		r = restart(ctx) ? NULL : nv_recon_new(mode, fn, ctx);
		rc = r ? scan_sorted(db, r, progress) : -1;
	}
	if (progress)
		progress->end();
	if (rc == 0) {
		nv_recon_finish(r);
		*stats = *nv_recon_stats(r);
		stats->events = nvdb_meta_get_i64(db, NVDB_META_EVENTS, stats->events);
	}
	nv_recon_free(r);
	return rc ? -1 : 0;
}
