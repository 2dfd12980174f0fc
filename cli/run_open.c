/* Opening a run database for a sub-command. */
#include <stdio.h>
#include "schema/err.h"
#include "cli/run_open.h"

/*
 * Open RUN.db for command `cmd`, or print the one error line every command
 * gives for a bad run file ("nvtrace CMD: FILE: problem"; nvdb_open's
 * message already names the file) and return NULL.
 */
struct nvdb *ui_open_run(const char *cmd, const char *path, int writable)
{
	char err[NV_ERR_LEN] = "";
	struct nvdb *db = nvdb_open(path, writable, err, sizeof(err));
	if (!db)
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
	return db;
}
