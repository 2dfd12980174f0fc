/* The replay driver (see replay.h): reconstruction -> model -> results tables. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "replay/replay.h"
#include "replay/cost_exit.h"
#include "replay/parallel.h"

_Static_assert((int)NV_KIND__COUNT == (int)NV_EXIT__COUNT,
	       "replay/kinds.h and model.h are made from the same list, model/exit_kinds.def");

#define ROWS_PER_INSERT 16
#define ROW_COLS 5		/* parameters of one exit_rows row: id, vcpu, ts_start, dur, outcome */
#define OUTCOME_COLS (5 + 2 * NV_REPLAY_MAX_ARCH)	/* exit_outcomes' values, past its id */
#define OUTCOME_SLOTS 1024	/* the outcome cache: a power of two, fixed */
#define OUTCOME_PROBE 8		/* slots one outcome may take, from its hash on (at most) */
#define SEQ_MAX 0xffffffffLL	/* exit_rows.id = replay_id << 32 | seq */

/* One exit_rows row kept back until ROWS_PER_INSERT of them are there. */
struct pending_row {
	int64_t ts_start, dur, outcome;
	int32_t vcpu;
};

/* An outcome the cache remembers: its values and its number (0: empty slot). */
struct outcome_slot {
	uint64_t hash;
	int64_t n;
	int64_t v[OUTCOME_COLS];
};

