/*
 * The live view's data path (view/live.c) on a database that grows while it
 * is followed: the real arm64 nested trace (L2 made 1,000 hypercalls) is
 * imported and replayed, its events are deleted from a copy, then put back
 * in two steps between polls at fixed clock times.  The counts per kind must
 * end equal to what replay stored (nested exits and observed traps), and the
 * rates be the counts over the seconds between polls.  No tracefs, no
 * terminal.  Skips when the trace or nvtrace is missing.
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "view/live.h"

/* One integer from an SQL query on path (-1 on error). */
static long long query(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	long long v = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
	return v;
}

/* Run SQL statements on path; 0 or -1. */
static int exec(const char *path, const char *sql)
{
	sqlite3 *db;
	int rc = -1;

	if (sqlite3_open(path, &db) == SQLITE_OK)
		rc = sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
	sqlite3_close(db);
	return rc;
}

/* Replay's count of a kind (exits, or with traps its observed traps). */
static long long stored(const char *src, const char *kind, int traps)
{
	char q[256];

	snprintf(q, sizeof(q), "SELECT %s FROM exit_costs_named WHERE arch = 'vm' AND kind = '%s'",
		 traps ? "coalesce(sum(observed_traps), 0)" : "count(*)", kind);
	return query(src, q);
}

int main(void)
{
	const char *root = getenv("ROOT") ? getenv("ROOT") : ".", *nv = getenv("NVTRACE");
	char dir[] = "/tmp/nvtrace-test-live-XXXXXX", src[256], grow[256], cmd[2048], sql[768], err[256] = "";
	struct live *l;

	snprintf(cmd, sizeof(cmd), "%s/../shared/reference/real-arm64-nv/nv-hypercall.dat", root);
	if (access(cmd, R_OK) || !nv) {
		t_skip("live view on a growing database", nv ? "no ../shared/reference/real-arm64-nv/nv-hypercall.dat" : "NVTRACE not set");
		return t_done();
	}
	if (!mkdtemp(dir))
		return 1;
	snprintf(src, sizeof(src), "%s/nv.db", dir);
	snprintf(grow, sizeof(grow), "%s/grow.db", dir);
	snprintf(cmd, sizeof(cmd), "ASAN_OPTIONS=detect_leaks=0 '%s' import '%s/../shared/reference/real-arm64-nv/nv-hypercall.dat' -o '%s' >/dev/null 2>&1 && '%s' replay '%s' >/dev/null 2>&1 && cp '%s' '%s'",
		 nv, root, src, nv, src, src, grow);
	T_EQ_INT(system(cmd), 0, "import and replay the real trace, copy it");
	T_EQ_INT(exec(grow, "DELETE FROM events"), 0, "the copy starts without events");

	l = live_open(grow, err, sizeof(err));
	T_OK(l != NULL, "live_open: %s", err);
	if (!l)
		return t_done();
	T_EQ_INT(live_poll(l, 10.0, err, sizeof(err)), 0, "poll an empty run");
	T_EQ_U64(l->exits, 0, "no events, no nested exits");

	long long half = query(src, "SELECT count(*) FROM events") / 2;
	snprintf(sql, sizeof(sql), "ATTACH '%s' AS s; INSERT INTO events SELECT * FROM s.events "
		 "WHERE ts <= (SELECT ts FROM s.events ORDER BY ts LIMIT 1 OFFSET %lld)", src, half);
	T_EQ_INT(exec(grow, sql), 0, "the first half of the events arrives");
	T_EQ_INT(live_poll(l, 12.0, err, sizeof(err)), 0, "poll after 2 s");
	T_EQ_STR(l->mode, "arm64-nested", "nesting events chose the nested reconstruction");
	uint64_t hvc1 = l->kind[NV_KIND_HVC].exits;
	T_OK(hvc1 > 0 && hvc1 < 1000, "part of the hypercalls so far (%llu)", (unsigned long long)hvc1);
	T_OK(l->kind[NV_KIND_HVC].exits_rate == (double)hvc1 / 2.0, "hvc rate = %llu exits / 2 s",
	     (unsigned long long)hvc1);
	T_OK(l->exits_rate == (double)l->exits / 2.0, "total rate over the 2 s");

	snprintf(sql, sizeof(sql), "ATTACH '%s' AS s; INSERT INTO events SELECT * FROM s.events "
		 "WHERE ts > (SELECT ts FROM s.events ORDER BY ts LIMIT 1 OFFSET %lld)", src, half);
	T_EQ_INT(exec(grow, sql), 0, "the rest arrives");
	T_EQ_INT(live_poll(l, 12.5, err, sizeof(err)), 0, "poll after 0.5 s more");
	T_EQ_U64(l->kind[NV_KIND_HVC].exits, (uint64_t)stored(src, "hvc", 0), "hvc nested exits = replay's (1,000)");
	T_EQ_U64(l->kind[NV_KIND_HVC].exits, 1000, "the 1,000 hypercalls");
	T_EQ_U64(l->kind[NV_KIND_TIMER].exits, (uint64_t)stored(src, "timer", 0), "timer nested exits = replay's");
	T_EQ_U64(l->kind[NV_KIND_HVC].traps, (uint64_t)stored(src, "hvc", 1), "hvc observed traps = replay's");
	T_EQ_U64(l->kind[NV_KIND_TIMER].traps, (uint64_t)stored(src, "timer", 1), "timer observed traps = replay's");
	T_OK(l->kind[NV_KIND_HVC].exits_rate == (double)(1000 - hvc1) / 0.5, "hvc rate over the last 0.5 s");
	T_EQ_INT(live_poll(l, 13.5, err, sizeof(err)), 0, "poll with nothing new");
	T_OK(l->exits_rate == 0 && l->kind[NV_KIND_HVC].exits == 1000, "no new exits: rate 0, counts kept");
	live_free(l);
	T_OK(live_open("/nonexistent/x.db", err, sizeof(err)) == NULL && strstr(err, "x.db"),
	     "a missing database: NULL and a message naming it (%s)", err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd))
		return 1;
	return t_done();
}
