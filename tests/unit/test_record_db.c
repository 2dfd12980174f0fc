/*
 * The recording's database writer (collector/record_db.c), driven without
 * a guest (no /dev/kvm needed): it writes the way record does (nvdb_create
 * of OUT.tmp.PID, batches through rec_db_event, rec_db_finish) while
 * another process reads the file, while another nvtrace tries to write it,
 * and on a full disk (a real small tmpfs; skipped when it cannot be mounted).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "tap.h"
#include "schema/db.h"
#include "collector/record_db.h"

static char dir[] = "/tmp/nvtrace-test-recdb-XXXXXX";

static int exists(const char *base, const char *suffix)
{
	char p[512];
	struct stat st;
	snprintf(p, sizeof(p), "%s%s", base, suffix);
	return stat(p, &st) == 0;
}

/* n kvm_exit events of this process through the record writer; 0 or -1. */
static int put_events(struct rec_db *d, struct rec_kind *k, int n, int64_t ts0)
{
	struct nv_event ev;
	for (int i = 0; i < n; i++) {
		nv_event_clear(&ev);
		ev.ts = ts0 + i;
		ev.cpu = 0;
		ev.pid = getpid();
		ev.type = NV_EV_KVM_EXIT;
		ev.reason = NV_ARM_EXC_TRAP;
		ev.ec = 0x16;
		if (rec_db_event(d, &ev, k))
			return -1;
	}
	return 0;
}

