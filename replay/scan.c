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

/*
 * A reader of the events reconstruction wants, in storage order: what it
 * reads per event type, the columns its statement selects now (at first
 * only those of the host's events: fewer columns decoded), its connection.
 */
struct nv_scan_reader {
	uint8_t want[NV_EV__COUNT];	/* reconstruction reads the type */
	uint8_t nesting[NV_EV__COUNT];	/* a nesting event (stops a detecting read) */
	uint16_t cols[NV_EV__COUNT];	/* columns beyond scan_base, per type */
	unsigned all, have;		/* every column any type wants; those selected */
	int x86;
	sqlite3 *rd;
	int own;			/* rd is the reader's own (closed with it) */
	sqlite3_stmt *st;		/* the read of an id range, columns have */
	int pos[NVDB_NCOLS], npos;	/* result column of each events column, of id */
};

/* Set what r reads for a run of x86 (or arm64) host; detect: the mode is not
 * known yet, no nesting event's columns (they stop the read). */
static void reader_init(struct nv_scan_reader *r, int x86, int detect)
{
	enum nv_host_arch host = x86 ? NV_HOST_X86 : NV_HOST_ARM64;
	memset(r, 0, sizeof(*r));
	r->x86 = x86;
	r->all = r->have = scan_base;
	for (int t = 0; t < NV_EV__COUNT; t++) {
		r->want[t] = (uint8_t)nv_recon_wants(t);
		r->nesting[t] = nesting_mode(t) >= 0;
	}
	for (size_t i = 0; i < sizeof(extra_cols) / sizeof(extra_cols[0]); i++) {
		int t = extra_cols[i].type;
		enum nv_host_arch h = nv_event_type_host((enum nv_event_type)t);
		r->cols[t] = extra_cols[i].cols;
		r->all |= r->cols[t];
		if ((h == NV_HOST_ANY || h == host) && !(detect && r->nesting[t]))
			r->have |= r->cols[t];
	}
}

/* Prepare r's read from an id on with the columns r->have (and id last):
 * pos[c] the result column of events column c, npos that of id.  No upper
 * bound in SQL: checked a row in C it cost less (VDBE opcodes per row). */
static int prepare_read(struct nv_scan_reader *r)
{
	char list[512], q[640];
	sqlite3_finalize(r->st);
	r->st = NULL;
	r->npos = 0;
	for (int c = 0; c < NVDB_NCOLS; c++)
		r->pos[c] = r->have & (1u << c) ? r->npos++ : -1;
	if (nvdb_cols_sql(list, sizeof(list), "", r->have) < 0)
		return -1;
	snprintf(q, sizeof(q), "SELECT %s, id FROM events WHERE id >= ?1 ORDER BY id", list);
	return sqlite3_prepare_v2(r->rd, q, -1, &r->st, NULL) == SQLITE_OK ? 0 : -1;
}

/* Start r's (reset) read at id lo. */
static void bind_from(struct nv_scan_reader *r, int64_t lo)
{
	sqlite3_reset(r->st);
	sqlite3_bind_int64(r->st, 1, lo);
}

/*
 * Read the events with id in [lo, hi] in storage order, decoding only the
 * events reconstruction reads and only their columns it reads (filtering in
 * SQL with "type IN (...)" cost more than it saved), and hand each to sink.
 * Reading is most of replay's time.  0 at the end; 1 at the first event
 * older than the one before (not time ordered: the caller starts over
 * sorted); 2 when detect is not NULL (the mode is not known yet, read as a
 * single-level run) at the first nesting event, its mode in *detect; -1 on
 * error (left on r's connection: see nv_scan_reader_note_error) or when sink
 * returns nonzero.  span (may be NULL): the rows read and their first and
 * last ts, for a check of the order between ranges read apart.
 */