struct run_ctx {
	struct nvdb *db;
	struct nv_models *ms;
	int stateless;
	struct nv_replay_result *res;
	sqlite3_stmt *ins_exit;		/* one row */
	sqlite3_stmt *ins_many;		/* ROWS_PER_INSERT rows: fewer VDBE runs */
	sqlite3_stmt *ins_outcome;	/* one exit_outcomes row */
	struct pending_row pending[ROWS_PER_INSERT];	/* numbered, not yet written */
	int npending;
	/* what ins_many's parameters hold (bindings outlive a reset): only
	 * changed values are bound again */
	int64_t bound[ROWS_PER_INSERT][ROW_COLS];
	int nbound;			/* rows of bound[] that are valid */
	int append;			/* exit_rows ends before this replay's ids: rows
					 * 2..16 of ins_many let SQLite number them */
	int64_t seq;
	/*
	 * The outcomes stored so far (exit_outcomes rows replay_id << 32 | 1..
	 * noutcome) and a fixed cache of some of them: a miss stores the outcome
	 * again under a new number, so memory does not grow with the run and
	 * the rows are right whatever the cache holds.  Rows come in the same
	 * order with -j 1 and -j N, so the numbers are the same too.
	 */
	struct outcome_slot *cache;	/* nslots, owned */
	int nslots, nprobe;		/* a power of two; min(OUTCOME_PROBE, nslots) */
	int64_t noutcome;
	uint64_t evict;			/* which probed slot a full probe replaces next */
	int failed;
	struct vcpu_table vt;
};
/* Step a prepared statement that returns no row, and reset it. */
static int step_done(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Run SQL without results on the run database. */
static int exec(struct nvdb *db, const char *sql)
{
	return sqlite3_exec(nvdb_sql(db), sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* The exit_rows id of row seq of replay id (seq 0: before its first row). */
static int64_t row_id(int64_t id, int64_t seq)
{
	return id * (SEQ_MAX + 1) + seq;
}

/* Delete the exit_rows and exit_outcomes of replay id: the rowid ranges of its id. */
static int delete_rows(struct nvdb *db, int64_t id)
{
	char q[256];
	snprintf(q, sizeof(q), "DELETE FROM exit_rows WHERE id BETWEEN %lld AND %lld;"
		 " DELETE FROM exit_outcomes WHERE id BETWEEN %lld AND %lld",
		 (long long)row_id(id, 0), (long long)row_id(id, SEQ_MAX),
		 (long long)row_id(id, 0), (long long)row_id(id, SEQ_MAX));
	return exec(db, q);
}

/* The run is not stored in time order: forget the rows and totals so far.
 * (The rows are deleted, not rolled back to a savepoint: a savepoint open
 * through the scan made SQLite copy pages to its statement journal again
 * and again, a third of replay's time.) */
static int restart_scan(void *arg)
{
	struct run_ctx *c = arg;
	struct nv_replay_result *res = c->res;
	memset(res->exits, 0, sizeof(res->exits));
	memset(res->observed, 0, sizeof(res->observed));
	memset(res->traps, 0, sizeof(res->traps));
	memset(res->cycles, 0, sizeof(res->cycles));
	memset(res->handler_traps, 0, sizeof(res->handler_traps));
	res->unmodelled = 0;
	c->seq = 0;
	c->npending = 0;
	c->noutcome = 0;
	c->evict = 0;
	if (c->cache)
		memset(c->cache, 0, (size_t)c->nslots * sizeof(*c->cache));
	nv_vcpu_table_free(&c->vt, c->ms, NULL);
	memset(&res->memo, 0, sizeof(res->memo));
	return delete_rows(c->db, res->id);
}

/* The values of an exit's outcome in the column order of exit_outcomes
 * (past its id: kind ... traps_I, cycles_I of the replay's architectures); how many. */
static int outcome_values(const struct run_ctx *c, const struct exit_row *row, int64_t *v)
{
	int n = 0;
	v[n++] = row->kind;
	v[n++] = row->cause;
	v[n++] = row->nested;
	v[n++] = (int)row->traps;
	v[n++] = (int)row->host_irqs;
	for (int i = 0; i < c->ms->n; i++) {
		v[n++] = (int64_t)row->t[i];
		v[n++] = (int64_t)row->cy[i];
	}
	return n;
}

/* A hash of n values (a multiply and a shift per value): where an outcome goes in the cache. */
static uint64_t outcome_hash(const int64_t *v, int n)
{
	uint64_t h = 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < n; i++) {
		h = (h ^ (uint64_t)v[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return h;
}

/* Store an outcome as exit_outcomes row replay_id << 32 | n. */
static int insert_outcome(struct run_ctx *c, int64_t n, const int64_t *v, int nv)
{
	sqlite3_bind_int64(c->ins_outcome, 1, row_id(c->res->id, n));
	for (int k = 0; k < nv; k++)
		sqlite3_bind_int64(c->ins_outcome, k + 2, v[k]);
	return step_done(c->ins_outcome);
}

/*
 * The number of the row's outcome (exit_outcomes.id & 0xffffffff): one the
 * cache remembers with the same values, else a new row, remembered in one of
 * the nprobe slots from its hash (an empty one, else the next in turn).  -1
 * when it cannot be stored.
 */
static int64_t outcome_of(struct run_ctx *c, const struct exit_row *row)
{
	int64_t v[OUTCOME_COLS];
	int nv = outcome_values(c, row, v);
	uint64_t h = outcome_hash(v, nv);
	struct outcome_slot *free_slot = NULL;
	uint64_t mask = (uint64_t)c->nslots - 1;
	for (int p = 0; p < c->nprobe; p++) {
		struct outcome_slot *s = &c->cache[(h + (uint64_t)p) & mask];
		if (!s->n) {
			free_slot = s;
			break;
		}
		if (s->hash == h && !memcmp(s->v, v, (size_t)nv * sizeof(*v)))
			return s->n;
	}
	if (!free_slot)
		free_slot = &c->cache[(h + c->evict++ % (uint64_t)c->nprobe) & mask];
	/* outcomes <= rows <= SEQ_MAX: the number fits the low 32 bits */
	if (insert_outcome(c, c->noutcome + 1, v, nv))
		return -1;
	free_slot->n = ++c->noutcome;
	free_slot->hash = h;
	memcpy(free_slot->v, v, (size_t)nv * sizeof(*v));
	return free_slot->n;
}

/* The values of a kept row (number seq) in the column order of exit_rows. */
static void row_values(const struct run_ctx *c, const struct pending_row *row, int64_t seq,
		       int64_t *v)
{
	v[0] = row_id(c->res->id, seq);
	v[1] = row->vcpu;
	v[2] = row->ts_start;
	v[3] = row->dur;
	v[4] = row->outcome;
}

/* Bind row (number seq) to st from parameter base+1 on.  last (NULL: none):
 * the values the parameters hold, kept up to date; unless all, only the
 * values that differ from them are bound. */
static void bind_row(const struct run_ctx *c, sqlite3_stmt *st, int base,
		     const struct pending_row *row, int64_t seq, int64_t *last, int all)
{
	int64_t v[ROW_COLS];
	int k = 0;
	row_values(c, row, seq, v);
	if (last && c->append && base) {
		/* id NULL: SQLite appends with the largest id + 1, which is this
		 * row's (the row before it is the table's last): no seek by key */
		if (all)
			sqlite3_bind_null(st, base + 1);
		k = 1;
	}
	for (; k < ROW_COLS; k++) {
		if (!all && last && last[k] == v[k])
			continue;
		sqlite3_bind_int64(st, base + k + 1, v[k]);
		if (last)
			last[k] = v[k];
	}
}

/* Write the rows kept back, in order: numbers seq - npending + 1 .. seq. */
static int flush_rows(struct run_ctx *c)
{
	int n = c->npending, rc = 0;
	int64_t first = c->seq - n + 1;
	c->npending = 0;
	if (n == ROWS_PER_INSERT) {
		for (int r = 0; r < n; r++)	/* a slot's first use binds everything */
			bind_row(c, c->ins_many, ROW_COLS * r, &c->pending[r], first + r, c->bound[r],
				 r >= c->nbound);
		c->nbound = ROWS_PER_INSERT;
		if (step_done(c->ins_many))
			return -1;
		/* the ids SQLite gave: a check, never a different row key */
		return sqlite3_last_insert_rowid(nvdb_sql(c->db)) ==
		       row_id(c->res->id, c->seq) ? 0 : -1;
	}
	for (int r = 0; r < n && !rc; r++) {
		bind_row(c, c->ins_exit, 0, &c->pending[r], first + r, NULL, 1);
		rc = step_done(c->ins_exit);
	}
	return rc;
}

/* Store one row of exit_rows, numbered in the order rows come, and its
 * outcome when the cache does not know it. */
static int store_row(void *arg, const struct exit_row *row)
{
	struct run_ctx *c = arg;
	struct pending_row *p = &c->pending[c->npending];
	if (c->seq >= SEQ_MAX)	/* seq is the low 32 bits of exit_rows.id */
		return -1;
	if ((p->outcome = outcome_of(c, row)) < 0)
		return -1;
	p->vcpu = row->vcpu;
	p->ts_start = row->ts_start;
	p->dur = row->ts_end - row->ts_start;
	c->seq++;
	c->npending++;
	return c->npending == ROWS_PER_INSERT ? flush_rows(c) : 0;
}

/* One nested exit (one pass): every architecture's cost, into the totals and the tables. */
static void on_nested_exit(void *arg, const struct nv_nested_exit *x)
{
	struct run_ctx *c = arg;
	struct exit_row row;
	if (nv_replay_cost_exit(c->ms, c->stateless, &c->vt, x, c->res, &row) ||
	    store_row(c, &row))
		c->failed = 1;
}

/* See replay.h: kinds no architecture costs at all are the unmodelled ones. */
void nv_replay_unmodelled(const struct nv_replay_result *r, uint64_t *exits, uint64_t *traps,
			  uint64_t *all_exits, uint64_t *all_traps)
{
	*exits = *traps = *all_exits = *all_traps = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		int costed = 0;
		for (int a = 0; a < r->narch; a++)
			costed |= r->traps[a][k] || r->cycles[a][k];
		*all_exits += r->exits[k];
		*all_traps += r->observed[k];
		if (r->exits[k] && !costed) {
			*exits += r->exits[k];
			*traps += r->observed[k];
		}
	}
}

/* See replay.h. */
void nv_unmodelled_line(uint64_t exits, uint64_t traps, uint64_t all_exits, uint64_t all_traps,
			char *buf, size_t len)
{
	snprintf(buf, len, "unmodelled: %llu of %llu nested exits (%.1f%%), %llu of %llu observed"
		 " traps (%.1f%%)", (unsigned long long)exits, (unsigned long long)all_exits,
		 all_exits ? 100.0 * (double)exits / (double)all_exits : 0.0,
		 (unsigned long long)traps, (unsigned long long)all_traps,
		 all_traps ? 100.0 * (double)traps / (double)all_traps : 0.0);
}

/* Remove the rows of replay id from every results table but replays (foreign
 * keys are not enforced by default, so nothing else does). */
static int delete_results(struct nvdb *db, int64_t id)
{
	static const char *const tables[] = {
		"kind_totals", "trap_totals", "replay_archs",
	};
	char q[128];
	if (delete_rows(db, id))
		return -1;
	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		snprintf(q, sizeof(q), "DELETE FROM %s WHERE replay_id = %lld", tables[i],
			 (long long)id);
		if (exec(db, q))
			return -1;
	}
	return 0;
}

/* Remove a replay and its rows. */
static int delete_replay(struct nvdb *db, int64_t id)
{
	char q[128];
	if (delete_results(db, id))
		return -1;
	snprintf(q, sizeof(q), "DELETE FROM replays WHERE id = %lld", (long long)id);
	return exec(db, q);
}

/* The id of the replay with these settings, 0 if none (the one a new replay replaces). */
static int64_t find_replay(struct nvdb *db, const char *guest, const char *cost,
			   const char *archs, int stateless)
{
	sqlite3_stmt *st;
	int64_t id = 0;
	if (sqlite3_prepare_v2(nvdb_sql(db),
			       "SELECT id FROM replays WHERE guest = ? AND cost = ? AND archs = ?"
			       " AND stateless = ?", -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, guest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, cost, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, archs, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, stateless);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return id;
}


/* The replays row (its id into res) and the replay_archs rows. */
static int insert_header(struct nvdb *db, const struct nv_replay_opts *o, const char *guest,
			 const char *archs, const struct nv_models *ms, struct nv_replay_result *res)
{
	sqlite3_stmt *st;
	char now[32];
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (sqlite3_prepare_v2(nvdb_sql(db),
			       "INSERT INTO replays (guest, cost, archs, mode, created, stateless)"
			       " VALUES (?, ?, ?, ?, ?, ?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, guest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->cost, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, archs, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, nv_recon_mode_name(res->mode), -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 6, o->stateless);
	int rc = step_done(st);
	sqlite3_finalize(st);
	if (rc)
		return -1;
	res->id = sqlite3_last_insert_rowid(nvdb_sql(db));
	/* rows left under this id by a replays row deleted by hand (sqlite3: no
	 * foreign keys) would make the inserts below fail */
	if (delete_results(db, res->id))
		return -1;
	if (sqlite3_prepare_v2(nvdb_sql(db),
			       "INSERT INTO replay_archs (replay_id, idx, arch) VALUES (?, ?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (int i = 0; i < ms->n && !rc; i++) {
		sqlite3_bind_int64(st, 1, res->id);
		sqlite3_bind_int(st, 2, i);
		sqlite3_bind_text(st, 3, nv_arch_name(ms->arch[i]), -1, SQLITE_STATIC);
		rc = step_done(st);
	}
	sqlite3_finalize(st);
	return rc;
}

/* The reconstruction counts, the mode and the totals per kind and per handler. */
static int insert_totals(struct nvdb *db, const struct nv_replay_result *res)
{
	sqlite3_stmt *st;
	int rc = 0;
	const struct nv_recon_stats *s = &res->st;
	if (sqlite3_prepare_v2(nvdb_sql(db),
			       "UPDATE replays SET events = ?, exits = ?, incomplete_start = ?,"
			       " incomplete_end = ?, unmatched = ?, self_injections = ?,"
			       " outside_exits = ?, lost_events = ?, unmodelled = ?,"
			       " ts_first = ?, ts_last = ?, mode = ? WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	int64_t v[] = { s->events, s->exits, s->incomplete_start, s->incomplete_end,
			s->unmatched, s->self_injections, s->outside_exits, res->lost_events,
			res->unmodelled, res->ts_first, res->ts_last };
	int n = (int)(sizeof(v) / sizeof(v[0]));
	for (int i = 0; i < n; i++)
		sqlite3_bind_int64(st, i + 1, v[i]);
	/* the mode as the scan found it (the header was written before) */
	sqlite3_bind_text(st, n + 1, nv_recon_mode_name(res->mode), -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, n + 2, res->id);
	rc = step_done(st);
	sqlite3_finalize(st);
	if (rc || sqlite3_prepare_v2(nvdb_sql(db),
				     "INSERT INTO kind_totals (replay_id, arch, kind, exits, traps,"
				     " cycles, observed_traps) VALUES (?,?,?,?,?,?,?)",
				     -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (int a = 0; a < res->narch && !rc; a++)
		for (int k = 0; k < NV_KIND__COUNT && !rc; k++) {
			if (!res->exits[k])
				continue;
			sqlite3_bind_int64(st, 1, res->id);
			sqlite3_bind_text(st, 2, res->arch[a], -1, SQLITE_STATIC);
			sqlite3_bind_int(st, 3, k);
			sqlite3_bind_int64(st, 4, (sqlite3_int64)res->exits[k]);
			sqlite3_bind_int64(st, 5, (sqlite3_int64)res->traps[a][k]);
			sqlite3_bind_int64(st, 6, (sqlite3_int64)res->cycles[a][k]);
			sqlite3_bind_int64(st, 7, (sqlite3_int64)res->observed[k]);
			rc = step_done(st);
		}
	sqlite3_finalize(st);
	if (rc || sqlite3_prepare_v2(nvdb_sql(db),
				     "INSERT INTO trap_totals (replay_id, arch, handler, traps)"
				     " VALUES (?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (int a = 0; a < res->narch && !rc; a++)
		for (int h = 0; h < NV_H__COUNT && !rc; h++) {
			if (!res->handler_traps[a][h])
				continue;
			sqlite3_bind_int64(st, 1, res->id);
			sqlite3_bind_text(st, 2, res->arch[a], -1, SQLITE_STATIC);
			sqlite3_bind_text(st, 3, nv_handler_name(h), -1, SQLITE_STATIC);
			sqlite3_bind_int64(st, 4, (sqlite3_int64)res->handler_traps[a][h]);
			rc = step_done(st);
		}
	sqlite3_finalize(st);
	return rc;
}

/* The outcome cache's slots: OUTCOME_SLOTS, or NVTRACE_REPLAY_OUTCOME_SLOTS
 * (a power of two up to it: tests make the cache miss, which must not
 * change a row). */
static int outcome_slots(void)
{
	const char *e = getenv("NVTRACE_REPLAY_OUTCOME_SLOTS");
	long n = e ? strtol(e, NULL, 10) : 0;
	return n >= 1 && n <= OUTCOME_SLOTS && !(n & (n - 1)) ? (int)n : OUTCOME_SLOTS;
}

/* The row inserts of exit_rows (one row, ROWS_PER_INSERT rows), the insert
 * of exit_outcomes with the cost columns of every architecture, the outcome
 * cache; whether the table's rows all come before this replay's ids (c->append). */
static int prepare_rows(struct nvdb *db, struct run_ctx *c)
{
	int64_t max;
	c->append = !nvdb_max_id(db, "exit_rows", &max) && max < row_id(c->res->id, 0);
	char q[1024], *many;
	const char *row = "(?,?,?,?,?)";
	size_t n = (size_t)snprintf(q, sizeof(q), "INSERT OR FAIL INTO exit_outcomes (id, kind,"
				    " cause, nested, observed_traps, host_irqs");
	for (int i = 0; i < c->ms->n; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, ", traps_%d, cycles_%d", i, i);
	n += (size_t)snprintf(q + n, sizeof(q) - n, ") VALUES (?,?,?,?,?,?");
	for (int i = 0; i < c->ms->n; i++)
		n += (size_t)snprintf(q + n, sizeof(q) - n, ",?,?");
	snprintf(q + n, sizeof(q) - n, ")");
	c->nslots = outcome_slots();
	c->nprobe = c->nslots < OUTCOME_PROBE ? c->nslots : OUTCOME_PROBE;
	if (!(c->cache = calloc((size_t)c->nslots, sizeof(*c->cache))) ||
	    sqlite3_prepare_v2(nvdb_sql(db), q, -1, &c->ins_outcome, NULL) != SQLITE_OK)
		return -1;
	snprintf(q, sizeof(q), "INSERT OR FAIL INTO exit_rows (id, vcpu, ts_start, dur, outcome)"
		 " VALUES %s", row);
	if (sqlite3_prepare_v2(nvdb_sql(db), q, -1, &c->ins_exit, NULL) != SQLITE_OK)
		return -1;
	size_t len = strlen(q) + ROWS_PER_INSERT * (strlen(row) + 1) + 1;
	if (!(many = malloc(len)))
		return -1;
	n = strlen(strcpy(many, q));
	for (int k = 1; k < ROWS_PER_INSERT; k++)
		n += (size_t)snprintf(many + n, len - n, ",%s", row);
	int rc = sqlite3_prepare_v2(nvdb_sql(db), many, -1, &c->ins_many, NULL) != SQLITE_OK;
	free(many);
	return rc ? -1 : 0;
}

/* See replay.h: models, mode, then one transaction around the scan and the totals. */
int nv_replay_run(struct nvdb *db, const struct nv_replay_opts *o,
		  struct nv_replay_result *res, char *err, size_t errlen)
{
	struct nv_models ms;
	struct run_ctx c = { .db = db, .ms = &ms, .res = res, .stateless = o->stateless };
	char archs[256], guest[768];
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (nv_models_open_whatif(&ms, o->archs, o->guest, o->cost, o->whatif, err, errlen))
		return -1;
	nv_replay_guest_key(o->guest, o->whatif, guest, sizeof(guest));
	nv_models_arch_list(&ms, archs, sizeof(archs));
	res->narch = ms.n;
	for (int i = 0; i < ms.n; i++)
		snprintf(res->arch[i], sizeof(res->arch[i]), "%s", nv_arch_name(ms.arch[i]));
	int jobs = o->jobs > 0 ? o->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
	int parallel = jobs > 1 && nvdb_time_ordered(db);
	/* -j 1 finds the mode while it reads; the threads of -j N need it first */
	res->mode = parallel ? nv_replay_mode_of(db) : nv_replay_single_mode(db);
	res->lost_events = nvdb_meta_get_i64(db, NVDB_META_LOST, 0);
	res->ts_first = nvdb_meta_get_i64(db, NVDB_META_TS_FIRST, 0);
	res->ts_last = nvdb_meta_get_i64(db, NVDB_META_TS_LAST, 0);

	/*
	 * -j N: WAL, the reader threads read on connections of their own while
	 * this one writes.  -j 1 reads on this connection, inside its own
	 * transaction, with the rollback journal: WAL wrote every result page
	 * twice (to the log, then at the checkpoint), and rows appended past the
	 * file's end need no journal.  A reader holding a read transaction longer
	 * than the busy timeout then makes the commit fail "busy".
	 */
	if (exec(db, parallel ? "PRAGMA journal_mode = WAL" : "PRAGMA journal_mode = DELETE") ||
	    exec(db, "BEGIN IMMEDIATE"))
		goto out_err;
	int64_t old = find_replay(db, guest, o->cost, archs, o->stateless);
	if ((old && delete_replay(db, old)) || insert_header(db, o, guest, archs, &ms, res) ||
	    prepare_rows(db, &c))
		goto out_rollback;
	int prc = 1;
	if (parallel) {
		prc = nv_replay_parallel(db, res->mode, &ms, o->stateless,
					 jobs > NV_REPLAY_MAX_JOBS ? NV_REPLAY_MAX_JOBS : jobs,
					 store_row, &c, res, &res->st, o->progress);
		if (prc == 1 && restart_scan(&c))
			goto out_rollback;
	}
	if (prc < 0 || (prc == 1 &&
			((parallel ? nv_replay_scan(db, res->mode, on_nested_exit, restart_scan, &c,
						    &res->st, o->progress)
				   : nv_replay_scan_mode(db, &res->mode, on_nested_exit, restart_scan,
							 &c, &res->st, o->progress)) || c.failed)))
		goto out_rollback;
	nv_vcpu_table_free(&c.vt, &ms, &res->memo);
	if (res->memo.wrong) {
		snprintf(err, errlen, "%s: memo verify: %llu of %llu remembered results differ from"
			 " the evaluation", nvdb_path(db), (unsigned long long)res->memo.wrong,
			 (unsigned long long)res->memo.checked);
		exec(db, "ROLLBACK");
		goto out;
	}
	if (flush_rows(&c) || insert_totals(db, res) ||
	    exec(db, "COMMIT"))
		goto out_rollback;
	rc = 0;
	goto out;
out_rollback:
	if ((sqlite3_errcode(nvdb_sql(db)) & 0xff) == SQLITE_BUSY)	/* -j 1: a reader in the way */
		snprintf(err, errlen, "%s: busy: a reader kept a read transaction open (gave up"
			 " after %d s)", nvdb_path(db), NVDB_BUSY_MS / 1000);
	else
		snprintf(err, errlen, "%s: cannot store the replay: %s", nvdb_path(db),
			 nvdb_errmsg(db));
	exec(db, "ROLLBACK");
	goto out;
out_err:
	snprintf(err, errlen, "%s: %s", nvdb_path(db), nvdb_errmsg(db));
out:
	sqlite3_finalize(c.ins_exit);
	sqlite3_finalize(c.ins_many);
	sqlite3_finalize(c.ins_outcome);
	free(c.cache);
	nv_vcpu_table_free(&c.vt, &ms, NULL);
	nv_models_close(&ms);
	return rc;
}