static int64_t count_events(const char *path)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	int64_t n = -1;
	if (sqlite3_open_v2(path, &s, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(s, "SELECT count(*) FROM events", -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(s);
	return n;
}

static void meta_of(const char *path, const char *key, char *buf, size_t len)
{
	char err[512];
	struct nvdb *db = nvdb_open(path, 0, err, sizeof(err));
	snprintf(buf, len, "(none)");
	if (db)
		nvdb_meta_get(db, key, buf, len);
	else
		snprintf(buf, len, "(cannot open: %.400s)", err);
	nvdb_close(db);
}

static struct rec_result finished_result(void)
{
	struct rec_result res;
	memset(&res, 0, sizeof(res));
	res.backend = REC_BACKEND_TRACEFS;
	res.ncpus = 1;
	return res;
}

/*
 * A reader (info, stat, flame...) opens the file being recorded and keeps
 * a read transaction on an older snapshot while the recorder commits more
 * batches and finishes: the recorder waits for it, every event ends up in
 * the renamed file, status complete, and no -wal/-shm is left.
 */
static void test_reader(void)
{
	char tmp[256], out[256], err[512] = "", val[256];
	struct rec_db d = { 0 };
	struct rec_kind k = { .name = "kvm_exit", .type = NV_EV_KVM_EXIT, .sink_id = -1 };
	struct rec_result res = finished_result();
	int fds[2];
	const char *where = NULL;
	int64_t seen = -1;

	snprintf(tmp, sizeof(tmp), "%s/r.db.tmp.1", dir);
	snprintf(out, sizeof(out), "%s/r.db", dir);
	d.db = nvdb_create(tmp, 0, err, sizeof(err));
	T_OK(d.db != NULL, "reader: create %s", err);
	if (!d.db || pipe(fds))
		return;
	T_EQ_INT(put_events(&d, &k, NVDB_BATCH + 10, 1000), 0, "reader: first batch written");
	pid_t child = fork();
	if (child == 0) {	/* the reader: a read transaction held for 1.5 s */
		sqlite3 *s;
		sqlite3_stmt *st;
		int64_t n = -1;
		close(fds[0]);
		if (sqlite3_open_v2(tmp, &s, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
		    sqlite3_exec(s, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
		    sqlite3_prepare_v2(s, "SELECT count(*) FROM events", -1, &st, NULL) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW) {
			n = sqlite3_column_int64(st, 0);
			sqlite3_finalize(st);
		}
		if (write(fds[1], &n, sizeof(n)) != (ssize_t)sizeof(n))
			_exit(1);
		usleep(1500 * 1000);
		sqlite3_exec(s, "COMMIT", NULL, NULL, NULL);
		sqlite3_close(s);
		_exit(0);
	}
	close(fds[1]);
	if (read(fds[0], &seen, sizeof(seen)) != (ssize_t)sizeof(seen))
		seen = -2;
	close(fds[0]);
	T_EQ_INT(seen, NVDB_BATCH, "reader: sees the committed batch while the recording goes on");
	T_EQ_INT(put_events(&d, &k, NVDB_BATCH, 1000 + NVDB_BATCH + 10), 0,
		 "reader: the recorder commits another batch past the reader's snapshot");
	int rc = rec_db_finish(&d, &res, 0, tmp, out, err, sizeof(err), &where);
	T_EQ_INT(rc, 0, "reader: the recording finishes (%s)", err);
	T_EQ_STR(where, out, "reader: moved into place");
	waitpid(child, NULL, 0);
	T_EQ_INT(count_events(out), 2 * NVDB_BATCH + 10, "reader: every event in the file");
	meta_of(out, NVDB_META_STATUS, val, sizeof(val));
	T_EQ_STR(val, NVDB_STATUS_COMPLETE, "reader: status complete");
	meta_of(out, NVDB_META_INCOMPLETE, val, sizeof(val));
	T_EQ_STR(val, "(none)", "reader: no incomplete_reason in a complete run");
	T_OK(!exists(out, "-wal") && !exists(out, "-shm") && !exists(tmp, "-wal") &&
	     !exists(tmp, "-shm") && !exists(tmp, ""), "reader: no -wal, -shm or temporary left");
}

/*
 * Another nvtrace that writes (replay) opens the file being recorded: it
 * waits NVDB_BUSY_MS, then gives up with one line; the recording keeps
 * writing meanwhile and finishes complete with every event.
 */
static void test_writer(void)
{
	char tmp[256], out[256], err[512] = "", want[600], val[256];
	struct rec_db d = { 0 };
	struct rec_kind k = { .name = "kvm_exit", .type = NV_EV_KVM_EXIT, .sink_id = -1 };
	struct rec_result res = finished_result();
	const char *where = NULL;
	int fds[2], n = 0, status = -1;
	char msg[600] = "";

	snprintf(tmp, sizeof(tmp), "%s/w.db.tmp.2", dir);
	snprintf(out, sizeof(out), "%s/w.db", dir);
	d.db = nvdb_create(tmp, 0, err, sizeof(err));
	T_OK(d.db != NULL, "writer: create %s", err);
	if (!d.db || pipe(fds))
		return;
	T_EQ_INT(put_events(&d, &k, 1000, 0), 0, "writer: events before the second writer");
	nvdb_flush(d.db);
	pid_t child = fork();
	if (child == 0) {	/* nvtrace replay's open */
		char e[600] = "";
		struct nvdb *w = nvdb_open(tmp, 1, e, sizeof(e));
		close(fds[0]);
		if (write(fds[1], e, strlen(e)) < 0)
			_exit(2);
		_exit(w ? 1 : 0);
	}
	close(fds[1]);
	/* record goes on writing (and committing) while the other one waits */
	while (waitpid(child, &status, WNOHANG) == 0) {
		if (put_events(&d, &k, 1000, 1000 + n * 1000) || nvdb_flush(d.db))
			break;
		n++;
		usleep(20 * 1000);
	}
	if (read(fds[0], msg, sizeof(msg) - 1) < 0)
		msg[0] = 0;
	close(fds[0]);
	snprintf(want, sizeof(want), "%s: busy: another nvtrace is writing it (gave up after %d s)",
		 tmp, NVDB_BUSY_MS / 1000);
	T_EQ_STR(msg, want, "writer: the second writer gives up with one line");
	T_OK(WIFEXITED(status) && WEXITSTATUS(status) == 0, "writer: and gets no database");
	T_OK(n > 10, "writer: the recording kept committing meanwhile (%d batches)", n);
	int rc = rec_db_finish(&d, &res, 0, tmp, out, err, sizeof(err), &where);
	T_EQ_INT(rc, 0, "writer: the recording finishes (%s)", err);
	T_EQ_INT(count_events(out), 1000 + (int64_t)n * 1000, "writer: every event kept");
	meta_of(out, NVDB_META_STATUS, val, sizeof(val));
	T_EQ_STR(val, NVDB_STATUS_COMPLETE, "writer: status complete");
}

/*
 * The disk fills up before the recording is finished: rec_db_finish is an
 * error naming the reason (never the success path), the run stays
 * incomplete and says why.
 */
static void test_full_disk(void)
{
	char mnt[256], tmp[300], out[300], fill[300], err[512] = "", val[512];
	struct rec_db d = { 0 };
	struct rec_kind k = { .name = "kvm_exit", .type = NV_EV_KVM_EXIT, .sink_id = -1 };
	struct rec_result res = finished_result();
	const char *where = NULL;
	static char block[65536];

	snprintf(mnt, sizeof(mnt), "%s/small", dir);
	mkdir(mnt, 0700);
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=4m") != 0) {
		t_skip("record finish on a full disk", "cannot mount a tmpfs here (not root?)");
		rmdir(mnt);
		return;
	}
	snprintf(tmp, sizeof(tmp), "%s/f.db.tmp.3", mnt);
	snprintf(out, sizeof(out), "%s/f.db", mnt);
	snprintf(fill, sizeof(fill), "%s/filler", mnt);
	d.db = nvdb_create(tmp, 0, err, sizeof(err));
	T_OK(d.db != NULL, "full disk: create %s", err);
	if (d.db) {
		T_EQ_INT(put_events(&d, &k, 20000, 0), 0, "full disk: events written");
		nvdb_flush(d.db);
		int fd = open(fill, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		while (fd >= 0 && write(fd, block, sizeof(block)) > 0)
			;
		while (fd >= 0 && write(fd, block, 512) > 0)
			;
		if (fd >= 0)
			close(fd);
		int rc = rec_db_finish(&d, &res, 0, tmp, out, err, sizeof(err), &where);
		T_EQ_INT(rc, -1, "full disk: finishing is an error");
		T_OK(strncmp(err, "cannot finish the database: disk full (no space left on device)",
			     63) == 0, "full disk: the reason is a full disk (%s)", err);
		T_OK(where != NULL, "full disk: the events are kept somewhere (%s)", where ? where : "-");
		unlink(fill);	/* room to read it again */
		if (where) {
			meta_of(where, NVDB_META_STATUS, val, sizeof(val));
			T_EQ_STR(val, NVDB_STATUS_INCOMPLETE, "full disk: status stays incomplete");
			T_EQ_INT(count_events(where), 20000, "full disk: every event kept");
			/* the reason itself may not fit on the full disk: then the one set at create */
			meta_of(where, NVDB_META_INCOMPLETE, val, sizeof(val));
			T_OK(strcmp(val, err) == 0 || strcmp(val, NVDB_REASON_UNFINISHED) == 0,
			     "full disk: a reason is stored (%s)", val);
		}
	}
	umount2(mnt, MNT_DETACH);
	rmdir(mnt);
}

/*
 * A run whose writer has not finished says so (incomplete_reason), and a
 * recording that stopped with an error keeps that error as its reason.
 */
static void test_reasons(void)
{
	char tmp[256], out[256], err[512] = "", val[512];
	struct rec_db d = { 0 };
	struct rec_kind k = { .name = "kvm_exit", .type = NV_EV_KVM_EXIT, .sink_id = -1 };
	struct rec_result res = finished_result();
	const char *where = NULL;
	int fds[2];

	snprintf(tmp, sizeof(tmp), "%s/i.db.tmp.4", dir);
	snprintf(out, sizeof(out), "%s/i.db", dir);
	d.db = nvdb_create(tmp, 0, err, sizeof(err));
	if (!d.db || pipe(fds) || put_events(&d, &k, 100, 0) || nvdb_flush(d.db)) {
		T_OK(0, "reasons: set-up (%s)", err);
		return;
	}
	pid_t child = fork();
	if (child == 0) {	/* a reader while it is being written (or after a kill) */
		close(fds[0]);
		meta_of(tmp, NVDB_META_INCOMPLETE, val, sizeof(val));
		if (write(fds[1], val, strlen(val)) < 0)
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	memset(val, 0, sizeof(val));
	if (read(fds[0], val, sizeof(val) - 1) < 0)
		val[0] = 0;
	close(fds[0]);
	waitpid(child, NULL, 0);
	T_EQ_STR(val, NVDB_REASON_UNFINISHED, "reasons: a run not finished yet says why");
	snprintf(err, sizeof(err), "tracefs: read failed: Input/output error");
	int rc = rec_db_finish(&d, &res, -1, tmp, out, err, sizeof(err), &where);
	T_EQ_INT(rc, -1, "reasons: a recording that stopped with an error is not complete");
	T_EQ_STR(where, out, "reasons: its events are moved into place all the same");
	T_EQ_STR(err, "tracefs: read failed: Input/output error", "reasons: the error is the caller's");
	meta_of(out, NVDB_META_STATUS, val, sizeof(val));
	T_EQ_STR(val, NVDB_STATUS_INCOMPLETE, "reasons: status incomplete");
	meta_of(out, NVDB_META_INCOMPLETE, val, sizeof(val));
	T_EQ_STR(val, "tracefs: read failed: Input/output error", "reasons: and the error is its reason");
	T_EQ_INT(count_events(out), 100, "reasons: every event kept");
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	test_reader();
	test_writer();
	test_reasons();
	test_full_disk();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
