/* The run database: create/open/migrate, metadata, names, bulk insert, iteration. */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "schema/db.h"
#include "schema/order.h"

extern const char *const nvdb_migrations[];
extern const char nvdb_indexes_sql[];

#define NAME_SLOTS 1024
#define NVDB_VERSION_TIME_ORDER 3	/* the first schema with meta time_ordered */
#define NVDB_ROWS 32		/* rows per multi-row INSERT */		/* open-addressing table of interned names */

struct name_slot { char *key; int id; };

struct nvdb {
	sqlite3 *sql;
	char *path;		/* where the database is meant to be */
	char *tmp_path;		/* NVDB_ATOMIC: where it is written meanwhile */
	sqlite3_stmt *ins, *ins_raw;
	sqlite3_stmt *ins_many;	/* NVDB_ROWS rows per statement: fewer VDBE runs */
	sqlite3_stmt *ins_raw_many;	/* NVDB_ROWS raw-field rows per statement */
	struct nv_event pending[NVDB_ROWS];	/* rows not yet written (.raw NULL: see raw_off) */
	int npending;
	/* the pending rows' raw fields, copied (the caller's text does not outlive the call) */
	char *raw_buf;
	size_t raw_used, raw_cap;
	int64_t raw_off[NVDB_ROWS];	/* offset in raw_buf, or -1: no raw fields */
	int nraw;			/* pending rows with raw fields */
	int seq_ids;		/* 1 rows appended get max(id) + 1, one after another; -1 not; 0 not asked */
	int in_tx;
	int64_t batch, inserted;
	struct name_slot names[NAME_SLOTS];
	char **name_of;		/* id -> "name" */
	int name_cap;
	int lock_fd;		/* writers: an fd of the file holding flock(LOCK_EX), else -1 */
	char why[160];		/* the reason of the last failure when SQLite has none (see nvdb_errmsg) */
	char msg[160];		/* nvdb_errmsg's text */
};

struct nvdb_iter {
	struct nvdb *db;
	sqlite3_stmt *st;
};

int nvdb_schema_version(void)
{
	int n = 0;
	while (nvdb_migrations[n])
		n++;
	return n;
}

static void errf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;
	if (!err || !len)
		return;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
}

static const char *describe(sqlite3 *conn, char *buf, size_t len);
static int failed(sqlite3 *conn);
static int reclaim_free_pages(struct nvdb *db);

