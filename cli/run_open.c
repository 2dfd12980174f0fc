/* Opening a run database for a sub-command. */
#include <stdio.h>
#include <string.h>
#include "schema/err.h"
#include "cli/run_open.h"
#include "cli/term_text.h"

/*
 * Open RUN.db for command `cmd`, or print the one error line every command
 * gives for a bad run file ("nvtrace CMD: FILE: problem"; nvdb_open's
 * message already names the file) and return NULL.
 */
struct nvdb *ui_open_run(const char *cmd, const char *path, int writable)
{
	char err[NV_ERR_LEN] = "";
	struct nvdb *db = nvdb_open(path, writable, err, sizeof(err));
	char status[64] = "", safe[300];
	if (!db) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		return NULL;
	}
	/* every reader says when the run did not finish (a killed record, a full disk) */
	if (nvdb_meta_get(db, NVDB_META_STATUS, status, sizeof(status)) ||
	    (strcmp(status, NVDB_STATUS_COMPLETE) && strcmp(status, NVDB_STATUS_SIGNAL)))
		fprintf(stderr, "nvtrace %s: %s: warning: the run is not complete (status '%s'): "
			"its events may end early\n", cmd, path,
			term_text(status[0] ? status : "none", safe, sizeof(safe)));
	return db;
}
