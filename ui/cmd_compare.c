/* nvtrace compare: placeholder until its issue lands (replace this file). */
#include <stdio.h>
#include "commands.h"

int cmd_compare(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "nvtrace compare: not built yet\n");
	return NV_EXIT_ERR;
}
