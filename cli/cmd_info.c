/*
 * nvtrace info RUN.db [--json]
 *
 * A run's metadata (source, host, cpus, time span, completeness) and the
 * number of events of each event name.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/term_text.h"
#include "schema/db.h"
#include "view/json.h"
#include "cli/run_open.h"

/* The --help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace info RUN.db [--json]\n\n"
		"Show a run's metadata and the number of events of each event name.\n\n"
		"options:\n"
		"  -j, --json   print JSON\n"
		"  -h, --help   show this help\n");
}

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

static const char counts_sql[] =
	"SELECT n.system, n.name, count(e.id) FROM event_names n"
	" JOIN events e ON e.name_id = n.id GROUP BY n.id ORDER BY 3 DESC, 2";

static const char threads_sql[] =
	"SELECT t.pid, t.comm, (SELECT count(*) FROM events e WHERE e.pid = t.pid)"
	" FROM threads t ORDER BY 3 DESC, 1";

/* Metadata, threads and counts per event name, for people. */
static int print_text(struct nvdb *db, const char *path)
{
	sqlite3_stmt *st;
	char val[4096], safe[4 * 4096 + 8];	/* the database's text is untrusted: escaped */
	printf("%-14s %s\n", "run", term_text(path, safe, sizeof(safe)));
	for (size_t i = 0; i < sizeof(shown) / sizeof(shown[0]); i++)
		if (!nvdb_meta_get(db, shown[i].key, val, sizeof(val)))
			printf("%-14s %s\n", shown[i].label, term_text(val, safe, sizeof(safe)));
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
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(nvdb_sql(db), counts_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	printf("\nevents by name:\n  %10s  %s\n", "count", "name");
	while (sqlite3_step(st) == SQLITE_ROW)
		printf("  %10lld  %s\n", (long long)sqlite3_column_int64(st, 2),
		       term_text((const char *)sqlite3_column_text(st, 1), safe, sizeof(safe)));
	sqlite3_finalize(st);
	return 0;
}

/* The same as one JSON object, for scripts. */
static int print_json(struct nvdb *db, const char *path)
{
	sqlite3_stmt *st;
	int first = 1;
	printf("{\"run\": ");
	json_str(stdout, path);
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
	sqlite3_finalize(st);
	printf("}, \"threads\": [");
	if (sqlite3_prepare_v2(nvdb_sql(db), threads_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (first = 1; sqlite3_step(st) == SQLITE_ROW; first = 0) {
		printf("%s{\"pid\": %d, \"comm\": ", first ? "" : ", ", sqlite3_column_int(st, 0));
		json_str(stdout, (const char *)sqlite3_column_text(st, 1));
		printf(", \"events\": %lld}", (long long)sqlite3_column_int64(st, 2));
	}
	sqlite3_finalize(st);
	printf("], \"events\": {");
	if (sqlite3_prepare_v2(nvdb_sql(db), counts_sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	for (first = 1; sqlite3_step(st) == SQLITE_ROW; first = 0) {
		printf("%s", first ? "" : ", ");
		json_str(stdout, (const char *)sqlite3_column_text(st, 1));
		printf(": %lld", (long long)sqlite3_column_int64(st, 2));
	}
	sqlite3_finalize(st);
	printf("}}\n");
	return 0;
}

/* Open the run read-only and print it. */
int cmd_info(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nvdb *db;
	int opt, json = 0, rc;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "jh", opts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			json = 1;
			break;
		case 'h':
			usage(stdout);
			return NV_EXIT_OK;
		default:
			usage(stderr);
			return NV_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	db = ui_open_run("info", argv[optind], 0);
	if (!db)
		return NV_EXIT_ERR;
	rc = json ? print_json(db, argv[optind]) : print_text(db, argv[optind]);
	if (rc)
		fprintf(stderr, "nvtrace info: %s: %s\n", argv[optind], nvdb_errmsg(db));
	nvdb_close(db);
	return rc ? NV_EXIT_ERR : NV_EXIT_OK;
}
