/* Attaching symbols to a run (see symbols_cli.h). */
#include <stdio.h>
#include "cli/commands.h"
#include "cli/run_open.h"
#include "cli/symbols_cli.h"
#include "collector/symtab_db.h"
#include "replay/observed.h"
#include "replay/trapmap.h"
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

/* Up to this many places per operation; the rest are counted. */
#define SITES_SHOWN 3

/* See symbols_cli.h. */
void symbols_cli_sites(const char *cmd, struct nvdb *db)
{
	char err[NV_ERR_LEN], name[64], where[160];
	struct nv_symtab *t = NULL;
	struct nv_observed o;
	int any = 0;

	if (nv_symtab_load(db, &t, err, sizeof(err)) || nv_observed_run(db, t, NULL, &o, err, sizeof(err))) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		nv_symtab_free(t);
		return;
	}
	for (size_t i = 0; i < o.nsite; i++)
		any |= o.site[i].trap.pc != 0;
	if (any)
		printf("\ntrap sites (%s; traps over the kind's nested exits):\n", t ?
		       "function+offset from the run's symbols" :
		       "PCs: 'nvtrace symbols RUN.db KALLSYMS' names their functions");
	for (int k = 0; any && k < NV_KIND__COUNT; k++)
		for (size_t i = 0; i < o.nsite; i++) {
			const struct nv_obs_site *s = &o.site[i];
			int first = s->per_kind[k] > 0, shown = 0;
			uint64_t rest = 0;
			for (size_t j = 0; first && j < i; j++)
				if (o.site[j].per_kind[k] && nv_trap_same_op(&o.site[j].trap, &s->trap))
					first = 0;
			if (!first)
				continue;
			nv_trap_name(&s->trap, name, sizeof(name));
			printf("  %-8s %-28s", nv_kind_name((enum nv_kind)k), name);
			for (size_t j = i; j < o.nsite; j++) {
				const struct nv_obs_site *x = &o.site[j];
				if (!x->per_kind[k] || !nv_trap_same_op(&x->trap, &s->trap))
					continue;
				if (shown == SITES_SHOWN) {
					rest += x->per_kind[k];
					continue;
				}
				nv_symtab_format(t, x->trap.pc, where, sizeof(where));
				printf("%s %s (%llu)", shown++ ? "," : "", where,
				       (unsigned long long)x->per_kind[k]);
			}
			if (rest)
				printf(", elsewhere (%llu)", (unsigned long long)rest);
			printf("\n");
		}
	nv_observed_free(&o);
	nv_symtab_free(t);
}
