/*
 * The events table's columns as one list (schema/event_cols.def): their
 * names for SQL, binding an event to an INSERT, reading one back.
 */
#include <stdio.h>
#include <string.h>
#include "schema/db.h"

static const char *const col_names[NVDB_NCOLS] = {
#define NVDB_COL(name, how, have) #name,
#include "schema/event_cols.def"
#undef NVDB_COL
};

/* See db.h. */
int nvdb_cols_sql(char *buf, size_t len, const char *prefix, unsigned mask)
{
	size_t n = 0;
	if (len)
		buf[0] = '\0';
	for (int c = 0; c < NVDB_NCOLS; c++) {
		if (!(mask & (1u << c)))
			continue;
		int w = snprintf(buf + n, len - n, "%s%s%s", n ? ", " : "", prefix, col_names[c]);
		if (w < 0 || (size_t)w >= len - n)
			return -1;
		n += (size_t)w;
	}
	return (int)n;
}

/* How each kind of column is bound (see event_cols.def). */
#define BIND_I64(st, p, v, bit)   sqlite3_bind_int64(st, p, v)
#define BIND_INT(st, p, v, bit)   sqlite3_bind_int(st, p, v)
#define BIND_SMALL(st, p, v, bit) ((v) < 0 ? sqlite3_bind_null(st, p) : sqlite3_bind_int(st, p, v))
#define BIND_U64(st, p, v, bit)   ((ev->have & (bit)) ? sqlite3_bind_int64(st, p, (sqlite3_int64)(v)) \
				  : sqlite3_bind_null(st, p))

/* See db.h. */
void nvdb_bind_event(sqlite3_stmt *st, int base, const struct nv_event *ev)
{
#define NVDB_COL(name, how, have) BIND_##how(st, base + 1 + NVDB_COL_##name, ev->name, have);
#include "schema/event_cols.def"
#undef NVDB_COL
}

/* See db.h. */
void nvdb_read_col(sqlite3_stmt *st, int col, enum nvdb_col c, struct nv_event *ev)
{
	switch (c) {
#define READ_I64(name, bit)   ev->name = sqlite3_column_int64(st, col)
#define READ_INT(name, bit)   ev->name = sqlite3_column_int(st, col)
#define READ_SMALL(name, bit) ev->name = sqlite3_column_type(st, col) == SQLITE_NULL ? -1 \
				: sqlite3_column_int(st, col)
#define READ_U64(name, bit)   do { \
		if (sqlite3_column_type(st, col) == SQLITE_NULL) { \
			ev->name = 0; \
			ev->have &= (uint16_t)~(bit); \
		} else { \
			ev->name = (uint64_t)sqlite3_column_int64(st, col); \
			ev->have |= (bit); \
		} } while (0)
#define NVDB_COL(name, how, have) case NVDB_COL_##name: READ_##how(name, have); break;
#include "schema/event_cols.def"
#undef NVDB_COL
	default:
		break;
	}
}
