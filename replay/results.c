/*
 * The one reader of the replay results tables (see results.h): picking a
 * replay, its architectures, its stored exits, its kind totals, and the call
 * that finds results or runs a replay for them.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/results.h"

/* A text column of one row, "" when NULL. */
static const char *col_text(sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	return t ? (const char *)t : "";
}

/* See results.h: the latest replay, or the latest with this guest and cost. */
int nv_results_pick(struct nvdb *db, const char *guest, const char *cost,
		    struct nv_results_replay *r, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc = -1;

	memset(r, 0, sizeof(*r));
	if (sqlite3_prepare_v2(nvdb_sql(db), "SELECT guest, cost, mode, exits, incomplete_start, incomplete_end, "
			       "unmatched, unmodelled, id, ts_first, ts_last FROM replays "
			       "WHERE (?1 IS NULL OR guest = ?1) AND (?2 IS NULL OR cost = ?2) "
			       /* unasked, a what-if replay ("GUEST [EDITS]", e.g. advise's
				* remedies) comes after the plain ones */
			       "ORDER BY (?1 IS NULL AND guest LIKE '% [%]'), id DESC LIMIT 1",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "no replay results (run nvtrace replay first)");
		return -1;
	}
	if (guest)
		sqlite3_bind_text(st, 1, guest, -1, SQLITE_STATIC);
	if (cost)
		sqlite3_bind_text(st, 2, cost, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		snprintf(r->guest, sizeof(r->guest), "%s", col_text(st, 0));
		snprintf(r->cost, sizeof(r->cost), "%s", col_text(st, 1));
		r->id = sqlite3_column_int64(st, 8);
		r->exits = (uint64_t)sqlite3_column_int64(st, 3);
		r->ts_first = sqlite3_column_int64(st, 9);
		r->ts_last = sqlite3_column_int64(st, 10);
		snprintf(r->desc, sizeof(r->desc), "guest %s, cost %s, mode %s, %s %s "
			 "(incomplete %s+%s, unmatched %s, unmodelled %s)", col_text(st, 0),
			 col_text(st, 1), col_text(st, 2), col_text(st, 3), nv_exits_label(col_text(st, 2)),
			 col_text(st, 4),
			 col_text(st, 5), col_text(st, 6), col_text(st, 7));
		rc = 0;
	} else if (guest || cost) {
		snprintf(err, errlen, "no replay with guest %s, cost %s (run nvtrace replay)",
			 guest ? guest : "any", cost ? cost : "any");
	} else {
		snprintf(err, errlen, "no replay results (run nvtrace replay first)");
	}
	sqlite3_finalize(st);
	return rc;
}

/* See results.h: a replay's architectures, in column order. */
int nv_results_archs(struct nvdb *db, int64_t replay, const char **arch, int max,
		     char *err, size_t errlen)
{
	sqlite3 *sql = nvdb_sql(db);
	sqlite3_stmt *st;
	int n = 0;

	if (sqlite3_prepare_v2(sql, "SELECT arch FROM replay_archs WHERE replay_id = ? ORDER BY idx",
			       -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(sql));
		return -1;
	}
	sqlite3_bind_int64(st, 1, replay);
	while (n < max && sqlite3_step(st) == SQLITE_ROW) {
		const char *a = col_text(st, 0);
		/* names that outlive the statement: the model's own spelling */
		const struct nv_arch *na = nv_arch_find(a);
		if (!na) {
			snprintf(err, errlen, "replay used architecture '%s' this nvtrace does not know", a);
			sqlite3_finalize(st);
			return -1;
		}
		arch[n++] = nv_arch_name(na);
	}
	sqlite3_finalize(st);
	if (!n) {
		snprintf(err, errlen, "the replay has no architectures");
		return -1;
	}
	return n;
}

#define OUTCOME_CACHE 256	/* outcomes an iterator remembers: a power of two */

/* One exit_outcomes row as an iterator reads it (n 0: an empty slot). */
struct results_outcome {
	int64_t n;
	int kind;
	uint64_t traps, cycles, observed;
};

struct nv_results_iter {
	sqlite3 *sql;
	sqlite3_stmt *st;		/* the replay's exit_rows */
	sqlite3_stmt *outcome;		/* one exit_outcomes row */
	int64_t replay;
	struct results_outcome cache[OUTCOME_CACHE];	/* by number, direct-mapped */
};

/*
 * See results.h: the stored exits with their costs under one architecture
 * (columns traps_N, cycles_N of their exit_outcomes row), in the order they
 * were stored.  The rows are read alone (one table in rowid order) and each
 * outcome once into a small cache (a replay has a few): no join per row.
 */
