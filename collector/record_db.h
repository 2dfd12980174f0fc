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
};

/* One decoded event into the database; 0, or -1 (the database's error). */
int rec_db_event(struct rec_db *d, const struct nv_event *ev, struct rec_kind *kind);

/* The run's metadata known once the session has run (source, host, cpus, lost...). */
void rec_db_write_meta(struct nvdb *db, const struct rec_result *res);

#endif
