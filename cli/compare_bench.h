/*
 * The microbenchmark form of `nvtrace compare` (no run database): each
 * benchmark is one nested exit kind evaluated by the model on every
 * architecture asked for.  cmd_compare.c calls it when no .db is given.
 */
#ifndef NVTRACE_COMPARE_BENCH_H
#define NVTRACE_COMPARE_BENCH_H
#include <stdio.h>

#include "cli/opts.h"

/* compare's one option table (cli/cmd_compare.c), shared by both forms. */
extern const struct nv_cmd_spec nv_spec_compare;
enum { COMPARE_OPT_GHZ = NV_OPT_CMD_BASE };

/* argv as given to `nvtrace compare` (argv[0] = "compare"). */
int compare_bench_report(int argc, char **argv);

/* The RUN.db form: cli/compare_run.c (a stub until replay replaces it). */
int compare_run_main(int argc, char **argv);
#endif
