/*
 * nvtrace symbols RUN.db FILE
 *
 * Add (or replace) the guest hypervisor's symbol table of a run: its
 * /proc/kallsyms (read in L1 as root, kptr_restrict 0) or System.map, plain
 * or .xz.  validate, advise, flame --observed and profile from then name the
 * function of each trap PC.
 */
#include <stdio.h>
#include "cli/commands.h"
#include "cli/opts.h"
#include "cli/symbols_cli.h"

static const struct nv_opt symbols_opts[] = { { 0 } };

const struct nv_cmd_spec nv_spec_symbols = {
	"symbols", "RUN.db FILE",
	"Store the guest hypervisor's /proc/kallsyms or System.map (plain or .xz) in a\n"
	"run, to name the function of every trap PC (kvm_exit's vcpu_pc). The kallsyms\n"
	"must come from the same boot of L1 as the recording (KASLR).",
	symbols_opts, NVC_FILE, NULL, 0,
};

/* Read the file first (a bad file changes nothing), then store it. */
int cmd_symbols(int argc, char **argv)
{
	struct nv_optparse p;
	int opt;
	nv_opt_init(&p, &nv_spec_symbols, argc, argv);
	while ((opt = nv_opt_next(&p)) != NV_OPT_DONE)
		if (opt == NV_OPT_STOP)
			return p.status;
	if (argc - p.ind != 2)
		return nv_usage_error(&nv_spec_symbols, "wants RUN.db and a symbols FILE, not %d arguments",
				      argc - p.ind);
	optind = p.ind;
	struct nv_symtab *t = symbols_cli_read("symbols", argv[optind + 1]);
	if (!t)
		return NV_EXIT_ERR;
	int rc = symbols_cli_attach("symbols", argv[optind], t, argv[optind + 1]);
	nv_symtab_free(t);
	return rc;
}
