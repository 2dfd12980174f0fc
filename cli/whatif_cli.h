/*
 * The what-if options every model-running command takes (compare, replay,
 * flame, advise; explain and regs take --set): one option table fragment,
 * one help text, one handler over model/whatif.h's parser.
 */
#ifndef NVTRACE_WHATIF_CLI_H
#define NVTRACE_WHATIF_CLI_H

#include <getopt.h>
#include "model/whatif.h"

/* getopt codes: WHATIF_OPT_BASE + enum nv_edit_type ('s' is also --set). */
#define WHATIF_OPT_BASE 0x300
#define WHATIF_CLI_LONGOPTS \
	{ "set",      required_argument, NULL, WHATIF_OPT_BASE + NV_EDIT_SET }, \
	{ "vncr",     required_argument, NULL, WHATIF_OPT_BASE + NV_EDIT_VNCR }, \
	{ "redirect", required_argument, NULL, WHATIF_OPT_BASE + NV_EDIT_REDIRECT }, \
	{ "cache",    required_argument, NULL, WHATIF_OPT_BASE + NV_EDIT_CACHE }, \
	{ "defer",    required_argument, NULL, WHATIF_OPT_BASE + NV_EDIT_DEFER }

#define WHATIF_CLI_HELP \
	"what-if edits (any number; docs/advise.md):\n" \
	"      --set OPT=V       a profile option (L0 trap controls tda, tpm, tacr, tcpac ...)\n" \
	"      --vncr REG        REG in the VNCR page: its trapping accesses become memory\n" \
	"      --redirect REG    its trapping accesses run on an EL1 register instead\n" \
	"      --cache REG       the guest hypervisor reads a cached copy (no trapping read)\n" \
	"      --defer REG       the guest hypervisor defers its writes (no trapping write)\n"

/*
 * Handle getopt's code c with argument arg: 1 taken (added to w), 0 not a
 * what-if option, -1 bad argument (one line printed as "nvtrace CMD: ...").
 */
int whatif_cli_opt(const char *cmd, int c, const char *arg, struct nv_whatif *w);

/*
 * Make sure the run at path has a stored replay of guest/cost with w's
 * edits covering arch (replaying when it has none), and write the guest
 * name it is stored under into key.  Returns the exit status (0 ok).
 */
int whatif_cli_replay(const char *cmd, const char *path, const char *arch, const char *guest,
		      const char *cost, const struct nv_whatif *w, char *key, size_t keylen);

#endif
