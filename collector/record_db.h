/*
 * The run database as the destination of a recording: each decoded event
 * with its event name's id, each thread's name once (schema/threads.h, the
 * set import uses too), batched by nvdb_insert; and the run's metadata once
 * the session has run.  The live line and the summary stay with the caller.
 */
#ifndef NVTRACE_RECORD_DB_H
#define NVTRACE_RECORD_DB_H

#include "schema/db.h"
#include "schema/threads.h"
#include "collector/record_session.h"

struct rec_db {
	struct nvdb *db;
	struct nvdb_threads threads;	/* threads whose name is written */
	char why[256];			/* why an event could not be written (disk full...) */
};

/* One decoded event into the database; 0, or -1 (the database's error). */
int rec_db_event(struct rec_db *d, const struct nv_event *ev, struct rec_kind *kind);

/* The run's metadata known once the session has run (source, host, cpus, lost...). */
void rec_db_write_meta(struct nvdb *db, const struct rec_result *res);

/*
 * End a recording written at tmp (nvdb_create, not atomic) and move it to
 * out, closing the database.  r is rec_run's result and err its line.
 * Metadata first; when r == 0: indexes, time order, status complete (or
 * stopped by signal); else, or when finishing fails (a full disk), status
 * stays incomplete and incomplete_reason says why.  The file is made
 * self-contained (no WAL) before the rename; when even that fails it stays
 * at tmp (with its WAL: nothing lost).  Returns 0 for a complete run; -1 with one line in err
 * (without the file name) otherwise; *where is the file holding the events
 * (out, tmp) or NULL.
 */
int rec_db_finish(struct rec_db *d, const struct rec_result *res, int r, const char *tmp,
		  const char *out, char *err, size_t errlen, const char **where);

#endif