struct nv_results_iter *nv_results_exits(struct nvdb *db, int64_t replay, int arch_idx,
					 int64_t upto, char *err, size_t errlen)
{
	struct nv_results_iter *it;
	char sql[512], extra[160] = "";

	if (arch_idx < 0 || arch_idx >= NV_REPLAY_MAX_ARCH) {
		snprintf(err, errlen, "no such architecture");
		return NULL;
	}
	/* exit_rows.id = replay_id << 32 | seq: one replay's rows are a rowid range */
	if (upto > 0)
		snprintf(extra, sizeof(extra), "AND id <= (?1 << 32) + %" PRId64 " AND vcpu = "
			 "(SELECT vcpu FROM exit_rows WHERE id = (?1 << 32) + %" PRId64 ")",
			 upto, upto);
	snprintf(sql, sizeof(sql),
		 "SELECT id & 4294967295, vcpu, ts_start, ts_start + dur, outcome FROM exit_rows"
		 " WHERE id BETWEEN (?1 << 32) + 1 AND (?1 << 32) + 4294967295 %s ORDER BY id", extra);
	it = calloc(1, sizeof(*it));
	if (!it) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	it->sql = nvdb_sql(db);
	it->replay = replay;
	if (sqlite3_prepare_v2(it->sql, sql, -1, &it->st, NULL) != SQLITE_OK)
		goto fail;
	snprintf(sql, sizeof(sql), "SELECT kind, traps_%d, cycles_%d, observed_traps FROM exit_outcomes"
		 " WHERE id = (?1 << 32) | ?2", arch_idx, arch_idx);
	if (sqlite3_prepare_v2(it->sql, sql, -1, &it->outcome, NULL) != SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(it->st, 1, replay);
	sqlite3_bind_int64(it->outcome, 1, replay);
	return it;
fail:
	snprintf(err, errlen, "%s", sqlite3_errmsg(it->sql));
	nv_results_iter_free(it);
	return NULL;
}

/* Outcome n of the iterator's replay, from the cache or read into it; NULL with err. */
static const struct results_outcome *outcome(struct nv_results_iter *it, int64_t n, int64_t seq,
					     char *err, size_t errlen)
{
	struct results_outcome *o = &it->cache[(uint64_t)n & (OUTCOME_CACHE - 1)];
	sqlite3_stmt *st = it->outcome;
	int step;
	if (o->n == n && n)
		return o;
	sqlite3_bind_int64(st, 2, n);
	step = sqlite3_step(st);
	if (step == SQLITE_ROW) {
		o->n = n;
		o->kind = sqlite3_column_int(st, 0);
		o->traps = (uint64_t)sqlite3_column_int64(st, 1);
		o->cycles = (uint64_t)sqlite3_column_int64(st, 2);
		o->observed = sqlite3_column_int64(st, 3) > 0 ? (uint64_t)sqlite3_column_int64(st, 3) : 0;
	} else if (step == SQLITE_DONE) {
		snprintf(err, errlen, "corrupt database: nested exit %" PRId64 " of replay %" PRId64
			 " has no outcome %" PRId64 " in exit_outcomes", seq, it->replay, n);
	} else {
		snprintf(err, errlen, "%s", sqlite3_errmsg(it->sql));
	}
	sqlite3_reset(st);
	return step == SQLITE_ROW ? o : NULL;
}

/* See results.h: the next stored exit. */
int nv_results_next(struct nv_results_iter *it, struct nv_results_exit *e, char *err, size_t errlen)
{
	sqlite3_stmt *st = it->st;
	const struct results_outcome *o;
	int step = sqlite3_step(st);

	if (step == SQLITE_DONE)
		return 0;
	if (step != SQLITE_ROW) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(it->sql));
		return -1;
	}
	e->seq = sqlite3_column_int64(st, 0);
	if (!(o = outcome(it, sqlite3_column_int64(st, 4), e->seq, err, errlen)))
		return -1;
	e->kind = o->kind;
	if (e->kind < 0 || e->kind > NV_KIND__COUNT)
		e->kind = NV_KIND_OTHER;
	e->vcpu = sqlite3_column_int(st, 1);
	e->ts_start = sqlite3_column_type(st, 2) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 2);
	e->ts_end = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 : sqlite3_column_int64(st, 3);
	e->traps = o->traps;
	e->cycles = o->cycles;
	e->observed = o->observed;
	return 1;
}

/* Finalize the statements and free the iterator (NULL is fine). */
void nv_results_iter_free(struct nv_results_iter *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->st);
	sqlite3_finalize(it->outcome);
	free(it);
}

