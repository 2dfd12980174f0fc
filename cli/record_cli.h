/*
 * What `record` and `top` share on the command line: the options of a
 * recording session, and the summary printed at the end.
 */
#ifndef NVTRACE_RECORD_CLI_H
#define NVTRACE_RECORD_CLI_H

#include <stdio.h>
#include "collector/record_session.h"

struct rec_cli {
	struct rec_options opts;
	const char *output;	/* -o (record) */
	int force;		/* --force: replace an existing output (record) */
	int once;		/* --once (top) */
	const char **events;	/* storage behind opts.events */
	int *pids;		/* storage behind opts.pids */
};

/*
 * Parse argv.  Returns -1 to go on, or the exit status to return now
 * (0 after --help, 2 on a usage error, with one line on stderr).
 */
int rec_cli_parse(int argc, char **argv, const char *cmd, struct rec_cli *cli,
		  void (*usage)(FILE *));
void rec_cli_free(struct rec_cli *cli);

/* "nvtrace CMD: N events in S s (backend), L lost -> OUT" and per-event counts. */
void rec_print_summary(FILE *f, const char *cmd, const char *out,
		       const struct rec_result *res);

#endif
