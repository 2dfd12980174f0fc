/* A recording into the run database (see record_db.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>
#include "collector/record_db.h"

/* Write a thread's name the first time its pid shows up. */
static void note_thread(struct rec_db *k, int pid)
{
	char comm[64];

	if (nvdb_threads_first(&k->threads, pid) && rec_thread_comm(pid, comm, sizeof(comm)) == 0)
		nvdb_thread(k->db, pid, comm);
}

#define NV_REC_WHY_LEN 512

/* See record_db.h: one event into the database (batched by nvdb_insert). */
int rec_db_event(struct rec_db *k, const struct nv_event *ev, struct rec_kind *kind)
{
	struct nv_event row = *ev;

	if (kind->sink_id < 0) {
		kind->sink_id = nvdb_name_id(k->db, "kvm", kind->name, kind->type);
		if (kind->sink_id < 0)
			return -1;
	}
	row.name_id = kind->sink_id;
	note_thread(k, ev->pid);
	if (nvdb_insert(k->db, &row) == 0)
		return 0;
	snprintf(k->why, sizeof(k->why), "cannot write the database: %s", nvdb_errmsg(k->db));
	return -1;
}

/* See record_db.h: run metadata known once the session has run. */
void rec_db_write_meta(struct nvdb *db, const struct rec_result *res)
{
	struct utsname u;
	char source[32];
	snprintf(source, sizeof(source), "record-%s", rec_backend_name(res->backend));
	nvdb_meta_set(db, NVDB_META_SOURCE, source);
	if (uname(&u) == 0) {
		nvdb_meta_set(db, NVDB_META_HOST_KERNEL, u.release);
		nvdb_meta_set(db, NVDB_META_HOST_ARCH, u.machine);
	}
	nvdb_meta_set_i64(db, NVDB_META_CPUS, res->ncpus);
	nvdb_meta_set_i64(db, NVDB_META_LOST, (int64_t)res->lost);
	nvdb_meta_set(db, NVDB_META_SYNTHETIC, "0");
	if (res->backend == REC_BACKEND_BPF)
		nvdb_meta_set(db, NVDB_META_BPF_ARGS, res->bpf_args);
}

/* See record_db.h. */
int rec_db_finish(struct rec_db *d, const struct rec_result *res, int r, const char *tmp,
		  const char *out, char *err, size_t errlen, const char **where)
{
	struct nvdb *db = d->db;
	char why[NV_REC_WHY_LEN];

	d->db = NULL;
	*where = NULL;
	snprintf(why, sizeof(why), "%s", r < 0 ? (d->why[0] ? d->why : err[0] ? err : "stopped early") : "");
	rec_db_write_meta(db, res);
	if (r == 0 && nvdb_finish(db) != 0) {	/* e.g. the disk is full: an error, with its reason */
		snprintf(why, sizeof(why), "cannot finish the database: %s", nvdb_errmsg(db));
		r = -1;
	} else if (r == 0 && res->stopped_by_signal) {
		nvdb_meta_set(db, NVDB_META_STATUS, NVDB_STATUS_SIGNAL);
	}
	if (r < 0)	/* best effort: on a full disk even this may not fit */
		nvdb_meta_set(db, NVDB_META_INCOMPLETE, why);
	if (nvdb_settle(db) != 0) {	/* its WAL must be in it before it moves */
		if (r == 0)
			snprintf(why, sizeof(why), "cannot finish the database: %s", nvdb_errmsg(db));
		nvdb_close(db);
		*where = tmp;
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (nvdb_close(db) != 0 && r == 0) {
		snprintf(why, sizeof(why), "cannot write the database");
		r = -1;
	}
	if (rename(tmp, out) != 0) {
		*where = tmp;
		snprintf(err, errlen, "cannot move %s into place: %s", tmp, strerror(errno));
		return -1;
	}
	*where = out;
	if (r < 0)
		snprintf(err, errlen, "%s", why);
	return r < 0 ? -1 : 0;
}
