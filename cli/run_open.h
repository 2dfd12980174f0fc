/* Opening a run database for a sub-command. */
#ifndef NVTRACE_RUN_OPEN_H
#define NVTRACE_RUN_OPEN_H
#include "schema/db.h"

struct nvdb *ui_open_run(const char *cmd, const char *path, int writable);
#endif
