/* A recording into the run database (see record_db.h). */
#include <stdio.h>
#include <sys/utsname.h>
#include "collector/record_db.h"

/* Write a thread's name the first time its pid shows up. */
static void note_thread(struct rec_db *k, int pid)
{
	char comm[64];

	if (nvdb_threads_first(&k->threads, pid) && rec_thread_comm(pid, comm, sizeof(comm)) == 0)
		nvdb_thread(k->db, pid, comm);
}

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
	return nvdb_insert(k->db, &row);
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
