/* The run database layer: create, insert, finish, reopen, iterate, bad files. */
#include <stdlib.h>
#include <unistd.h>
#include <sys/stat.h>
#include "tap.h"
#include "schema/db.h"

static char dir[] = "/tmp/nvtrace-test-db-XXXXXX";

static void path_in(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "%s/%s", dir, name);
}

static void test_roundtrip(void)
{
	char path[256], err[512] = "";
	struct nvdb *db;
	struct nv_event ev;
	struct stat st;

	path_in(path, sizeof(path), "run.db");
	db = nvdb_create(path, NVDB_ATOMIC, err, sizeof(err));
	T_OK(db != NULL, "create: %s", err);
	if (!db)
		return;
	T_OK(stat(path, &st) != 0, "atomic create: nothing at the final path before finish");
	int exit_id = nvdb_name_id(db, "kvm", "kvm_exit", NV_EV_KVM_EXIT);
	int other_id = nvdb_name_id(db, "sched", "sched_switch", NV_EV_OTHER);
	T_EQ_INT(nvdb_name_id(db, "kvm", "kvm_exit", NV_EV_KVM_EXIT), exit_id, "names are interned once");
	T_OK(exit_id != other_id, "distinct names get distinct ids");
	for (int i = 0; i < 3; i++) {
		nv_event_clear(&ev);
		ev.ts = 1000 - i * 100;	/* inserted out of order */
		ev.cpu = 1;
		ev.pid = 42;
		ev.type = NV_EV_KVM_EXIT;
		ev.name_id = exit_id;
		ev.reason = NV_ARM_EXC_TRAP;
		ev.ec = 0x18;
		ev.sysreg = NV_SYSREG(3, 4, 1, 1, 0);
		ev.dir = 1;
		ev.pc = 0xffff800010000000ull + i;
		ev.have = NV_HAVE_PC;
		T_EQ_INT(nvdb_insert(db, &ev), 0, "insert %d", i);
	}
	nv_event_clear(&ev);
	ev.ts = 5000;
	ev.type = NV_EV_OTHER;
	ev.name_id = other_id;
	ev.raw = "prev_comm=a next_comm=b";
	T_EQ_INT(nvdb_insert(db, &ev), 0, "insert an undecoded event with raw fields");
	T_EQ_INT(nvdb_finish(db), 0, "finish");
	T_OK(stat(path, &st) == 0, "finish moves the file into place");
	nvdb_close(db);

	db = nvdb_open(path, 0, err, sizeof(err));
	T_OK(db != NULL, "reopen read-only: %s", err);
	if (!db)
		return;
	char status[32];
	T_EQ_INT(nvdb_meta_get(db, NVDB_META_STATUS, status, sizeof(status)), 0, "status present");
	T_EQ_STR(status, NVDB_STATUS_COMPLETE, "status is complete");
	T_EQ_INT(nvdb_meta_get_i64(db, NVDB_META_EVENTS, -1), 4, "event count stored");
	T_EQ_INT(nvdb_meta_get_i64(db, NVDB_META_TS_FIRST, -1), 800, "first timestamp");
	T_EQ_INT(nvdb_meta_get_i64(db, NVDB_META_TS_LAST, -1), 5000, "last timestamp");
	T_EQ_STR(nvdb_name_of(db, exit_id), "kvm_exit", "name of id");
	T_EQ_INT(nvdb_time_ordered(db), 1, "finish put the events in time order");
	{
		sqlite3_stmt *st;
		sqlite3_prepare_v2(nvdb_sql(db), "SELECT group_concat(ts, ',') FROM"
				   " (SELECT ts FROM events ORDER BY id)", -1, &st, NULL);
		sqlite3_step(st);
		T_EQ_STR((const char *)sqlite3_column_text(st, 0), "800,900,1000,5000",
			 "ids renumbered in time order");
		sqlite3_finalize(st);
		sqlite3_prepare_v2(nvdb_sql(db), "SELECT e.ts FROM event_raw r JOIN events e"
				   " ON e.id = r.event_id", -1, &st, NULL);
		T_EQ_INT(sqlite3_step(st), SQLITE_ROW, "raw fields still have their event");
		T_EQ_INT(sqlite3_column_int64(st, 0), 5000, "the raw fields follow their event's new id");
		sqlite3_finalize(st);
	}

	struct nvdb_iter *it = nvdb_iter_new(db, NULL);
	int64_t ts[4];
	int n = 0;
	while (n < 4 && nvdb_iter_next(it, &ev) == 1) {
		ts[n] = ev.ts;
		if (n == 0) {
			T_EQ_INT(ev.sysreg, 0x34110, "sysreg packed as Op0,Op1,CRn,CRm,Op2 hex digits");
			T_EQ_INT(ev.ec, 0x18, "ec kept");
			T_EQ_INT(ev.vcpu, -1, "absent vcpu reads back as -1");
			T_EQ_INT(ev.have, NV_HAVE_PC, "only pc present");
			T_EQ_U64(ev.pc, 0xffff800010000002ull, "u64 pc survives the int64 column");
		}
		if (n == 3)
			T_EQ_STR(ev.raw, "prev_comm=a next_comm=b", "raw fields kept");
		n++;
	}
	T_EQ_INT(n, 4, "iterates every event");
	T_OK(ts[0] == 800 && ts[1] == 900 && ts[2] == 1000 && ts[3] == 5000, "in time order");
	nvdb_iter_free(it);
	nvdb_close(db);
}

