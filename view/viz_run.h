/* A run database with replay results as a viz source. */
#ifndef NVTRACE_VIZ_RUN_H
#define NVTRACE_VIZ_RUN_H

#include "view/viz.h"

/*
 * Open path read-only and read its replay results: nested exits in time
 * order with traps and cycles per architecture; operations come from the
 * model (guest profile and cost table as given), evaluated per vCPU in time
 * order like replay does.  NULL with one line in err when the file is not a
 * run or has no replay results.
 */
struct viz_source *viz_source_run(const char *path, const char *guest, const char *cost,
				  char *err, size_t errlen);

#endif
