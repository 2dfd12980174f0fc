/*
 * Reading a run's events for replay: in storage order while that is time
 * order (no sort, only the events reconstruction reads), else through
 * nvdb_iter, which sorts.  Per-vCPU state only.
 */
#include <stdio.h>
#include <stdlib.h>
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

/* Whether the run's host is arm64 (its metadata). */
static int arm64_host(struct nvdb *db)
{
	char arch[32] = "";
	nvdb_meta_get(db, NVDB_META_HOST_ARCH, arch, sizeof(arch));
	return !strcmp(arch, "arm64") || !strcmp(arch, "aarch64");
}

/* See scan.h: a run without nesting events is a single-level VM of its host. */
enum nv_recon_mode nv_replay_single_mode(struct nvdb *db)
{
	return nv_recon_mode_for(arm64_host(db), 0, 0);
}

/* The mode a nesting event of type t says (arm64 or x86 nested), else -1. */
static int nesting_mode(int t)
{
	if (t == NV_EV_KVM_INJECT_NESTED_EXC || t == NV_EV_KVM_NESTED_ERET)
		return NV_RECON_ARM64_NESTED;
	if (t == NV_EV_KVM_NESTED_VMEXIT_INJECT || t == NV_EV_KVM_NESTED_VMENTER)
		return NV_RECON_X86_NESTED;
	return -1;
}

/* The type of the first row of table (events or event_names) with a nesting
 * type; -1 none, -2 the query failed. */
static int first_nesting_type(sqlite3 *sql, const char *table)
{
	char q[192];
	sqlite3_stmt *st;
	int t = -2;
	snprintf(q, sizeof(q), "SELECT type FROM %s WHERE type IN (%d, %d, %d, %d) LIMIT 1", table,
		 NV_EV_KVM_INJECT_NESTED_EXC, NV_EV_KVM_NESTED_ERET,
		 NV_EV_KVM_NESTED_VMEXIT_INJECT, NV_EV_KVM_NESTED_VMENTER);
	if (sqlite3_prepare_v2(sql, q, -1, &st, NULL) == SQLITE_OK) {
		t = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
		sqlite3_finalize(st);
	}
	return t;
}

/* See replay.h: the host arch from the metadata, nesting events by type.
 * Every writer names an event's kind in event_names before it stores the
 * event, so a run whose names hold no nesting kind has no nesting event and
 * is not read at all; otherwise one query stops at the first nesting event
 * (events have no index on type: a run that names a nesting kind it never
 * saw, as record does, is read to its end).  Replay -j 1 finds the mode
 * while it reads instead (nv_replay_scan_mode). */
enum nv_recon_mode nv_replay_mode_of(struct nvdb *db)
{
	int t = first_nesting_type(nvdb_sql(db), "event_names");
	if (t != -1)
		t = first_nesting_type(nvdb_sql(db), "events");
	int m = nesting_mode(t);
	return nv_recon_mode_for(arm64_host(db), m == NV_RECON_ARM64_NESTED,
				 m == NV_RECON_X86_NESTED);
}

/* Columns beyond ts, pid and vcpu that reconstruction reads, per event type. */
#define C(col) (1u << NVDB_COL_##col)
static const struct { uint16_t type; uint16_t cols; } extra_cols[] = {
	{ NV_EV_KVM_EXIT, C(reason) | C(ec) | C(pc) },	/* trap PCs: symbols, advise, profile from */
	{ NV_EV_KVM_USERSPACE_EXIT, C(reason) },
	{ NV_EV_KVM_MMIO, C(reason) },
	{ NV_EV_KVM_SYS_ACCESS, C(sysreg) | C(dir) | C(pc) },
	{ NV_EV_KVM_FORWARD_SYSREG_TRAP, C(sysreg) | C(dir) },
	{ NV_EV_KVM_INJECT_NESTED_EXC, C(reason) | C(ec) | C(mode) | C(value) | C(aux) },
	{ NV_EV_KVM_NESTED_ERET, C(mode) | C(aux) },
	{ NV_EV_VGIC_UPDATE_IRQ_PENDING, C(value) | C(aux) },
	{ NV_EV_KVM_TIMER_UPDATE_IRQ, C(value) | C(aux) },
	{ NV_EV_KVM_PIO, C(dir) },
	{ NV_EV_KVM_MSR, C(addr) | C(dir) },
	{ NV_EV_KVM_NESTED_VMEXIT_INJECT, C(reason) },
};
/* The columns the scan selects: the always-read ones and every extra one. */
static const unsigned scan_base = C(type) | C(ts) | C(pid) | C(vcpu);
#undef C

