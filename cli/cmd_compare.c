/*
 * nvtrace compare: with a run database (an argument ending in .db) replay
 * compares architectures on the recorded exits (compare_run_main, provided
 * by replay in cli/compare_run.c); without one, the model's microbenchmarks (compare_bench.c).
 */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/compare_bench.h"

/* Whether an argument names a run database. */
static int is_db(const char *arg)
{
	size_t n = strlen(arg);
	return n > 3 && !strcmp(arg + n - 3, ".db");
}

int cmd_compare(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (is_db(argv[i]))
			return compare_run_main(argc, argv);
	}
	return compare_bench_report(argc, argv);
}
