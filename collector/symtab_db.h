/*
 * The guest hypervisor's symbol table in a run database (tables symbols and
 * symbol_source, schema/sql/004-symbols.sql): store, load, and record how
 * many trap PCs it resolved.
 */
#ifndef NVTRACE_SYMTAB_DB_H
#define NVTRACE_SYMTAB_DB_H

#include "schema/db.h"
#include "collector/symtab.h"

/* Replace the run's symbol table with t (one transaction); 0, or -1 with err. */
int nv_symtab_store(struct nvdb *db, const struct nv_symtab *t, const char *file,
		    char *err, size_t errlen);
/*
 * The run's symbol table: 0 with *out NULL when it has none (or a database
 * from before symbols), 0 with *out set, or -1 with err.
 */
int nv_symtab_load(struct nvdb *db, struct nv_symtab **out, char *err, size_t errlen);
/* The file the symbols came from, into buf; -1 when the run has none. */
int nv_symtab_source(struct nvdb *db, char *buf, size_t len);
/* Record how many distinct trap PCs there are and how many resolved. */
int nv_symtab_set_coverage(struct nvdb *db, int64_t pcs, int64_t resolved);

#endif
