/*
 * nvtrace top: live counts of KVM events per second, like kvm_stat.  It runs
 * the same recording session as `record` with a sink that only counts
 * (collector/record_session.c), and redraws a table every second on a terminal, or
 * prints one block per second when piped.  --once prints a single table of
 * totals at the end (after -d, default 1 s, or when COMMAND exits).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/record_cli.h"
#include "collector/record_session.h"

#define TOP_MAX_KINDS 256

struct top_row {
	struct rec_kind *kind;
	uint64_t last;		/* count at the previous refresh */
	uint64_t rate;		/* events in the last interval */
};

struct top_sink {
	struct top_row rows[TOP_MAX_KINDS];
	int nrows;
	int tty;
	int once;
	double last_t;
};

static const struct nv_opt top_opts[] = {
	{ REC_OPT_ONCE, "once", NULL, "print one table of totals at the end (after -d, default\n"
	  "1 s, or when COMMAND exits)", NVC_NONE, NULL },
	REC_CLI_OPTS,
	{ 0 }
};

const struct nv_cmd_spec nv_spec_top = {
	"top", "[--once] [--backend bpf|tracefs] [-p PID]... [-d SECONDS] [-e EVENT]...\n"
	"[options] -- COMMAND [ARGS...]",
	"Live counts of KVM events per second, like kvm_stat.  With -- COMMAND: run\n"
	"COMMAND and count its events until it exits.",
	top_opts, NVC_COMMAND, NULL, 1,
};

/* Sink: remember each kind the first time it shows up (the session counts). */
static int top_event(void *ctx, const struct nv_event *ev, struct rec_kind *kind)
{
	struct top_sink *t = ctx;
	(void)ev;
	if (kind->sink_id < 0 && t->nrows < TOP_MAX_KINDS) {
		kind->sink_id = t->nrows;
		t->rows[t->nrows++].kind = kind;
	}
	return 0;
}

/* Busiest first (by the last interval, then by total), then by name. */
static int by_rate(const void *a, const void *b)
{
	const struct top_row *x = a, *y = b;
	if (x->rate != y->rate)
		return x->rate < y->rate ? 1 : -1;
	if (x->kind->count != y->kind->count)
		return x->kind->count < y->kind->count ? 1 : -1;
	return strcmp(x->kind->name, y->kind->name);
}

/* Print the table: name, total, and per second (last interval, or average). */
static void print_table(struct top_sink *t, FILE *f, double elapsed, uint64_t lost,
			const char *rate_label)
{
	struct top_row sorted[TOP_MAX_KINDS];
	memcpy(sorted, t->rows, sizeof(sorted[0]) * (size_t)t->nrows);
	qsort(sorted, (size_t)t->nrows, sizeof(sorted[0]), by_rate);
	fprintf(f, "nvtrace top: %.1f s, %llu lost\n", elapsed, (unsigned long long)lost);
	fprintf(f, "%-28s %12s %12s\n", "event", "total", rate_label);
	for (int i = 0; i < t->nrows; i++)
		fprintf(f, "%-28s %12llu %12llu\n", sorted[i].kind->name,
			(unsigned long long)sorted[i].kind->count,
			(unsigned long long)sorted[i].rate);
}

/* Sink tick: once a second, work out the rates and redraw. */
static void top_tick(void *ctx, double elapsed, uint64_t events, uint64_t lost)
{
	struct top_sink *t = ctx;
	(void)events;
	if (t->once || elapsed - t->last_t < 1.0)
		return;
	double dt = elapsed - t->last_t;
	for (int i = 0; i < t->nrows; i++) {
		t->rows[i].rate = (uint64_t)((t->rows[i].kind->count - t->rows[i].last) / dt + 0.5);
		t->rows[i].last = t->rows[i].kind->count;
	}
	t->last_t = elapsed;
	if (t->tty)
		fputs("\033[H\033[J", stdout);	/* home, clear: redraw in place */
	print_table(t, stdout, elapsed, lost, "per second");
	if (!t->tty)
		putchar('\n');
	fflush(stdout);
}

int cmd_top(int argc, char **argv)
{
	struct rec_cli cli;
	int r = rec_cli_parse(argc, argv, &nv_spec_top, &cli);
	if (r >= 0) {
		rec_cli_free(&cli);
		return r;
	}
	struct top_sink *t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "nvtrace top: out of memory\n");
		rec_cli_free(&cli);
		return NV_EXIT_ERR;
	}
	t->tty = isatty(STDOUT_FILENO);
	t->once = cli.once;
	cli.opts.unbatched = 1;	/* counts every second: no event held in a batch */
	if (cli.once && cli.opts.seconds == 0 && !cli.opts.command)
		cli.opts.seconds = 1;
	struct rec_sink sink = { .ctx = t, .event = top_event, .tick = top_tick };
	struct rec_result res;
	char err[NV_ERR_LEN] = "";

	r = rec_run(&cli.opts, &sink, &res, err, sizeof(err));
	if (r < 0) {
		fprintf(stderr, "nvtrace top: %s\n", err);
	} else if (t->once) {
		for (int i = 0; i < t->nrows; i++)
			t->rows[i].rate = res.seconds > 0
				? (uint64_t)(t->rows[i].kind->count / res.seconds + 0.5) : 0;
		print_table(t, stdout, res.seconds, res.lost, "avg/s");
	}
	rec_result_free(&res);
	free(t);
	rec_cli_free(&cli);
	return r < 0 ? NV_EXIT_ERR : NV_EXIT_OK;
}
