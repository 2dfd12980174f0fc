/* nvtrace: the command, its dispatch table, --help and --version. */
#include <stdio.h>
#include <string.h>
#include "cli/commands.h"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *help;
};

static const struct command commands[] = {
#define X(name, help) { #name, cmd_##name, help },
	NV_COMMANDS(X)
#undef X
};

static void usage(FILE *f)
{
	fprintf(f, "usage: nvtrace [--version] [--help] COMMAND [ARGS...]\n\n"
		   "Record KVM traps from nested-virtualization runs and replay them through\n"
		   "a model of ARMv8.3 NV, NEVE and ARMv8.4 NV2.\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].help);
	fprintf(f, "\n'nvtrace COMMAND --help' shows a command's options.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return NV_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("nvtrace %s\n", NVTRACE_VERSION);
		return NV_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "nvtrace: '%s' is not a command (see nvtrace --help)\n", argv[1]);
	return NV_EXIT_USAGE;
}