static int exec(struct nvdb *db, const char *sql)
{
	return sqlite3_exec(db->sql, sql, NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

static int get_user_version(sqlite3 *sql, int *v)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(sql, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*v = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

/* Apply the migrations from version `from` to the current one, in one transaction. */
static int migrate(struct nvdb *db, int from, char *err, size_t errlen)
{
	int to = nvdb_schema_version();
	char pragma[64];
	if (from == to)
		return 0;
	if (exec(db, "BEGIN IMMEDIATE"))
		goto fail;
	for (int v = from; v < to; v++)
		if (exec(db, nvdb_migrations[v]))
			goto fail;
	/* an older run's events: is their storage order time order? */
	if (from >= 1 && from < NVDB_VERSION_TIME_ORDER && nvdb_order_events(db, 0))
		goto fail;
	snprintf(pragma, sizeof(pragma), "PRAGMA user_version = %d", to);
	if (exec(db, pragma) || exec(db, "COMMIT"))
		goto fail;
	/* a run's tables rewritten (5: exit_rows, 6: exit_outcomes) left their
	 * old pages free: give them back, as a sorted import does */
	if (from >= 1)
		reclaim_free_pages(db);
	return 0;
fail:
	errf(err, errlen, "%s: cannot update the schema to version %d: %s",
	     db->path, to, sqlite3_errmsg(db->sql));
	exec(db, "ROLLBACK");
	return -1;
}

/* The single-row and NVDB_ROWS-row inserts of events and the raw-fields insert. */
static int prepare_statements(struct nvdb *db)
{
	char cols[512], ins[1024], many[1024 + NVDB_ROWS * (4 * NVDB_NCOLS + 4)], row[4 * NVDB_NCOLS + 8];
	size_t n = 0;
	if (nvdb_cols_sql(cols, sizeof(cols), "", NVDB_COLS_ALL) < 0)
		return -1;
	n += (size_t)snprintf(row + n, sizeof(row) - n, "(?");
	for (int c = 1; c < NVDB_NCOLS; c++)
		n += (size_t)snprintf(row + n, sizeof(row) - n, ",?");
	snprintf(row + n, sizeof(row) - n, ")");
	snprintf(ins, sizeof(ins), "INSERT INTO events (%s) VALUES %s", cols, row);
	if (sqlite3_prepare_v2(db->sql, ins, -1, &db->ins, NULL) != SQLITE_OK)
		return -1;
	n = strlen(strcpy(many, ins));
	for (int r = 1; r < NVDB_ROWS; r++)
		n += (size_t)sprintf(many + n, ",%s", row);
	if (sqlite3_prepare_v2(db->sql, many, -1, &db->ins_many, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db->sql,
			       "INSERT INTO event_raw (event_id, fields) VALUES (?, ?)",
			       -1, &db->ins_raw, NULL) != SQLITE_OK)
		return -1;
	n = (size_t)sprintf(many, "INSERT INTO event_raw (event_id, fields) VALUES (?,?)");
	for (int r = 1; r < NVDB_ROWS; r++)
		n += (size_t)sprintf(many + n, ",(?,?)");
	if (sqlite3_prepare_v2(db->sql, many, -1, &db->ins_raw_many, NULL) != SQLITE_OK)
		return -1;
	return 0;
}

/* Remember the name of an id for nvdb_name_of; -1 when out of range or memory. */
static int remember_name(struct nvdb *db, int id, const char *name)
{
	char *copy;
	if (id < 0 || id > NVDB_MAX_NAME_ID || !name)
		return -1;
	if (id >= db->name_cap) {
		size_t cap = db->name_cap ? (size_t)db->name_cap : 64;
		while (cap <= (size_t)id)
			cap *= 2;
		char **n = realloc(db->name_of, cap * sizeof(*n));
		if (!n)
			return -1;
		memset(n + db->name_cap, 0, (cap - (size_t)db->name_cap) * sizeof(*n));
		db->name_of = n;
		db->name_cap = (int)cap;
	}
	if (!(copy = strdup(name)))
		return -1;
	free(db->name_of[id]);
	db->name_of[id] = copy;
	return 0;
}

/*
 * Load the names already in the file so that lookups by id need no query.
 * The file is untrusted: ids out of range, missing or over-long names make
 * it a corrupt database (err says which row), with bounded memory.
 */
static int load_names(struct nvdb *db, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql, "SELECT id, name FROM event_names", -1, &st, NULL)
	    != SQLITE_OK) {
		errf(err, errlen, "%s: corrupt database: %s", db->path, sqlite3_errmsg(db->sql));
		return -1;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sqlite3_int64 id = sqlite3_column_int64(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		if (sqlite3_column_type(st, 0) != SQLITE_INTEGER || id < 0 || id > NVDB_MAX_NAME_ID) {
			errf(err, errlen, "%s: corrupt database: event name id %lld is out of range "
			     "(0 to %d)", db->path, (long long)id, NVDB_MAX_NAME_ID);
			goto fail;
		}
		if (!name) {
			errf(err, errlen, "%s: corrupt database: event name id %lld has no name",
			     db->path, (long long)id);
			goto fail;
		}
		if (sqlite3_column_bytes(st, 1) > NVDB_MAX_NAME_LEN) {
			errf(err, errlen, "%s: corrupt database: event name id %lld is longer than "
			     "%d bytes", db->path, (long long)id, NVDB_MAX_NAME_LEN);
			goto fail;
		}
		if (remember_name(db, (int)id, name)) {
			errf(err, errlen, "%s: out of memory", db->path);
			goto fail;
		}
	}
	if (rc != SQLITE_DONE) {
		errf(err, errlen, "%s: corrupt database: %s", db->path, sqlite3_errmsg(db->sql));
		goto fail;
	}
	sqlite3_finalize(st);
	return 0;
fail:
	sqlite3_finalize(st);
	return -1;
}

/*
 * The tables and columns every reader uses must be there: a dropped or
 * altered table is a corrupt database now, not an empty error later.
 */
static int check_tables(struct nvdb *db, char *err, size_t errlen)
{
	static const char *const probes[] = {
		"SELECT id, ts, cpu, pid, vcpu, type, name_id, reason, ec, sysreg, dir, mode, pc,"
		" addr, value, aux FROM events LIMIT 0",
		"SELECT event_id, fields FROM event_raw LIMIT 0",
		"SELECT pid, comm FROM threads LIMIT 0",
	};
	for (size_t i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db->sql, probes[i], -1, &st, NULL) != SQLITE_OK) {
			errf(err, errlen, "%s: corrupt database: %s", db->path, sqlite3_errmsg(db->sql));
			return -1;
		}
		sqlite3_finalize(st);
	}
	return 0;
}

/* The one wording of a file another writer holds (busy_msg, describe). */
#define BUSY_WHY "busy: another nvtrace is writing it (gave up after %d s)"

