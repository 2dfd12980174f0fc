/*
 * Attaching the guest hypervisor's symbols to a run (nvtrace symbols, and
 * nvtrace import --symbols): read the file, store it, report how many trap
 * PCs it resolves.  Errors print one line "nvtrace CMD: ...".
 */
#ifndef NVTRACE_SYMBOLS_CLI_H
#define NVTRACE_SYMBOLS_CLI_H

#include "collector/symtab.h"

/* Read and check a kallsyms/System.map file; NULL after printing the error. */
struct nv_symtab *symbols_cli_read(const char *cmd, const char *file);
/*
 * Store t in the run at dbpath and print what it resolves (a warning when
 * some trap PCs fall in no symbol).  Returns the exit status.
 */
int symbols_cli_attach(const char *cmd, const char *dbpath, const struct nv_symtab *t,
		       const char *file);

/*
 * validate's "trap sites" section: per kind and operation, where the
 * observed traps came from (function+offset with the run's symbols, else
 * the PC).  Prints nothing for a run whose traps carry no PC.
 */
struct nvdb;
void symbols_cli_sites(const char *cmd, struct nvdb *db);

#endif
