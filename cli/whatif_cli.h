/*
 * The what-if options every model-running command takes (compare, replay,
 * flame, advise, explain; regs takes --set): one option table fragment
 * (help, man page and completion come from it), one handler over
 * model/whatif.h's parser.
 */
#ifndef NVTRACE_WHATIF_CLI_H
#define NVTRACE_WHATIF_CLI_H

#include <stddef.h>
#include "cli/opts.h"
#include "model/whatif.h"

/*
 * The what-if rows of an option table (cli/opts.h): one declaration, put in
 * the tables of compare, replay, flame, advise and explain.  Keys: 's' for
 * --set (the vocabulary's -s), WHATIF_OPT_BASE + enum nv_edit_type for the
 * register edits.
 */
#define WHATIF_OPT_BASE 0x300
#define WHATIF_CLI_OPTS \
	NV_OPT_SET, \
	{ WHATIF_OPT_BASE + NV_EDIT_VNCR, "vncr", "REG", \
	  "REG in the VNCR page: its trapping accesses\nbecome memory (what-if)", NVC_NONE, NULL }, \
	{ WHATIF_OPT_BASE + NV_EDIT_REDIRECT, "redirect", "REG", \
	  "REG's trapping accesses run on an EL1\nregister instead (what-if)", NVC_NONE, NULL }, \
	{ WHATIF_OPT_BASE + NV_EDIT_CACHE, "cache", "REG", \
	  "the guest hypervisor reads a cached copy of\nREG: no trapping read (what-if)", NVC_NONE, NULL }, \
	{ WHATIF_OPT_BASE + NV_EDIT_DEFER, "defer", "REG", \
	  "the guest hypervisor defers its writes of\nREG: no trapping write (what-if)", NVC_NONE, NULL }

/*
 * Handle option key c (from nv_opt_next) with argument arg: 1 taken (added
 * to w), 0 not a what-if option, -1 bad argument (one line printed as "nvtrace CMD: ...").
 */
int whatif_cli_opt(const char *cmd, int c, const char *arg, struct nv_whatif *w);

/*
 * nv_opt_next for a command that takes the what-if options: those are taken
 * into w here; returns the next other key, NV_OPT_DONE, or NV_OPT_STOP with
 * p->status set (a bad edit is a usage error, already said in one line).
 */
int whatif_cli_next(struct nv_optparse *p, const char *cmd, struct nv_whatif *w);

/*
 * Make sure the run at path has a stored replay of guest/cost with w's
 * edits covering arch (replaying when it has none), and write the guest
 * name it is stored under into key.  Returns the exit status (0 ok).
 */
int whatif_cli_replay(const char *cmd, const char *path, const char *arch, const char *guest,
		      const char *cost, const struct nv_whatif *w, char *key, size_t keylen);

#endif
