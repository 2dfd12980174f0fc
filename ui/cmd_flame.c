/* nvtrace flame: placeholder until its issue lands (replace this file). */
#include <stdio.h>
#include "commands.h"

int cmd_flame(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "nvtrace flame: not built yet\n");
	return NV_EXIT_ERR;
}
