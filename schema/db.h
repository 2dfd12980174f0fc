/*
 * The run database: one SQLite file per recording.  Every step of nvtrace
 * reads and writes it through this layer: create or open (with migration),
 * run metadata, interned names, bulk insert of canonical events, and
 * iteration in time order.
 */
#ifndef NVTRACE_DB_H
#define NVTRACE_DB_H

#include <stdint.h>
#include <stddef.h>
#include <sqlite3.h>
#include "schema/event.h"

/* Schema version written by this nvtrace (PRAGMA user_version). */
int nvdb_schema_version(void);

/*
 * How long any connection waits for another process's lock (SQLite's busy
 * timeout, and a second writer for the first one's, see nvdb_open) before
 * giving up with "FILE: busy: another nvtrace is writing it (gave up after N s)".
 */
#define NVDB_BUSY_MS 5000

/* Run metadata keys. */
#define NVDB_META_FORMAT       "format"        /* always "nvtrace-run" */
#define NVDB_META_SOURCE       "source"        /* trace.dat, text, record-bpf, record-tracefs, synth */
#define NVDB_META_SOURCE_FILE  "source_file"
#define NVDB_META_HOST_KERNEL  "host_kernel"
#define NVDB_META_HOST_ARCH    "host_arch"     /* arm64, x86_64 */
#define NVDB_META_CPUS         "cpus"
#define NVDB_META_TS_FIRST     "ts_first"      /* ns */
#define NVDB_META_TS_LAST      "ts_last"
#define NVDB_META_EVENTS       "events"
#define NVDB_META_LOST         "lost_events"
#define NVDB_META_TOOL_VERSION "tool_version"
#define NVDB_META_STATUS       "status"        /* see NVDB_STATUS_* */
#define NVDB_META_INCOMPLETE   "incomplete_reason" /* why status is not complete (deleted when it is) */
#define NVDB_META_SYNTHETIC    "synthetic"     /* 0/1 */
#define NVDB_META_CREATED      "created"       /* ISO 8601 UTC */
#define NVDB_META_BPF_ARGS     "bpf_arg_programs" /* record: events BPF built from arguments */
#define NVDB_META_TIME_ORDERED "time_ordered"  /* 1: events stored in (ts, id) order, see nvdb_time_ordered */

#define NVDB_STATUS_INCOMPLETE "incomplete"
#define NVDB_STATUS_COMPLETE   "complete"
#define NVDB_STATUS_SIGNAL     "stopped by signal"
/* The incomplete_reason of a run whose writer never reached nvdb_finish. */
#define NVDB_REASON_UNFINISHED "never finished: the writer was killed, crashed, ran out of disk space or is still writing"

struct nvdb;
struct nvdb_iter;

/* The columns of the events table after id, by position (schema/event_cols.def). */
enum nvdb_col {
#define NVDB_COL(name, how, have) NVDB_COL_##name,
#include "schema/event_cols.def"
#undef NVDB_COL
	NVDB_NCOLS
};
#define NVDB_COLS_ALL ((1u << NVDB_NCOLS) - 1)

/*
 * Write the names of the events columns in mask (bit 1 << NVDB_COL_x), in
 * table order, comma-separated, each after prefix (e.g. "e."), into buf.
 * Returns the length, or -1 when buf is too small.
 */
int nvdb_cols_sql(char *buf, size_t len, const char *prefix, unsigned mask);

/* Bind every column of ev to the parameters base+1 .. base+NVDB_NCOLS of st. */
void nvdb_bind_event(sqlite3_stmt *st, int base, const struct nv_event *ev);

/* Read column c of the events table from result column col of st into ev
 * (NULL small fields read -1; a present 64-bit field sets its have bit). */
void nvdb_read_col(sqlite3_stmt *st, int col, enum nvdb_col c, struct nv_event *ev);

/* Flags of nvdb_create. */
#define NVDB_ATOMIC 0x1	/* write to a temporary file; nvdb_finish renames it into place */

/*
 * Create a new run database at path (replacing one that is there).  With
 * NVDB_ATOMIC nothing appears at path until nvdb_finish succeeds, so a
 * failed import never leaves a database behind.  On error returns NULL and
 * writes one line to err.
 */
struct nvdb *nvdb_create(const char *path, int flags, char *err, size_t errlen);

/*
 * Open an existing run database, migrating it to the current schema when
 * writable.  A writable open is the only writer among nvtrace processes
 * (flock on the file, held until nvdb_close) and checks SQLite's write lock
 * once; either held elsewhere longer than NVDB_BUSY_MS fails with "busy".  Fails with a clear message on a missing file, a file that is
 * not SQLite, not an nvtrace run, or from a newer nvtrace.
 */