/* The part of a reconstruction key: its place among the run's threads
 * round-robin (an even split), else key % nparts. */
int nv_scan_part_of(const struct nv_scan_part *p, int32_t key)
{
	size_t lo = 0, hi = p->nkeys;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (p->keys[mid] == key)
			return (int)(mid % (size_t)p->nparts);
		if (p->keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (int)((uint32_t)key % (uint32_t)p->nparts);
}

/* The read of the events from id from on, columns mask (and id last): pos[c]
 * the result column of events column c, *npos that of id. */
static int prepare_read(sqlite3 *rd, unsigned mask, int64_t from, sqlite3_stmt **st, int *pos,
			int *npos)
{
	char list[512], q[640];
	*npos = 0;
	for (int c = 0; c < NVDB_NCOLS; c++)
		pos[c] = mask & (1u << c) ? (*npos)++ : -1;
	if (nvdb_cols_sql(list, sizeof(list), "", mask) < 0)
		return -1;
	snprintf(q, sizeof(q), "SELECT %s, id FROM events WHERE id >= ? ORDER BY id", list);
	if (sqlite3_prepare_v2(rd, q, -1, st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(*st, 1, from);
	return 0;
}

/*
 * The fast pass: storage order, 1 at the first event older than the one
 * before (then the caller starts over sorted); on conn (the run's own
 * connection: replay -j 1 reads where it writes, inside its transaction) or,
 * conn NULL, on a connection of its own without SQLite's mutexes (a thread
 * of replay -j N), decoding only the events reconstruction reads and only
 * their columns it reads (filtering in SQL with "type IN (...)" cost more
 * than it saved).  Reading is most of replay's time.  detect (not NULL):
 * the mode is not known yet (read as a single-level run): at the first
 * nesting event, stop with 2 and its mode in *detect.
 */
static int scan_stored(struct nvdb *db, sqlite3 *conn, int x86, int *detect,
		       const struct nv_progress *progress, nv_event_sink sink, void *ctx)
{
	uint8_t want[NV_EV__COUNT];
	uint16_t cols[NV_EV__COUNT] = { 0 };
	unsigned all = scan_base, have = scan_base;
	int pos[NVDB_NCOLS], npos = 0;
	sqlite3 *rd = conn;
	sqlite3_stmt *st = NULL;
	struct nv_event ev;
	int64_t n = 0, last = INT64_MIN;
	int rc;
	uint8_t nesting[NV_EV__COUNT];
	enum nv_host_arch host = x86 ? NV_HOST_X86 : NV_HOST_ARM64;
	for (int t = 0; t < NV_EV__COUNT; t++) {
		want[t] = (uint8_t)nv_recon_wants(t);
		nesting[t] = nesting_mode(t) >= 0;
	}
	for (size_t i = 0; i < sizeof(extra_cols) / sizeof(extra_cols[0]); i++) {
		int t = extra_cols[i].type;
		enum nv_host_arch h = nv_event_type_host((enum nv_event_type)t);
		cols[t] = extra_cols[i].cols;
		all |= cols[t];
		/* first only the columns of the host's events (and no nesting
		 * event's while they stop the read): fewer columns decoded */
		if ((h == NV_HOST_ANY || h == host) && !(detect && nesting[t]))
			have |= cols[t];
	}
	if ((!conn && (sqlite3_open_v2(nvdb_path(db), &rd, SQLITE_OPEN_READONLY |
				       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
		       sqlite3_busy_timeout(rd, NVDB_BUSY_MS) != SQLITE_OK)) ||
	    prepare_read(rd, have, INT64_MIN, &st, pos, &npos)) {
		nvdb_note_error(db, rd);
		if (!conn)
			sqlite3_close(rd);
		return -1;
	}
	nv_event_clear(&ev);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((++n & 0xffff) == 0 && progress)
			progress->update((uint64_t)n);
		int64_t ts = sqlite3_column_int64(st, pos[NVDB_COL_ts]);
		if (ts < last) {
			rc = SQLITE_ABORT;
			break;
		}
		last = ts;
		int type = sqlite3_column_int(st, pos[NVDB_COL_type]);
		if (type < 0 || type >= NV_EV__COUNT)
			continue;
		if (detect && nesting[type]) {
			*detect = nesting_mode(type);
			rc = SQLITE_MISUSE;	/* "stop: nested" */
			break;
		}
		if (!want[type])
			continue;
		unsigned c = cols[type];
		if (c & ~have) {	/* an event of another host: every column from here on */
			int64_t id = sqlite3_column_int64(st, npos);
			sqlite3_finalize(st);
			have = all;
			if (prepare_read(rd, have, id, &st, pos, &npos)) {
				rc = SQLITE_ERROR;
				break;
			}
			continue;
		}
		ev.pid = -1;
		nvdb_read_col(st, pos[NVDB_COL_pid], NVDB_COL_pid, &ev);
		ev.vcpu = -1;	/* arm64 keys by thread */
		if (x86 || ev.pid < 0)
			nvdb_read_col(st, pos[NVDB_COL_vcpu], NVDB_COL_vcpu, &ev);
		ev.type = (uint16_t)type;
		ev.ts = ts;
		ev.reason = ev.ec = ev.sysreg = ev.dir = ev.mode = -1;
		ev.have = 0;
		ev.pc = ev.addr = ev.value = ev.aux = 0;
		for (int k = NVDB_COL_reason; c >> k; k++)
			if (c & (1u << k))
				nvdb_read_col(st, pos[k], (enum nvdb_col)k, &ev);
		if ((rc = sink(ctx, &ev, sqlite3_column_int64(st, npos))) != 0)
			break;
	}
	sqlite3_finalize(st);
	nvdb_note_error(db, rd);	/* a corrupt page: the caller's message says so */
	if (!conn)
		sqlite3_close(rd);
	return rc == SQLITE_DONE ? 0 : rc == SQLITE_ABORT ? 1 : rc == SQLITE_MISUSE ? 2 : -1;
}

/* A sink that feeds a reconstructor. */
static int feed_recon(void *r, const struct nv_event *ev, int64_t id)
{
	(void)id;
	nv_recon_feed(r, ev);
	return 0;
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

/* See scan.h: with *mode known (detect 0) or found while reading (detect 1). */
static int scan_run(struct nvdb *db, enum nv_recon_mode *mode, int detect, nv_recon_fn fn,
		    nv_restart_fn restart, void *ctx, struct nv_recon_stats *stats,
		    const struct nv_progress *progress)
{
	struct nv_recon *r = nv_recon_new(*mode, fn, ctx);
	int rc, found = -1;
	if (!r)
		return -1;
	if (progress)
		progress->start("replay", (uint64_t)nvdb_meta_get_i64(db, NVDB_META_EVENTS, 0));
	for (;;) {
		int x86 = *mode == NV_RECON_X86_NESTED || *mode == NV_RECON_X86_SINGLE;
		rc = scan_stored(db, nvdb_sql(db), x86, detect ? &found : NULL, progress,
				 feed_recon, r);
		if (rc != 2)
			break;
		/* a nested run: what was read as single-level is undone, read again */
		*mode = (enum nv_recon_mode)found;
		detect = 0;
		nv_recon_free(r);
		r = restart(ctx) ? NULL : nv_recon_new(*mode, fn, ctx);
		if (!r) {
			rc = -1;
			break;
		}
	}
	if (rc == 1) {		/* not stored in time order: undo, and read sorted */
		nv_recon_free(r);
		if (detect)	/* the mode from a query of its own (a pass) */
			*mode = nv_replay_mode_of(db);
		r = restart(ctx) ? NULL : nv_recon_new(*mode, fn, ctx);
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

/* See replay.h. */
int nv_replay_scan(struct nvdb *db, enum nv_recon_mode mode, nv_recon_fn fn,
		   nv_restart_fn restart, void *ctx, struct nv_recon_stats *stats,
		   const struct nv_progress *progress)
{
	return scan_run(db, &mode, 0, fn, restart, ctx, stats, progress);
}

/* See scan.h: read as single-level until a nesting event says otherwise. */
int nv_replay_scan_mode(struct nvdb *db, enum nv_recon_mode *mode, nv_recon_fn fn,
			nv_restart_fn restart, void *ctx, struct nv_recon_stats *stats,
			const struct nv_progress *progress)
{
	*mode = nv_replay_single_mode(db);
	return scan_run(db, mode, 1, fn, restart, ctx, stats, progress);
}

/* See replay.h. */
int nv_replay_read_events(struct nvdb *db, enum nv_recon_mode mode, nv_event_sink sink,
			  void *ctx, const struct nv_progress *progress)
{
	return scan_stored(db, NULL, mode == NV_RECON_X86_NESTED || mode == NV_RECON_X86_SINGLE,
			   NULL, progress, sink, ctx);
}
