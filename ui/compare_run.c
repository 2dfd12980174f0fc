/*
 * HOOK for replay: `nvtrace compare RUN.db ...` (issue 6).  The replay
 * helper replaces this file with the real comparison over a run database;
 * until then it says so.  cmd_compare.c calls it for any .db argument.
 */
#include <stdio.h>
#include "commands.h"
#include "compare_bench.h"

int compare_run_main(int argc, char **argv)
{
	(void)argc, (void)argv;
	fprintf(stderr, "nvtrace compare: RUN.db comparison needs replay (not built yet)\n");
	return NV_EXIT_ERR;
}
