/*
 * Every table (and view) of a run database as DIR/NAME.csv (RFC 4180: a
 * header line, fields with a comma, quote or newline quoted, quotes
 * doubled), so that a spreadsheet or pandas can read the run without
 * SQLite.  Names come from sqlite_master, so tables added by later
 * migrations come along; views such as exit_costs (one row per exit and
 * architecture) are written like tables.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include "view/perfetto.h"

/* See perfetto.h: one field, quoted only when it must be. */
void csv_field(FILE *out, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/*
 * The file name of a table: its name comes from the (untrusted) database, so
 * only letters, digits, '_', '-' and '.' are kept, anything else (a '/', a
 * control byte) becomes '_', and it never starts with '.': no "../x".
 */
static void table_file(const char *table, char *out, size_t n)
{
	size_t i = 0;
	for (; table[i] && i + 1 < n && i < 200; i++) {
		unsigned char c = (unsigned char)table[i];
		int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
			 c == '_' || c == '-' || (c == '.' && i > 0);
		out[i] = ok ? (char)c : '_';
	}
	out[i] = 0;
	if (i == 0)
		snprintf(out, n, "_");
}

/* One table (or view) as CSV into out; 0 or -1 + err. */
static int write_table(sqlite3 *sql, const char *table, FILE *out, char *err, size_t errlen)
{
	char *q = sqlite3_mprintf("SELECT * FROM \"%w\"", table);
	sqlite3_stmt *st = NULL;
	int rc, cols;

	if (!q || sqlite3_prepare_v2(sql, q, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", table, sqlite3_errmsg(sql));
		sqlite3_free(q);
		return -1;
	}
	sqlite3_free(q);
	cols = sqlite3_column_count(st);
	for (int i = 0; i < cols; i++) {
		if (i)
			fputc(',', out);
		csv_field(out, sqlite3_column_name(st, i));
	}
	fputc('\n', out);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (int i = 0; i < cols; i++) {
			const unsigned char *v = sqlite3_column_text(st, i);
			if (i)
				fputc(',', out);
			if (v)
				csv_field(out, (const char *)v);
		}
		fputc('\n', out);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "%s: %s", table, sqlite3_errmsg(sql));
		return -1;
	}
	return 0;
}

/* One table into DIR/NAME.csv, NAME the sanitised table name. */
static int dump_table(sqlite3 *sql, const char *table, const char *dir, char *err, size_t errlen)
{
	char path[4096], name[256];
	FILE *out;

	table_file(table, name, sizeof(name));
	snprintf(path, sizeof(path), "%s/%s.csv", dir, name);
	out = fopen(path, "w");
	if (!out) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (write_table(sql, table, out, err, errlen)) {
		fclose(out);
		return -1;
	}
	if (fclose(out)) {
		snprintf(err, errlen, "%s: write error", path);
		return -1;
	}
	return 0;
}

/* See perfetto.h: one table or view to a stream. */
int csv_table(struct nvdb *db, const char *table, FILE *out, char *err, size_t errlen)
{
	return write_table(nvdb_sql(db), table, out, err, errlen);
}

/* Every table and view, by name. */
int csv_dump(struct nvdb *db, const char *dir, char *err, size_t errlen)
{
	sqlite3 *sql = nvdb_sql(db);
	sqlite3_stmt *st;
	int rc = 0, n = 0;

	if (mkdir(dir, 0777) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	if (sqlite3_prepare_v2(sql, "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') "
			       "AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s", sqlite3_errmsg(sql));
		return -1;
	}
	while (!rc && sqlite3_step(st) == SQLITE_ROW) {
		const char *name = (const char *)sqlite3_column_text(st, 0);
		if (!name)
			continue;
		rc = dump_table(sql, name, dir, err, errlen);
		n++;
	}
	sqlite3_finalize(st);
	return rc ? -1 : n;
}
