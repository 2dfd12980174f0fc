/*
 * What `record` and `top` share on the command line: the options of a
 * recording session, and the summary printed at the end.
 */
#ifndef NVTRACE_RECORD_CLI_H
#define NVTRACE_RECORD_CLI_H

#include <stdio.h>
#include "collector/record_session.h"
#include "cli/opts.h"

/* Long-only keys of record and top. */
enum { REC_OPT_ONCE = NV_OPT_CMD_BASE, REC_OPT_BPF_CLASSIC, REC_OPT_ALL_FIELDS, REC_OPT_BUFFER_SIZE };

/* The rows both commands share (cli/opts.h). */
#define REC_CLI_OPTS \
	{ 'b', "backend", "NAME", "bpf (default where the kernel has BTF) or tracefs", NVC_WORDS, \
	  "bpf tracefs" }, \
	{ 'p', "pid", "PID", "only this process (repeatable)", NVC_NONE, NULL }, \
	{ 'd', "duration", "S", "stop after S seconds", NVC_NONE, NULL }, \
	{ 'e', "event", "NAME", "this KVM event (repeatable; default: all of kvm_exit,\n" \
	  "kvm_entry, kvm_pio, kvm_mmio, ... this kernel has)", NVC_NONE, NULL }, \
	{ 'q', "quiet", NULL, "no live line, notices or summary", NVC_NONE, NULL }

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
int rec_cli_parse(int argc, char **argv, const struct nv_cmd_spec *spec, struct rec_cli *cli);
void rec_cli_free(struct rec_cli *cli);

/* "nvtrace CMD: N events in S s (backend), L lost -> OUT" and per-event counts. */
void rec_print_summary(FILE *f, const char *cmd, const char *out,
		       const struct rec_result *res);

#endif
