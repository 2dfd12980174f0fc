/* The what-if command-line options (see whatif_cli.h). */
#include <stdio.h>
#include "cli/whatif_cli.h"
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/run_open.h"
#include "replay/results.h"
#include <stdlib.h>

/* See whatif_cli.h. */
int whatif_cli_opt(const char *cmd, int c, const char *arg, struct nv_whatif *w)
{
	char err[NV_ERR_LEN];
	if (c == 's')	/* -s is --set in every command */
		c = WHATIF_OPT_BASE + NV_EDIT_SET;
	if (c < WHATIF_OPT_BASE || c >= WHATIF_OPT_BASE + NV_EDIT__COUNT)
		return 0;
	if (nv_whatif_add(w, (enum nv_edit_type)(c - WHATIF_OPT_BASE), arg, err, sizeof(err))) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		return -1;
	}
	return 1;
}

/* See whatif_cli.h. */
int whatif_cli_replay(const char *cmd, const char *path, const char *arch, const char *guest,
		      const char *cost, const struct nv_whatif *w, char *key, size_t keylen)
{
	char err[NV_ERR_LEN];
	char *archs[1] = { (char *)arch };
	struct nv_replay_result *r = malloc(sizeof(*r));
	struct nvdb *db = r ? ui_open_run(cmd, path, 1) : NULL;
	int rc = NV_EXIT_ERR;
	if (!r)
		fprintf(stderr, "nvtrace %s: out of memory\n", cmd);
	if (db && nv_results_get(db, archs, 1, guest, cost, w, NULL, r, err, sizeof(err)))
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
	else if (db)
		rc = NV_EXIT_OK;
	nv_replay_guest_key(guest, w, key, keylen);
	nvdb_close(db);
	free(r);
	return rc;
}

/* See whatif_cli.h: the loop every what-if command ran around nv_opt_next. */
int whatif_cli_next(struct nv_optparse *p, const char *cmd, struct nv_whatif *w)
{
	int c;
	while ((c = nv_opt_next(p)) != NV_OPT_DONE) {
		int taken = whatif_cli_opt(cmd, c, p->arg, w);
		if (taken < 0) {
			p->status = NV_EXIT_USAGE;
			return NV_OPT_STOP;
		}
		if (!taken)
			return c;
	}
	return NV_OPT_DONE;
}
