/*
 * nvtrace info RUN.db [--json]
 *
 * A run's metadata (source, host, cpus, time span, completeness) and the
 * number of events of each event name.
 */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/term_text.h"
#include "schema/db.h"
#include "view/json.h"
#include "view/perfetto.h"
#include "cli/run_open.h"
#include "cli/opts.h"

static const struct nv_opt info_opts[] = {
	NV_OPT_CSV,
	{ NV_OPT_JSON_KEY, "json", NULL, "JSON on stdout (strings valid UTF-8: a byte that is not\n"
	  "is written \\ufffd)", NVC_NONE, NULL },
	{ 0 }
};

const struct nv_cmd_spec nv_spec_info = {
	"info", "RUN.db [--csv|--json]",
	"Show a run's metadata, its threads and the number of events of each event name.\n"
	"CSV: section,key,value,count (meta KEY VALUE; thread PID COMM EVENTS; event\n"
	"SYSTEM NAME COUNT).",
	info_opts, NVC_DB, NULL, 0,
};

/* The metadata keys in the order they are shown. */
static const struct { const char *key, *label; } shown[] = {
	{ NVDB_META_STATUS, "status" },
	{ NVDB_META_SOURCE, "source" },
	{ NVDB_META_SOURCE_FILE, "source file" },
	{ NVDB_META_HOST_ARCH, "host arch" },
	{ NVDB_META_HOST_KERNEL, "host kernel" },
	{ NVDB_META_CPUS, "cpus" },
	{ NVDB_META_EVENTS, "events" },
	{ NVDB_META_LOST, "lost events" },
	{ NVDB_META_TS_FIRST, "first ns" },
	{ NVDB_META_TS_LAST, "last ns" },
	{ NVDB_META_SYNTHETIC, "synthetic" },
	{ NVDB_META_TOOL_VERSION, "tool version" },
	{ NVDB_META_CREATED, "created" },
};

/* one pass over the events each (they have no index: schema/sql/003-compact.sql) */
static const char counts_sql[] =
	"SELECT n.system, n.name, c.k FROM (SELECT name_id, count(*) AS k FROM events"
	" GROUP BY name_id) c JOIN event_names n ON n.id = c.name_id ORDER BY 3 DESC, 2";

static const char threads_sql[] =
	"SELECT t.pid, t.comm, coalesce(c.k, 0) FROM threads t LEFT JOIN"
	" (SELECT pid, count(*) AS k FROM events GROUP BY pid) c ON c.pid = t.pid"
	" ORDER BY 3 DESC, 1";

