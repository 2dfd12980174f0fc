/*
 * Events in time order in storage: every reader (replay's scan, nvdb_iter)
 * then reads the table as stored, with no index and no sort.  nvdb_finish
 * checks the order once, rewrites the table sorted when a source wrote it
 * out of order (renumbering ids, event_raw follows), and sets the
 * time_ordered flag, which triggers clear on any later insert or change of
 * ts (an edited run is read sorted again, never wrongly).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema/db.h"
#include "schema/order.h"

static int exec(sqlite3 *sql, const char *q)
{
	return sqlite3_exec(sql, q, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* 1 when ids follow (ts, id) order, 0 if not, -1 on error: one pass over ts. */
static int stored_in_order(sqlite3 *sql)
{
	sqlite3_stmt *st;
	int64_t last = INT64_MIN;
	int rc, ordered = 1;
	if (sqlite3_prepare_v2(sql, "SELECT ts FROM events ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t ts = sqlite3_column_int64(st, 0);
		if (ts < last) {
			ordered = 0;
			rc = SQLITE_DONE;
			break;
		}
		last = ts;
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? ordered : -1;
}

/* Rewrite events sorted by (ts, id) with ids 1..n, and event_raw's ids to match. */
static int sort_events(sqlite3 *sql)
{
	sqlite3_stmt *st;
	char cols[512], ecols[512], *create = NULL, q[2048];
	int rc = -1;
	if (nvdb_cols_sql(cols, sizeof(cols), "", NVDB_COLS_ALL) < 0 ||
	    nvdb_cols_sql(ecols, sizeof(ecols), "e.", NVDB_COLS_ALL) < 0)
		return -1;
	if (sqlite3_prepare_v2(sql, "SELECT sql FROM sqlite_master WHERE type = 'table'"
			       " AND name = 'events'", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW) {
		const char *s = (const char *)sqlite3_column_text(st, 0);
		const char *rest = s ? strstr(s, "events") : NULL;
		if (rest && (create = malloc(strlen(s) + 16)))
			sprintf(create, "CREATE TABLE events_sorted%s", rest + strlen("events"));
	}
	sqlite3_finalize(st);
	if (!create)
		return -1;
	snprintf(q, sizeof(q),
		 "DROP TABLE IF EXISTS temp.nv_renumber;"
		 "CREATE TEMP TABLE nv_renumber (old INTEGER PRIMARY KEY, new INTEGER NOT NULL);"
		 "INSERT INTO nv_renumber SELECT id, row_number() OVER (ORDER BY ts, id) FROM events;"
		 "DROP TABLE IF EXISTS events_sorted;"
		 "%s;"
		 "INSERT INTO events_sorted (id, %s) SELECT m.new, %s FROM events e"
		 " JOIN nv_renumber m ON m.old = e.id ORDER BY m.new;"
		 "UPDATE event_raw SET event_id = -(SELECT new FROM nv_renumber WHERE old = event_id);"
		 "UPDATE event_raw SET event_id = -event_id;"
		 "DROP TABLE events;"
		 "ALTER TABLE events_sorted RENAME TO events;"
		 "DROP TABLE temp.nv_renumber;", create, cols, ecols);
	rc = exec(sql, q);
	free(create);
	return rc;
}

/* See schema/order.h. */
int nvdb_sort_stored(sqlite3 *sql, int sort)
{
	int ordered = stored_in_order(sql);
	/* only a run out of order is sorted, and only when asked: copying an
	 * ordered table cost seconds per million events at every finish */
	if (ordered != 0 || !sort)
		return ordered;
	if (exec(sql, "SAVEPOINT nv_sort") || sort_events(sql)) {
		exec(sql, "ROLLBACK TO nv_sort");
		exec(sql, "RELEASE nv_sort");
		return -1;
	}
	return exec(sql, "RELEASE nv_sort") ? -1 : 1;
}

/* See schema/order.h. */
int nvdb_order_triggers(sqlite3 *sql)
{
	return exec(sql,
		    "CREATE TRIGGER IF NOT EXISTS events_time_order_insert AFTER INSERT ON events"
		    " WHEN (SELECT value FROM meta WHERE key = '" NVDB_META_TIME_ORDERED "') = '1'"
		    " BEGIN UPDATE meta SET value = '0' WHERE key = '" NVDB_META_TIME_ORDERED "'; END;"
		    "CREATE TRIGGER IF NOT EXISTS events_time_order_update AFTER UPDATE OF id, ts ON events"
		    " WHEN (SELECT value FROM meta WHERE key = '" NVDB_META_TIME_ORDERED "') = '1'"
		    " BEGIN UPDATE meta SET value = '0' WHERE key = '" NVDB_META_TIME_ORDERED "'; END;");
}
