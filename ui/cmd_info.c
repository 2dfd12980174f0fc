/* nvtrace info: placeholder until its issue lands (replace this file). */
#include <stdio.h>
#include "commands.h"

int cmd_info(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "nvtrace info: not built yet\n");
	return NV_EXIT_ERR;
}