static int read_range(struct nv_scan_reader *r, int64_t lo, int64_t hi, int *detect,
		      const struct nv_progress *progress, nv_event_sink sink, void *ctx,
		      struct nv_scan_span *span)
{
	struct nv_event ev;
	int64_t n = 0, first = INT64_MIN, last = INT64_MIN;
	int rc, ret = -1;
	const int x86 = r->x86;
	/* the hot loop's tables as locals, which no call can change (r's
	 * fields would be reloaded after every SQLite call) */
	uint8_t want[NV_EV__COUNT], nesting[NV_EV__COUNT];
	uint16_t cols[NV_EV__COUNT];
	int pos[NVDB_NCOLS], npos = r->npos;
	unsigned have = r->have;
	memcpy(want, r->want, sizeof(want));
	memcpy(nesting, r->nesting, sizeof(nesting));
	memcpy(cols, r->cols, sizeof(cols));
	memcpy(pos, r->pos, sizeof(pos));
	const int bounded = hi != INT64_MAX;	/* to the end: no check a row */
	if (!r->st)		/* a failed read before: its error is noted */
		return -1;
	bind_from(r, lo);
	nv_event_clear(&ev);
	sqlite3_stmt *st = r->st;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (bounded && sqlite3_column_int64(st, npos) > hi) {
			rc = SQLITE_DONE;	/* the range's end */
			break;
		}
		if ((++n & 0xffff) == 0 && progress)
			progress->update((uint64_t)n);
		int64_t ts = sqlite3_column_int64(st, pos[NVDB_COL_ts]);
		if (ts < last) {
			rc = SQLITE_ABORT;
			break;
		}
		if (n == 1)
			first = ts;
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
			have = r->have = r->all;
			if (prepare_read(r)) {
				rc = SQLITE_ERROR;
				break;
			}
			memcpy(pos, r->pos, sizeof(pos));
			npos = r->npos;
			bind_from(r, id);
			st = r->st;
			n--;		/* this row again */
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
		if (sink(ctx, &ev, sqlite3_column_int64(st, npos))) {
			rc = SQLITE_INTERRUPT;	/* the sink's stop: no error on r */
			break;
		}
	}
	if (rc == SQLITE_DONE)
		ret = 0;
	else if (rc == SQLITE_ABORT)
		ret = 1;
	else if (rc == SQLITE_MISUSE)
		ret = 2;
	/* an error stays on the connection (a reset would clear it) for the
	 * caller's note; else the range's read ends (no statement kept open) */
	if (ret >= 0 || rc == SQLITE_INTERRUPT)
		sqlite3_reset(r->st);
	if (span) {
		span->rows = n;
		span->first_ts = first;
		span->last_ts = last;
	}
	return ret;
}

/* Open r on conn (the run's own connection: replay -j 1 reads where it
 * writes, inside its transaction) or, conn NULL, on a connection of its
 * own, read-only, without SQLite's mutexes (one thread uses it).  0 or -1
 * (the reason noted in db: call from the thread that owns db). */
static int reader_open(struct nv_scan_reader *r, struct nvdb *db, sqlite3 *conn)
{
	r->rd = conn;
	r->own = !conn;
	if ((!conn && (sqlite3_open_v2(nvdb_path(db), &r->rd, SQLITE_OPEN_READONLY |
				       SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
		       sqlite3_busy_timeout(r->rd, NVDB_BUSY_MS) != SQLITE_OK ||
		       /* one read transaction for every range: one snapshot, and
			* no lock taken and dropped per range */
		       sqlite3_exec(r->rd, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)) ||
	    prepare_read(r)) {
		nvdb_note_error(db, r->rd);
		return -1;
	}
	return 0;
}

/* Finalize r's statement and close its own connection. */
static void reader_close(struct nv_scan_reader *r)
{
	sqlite3_finalize(r->st);
	r->st = NULL;
	if (r->own && r->rd) {
		if (!sqlite3_get_autocommit(r->rd))
			sqlite3_exec(r->rd, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(r->rd);
	}
	r->rd = NULL;
}

/* The fast pass of -j 1: the whole run on the run's own connection, inside
 * replay's transaction (see read_range). */
static int scan_stored(struct nvdb *db, int x86, int *detect,
		       const struct nv_progress *progress, nv_event_sink sink, void *ctx)
{
	struct nv_scan_reader r;
	reader_init(&r, x86, detect != NULL);
	if (reader_open(&r, db, nvdb_sql(db)))
		return -1;
	int rc = read_range(&r, INT64_MIN, INT64_MAX, detect, progress, sink, ctx, NULL);
	nvdb_note_error(db, r.rd);	/* a corrupt page: the caller's message says so */
	reader_close(&r);
	return rc;
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
		rc = scan_stored(db, x86, detect ? &found : NULL, progress, feed_recon, r);
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
	/* a run flagged time-ordered that is not (edited where the triggers
	 * did not see it): the flag corrected in the replay's transaction, else
	 * nvdb_iter would trust it and read storage order again */
	if (rc == 1 && nvdb_time_ordered(db) && nvdb_meta_set(db, NVDB_META_TIME_ORDERED, "0"))
		rc = -1;
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

/* See scan.h. */
struct nv_scan_reader *nv_scan_reader_open(struct nvdb *db, enum nv_recon_mode mode)
{
	struct nv_scan_reader *r = malloc(sizeof(*r));
	if (!r)
		return NULL;
	reader_init(r, mode == NV_RECON_X86_NESTED || mode == NV_RECON_X86_SINGLE, 0);
	if (reader_open(r, db, NULL)) {
		reader_close(r);
		free(r);
		return NULL;
	}
	return r;
}

/* See scan.h. */
int nv_scan_reader_read(struct nv_scan_reader *r, int64_t lo, int64_t hi, nv_event_sink sink,
			void *ctx, const struct nv_progress *progress, struct nv_scan_span *span)
{
	return read_range(r, lo, hi, NULL, progress, sink, ctx, span);
}

/* See scan.h. */
void nv_scan_reader_note_error(struct nv_scan_reader *r, struct nvdb *db)
{
	nvdb_note_error(db, r->rd);
}

/* See scan.h. */
void nv_scan_reader_close(struct nv_scan_reader *r)
{
	if (!r)
		return;
	reader_close(r);
	free(r);
}
