/*
 * nvtrace record: record KVM events live into a run database.  The session
 * (collector/record_session.c) does the tracing; this file parses the options, owns
 * the database sink (name ids, thread names, batched inserts) and the live
 * line, and sets the run's metadata and final status.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "schema/db.h"
#include "schema/threads.h"
#include "cli/record_cli.h"
#include "collector/record_session.h"

struct db_sink {
	struct nvdb *db;
	int live;			/* stderr is a terminal: show the live line */
	struct nvdb_threads threads;	/* threads whose name is written */
	double last_t;
	uint64_t last_events;
};

static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace record [-o OUT.db] [--backend bpf|tracefs] [-p PID]... [-d SECONDS]\n"
		"                      [-e EVENT]... [-- COMMAND [ARGS...]]\n"
		"Record the KVM tracepoints of this kernel into a run database.\n"
		"  -o, --output FILE    database to write (default nvtrace.db)\n"
		"  -b, --backend NAME   bpf (default where the kernel has BTF) or tracefs\n"
		"  -p, --pid PID        only this process (repeatable)\n"
		"  -d, --duration S     stop after S seconds\n"
		"  -e, --event NAME     record this KVM event (repeatable; default: all of\n"
		"                       kvm_exit, kvm_entry, kvm_pio, kvm_mmio, ... this kernel has)\n"
		"  -q, --quiet          no live line or summary\n"
		"      --all-fields     also keep every field of every event as text\n"
		"                       (table event_raw), not only the decoded columns\n"
		"      --bpf-classic    BPF: copy every entry the kernel built (classic\n"
		"                       tracepoint programs), never build it from the\n"
		"                       tracepoint's arguments (slower; for comparison)\n"
		"  -- COMMAND ARGS      run COMMAND, record it and its children until it exits\n"
		"Without -p or COMMAND: the whole system until SIGINT/SIGTERM or -d.\n");
}

/* Write a thread's name the first time its pid shows up. */
static void note_thread(struct db_sink *k, int pid)
{
	char comm[64];

	if (nvdb_threads_first(&k->threads, pid) && rec_thread_comm(pid, comm, sizeof(comm)) == 0)
		nvdb_thread(k->db, pid, comm);
}

/* Sink: one decoded event into the database (batched by nvdb_insert). */
static int db_event(void *ctx, const struct nv_event *ev, struct rec_kind *kind)
{
	struct db_sink *k = ctx;
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

/* Sink tick: the live line (elapsed, events, events/s, lost). */
static void db_tick(void *ctx, double elapsed, uint64_t events, uint64_t lost)
{
	struct db_sink *k = ctx;
	if (!k->live || elapsed - k->last_t < 0.5)
		return;
	double rate = (events - k->last_events) / (elapsed - k->last_t);
	fprintf(stderr, "\r%8.1f s  %12llu events  %10.0f events/s  %llu lost \033[K",
		elapsed, (unsigned long long)events, rate, (unsigned long long)lost);
	k->last_t = elapsed;
	k->last_events = events;
}

/* Run metadata known once the session has run. */
static void write_meta(struct nvdb *db, const struct rec_result *res)
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

int cmd_record(int argc, char **argv)
{
	struct rec_cli cli;
	int r = rec_cli_parse(argc, argv, "record", &cli, usage);
	if (r >= 0) {
		rec_cli_free(&cli);
		return r;
	}
	const char *out = cli.output ? cli.output : "nvtrace.db";
	char err[NV_ERR_LEN] = "";
	struct rec_result res;
	struct db_sink *k = calloc(1, sizeof(*k));
	if (!k) {
		fprintf(stderr, "nvtrace record: out of memory\n");
		rec_cli_free(&cli);
		return NV_EXIT_ERR;
	}
	/* cheap checks first, so that a bad environment leaves no file behind */
	if (rec_preflight(err, sizeof(err)) < 0) {
		fprintf(stderr, "nvtrace record: %s\n", err);
		free(k);
		rec_cli_free(&cli);
		return NV_EXIT_ERR;
	}
	k->db = nvdb_create(out, 0, err, sizeof(err));
	if (!k->db) {
		fprintf(stderr, "nvtrace record: %s\n", err);
		free(k);
		rec_cli_free(&cli);
		return NV_EXIT_ERR;
	}
	k->live = !cli.opts.quiet && isatty(STDERR_FILENO);
	struct rec_sink sink = { .ctx = k, .event = db_event, .tick = db_tick };

	r = rec_run(&cli.opts, &sink, &res, err, sizeof(err));
	if (k->live)
		fprintf(stderr, "\r\033[K");
	if (r < 0 && res.events == 0) {
		fprintf(stderr, "nvtrace record: %s\n", err);
		nvdb_abort(k->db);	/* nothing recorded: leave no file */
	} else {
		write_meta(k->db, &res);
		if (r == 0 && nvdb_finish(k->db) == 0 && res.stopped_by_signal)
			nvdb_meta_set(k->db, NVDB_META_STATUS, NVDB_STATUS_SIGNAL);
		if (r < 0)	/* status stays "incomplete" */
			fprintf(stderr, "nvtrace record: %s: %s (kept %llu events, incomplete)\n",
				out, err, (unsigned long long)res.events);
		else if (!cli.opts.quiet)
			rec_print_summary(stderr, "record", out, &res);
		if (nvdb_close(k->db) < 0 && r == 0) {
			fprintf(stderr, "nvtrace record: %s: cannot write the database\n", out);
			r = -1;
		}
	}
	rec_result_free(&res);
	free(k);
	rec_cli_free(&cli);
	return r < 0 ? NV_EXIT_ERR : NV_EXIT_OK;
}