/* "FILE: busy: ..." for an open that gave up. */
static void busy_msg(char *err, size_t len, const char *path)
{
	errf(err, len, "%s: " BUSY_WHY, path, NVDB_BUSY_MS / 1000);
}

/*
 * One writer per run file among nvtrace processes: a writable connection
 * holds flock(LOCK_EX) on the file for its whole life (a recording between
 * its batches, a replay between reading and storing), so a second writer
 * waits up to NVDB_BUSY_MS and then gives up with busy_msg, instead of
 * slipping in between two commits and making the first one fail.  Readers
 * take no lock.  flock and SQLite's fcntl locks do not interact on Linux.
 */
static int writer_lock(struct nvdb *db, const char *file, char *err, size_t errlen)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errf(err, errlen, "%s: %s", db->path, strerror(errno));
		return -1;
	}
	for (int waited = 0; flock(fd, LOCK_EX | LOCK_NB) != 0; waited += 50) {
		if (errno != EWOULDBLOCK || waited >= NVDB_BUSY_MS) {
			if (errno == EWOULDBLOCK)
				busy_msg(err, errlen, db->path);
			else
				errf(err, errlen, "%s: cannot lock: %s", db->path, strerror(errno));
			close(fd);
			return -1;
		}
		usleep(50 * 1000);
	}
	db->lock_fd = fd;
	return 0;
}

/*
 * Take SQLite's write lock once and let it go: a process other than nvtrace
 * (sqlite3, a backup tool) writing the file makes a writable open wait up to
 * the busy timeout and then fail with busy_msg, not fail later half-way.
 */
