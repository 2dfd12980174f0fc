/* The symbol table's rows in the run database (see symtab_db.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "collector/symtab_db.h"

/* Run one statement without results; 0 or -1. */
static int exec(sqlite3 *s, const char *sql)
{
	return sqlite3_exec(s, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

/* See symtab_db.h. */
int nv_symtab_store(struct nvdb *db, const struct nv_symtab *t, const char *file,
		    char *err, size_t errlen)
{
	sqlite3 *s = nvdb_sql(db);
	sqlite3_stmt *ins = NULL, *src = NULL;
	char now[32] = "";
	time_t tt = time(NULL);
	struct tm tm;

	if (gmtime_r(&tt, &tm))
		strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", &tm);
	if (exec(s, "BEGIN") || exec(s, "DELETE FROM symbols") ||
	    exec(s, "DELETE FROM symbol_source") ||
	    sqlite3_prepare_v2(s, "INSERT INTO symbols (addr, type, name) VALUES (?, ?, ?)",
			       -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s, "INSERT INTO symbol_source (file, text_end, symbols, loaded) "
			       "VALUES (?, ?, ?, ?)", -1, &src, NULL) != SQLITE_OK)
		goto fail;
	for (size_t i = 0; i < t->n; i++) {
		char type[2] = { t->sym[i].type, 0 };
		sqlite3_bind_int64(ins, 1, (sqlite3_int64)t->sym[i].addr);
		sqlite3_bind_text(ins, 2, type, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(ins, 3, t->sym[i].name, -1, SQLITE_STATIC);
		if (sqlite3_step(ins) != SQLITE_DONE)
			goto fail;
		sqlite3_reset(ins);
	}
	sqlite3_bind_text(src, 1, file, -1, SQLITE_STATIC);
	sqlite3_bind_int64(src, 2, (sqlite3_int64)t->text_end);
	sqlite3_bind_int64(src, 3, (sqlite3_int64)t->n);
	sqlite3_bind_text(src, 4, now, -1, SQLITE_STATIC);
	if (sqlite3_step(src) != SQLITE_DONE || exec(s, "COMMIT"))
		goto fail;
	sqlite3_finalize(ins);
	sqlite3_finalize(src);
	return 0;
fail:
	snprintf(err, errlen, "%s: cannot store the symbols: %s", nvdb_path(db), sqlite3_errmsg(s));
	sqlite3_finalize(ins);
	sqlite3_finalize(src);
	exec(s, "ROLLBACK");
	return -1;
}

/* Whether the run's schema has the symbol tables (a read-only old run may not). */
static int has_tables(sqlite3 *s)
{
	sqlite3_stmt *st;
	int ok = 0;
	if (sqlite3_prepare_v2(s, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND "
			       "name = 'symbol_source'", -1, &st, NULL) != SQLITE_OK)
		return 0;
	ok = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return ok;
}

/* See symtab_db.h. */
int nv_symtab_load(struct nvdb *db, struct nv_symtab **out, char *err, size_t errlen)
{
	sqlite3 *s = nvdb_sql(db);
	sqlite3_stmt *st = NULL;
	struct nv_symtab *t;
	size_t cap = 0;

	*out = NULL;
	if (!has_tables(s))
		return 0;
	if (!(t = calloc(1, sizeof(*t))))
		goto oom;
	if (sqlite3_prepare_v2(s, "SELECT text_end FROM symbol_source LIMIT 1", -1, &st, NULL)
	    != SQLITE_OK)
		goto dberr;
	if (sqlite3_step(st) == SQLITE_ROW)
		t->text_end = (uint64_t)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(s, "SELECT addr, type, name FROM symbols", -1, &st, NULL)
	    != SQLITE_OK)
		goto dberr;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *ty = (const char *)sqlite3_column_text(st, 1);
		const char *nm = (const char *)sqlite3_column_text(st, 2);
		if (!nm || !ty)
			continue;	/* a damaged row: skip it */
		if (t->n == cap) {
			size_t c = cap ? cap * 2 : 4096;
			struct nv_sym *n = realloc(t->sym, c * sizeof(*n));
			if (!n)
				goto oom;
			t->sym = n;
			cap = c;
		}
		char *name = strdup(nm);
		if (!name)
			goto oom;
		t->sym[t->n++] = (struct nv_sym){ (uint64_t)sqlite3_column_int64(st, 0), name, ty[0] };
	}
	sqlite3_finalize(st);
	if (!t->n) {
		nv_symtab_free(t);
		return 0;
	}
	nv_symtab_sort(t);	/* rows are untrusted: never assume their order */
	*out = t;
	return 0;
dberr:
	snprintf(err, errlen, "%s: cannot read the symbols: %s", nvdb_path(db), sqlite3_errmsg(s));
	sqlite3_finalize(st);
	nv_symtab_free(t);
	return -1;
oom:
	snprintf(err, errlen, "%s: out of memory reading the symbols", nvdb_path(db));
	sqlite3_finalize(st);
	nv_symtab_free(t);
	return -1;
}

/* See symtab_db.h. */
int nv_symtab_source(struct nvdb *db, char *buf, size_t len)
{
	sqlite3 *s = nvdb_sql(db);
	sqlite3_stmt *st;
	int rc = -1;
	if (!has_tables(s) ||
	    sqlite3_prepare_v2(s, "SELECT file FROM symbol_source LIMIT 1", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) {
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
		rc = 0;
	}
	sqlite3_finalize(st);
	return rc;
}

/* See symtab_db.h. */
int nv_symtab_set_coverage(struct nvdb *db, int64_t pcs, int64_t resolved)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(nvdb_sql(db), "UPDATE symbol_source SET trap_pcs = ?, resolved = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, pcs);
	sqlite3_bind_int64(st, 2, resolved);
	rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
	sqlite3_finalize(st);
	return rc;
}