static void test_bad_files(void)
{
	char path[256], err[512];
	FILE *f;

	path_in(path, sizeof(path), "missing.db");
	T_OK(nvdb_open(path, 0, err, sizeof(err)) == NULL && strstr(err, "No such file"),
	     "missing file: %s", err);
	path_in(path, sizeof(path), "junk.db");
	f = fopen(path, "w");
	fputs("this is not a database at all, just some text\n", f);
	fclose(f);
	T_OK(nvdb_open(path, 0, err, sizeof(err)) == NULL && strstr(err, "not an nvtrace database"),
	     "text file: %s", err);
	T_OK(nvdb_open(dir, 0, err, sizeof(err)) == NULL && strstr(err, "directory"),
	     "directory: %s", err);
	T_OK(nvdb_create("/nonexistent-dir/x.db", NVDB_ATOMIC, err, sizeof(err)) == NULL
	     && strstr(err, "/nonexistent-dir/x.db"), "unwritable output named: %s", err);

	/* an aborted create leaves nothing behind */
	path_in(path, sizeof(path), "aborted.db");
	struct nvdb *db = nvdb_create(path, NVDB_ATOMIC, err, sizeof(err));
	nvdb_abort(db);
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "ls %s | grep -c aborted", dir);
	FILE *p = popen(cmd, "r");
	int count = -1;
	if (fscanf(p, "%d", &count) != 1)
		count = -1;
	pclose(p);
	T_EQ_INT(count, 0, "abort removes every file of the database");
}

/* A finished run database whose event_names rows are then set by sql (any content). */
static void crafted(char *path, size_t n, const char *name, const char *sql)
{
	char err[512];
	sqlite3 *h;
	path_in(path, n, name);
	struct nvdb *db = nvdb_create(path, NVDB_ATOMIC, err, sizeof(err));
	nvdb_name_id(db, "kvm", "kvm_exit", NV_EV_KVM_EXIT);
	nvdb_finish(db);
	nvdb_close(db);
	sqlite3_open(path, &h);
	/* the table without its constraints, as a crafted file may have it */
	sqlite3_exec(h, "ALTER TABLE event_names RENAME TO old_names;"
		     "CREATE TABLE event_names (id, system, name, type);"
		     "DROP TABLE old_names;", NULL, NULL, NULL);
	T_OK(sqlite3_exec(h, sql, NULL, NULL, NULL) == SQLITE_OK, "crafted %s: %s", name,
	     sqlite3_errmsg(h));
	sqlite3_close(h);
}