static int write_probe(struct nvdb *db, char *err, size_t errlen)
{
	if (sqlite3_db_readonly(db->sql, "main") == 1)	/* a file it cannot write: reads still work */
		return 0;
	if (sqlite3_exec(db->sql, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK)
		return exec(db, "ROLLBACK");
	if (sqlite3_errcode(db->sql) == SQLITE_BUSY)
		busy_msg(err, errlen, db->path);
	else
		errf(err, errlen, "%s: cannot write: %s", db->path, nvdb_errmsg(db));
	return -1;
}

static struct nvdb *db_alloc(const char *path)
{
	struct nvdb *db = calloc(1, sizeof(*db));
	if (db) {
		db->path = strdup(path);
		db->lock_fd = -1;
	}
	return db;
}

static void db_free(struct nvdb *db)
{
	if (!db)
		return;
	sqlite3_finalize(db->ins);
	sqlite3_finalize(db->ins_raw);
	sqlite3_finalize(db->ins_many);
	sqlite3_finalize(db->ins_raw_many);
	free(db->raw_buf);
	if (db->sql)
		sqlite3_close(db->sql);
	/* after SQLite's own descriptors: closing any fd of the file drops its fcntl locks */
	if (db->lock_fd >= 0)
		close(db->lock_fd);
	for (int i = 0; i < NAME_SLOTS; i++)
		free(db->names[i].key);
	for (int i = 0; i < db->name_cap; i++)
		free(db->name_of[i]);
	free(db->name_of);
	free(db->path);
	free(db->tmp_path);
	free(db);
}

static void iso_now(char *buf, size_t len)
{
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

struct nvdb *nvdb_create(const char *path, int flags, char *err, size_t errlen)
{
	struct nvdb *db = db_alloc(path);
	const char *file = path;
	char now[32];
	struct stat stt;

	if (!db) {
		errf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (stat(path, &stt) == 0 && S_ISDIR(stt.st_mode)) {
		errf(err, errlen, "%s: is a directory", path);
		db_free(db);
		return NULL;
	}
	if (flags & NVDB_ATOMIC) {
		size_t n = strlen(path) + 32;
		db->tmp_path = malloc(n);
		snprintf(db->tmp_path, n, "%s.tmp.%ld", path, (long)getpid());
		file = db->tmp_path;
	}
	if (strcmp(file, ":memory:") != 0) {	/* SQLite's in-memory database: tests, fuzzing */
		unlink(file);
		if (!(flags & NVDB_ATOMIC)) {
			/* a stale -wal from an older file must not be replayed into the new one */
			char side[4096];
			snprintf(side, sizeof(side), "%s-wal", path);
			unlink(side);
			snprintf(side, sizeof(side), "%s-shm", path);
			unlink(side);
		}
	}
	if (sqlite3_open_v2(file, &db->sql,
			    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		errf(err, errlen, "%s: cannot create: %s", path,
		     db->sql ? sqlite3_errmsg(db->sql) : "out of memory");
		goto fail;
	}
	sqlite3_busy_timeout(db->sql, NVDB_BUSY_MS);
	/*
	 * These also probe that the file can really be written (sqlite opens
	 * lazily).  An atomic file is deleted on any failure, so it needs no journal:
	 * writing pages once (not to a WAL and again at checkpoint) is the
	 * fastest bulk load.  Otherwise WAL keeps committed batches safe.
	 */
	if (exec(db, (flags & NVDB_ATOMIC) ? "PRAGMA journal_mode = OFF"
					   : "PRAGMA journal_mode = WAL") ||
	    exec(db, "PRAGMA synchronous = OFF") ||
	    exec(db, "PRAGMA page_size = 16384") ||
	    exec(db, "PRAGMA cache_size = -16384")) {
		errf(err, errlen, "%s: cannot create: %s", path, strerror(errno ? errno : EACCES));
		goto fail;
	}
	if (strcmp(file, ":memory:") != 0 && writer_lock(db, file, err, errlen))
		goto fail;
	if (migrate(db, 0, err, errlen) || prepare_statements(db)) {
		if (err && !*err)
			errf(err, errlen, "%s: cannot create: %s", path, sqlite3_errmsg(db->sql));
		goto fail;
	}
	iso_now(now, sizeof(now));
	nvdb_meta_set(db, NVDB_META_FORMAT, "nvtrace-run");
	nvdb_meta_set(db, NVDB_META_STATUS, NVDB_STATUS_INCOMPLETE);
	/* what a reader says of a run never finished: replaced by the real reason on failure */
	nvdb_meta_set(db, NVDB_META_INCOMPLETE, NVDB_REASON_UNFINISHED);
	nvdb_meta_set(db, NVDB_META_TOOL_VERSION, NVTRACE_VERSION);
	nvdb_meta_set(db, NVDB_META_CREATED, now);
	return db;
fail:
	if (db->sql) {
		sqlite3_close(db->sql);
		db->sql = NULL;
	}
	unlink(file);
	db_free(db);
	return NULL;
}

struct nvdb *nvdb_open(const char *path, int writable, char *err, size_t errlen)
{
	struct nvdb *db;
	struct stat st;
	int version = -1;
	char fmt[32];
	FILE *f;
	char magic[16];

	if (stat(path, &st) != 0) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		errf(err, errlen, "%s: is a directory, not an nvtrace database", path);
		return NULL;
	}
	f = fopen(path, "rb");
	if (!f) {
		errf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	size_t got = fread(magic, 1, sizeof(magic), f);
	fclose(f);
	if (got < sizeof(magic) || memcmp(magic, "SQLite format 3", 16) != 0) {
		errf(err, errlen, "%s: not an nvtrace database (not an SQLite file)", path);
		return NULL;
	}
	db = db_alloc(path);
	if (!db) {
		errf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (writable && writer_lock(db, path, err, errlen))
		goto fail;
	if (sqlite3_open_v2(path, &db->sql,
			    (writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY) |
			    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		errf(err, errlen, "%s: cannot open: %s", path, sqlite3_errmsg(db->sql));
		goto fail;
	}
	sqlite3_busy_timeout(db->sql, NVDB_BUSY_MS);
	if (get_user_version(db->sql, &version)) {
		if (sqlite3_errcode(db->sql) == SQLITE_BUSY)
			busy_msg(err, errlen, path);
		else
			errf(err, errlen, "%s: corrupt database: %s", path, sqlite3_errmsg(db->sql));
		goto fail;
	}
	if (version > nvdb_schema_version()) {
		errf(err, errlen, "%s: made by a newer nvtrace (schema %d, this one knows %d)",
		     path, version, nvdb_schema_version());
		goto fail;
	}
	if (version < 1 || nvdb_meta_get(db, NVDB_META_FORMAT, fmt, sizeof(fmt)) ||
	    strcmp(fmt, "nvtrace-run") != 0) {
		if (failed(db->sql))	/* a corrupt page, not a foreign file */
			errf(err, errlen, "%s: %s", path, describe(db->sql, db->msg, sizeof(db->msg)));
		else
			errf(err, errlen, "%s: not an nvtrace database", path);
		goto fail;
	}
	if (writable) {
		exec(db, "PRAGMA synchronous = OFF");
		if (write_probe(db, err, errlen) || migrate(db, version, err, errlen))
			goto fail;
		if (prepare_statements(db)) {	/* e.g. a dropped events table */
			errf(err, errlen, "%s: corrupt database: %s", path, sqlite3_errmsg(db->sql));
			goto fail;
		}
	} else if (version < nvdb_schema_version()) {
		errf(err, errlen, "%s: schema version %d is old; open it once writable "
		     "(e.g. nvtrace replay) to update it", path, version);
		goto fail;
	}
	if (load_names(db, err, errlen) || check_tables(db, err, errlen))
		goto fail;
	return db;
fail:
	db_free(db);
	return NULL;
}

static int write_pending(struct nvdb *db);

int nvdb_flush(struct nvdb *db)
{
	if (!db->in_tx)
		return 0;
	if (write_pending(db))
		return -1;
	db->in_tx = 0;
	db->batch = 0;
	return exec(db, "COMMIT");
}

int nvdb_close(struct nvdb *db)
{
	int rc = 0;
	if (!db)
		return 0;
	if (db->sql)
		rc = nvdb_flush(db);
	/*
	 * A writer leaves a finished file in rollback mode: a WAL file makes every
	 * later read-only open create -wal/-shm it cannot remove.  (Fails harmlessly
	 * while another connection still uses the WAL, e.g. a live recording.)
	 */
	if (db->sql && !db->tmp_path && !sqlite3_db_readonly(db->sql, "main"))
		sqlite3_exec(db->sql, "PRAGMA journal_mode = DELETE", NULL, NULL, NULL);
	db_free(db);
	return rc;
}

/* See db.h: the WAL emptied into the file, the file back in DELETE mode. */
int nvdb_settle(struct nvdb *db)
{
	sqlite3_stmt *st;
	int rc, deleted = 0;
	if (nvdb_flush(db))
		return -1;
	db->why[0] = 0;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA journal_mode = DELETE", -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		deleted = strcmp((const char *)sqlite3_column_text(st, 0), "delete") == 0;
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW && !deleted)	/* another connection still has the file open */
		snprintf(db->why, sizeof(db->why), "busy: another process kept it open "
			 "(gave up after %d s)", NVDB_BUSY_MS / 1000);
	return deleted ? 0 : -1;
}

void nvdb_abort(struct nvdb *db)
{
	if (!db)
		return;
	const char *file = db->tmp_path ? db->tmp_path : db->path;
	char side[4096];
	if (db->in_tx)
		exec(db, "ROLLBACK");
	db->in_tx = 0;
	sqlite3_finalize(db->ins);
	sqlite3_finalize(db->ins_raw);
	sqlite3_finalize(db->ins_many);
	sqlite3_finalize(db->ins_raw_many);
	db->ins = db->ins_raw = db->ins_many = db->ins_raw_many = NULL;
	db->npending = db->nraw = 0;
	db->raw_used = 0;
	sqlite3_close(db->sql);
	db->sql = NULL;
	unlink(file);
	snprintf(side, sizeof(side), "%s-wal", file);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", file);
	unlink(side);
	db_free(db);
}

/* One integer a PRAGMA returns, or -1. */
static int64_t pragma_i64(struct nvdb *db, const char *q)
{
	sqlite3_stmt *st;
	int64_t v = -1;
	if (sqlite3_prepare_v2(db->sql, q, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * A run written out of time order was sorted into a new table: the old
 * one's pages are free, about half the file.  Give them back (VACUUM)
 * when they are over a quarter of it, so a sorted run is as small as one
 * written in order.
 */
static int reclaim_free_pages(struct nvdb *db)
{
	int64_t free_pages = pragma_i64(db, "PRAGMA freelist_count");
	int64_t pages = pragma_i64(db, "PRAGMA page_count");
	if (free_pages < 0 || pages < 0)
		return -1;
	/* best effort: a VACUUM that fails (no room for its copy) leaves the
	 * run whole, only larger */
	if (free_pages * 4 > pages)
		exec(db, "VACUUM");
	return 0;
}

/*
 * Copy the whole WAL into the file and empty it, waiting (busy timeout) for
 * readers still in a transaction on older pages: only then is the main file
 * complete on its own (it may be renamed, or switched back to DELETE).  A
 * reader that stays longer makes it fail: "busy", never a half file.
 */
static int checkpoint(struct nvdb *db)
{
	sqlite3_stmt *st;
	int rc, blocked = 1;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		blocked = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW && blocked)
		snprintf(db->why, sizeof(db->why), "busy: a reader kept an older snapshot open "
			 "(gave up after %d s)", NVDB_BUSY_MS / 1000);
	return rc == SQLITE_ROW && !blocked ? 0 : -1;
}

int nvdb_finish(struct nvdb *db)
{
	sqlite3_stmt *st;
	db->why[0] = 0;
	/* one sorter thread and a 16 MB cache: a sort then uses bounded memory */
	if (nvdb_flush(db) || exec(db, "PRAGMA threads = 0") || exec(db, "BEGIN") ||
	    nvdb_order_events(db, 1) || exec(db, nvdb_indexes_sql) || exec(db, "COMMIT")) {
		nvdb_note_error(db, db->sql);	/* the reason, not ROLLBACK's */
		if (!sqlite3_get_autocommit(db->sql))
			exec(db, "ROLLBACK");
		return -1;
	}
	if (reclaim_free_pages(db) ||
	    sqlite3_prepare_v2(db->sql, "SELECT count(*), min(ts), max(ts) FROM events",
			       -1, &st, NULL) != SQLITE_OK) {
		nvdb_note_error(db, db->sql);
		return -1;
	}
	if (sqlite3_step(st) == SQLITE_ROW) {
		nvdb_meta_set_i64(db, NVDB_META_EVENTS, sqlite3_column_int64(st, 0));
		if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
			nvdb_meta_set_i64(db, NVDB_META_TS_FIRST, sqlite3_column_int64(st, 1));
			nvdb_meta_set_i64(db, NVDB_META_TS_LAST, sqlite3_column_int64(st, 2));
		}
	}
	sqlite3_finalize(st);
	if (nvdb_meta_set(db, NVDB_META_STATUS, NVDB_STATUS_COMPLETE) ||
	    exec(db, "DELETE FROM meta WHERE key = '" NVDB_META_INCOMPLETE "'"))
		return -1;
	if (!db->tmp_path)
		return checkpoint(db);
	/* one self-contained file, then move it into place */
	if (exec(db, "PRAGMA journal_mode = DELETE"))
		return -1;
	if (rename(db->tmp_path, db->path) != 0)
		return -1;
	free(db->tmp_path);
	db->tmp_path = NULL;
	return 0;
}

sqlite3 *nvdb_sql(struct nvdb *db) { return db->sql; }
const char *nvdb_path(const struct nvdb *db) { return db->path; }
const char *nvdb_file(const struct nvdb *db) { return db->tmp_path ? db->tmp_path : db->path; }
/* SQLite's result code in words a user acts on (busy, disk full, corrupt), else its own message. */
static const char *describe(sqlite3 *conn, char *buf, size_t len)
{
	switch (sqlite3_errcode(conn) & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		snprintf(buf, len, BUSY_WHY, NVDB_BUSY_MS / 1000);
		return buf;
	case SQLITE_FULL:
		return "disk full (no space left on device)";
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return "corrupt database: database disk image is malformed";
	default:
		return sqlite3_errmsg(conn);
	}
}

/* Whether conn's last call failed (not "not an error", a row or the end). */
static int failed(sqlite3 *conn)
{
	int code = sqlite3_errcode(conn) & 0xff;
	return code != SQLITE_OK && code != SQLITE_ROW && code != SQLITE_DONE;
}

/* See db.h. */
void nvdb_note_error(struct nvdb *db, sqlite3 *conn)
{
	char buf[160];
	if (failed(conn))
		snprintf(db->why, sizeof(db->why), "%s", describe(conn, buf, sizeof(buf)));
}

/* See db.h: this connection's failure, else the last one noted (another connection's, a checkpoint's). */
const char *nvdb_errmsg(struct nvdb *db)
{
	if (db->why[0] && !failed(db->sql))
		return db->why;
	return describe(db->sql, db->msg, sizeof(db->msg));
}

int64_t nvdb_inserted(const struct nvdb *db) { return db->inserted; }

/* See db.h: max(id) of a table of the run, 0 when it is empty. */
int nvdb_max_id(struct nvdb *db, const char *table, int64_t *max)
{
	char q[96];
	sqlite3_stmt *st;
	int rc;
	snprintf(q, sizeof(q), "SELECT coalesce(max(id), 0) FROM %s", table);
	if (sqlite3_prepare_v2(db->sql, q, -1, &st, NULL) != SQLITE_OK)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*max = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : -1;
}

int nvdb_meta_set(struct nvdb *db, const char *key, const char *value)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql,
			       "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int nvdb_meta_set_i64(struct nvdb *db, const char *key, int64_t value)
{
	char buf[32];
	snprintf(buf, sizeof(buf), "%lld", (long long)value);
	return nvdb_meta_set(db, key, buf);
}

int nvdb_meta_get(struct nvdb *db, const char *key, char *buf, size_t len)
{
	sqlite3_stmt *st;
	int found = -1;
	if (sqlite3_prepare_v2(db->sql, "SELECT value FROM meta WHERE key = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
		snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
		found = 0;
	}
	sqlite3_finalize(st);
	return found;
}

int64_t nvdb_meta_get_i64(struct nvdb *db, const char *key, int64_t dflt)
{
	char buf[32];
	if (nvdb_meta_get(db, key, buf, sizeof(buf)))
		return dflt;
	return strtoll(buf, NULL, 10);
}

/* See db.h: the sort itself is SQL in schema/order.c; the flag lives in meta. */
int nvdb_order_events(struct nvdb *db, int sort)
{
	int ordered = nvdb_sort_stored(db->sql, sort);
	if (ordered < 0 || nvdb_meta_set(db, NVDB_META_TIME_ORDERED, ordered ? "1" : "0"))
		return -1;
	return nvdb_order_triggers(db->sql);
}

/* See db.h. */
int nvdb_time_ordered(struct nvdb *db)
{
	return nvdb_meta_get_i64(db, NVDB_META_TIME_ORDERED, 0) == 1;
}

static unsigned hash_str(const char *s)
{
	unsigned h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

int nvdb_name_id(struct nvdb *db, const char *system, const char *name,
		 enum nv_event_type type)
{
	char key[2 * NVDB_MAX_NAME_LEN + 2];
	sqlite3_stmt *st;
	int id = -1;

	if (!name || strlen(name) > NVDB_MAX_NAME_LEN ||
	    (system && strlen(system) > NVDB_MAX_NAME_LEN))
		return -1;
	snprintf(key, sizeof(key), "%s:%s", system ? system : "", name);
	unsigned h = hash_str(key) % NAME_SLOTS;
	for (unsigned i = 0; i < NAME_SLOTS; i++) {
		struct name_slot *s = &db->names[(h + i) % NAME_SLOTS];
		if (!s->key)
			break;
		if (strcmp(s->key, key) == 0)
			return s->id;
	}
	if (sqlite3_prepare_v2(db->sql,
			       "INSERT OR IGNORE INTO event_names (system, name, type) VALUES (?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, system ? system : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 3, type);
	sqlite3_step(st);
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db->sql,
			       "SELECT id FROM event_names WHERE system = ? AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, system ? system : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		id = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (id < 0)
		return -1;
	for (unsigned i = 0; i < NAME_SLOTS; i++) {
		struct name_slot *s = &db->names[(h + i) % NAME_SLOTS];
		if (!s->key) {
			s->key = strdup(key);
			s->id = id;
			break;
		}
	}
	if (remember_name(db, id, name))
		return -1;
	return id;
}

const char *nvdb_name_of(struct nvdb *db, int name_id)
{
	if (name_id < 0 || name_id >= db->name_cap)
		return NULL;
	return db->name_of[name_id];
}

int nvdb_thread(struct nvdb *db, int pid, const char *comm)
{
	sqlite3_stmt *st;
	int rc;
	if (sqlite3_prepare_v2(db->sql,
			       "INSERT OR REPLACE INTO threads (pid, comm) VALUES (?, ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int(st, 1, pid);
	sqlite3_bind_text(st, 2, comm, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Store the raw fields of the event of row id `id`. */
static int insert_raw(struct nvdb *db, int64_t id, const char *fields)
{
	int rc;
	sqlite3_bind_int64(db->ins_raw, 1, id);
	sqlite3_bind_text(db->ins_raw, 2, fields, -1, SQLITE_STATIC);
	rc = sqlite3_step(db->ins_raw);
	sqlite3_reset(db->ins_raw);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Insert one row now, and its raw fields (given apart: pending rows keep theirs copied). */
static int insert_one(struct nvdb *db, const struct nv_event *ev, const char *raw)
{
	int rc;
	nvdb_bind_event(db->ins, 0, ev);
	rc = sqlite3_step(db->ins);
	sqlite3_reset(db->ins);
	if (rc != SQLITE_DONE)
		return -1;
	return raw ? insert_raw(db, sqlite3_last_insert_rowid(db->sql), raw) : 0;
}

/*
 * Whether the rows a multi-row INSERT appends get ids max(id) + 1, + 2, ...
 * (SQLite's rule, up to the largest rowid; past it they are random), so that
 * the raw fields of a pending row can be written after its whole batch,
 * under the id taken from sqlite3_last_insert_rowid.  Asked once.
 */
static int sequential_ids(struct nvdb *db)
{
	int64_t max;
	if (!db->seq_ids)
		db->seq_ids = !nvdb_max_id(db, "events", &max) &&
			      max < INT64_MAX - ((int64_t)1 << 48) ? 1 : -1;
	return db->seq_ids > 0;
}

/* Write the buffered rows and their raw fields (in order, before anything after them). */
static int write_pending(struct nvdb *db)
{
	int rc = SQLITE_DONE, n = db->npending, nraw = db->nraw;
	db->npending = db->nraw = 0;
	db->raw_used = 0;	/* the text stays readable until the next nvdb_insert */
	if (n == NVDB_ROWS) {
		for (int r = 0; r < n; r++)
			nvdb_bind_event(db->ins_many, NVDB_NCOLS * r, &db->pending[r]);
		rc = sqlite3_step(db->ins_many);
		sqlite3_reset(db->ins_many);
		if (rc != SQLITE_DONE)
			return -1;
		if (!nraw)
			return 0;
		int64_t first = sqlite3_last_insert_rowid(db->sql) - (n - 1);
		if (nraw < n) {
			for (int r = 0; r < n; r++)
				if (db->raw_off[r] >= 0 &&
				    insert_raw(db, first + r, db->raw_buf + db->raw_off[r]))
					return -1;
			return 0;
		}
		for (int r = 0; r < n; r++) {
			sqlite3_bind_int64(db->ins_raw_many, 2 * r + 1, first + r);
			sqlite3_bind_text(db->ins_raw_many, 2 * r + 2, db->raw_buf + db->raw_off[r],
					  -1, SQLITE_STATIC);
		}
		rc = sqlite3_step(db->ins_raw_many);
		sqlite3_reset(db->ins_raw_many);
		return rc == SQLITE_DONE ? 0 : -1;
	}
	for (int r = 0; r < n; r++)
		if (insert_one(db, &db->pending[r],
			       db->raw_off[r] >= 0 ? db->raw_buf + db->raw_off[r] : NULL))
			return -1;
	return 0;
}

/* Keep a copy of a pending row's raw fields; its offset, or -1 out of memory. */
static int64_t keep_raw(struct nvdb *db, const char *raw)
{
	size_t len = strlen(raw) + 1;
	if (db->raw_used + len > db->raw_cap) {
		size_t cap = db->raw_cap ? db->raw_cap : 4096;
		while (cap < db->raw_used + len)
			cap *= 2;
		char *buf = realloc(db->raw_buf, cap);
		if (!buf)
			return -1;
		db->raw_buf = buf;
		db->raw_cap = cap;
	}
	memcpy(db->raw_buf + db->raw_used, raw, len);
	db->raw_used += len;
	return (int64_t)(db->raw_used - len);
}

int nvdb_insert(struct nvdb *db, const struct nv_event *ev)
{
	if (!db->in_tx) {
		if (exec(db, "BEGIN"))
			return -1;
		db->in_tx = 1;
	}
	int64_t off = -1;
	if (ev->raw && !sequential_ids(db)) {	/* its raw fields need its id: write it alone */
		if (write_pending(db) || insert_one(db, ev, ev->raw))
			return -1;
	} else {
		if (ev->raw && (off = keep_raw(db, ev->raw)) < 0) {
			snprintf(db->why, sizeof(db->why), "out of memory");
			return -1;
		}
		db->pending[db->npending] = *ev;
		db->pending[db->npending].raw = NULL;
		db->raw_off[db->npending] = off;
		db->nraw += off >= 0;
		if (++db->npending == NVDB_ROWS && write_pending(db))
			return -1;
	}
	db->inserted++;
	if (++db->batch >= NVDB_BATCH)
		return nvdb_flush(db);
	return 0;
}

/* See db.h: all columns and the raw fields, in storage order when that is time order. */
struct nvdb_iter *nvdb_iter_new(struct nvdb *db, const char *where)
{
	struct nvdb_iter *it = calloc(1, sizeof(*it));
	char cols[512], *q;
	size_t n;

	if (!it || nvdb_cols_sql(cols, sizeof(cols), "e.", NVDB_COLS_ALL) < 0) {
		free(it);
		return NULL;
	}
	n = sizeof(cols) + (where ? strlen(where) : 0) + 160;
	q = malloc(n);
	if (!q) {
		free(it);
		return NULL;
	}
	snprintf(q, n, "SELECT %s, r.fields FROM events e LEFT JOIN event_raw r ON r.event_id = e.id"
		 "%s%s ORDER BY %s", cols, where ? " WHERE " : "", where ? where : "",
		 nvdb_time_ordered(db) ? "e.id" : "e.ts, e.id");
	it->db = db;
	if (sqlite3_prepare_v2(db->sql, q, -1, &it->st, NULL) != SQLITE_OK) {
		free(q);
		free(it);
		return NULL;
	}
	free(q);
	return it;
}

/* See db.h. */
int nvdb_iter_next(struct nvdb_iter *it, struct nv_event *ev)
{
	sqlite3_stmt *st = it->st;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW) {
		nvdb_note_error(it->db, it->db->sql);	/* it outlives the finalize and a ROLLBACK */
		return -1;
	}
	ev->have = 0;
	for (int c = 0; c < NVDB_NCOLS; c++)
		nvdb_read_col(st, c, (enum nvdb_col)c, ev);
	ev->raw = (const char *)sqlite3_column_text(st, NVDB_NCOLS);
	return 1;
}

void nvdb_iter_free(struct nvdb_iter *it)
{
	if (!it)
		return;
	sqlite3_finalize(it->st);
	free(it);
}
