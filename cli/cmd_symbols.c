/*
 * nvtrace symbols RUN.db FILE
 *
 * Add (or replace) the guest hypervisor's symbol table of a run: its
 * /proc/kallsyms (read in L1 as root, kptr_restrict 0) or System.map, plain
 * or .xz.  validate, advise, flame --observed and profile from then name the
 * function of each trap PC.
 */
#include <getopt.h>
#include <stdio.h>
#include "cli/commands.h"
#include "cli/symbols_cli.h"

/* The --help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace symbols RUN.db FILE\n\n"
		"Store the guest hypervisor's /proc/kallsyms or System.map (plain or .xz) in a\n"
		"run, to name the function of every trap PC (kvm_exit's vcpu_pc). The kallsyms\n"
		"must come from the same boot of L1 as the recording (KASLR).\n\n"
		"options:\n"
		"  -h, --help   show this help\n");
}

/* Read the file first (a bad file changes nothing), then store it. */
int cmd_symbols(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (opt == 'h') {
			usage(stdout);
			return NV_EXIT_OK;
		}
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	if (argc - optind != 2) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	struct nv_symtab *t = symbols_cli_read("symbols", argv[optind + 1]);
	if (!t)
		return NV_EXIT_ERR;
	int rc = symbols_cli_attach("symbols", argv[optind], t, argv[optind + 1]);
	nv_symtab_free(t);
	return rc;
}