/* Untrusted event_names rows: each a clear "corrupt database" error, bounded memory. */
static void test_crafted_names(void)
{
	static const struct { const char *name, *sql, *err; } cases[] = {
		{ "neg.db", "INSERT INTO event_names VALUES (-5, 'kvm', 'kvm_exit', 1)",
		  "corrupt database: event name id -5 is out of range (0 to 65535)" },
		{ "null.db", "INSERT INTO event_names VALUES (3, 'kvm', NULL, 1)",
		  "corrupt database: event name id 3 has no name" },
		{ "max.db", "INSERT INTO event_names VALUES (2147483647, 'kvm', 'x', 1)",
		  "corrupt database: event name id 2147483647 is out of range (0 to 65535)" },
		{ "big.db", "INSERT INTO event_names VALUES (200000000, 'kvm', 'x', 1)",
		  "corrupt database: event name id 200000000 is out of range (0 to 65535)" },
		{ "huge.db", "INSERT INTO event_names VALUES (99999999999, 'kvm', 'x', 1)",
		  "corrupt database: event name id 99999999999 is out of range (0 to 65535)" },
		{ "text.db", "INSERT INTO event_names VALUES ('7', 'kvm', 'x', 1)",
		  "corrupt database: event name id 7 is out of range (0 to 65535)" },
		{ "long.db", "INSERT INTO event_names VALUES (4, 'kvm', printf('%.2000c', 'a'), 1)",
		  "corrupt database: event name id 4 is longer than 1024 bytes" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char path[256], err[512] = "", want[600];
		crafted(path, sizeof(path), cases[i].name, cases[i].sql);
		snprintf(want, sizeof(want), "%s: %s", path, cases[i].err);
		struct nvdb *db = nvdb_open(path, 0, err, sizeof(err));
		T_OK(db == NULL, "crafted event_names (%s): refused", cases[i].name);
		T_EQ_STR(err, want, "crafted event_names (%s): the error line", cases[i].name);
		nvdb_close(db);
	}
	char path[256], err[512] = "";
	crafted(path, sizeof(path), "fine.db", "INSERT INTO event_names VALUES (65535, 'kvm', 'x', 1)");
	struct nvdb *db = nvdb_open(path, 0, err, sizeof(err));
	T_OK(db != NULL, "the highest id allowed opens: %s", err);
	if (db)
		T_EQ_STR(nvdb_name_of(db, 65535), "x", "its name");
	nvdb_close(db);
}

/* A run written in time order is not rewritten by finish: the sort copies the
 * table (a new root page, seconds per million events), so the root page tells. */
static void test_ordered_not_rewritten(void)
{
	char path[256], err[512] = "";
	struct nvdb *db;
	struct nv_event ev;
	sqlite3_stmt *st;
	int root_before = -1, root_after = -2;

	path_in(path, sizeof(path), "ordered.db");
	db = nvdb_create(path, 0, err, sizeof(err));
	T_OK(db != NULL, "create: %s", err);
	if (!db)
		return;
	int exit_id = nvdb_name_id(db, "kvm", "kvm_exit", NV_EV_KVM_EXIT);
	for (int i = 0; i < 3; i++) {
		nv_event_clear(&ev);
		ev.ts = 100 + i * 100;	/* in order */
		ev.pid = 7;
		ev.type = NV_EV_KVM_EXIT;
		ev.name_id = exit_id;
		nvdb_insert(db, &ev);
	}
	if (nvdb_flush(db) == 0 &&
	    sqlite3_prepare_v2(nvdb_sql(db), "SELECT rootpage FROM sqlite_master WHERE name = 'events'",
			       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			root_before = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	T_EQ_INT(nvdb_finish(db), 0, "finish an ordered run");
	if (sqlite3_prepare_v2(nvdb_sql(db), "SELECT rootpage FROM sqlite_master WHERE name = 'events'",
			       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			root_after = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	T_EQ_INT(root_after, root_before, "an ordered events table is kept, not copied sorted");
	T_EQ_INT(nvdb_time_ordered(db), 1, "and marked time ordered");
	nvdb_close(db);
}

/* One integer from a query on the run (-1 when it fails). */
static long long sql_int(struct nvdb *db, const char *q)
{
	sqlite3_stmt *st;
	long long v = -1;
	if (sqlite3_prepare_v2(nvdb_sql(db), q, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/*
 * Raw fields are written after their event's batch of rows, under the id the
 * batch gave it: every third event has some, rows 32-63 all do (a whole batch
 * of them), the caller's text is overwritten after each insert (nvdb keeps a
 * copy); and the same when a crafted first row's id is near the largest rowid
 * (ids no longer one after another: each such event is written alone).
 */
static void test_raw_fields_batched(void)
{
	static const long long first_id[] = { 0, 9223372036854775000LL };
	for (int k = 0; k < 2; k++) {
		char path[256], err[512] = "", raw[32], q[160];
		struct nvdb *db;
		struct nv_event ev;
		int nraw = 0;

		snprintf(path, sizeof(path), "%s/raw%d.db", dir, k);
		db = nvdb_create(path, 0, err, sizeof(err));
		T_OK(db != NULL, "create: %s", err);
		if (!db)
			return;
		int other = nvdb_name_id(db, "sched", "sched_switch", NV_EV_OTHER);
		if (first_id[k]) {
			snprintf(q, sizeof(q), "INSERT INTO events (id, ts, type, name_id) VALUES (%lld, -1, %d, %d)",
				 first_id[k], NV_EV_OTHER, other);
			sqlite3_exec(nvdb_sql(db), q, NULL, NULL, NULL);
		}
		for (int i = 0; i < 100; i++) {
			nv_event_clear(&ev);
			ev.ts = i;
			ev.type = NV_EV_OTHER;
			ev.name_id = other;
			if (i % 3 == 0 || (i >= 32 && i < 64)) {
				snprintf(raw, sizeof(raw), "f=%d", i);
				ev.raw = raw;
				nraw++;
			}
			if (nvdb_insert(db, &ev))
				break;
			snprintf(raw, sizeof(raw), "overwritten");
		}
		T_EQ_INT(nvdb_flush(db), 0, "[%d] every event inserted", k);
		T_EQ_INT(sql_int(db, "SELECT count(*) FROM events WHERE ts >= 0"), 100, "[%d] 100 events", k);
		T_EQ_INT(sql_int(db, "SELECT count(*) FROM event_raw"), nraw, "[%d] %d raw rows", k, nraw);
		T_EQ_INT(sql_int(db, "SELECT count(*) FROM events e JOIN event_raw r ON r.event_id = e.id"
				 " WHERE r.fields = 'f=' || e.ts"), nraw,
			 "[%d] each raw row is its own event's", k);
		nvdb_close(db);
	}
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	test_roundtrip();
	test_bad_files();
	test_crafted_names();
	test_ordered_not_rewritten();
	test_raw_fields_batched();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
