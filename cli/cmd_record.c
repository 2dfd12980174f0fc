/*
 * nvtrace record: record KVM events live into a run database.  The session
 * (collector/record_session.c) does the tracing and collector/record_db.c
 * writes the database; this file parses the options, draws the live line and
 * sets the run's final status.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/out_file.h"
#include "schema/db.h"
#include "cli/record_cli.h"
#include "collector/record_db.h"
#include "collector/record_session.h"

struct db_sink {
	struct rec_db rdb;		/* the database and its threads */
	int live;			/* stderr is a terminal: show the live line */
	double last_t;
	uint64_t last_events;
};

static const struct nv_opt record_opts[] = {
	NV_OPT_OUTPUT("FILE", "database to write (default nvtrace.db)"),
	REC_CLI_OPTS,
	NV_OPT_FORCE("replace FILE when it exists (only once the recording\n"
		     "has events: it is written aside, then moved into place)"),
	{ REC_OPT_ALL_FIELDS, "all-fields", NULL, "also keep every field of every event as text\n"
	  "(table event_raw), not only the decoded columns", NVC_NONE, NULL },
	{ REC_OPT_BUFFER_SIZE, "buffer-size", "MB", "the kernel buffer, MiB (default 128; BPF: the\n"
	  "ring, rounded up to a power of two; tracefs: shared by the\n"
	  "CPUs).  The reader stays idle while it has room", NVC_NONE, NULL },
	{ REC_OPT_BPF_CLASSIC, "bpf-classic", NULL, "BPF: copy every entry the kernel built (classic\n"
	  "tracepoint programs), never build it from the tracepoint's\n"
	  "arguments (slower; for comparison)", NVC_NONE, NULL },
	{ 0 }
};

const struct nv_cmd_spec nv_spec_record = {
	"record", "[-o OUT.db] [--backend bpf|tracefs] [-p PID]... [-d SECONDS] [-e EVENT]...\n"
	"[options] -- COMMAND [ARGS...]",
	"Record the KVM tracepoints of this kernel into a run database.  With -- COMMAND:\n"
	"run COMMAND, record it and its children until it exits.  Without -p or COMMAND:\n"
	"the whole system until SIGINT/SIGTERM or -d.",
	record_opts, NVC_COMMAND, NULL, 1,
};

/* Sink: one decoded event into the database (collector/record_db.c). */
static int db_event(void *ctx, const struct nv_event *ev, struct rec_kind *kind)
{
	struct db_sink *k = ctx;
	return rec_db_event(&k->rdb, ev, kind);
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

int cmd_record(int argc, char **argv)
{
	struct rec_cli cli;
	int r = rec_cli_parse(argc, argv, &nv_spec_record, &cli);
	if (r >= 0) {
		rec_cli_free(&cli);
		return r;
	}
	const char *out = cli.output ? cli.output : "nvtrace.db";
	char err[NV_ERR_LEN] = "", tmp[4200];
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
	/* nothing at OUT changes before the recording has events: it is written aside */
	if (out_check("record", out, cli.force, NULL, 0)) {
		free(k);
		rec_cli_free(&cli);
		return NV_EXIT_ERR;
	}
	out_stale("record", out, 0);
	snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", out, (long)getpid());
	k->rdb.db = nvdb_create(tmp, 0, err, sizeof(err));
	if (!k->rdb.db) {
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
		nvdb_abort(k->rdb.db);	/* nothing recorded: leave no file */
	} else {
		const char *where;	/* the finish path is collector/record_db.c's */
		r = rec_db_finish(&k->rdb, &res, r, tmp, out, err, sizeof(err), &where);
		if (r < 0 && where)	/* status stays "incomplete", with err as its reason */
			fprintf(stderr, "nvtrace record: %s: %s (kept %llu events, incomplete)\n",
				where, err, (unsigned long long)res.events);
		else if (r < 0)
			fprintf(stderr, "nvtrace record: %s: %s\n", out, err);
		else if (!cli.opts.quiet)
			rec_print_summary(stderr, "record", out, &res);
	}
	rec_result_free(&res);
	free(k);
	rec_cli_free(&cli);
	return r < 0 ? NV_EXIT_ERR : NV_EXIT_OK;
}
