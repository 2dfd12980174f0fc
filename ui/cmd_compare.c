/* nvtrace compare: placeholder until its issue lands (replace this file). */
#include <stdio.h>
#include "commands.h"
#include "compare_run.h"

int cmd_compare(int argc, char **argv)
{
	/* the run form (replay's); the microbenchmark form is the model's */
	if (compare_run_wanted(argc, argv))
		return compare_run(argc, argv);
	fprintf(stderr, "nvtrace compare: not built yet\n");
	return NV_EXIT_ERR;
}