/* See results.h: the replays row of these settings and its kind totals. */
int nv_replay_load(struct nvdb *db, const struct nv_replay_opts *o,
		   struct nv_replay_result *res)
{
	struct nv_models ms;
	char archs[256], err[256], guest[768];
	sqlite3_stmt *st;
	memset(res, 0, sizeof(*res));
	if (nv_models_open_whatif(&ms, o->archs, o->guest, o->cost, o->whatif, err, sizeof(err)))
		return -1;
	nv_replay_guest_key(o->guest, o->whatif, guest, sizeof(guest));
	nv_models_arch_list(&ms, archs, sizeof(archs));
	res->narch = ms.n;
	for (int i = 0; i < ms.n; i++)
		snprintf(res->arch[i], sizeof(res->arch[i]), "%s", nv_arch_name(ms.arch[i]));
	nv_models_close(&ms);
	if (sqlite3_prepare_v2(nvdb_sql(db),
			       "SELECT id, mode, events, exits, incomplete_start, incomplete_end,"
			       " unmatched, self_injections, outside_exits, lost_events, unmodelled,"
			       " ts_first, ts_last FROM replays"
			       " WHERE guest = ? AND cost = ? AND archs = ? AND stateless = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;	/* no replays table: a database older than replay */
	sqlite3_bind_text(st, 1, guest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, o->cost, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, archs, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, o->stateless);
	int found = sqlite3_step(st) == SQLITE_ROW;
	if (found) {
		const char *mode = (const char *)sqlite3_column_text(st, 1);
		res->id = sqlite3_column_int64(st, 0);
		for (int m = 0; m <= NV_RECON_X86_SINGLE; m++)
			if (mode && !strcmp(mode, nv_recon_mode_name(m)))
				res->mode = m;
		res->st.events = sqlite3_column_int64(st, 2);
		res->st.exits = sqlite3_column_int64(st, 3);
		res->st.incomplete_start = sqlite3_column_int64(st, 4);
		res->st.incomplete_end = sqlite3_column_int64(st, 5);
		res->st.unmatched = sqlite3_column_int64(st, 6);
		res->st.self_injections = sqlite3_column_int64(st, 7);
		res->st.outside_exits = sqlite3_column_int64(st, 8);
		res->lost_events = sqlite3_column_int64(st, 9);
		res->unmodelled = sqlite3_column_int64(st, 10);
		res->ts_first = sqlite3_column_int64(st, 11);
		res->ts_last = sqlite3_column_int64(st, 12);
	}
	sqlite3_finalize(st);
	if (!found)
		return 0;
	if (sqlite3_prepare_v2(nvdb_sql(db),
			       "SELECT arch, kind, exits, traps, cycles, observed_traps"
			       " FROM kind_totals WHERE replay_id = ?", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, res->id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *arch = (const char *)sqlite3_column_text(st, 0);
		int k = sqlite3_column_int(st, 1);
		if (k < 0 || k >= NV_KIND__COUNT)
			continue;
		res->exits[k] = (uint64_t)sqlite3_column_int64(st, 2);
		res->observed[k] = (uint64_t)sqlite3_column_int64(st, 5);
		for (int a = 0; a < res->narch; a++)
			if (arch && !strcmp(arch, res->arch[a])) {
				res->traps[a][k] = (uint64_t)sqlite3_column_int64(st, 3);
				res->cycles[a][k] = (uint64_t)sqlite3_column_int64(st, 4);
			}
	}
	sqlite3_finalize(st);
	return 1;
}

/* See results.h: index of arch name in a result, -1 if absent. */
int nv_results_arch_index(const struct nv_replay_result *r, const char *name)
{
	for (int a = 0; a < r->narch; a++)
		if (!strcmp(r->arch[a], name))
			return a;
	return -1;
}

/* Whether a result has vm and every asked architecture. */
static int covers(const struct nv_replay_result *r, char **archs, int n)
{
	if (nv_results_arch_index(r, "vm") < 0)
		return 0;
	for (int i = 0; i < n; i++)
		if (nv_results_arch_index(r, archs[i]) < 0)
			return 0;
	return 1;
}

/* See results.h: stored results that cover the architectures, or a new replay. */
int nv_results_get(struct nvdb *db, char **archs, int n, const char *guest, const char *cost,
		   const struct nv_whatif *w, const struct nv_progress *progress,
		   struct nv_replay_result *r, char *err, size_t errlen)
{
	char exact[256] = "vm";
	size_t len = 2;
	struct nv_replay_opts o = { .archs = NV_REPLAY_DEFAULT_ARCHS, .guest = guest, .cost = cost, .whatif = w };
	for (int i = 0; i < n; i++)
		if (strcmp(archs[i], "vm"))
			len += snprintf(exact + len, sizeof(exact) - len, ",%s", archs[i]);
	if (nv_replay_load(db, &o, r) == 1 && covers(r, archs, n))
		return 0;
	o.archs = exact;
	if (nv_replay_load(db, &o, r) == 1 && covers(r, archs, n))
		return 0;
	o.archs = NV_REPLAY_DEFAULT_ARCHS;
	o.progress = progress;
	if (nv_replay_run(db, &o, r, err, errlen) == 0 && covers(r, archs, n))
		return 0;
	o.archs = exact;
	return nv_replay_run(db, &o, r, err, errlen);
}