/* Metadata, threads and counts per event name, for people. */
static int print_text(struct nvdb *db, const char *path)
{
	sqlite3_stmt *st;
	char val[4096], safe[4 * 4096 + 8];	/* the database's text is untrusted: escaped */
	printf("%-14s %s\n", "run", term_text(path, safe, sizeof(safe)));
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		if (!nvdb_meta_get(db, shown[i].key, val, sizeof(val)))
			printf("%-14s %s\n", shown[i].label, term_text(val, safe, sizeof(safe)));
		if (strcmp(shown[i].key, NVDB_META_STATUS) == 0 && ui_run_incomplete(path)) {
			const char *why = ui_run_incomplete(path);	/* the line under status */
			printf("%-14s %s\n", "why", why[0] ? term_text(why, safe, sizeof(safe)) :
			       "not stored (a run written before nvtrace kept the reason)");
		}
	}
	{
		int64_t a = nvdb_meta_get_i64(db, NVDB_META_TS_FIRST, -1);
		int64_t b = nvdb_meta_get_i64(db, NVDB_META_TS_LAST, -1);
		if (a >= 0 && b >= a)
			printf("%-14s %.6f s\n", "duration", (b - a) / 1e9);
	}
	if (sqlite3_prepare_v2(nvdb_sql(db), threads_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	printf("\nthreads:\n  %10s  %-16s %10s\n", "pid", "comm", "events");
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("  %10d  %-16s %10lld\n", sqlite3_column_int(st, 0),
		       term_text((const char *)sqlite3_column_text(st, 1), safe, sizeof(safe)),
		       (long long)sqlite3_column_int64(st, 2));
	if (sqlite3_finalize(st) != SQLITE_OK)	/* a corrupt page ends the loop */
		return -1;
	if (sqlite3_prepare_v2(nvdb_sql(db), counts_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	printf("\nevents by name:\n  %10s  %s\n", "count", "name");
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("  %10lld  %s\n", (long long)sqlite3_column_int64(st, 2),
		       term_text((const char *)sqlite3_column_text(st, 1), safe, sizeof(safe)));
	if (sqlite3_finalize(st) != SQLITE_OK)	/* a corrupt page ends the loop */
		return -1;
	return 0;
}

/* The same as one JSON object, for scripts. */
static int print_json(struct nvdb *db, const char *path)
{
	sqlite3_stmt *st;
	int first = 1;
	printf("{\"run\": ");
	json_str(stdout, path);
	ui_json_incomplete(stdout, path);
	printf(", \"meta\": {");
	if (sqlite3_prepare_v2(nvdb_sql(db), "SELECT key, value FROM meta ORDER BY key",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	while (sqlite3_step(st) == SQLITE_ROW) {
		printf("%s", first ? "" : ", ");
		json_str(stdout, (const char *)sqlite3_column_text(st, 0));
		printf(": ");
		json_str(stdout, (const char *)sqlite3_column_text(st, 1));
		first = 0;
	}
	if (sqlite3_finalize(st) != SQLITE_OK)	/* a corrupt page ends the loop */
		return -1;
	printf("}, \"threads\": [");
	if (sqlite3_prepare_v2(nvdb_sql(db), threads_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (first = 1; sqlite3_step(st) == SQLITE_ROW; first = 0) {
		printf("%s{\"pid\": %d, \"comm\": ", first ? "" : ", ", sqlite3_column_int(st, 0));
		json_str(stdout, (const char *)sqlite3_column_text(st, 1));
		printf(", \"events\": %lld}", (long long)sqlite3_column_int64(st, 2));
	}
	if (sqlite3_finalize(st) != SQLITE_OK)	/* a corrupt page ends the loop */
		return -1;
	printf("], \"events\": {");
	if (sqlite3_prepare_v2(nvdb_sql(db), counts_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (first = 1; sqlite3_step(st) == SQLITE_ROW; first = 0) {
		printf("%s", first ? "" : ", ");
		json_str(stdout, (const char *)sqlite3_column_text(st, 1));
		printf(": %lld", (long long)sqlite3_column_int64(st, 2));
	}
	if (sqlite3_finalize(st) != SQLITE_OK)	/* a corrupt page ends the loop */
		return -1;
	printf("}}\n");
	return 0;
}

/* Column i of a row as text, "" for NULL. */
static const char *col(sqlite3_stmt *st, int i)
{
	const char *v = (const char *)sqlite3_column_text(st, i);
	return v ? v : "";
}

/* The same as CSV rows: section,key,value,count. */
static int print_csv(struct nvdb *db)
{
	static const struct { const char *section, *sql; } parts[] = {
		{ "meta", "SELECT key, value, NULL FROM meta ORDER BY key" },
		{ "thread", NULL },
		{ "event", NULL },
	};
	sqlite3_stmt *st;
	printf("section,key,value,count\n");
	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *sql = parts[i].sql ? parts[i].sql : i == 1 ? threads_sql : counts_sql;
		if (sqlite3_prepare_v2(nvdb_sql(db), sql, -1, &st, NULL) != SQLITE_OK)
			return -1;
		while (sqlite3_step(st) == SQLITE_ROW) {
			printf("%s,", parts[i].section);
			csv_field(stdout, col(st, 0));
			putchar(',');
			csv_field(stdout, col(st, 1));
			putchar(',');
			csv_field(stdout, col(st, 2));
			putchar('\n');
		}
		if (sqlite3_finalize(st) != SQLITE_OK)	/* a corrupt page ends the loop */
			return -1;
	}
	return 0;
}

/* Open the run read-only and print it. */
int cmd_info(int argc, char **argv)
{
	struct nvdb *db;
	struct nv_optparse p;
	int opt, fmt = 0, rc;

	nv_opt_init(&p, &nv_spec_info, argc, argv);
	while ((opt = nv_opt_next(&p)) != NV_OPT_DONE) {
		if (opt == NV_OPT_STOP)
			return p.status;
		fmt = opt;
	}
	if (argc - p.ind != 1)
		return nv_usage_error(&nv_spec_info, "wants one RUN.db, not %d arguments", argc - p.ind);
	db = ui_open_run("info", argv[p.ind], 0);
	if (!db)
		return NV_EXIT_ERR;
	rc = fmt == NV_OPT_JSON_KEY ? print_json(db, argv[p.ind]) :
	     fmt == NV_OPT_CSV_KEY ? print_csv(db) : print_text(db, argv[p.ind]);
	if (rc)
		fprintf(stderr, "nvtrace info: %s: %s\n", argv[p.ind], nvdb_errmsg(db));
	nvdb_close(db);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}