struct nvdb *nvdb_open(const char *path, int writable, char *err, size_t errlen);

/*
 * Make the file self-contained before it is renamed or handed on: commit,
 * copy the WAL into it and switch it to journal_mode=DELETE (no -wal/-shm
 * next to it).  Waits up to NVDB_BUSY_MS for other connections; -1 when
 * one keeps the file open longer (nvdb_errmsg says so) or the disk is full.
 */
int nvdb_settle(struct nvdb *db);

/* Flush pending inserts and close; returns 0 or -1.  NULL is fine. */
int nvdb_close(struct nvdb *db);

/* Close and delete a database made by nvdb_create (failed import). */
void nvdb_abort(struct nvdb *db);

/*
 * Mark the run complete: commit the last batch, put the events in time
 * order if they were not written so (renumbering ids), store the event
 * count and time span, set status=complete, and (NVDB_ATOMIC) move the
 * file into place.  The database stays open.
 */
int nvdb_finish(struct nvdb *db);

sqlite3 *nvdb_sql(struct nvdb *db);
const char *nvdb_path(const struct nvdb *db);
/* The file being written now: the temporary one until nvdb_finish (NVDB_ATOMIC). */
const char *nvdb_file(const struct nvdb *db);
/*
 * The last failure in words ("busy: ...", "disk full ...", "corrupt
 * database ..."), else SQLite's message: this connection's, or when it has
 * none ("not an error") the one noted last by nvdb_note_error.
 */
const char *nvdb_errmsg(struct nvdb *db);
/* Keep the failure of conn (another connection to the file, e.g. a scan's) for nvdb_errmsg. */
void nvdb_note_error(struct nvdb *db, sqlite3 *conn);

int nvdb_meta_set(struct nvdb *db, const char *key, const char *value);
int nvdb_meta_set_i64(struct nvdb *db, const char *key, int64_t value);
/* Copy a metadata value into buf; returns 0 if present, -1 if not. */
int nvdb_meta_get(struct nvdb *db, const char *key, char *buf, size_t len);
int64_t nvdb_meta_get_i64(struct nvdb *db, const char *key, int64_t dflt);

/* Limits of what a run database may hold (checked when a file is opened). */
#define NVDB_MAX_NAME_ID 65535		/* event name ids: 0 .. this */
#define NVDB_MAX_NAME_LEN 1024		/* bytes of an event name */

/* The id of an event name, interned on first use. -1 on error (or id above the limit). */
int nvdb_name_id(struct nvdb *db, const char *system, const char *name,
		 enum nv_event_type type);

/* Remember a thread's command name (last one wins). */
int nvdb_thread(struct nvdb *db, int pid, const char *comm);

/*
 * Bulk insert one event (ev->name_id must be set, see nvdb_name_id).  Rows
 * go in inside a transaction committed every NVDB_BATCH events, so a
 * recording interrupted by a signal keeps every committed batch.
 */
#define NVDB_BATCH 50000
int nvdb_insert(struct nvdb *db, const struct nv_event *ev);

/* Commit the current batch now. */
int nvdb_flush(struct nvdb *db);

/* Events inserted through this handle so far. */
int64_t nvdb_inserted(const struct nvdb *db);
/* max(id) of a table of the run (a rowid table), 0 when empty, into *max; 0 or -1. */
int nvdb_max_id(struct nvdb *db, const char *table, int64_t *max);

/*
 * 1 when the events are stored in time order (their ids follow (ts, id)):
 * nvdb_finish made it so, and nothing inserted or changed a ts since (a
 * trigger clears the flag).  Readers then read in storage order, unsorted.
 */
int nvdb_time_ordered(struct nvdb *db);

/*
 * Check the storage order of the events (one pass over ts), rewrite them
 * sorted when they are not and sort is set, store the time_ordered flag
 * and the triggers that clear it (schema/order.c).  nvdb_finish and the
 * migration of an older run call it.  0 or -1.
 */
int nvdb_order_events(struct nvdb *db, int sort);

/*
 * Iterate events in time order (ts, then id): storage order when
 * nvdb_time_ordered, else sorted by SQLite.  where is an SQL condition on
 * the events table columns (e.g. "pid = 42"), or NULL for all.  ev->raw
 * points into the iterator and is valid until the next call.
 */
struct nvdb_iter *nvdb_iter_new(struct nvdb *db, const char *where);
int nvdb_iter_next(struct nvdb_iter *it, struct nv_event *ev); /* 1 row, 0 end, -1 error */
void nvdb_iter_free(struct nvdb_iter *it);

/* Name of an interned id ("system:name" pieces), or NULL. */
const char *nvdb_name_of(struct nvdb *db, int name_id);

#endif
