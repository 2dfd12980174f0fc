/* Exports of a run: Perfetto (Chrome trace-event JSON) and CSV tables. */
#ifndef NVTRACE_PERFETTO_H
#define NVTRACE_PERFETTO_H

#include <stdio.h>
#include "view/viz.h"
#include "schema/db.h"

/*
 * Write the nested exits of s under arch as trace-event JSON (the first
 * max_exits of them, 0: all); other (NULL: none): more members of the
 * metadata object (otherData), JSON text starting with ", ".  0 or -1 + err.
 */
int perfetto_write(struct viz_source *s, const char *arch, uint64_t max_exits, const char *other,
		   FILE *out, char *err, size_t errlen);

/* Write every table and view of the database as DIR/NAME.csv: how many, or -1 + err. */
int csv_dump(struct nvdb *db, const char *dir, char *err, size_t errlen);

/* One CSV field (RFC 4180: quoted only when it has a comma, quote or newline). */
void csv_field(FILE *out, const char *s);

/* One table or view of the database as CSV (header line first) to out; 0 or -1 + err. */
int csv_table(struct nvdb *db, const char *table, FILE *out, char *err, size_t errlen);

#endif
