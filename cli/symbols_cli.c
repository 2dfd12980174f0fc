/* Attaching symbols to a run (see symbols_cli.h). */
#include <stdio.h>
#include "cli/commands.h"
#include "cli/run_open.h"
#include "cli/symbols_cli.h"
#include "collector/symtab_db.h"
#include "replay/observed.h"
#include "schema/err.h"

/* See symbols_cli.h. */
struct nv_symtab *symbols_cli_read(const char *cmd, const char *file)
{
	char err[NV_ERR_LEN];
	struct nv_symtab *t;
	if (nv_symtab_read(file, &t, err, sizeof(err))) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		return NULL;
	}
	return t;
}

/* See symbols_cli.h. */
int symbols_cli_attach(const char *cmd, const char *dbpath, const struct nv_symtab *t,
		       const char *file)
{
	char err[NV_ERR_LEN];
	struct nv_observed o;
	struct nvdb *db = ui_open_run(cmd, dbpath, 1);
	int status = NV_EXIT_ERR;

	if (!db)
		return NV_EXIT_ERR;
	if (nv_symtab_store(db, t, file, err, sizeof(err))) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		goto out;
	}
	if (nv_replay_mode_of(db) != NV_RECON_ARM64_NESTED) {
		printf("stored %zu code symbols from %s in %s (not a nested arm64 run: "
		       "no trap PCs to resolve)\n", t->n, file, dbpath);
		status = NV_EXIT_OK;
		goto out;
	}
	if (nv_observed_run(db, t, NULL, &o, err, sizeof(err))) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		goto out;
	}
	nv_symtab_set_coverage(db, (int64_t)o.pcs, (int64_t)o.resolved);
	printf("stored %zu code symbols from %s in %s: %zu of %zu trap PCs resolved\n",
	       t->n, file, dbpath, o.resolved, o.pcs);
	if (o.resolved < o.pcs)
		fprintf(stderr, "nvtrace %s: warning: %s: %zu of %zu trap PCs fall in none of its "
			"symbols (kallsyms of another boot? KASLR moves the kernel every boot)\n",
			cmd, file, o.pcs - o.resolved, o.pcs);
	nv_observed_free(&o);
	status = NV_EXIT_OK;
out:
	nvdb_close(db);
	return status;
}
