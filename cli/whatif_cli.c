/* The what-if command-line options (see whatif_cli.h). */
#include <stdio.h>
#include "cli/whatif_cli.h"
#include "schema/err.h"

/* See whatif_cli.h. */
int whatif_cli_opt(const char *cmd, int c, const char *arg, struct nv_whatif *w)
{
	char err[NV_ERR_LEN];
	if (c < WHATIF_OPT_BASE || c >= WHATIF_OPT_BASE + NV_EDIT__COUNT)
		return 0;
	if (nv_whatif_add(w, (enum nv_edit_type)(c - WHATIF_OPT_BASE), arg, err, sizeof(err))) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		return -1;
	}
	return 1;
}
