/* nvtrace plot: placeholder until its issue lands (replace this file). */
#include <stdio.h>
#include "commands.h"

int cmd_plot(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "nvtrace plot: not built yet\n");
	return NV_EXIT_ERR;
}
