/*
 * The output database of import and record: never destroy data.  Check the
 * name before anything is written (not empty, not one of the inputs, not an
 * existing file unless --force) and find temporaries left by killed runs.
 * The temporary being written is removed on a signal by cli/cleanup.h.
 */
#ifndef NVTRACE_OUT_FILE_H
#define NVTRACE_OUT_FILE_H

/* 0 when out may be written; else one "nvtrace CMD: ..." line printed, -1. */
int out_check(const char *cmd, const char *out, int force, char *const *inputs, int ninputs);

/*
 * Temporaries OUT.tmp.PID whose process is gone: removed (remove=1, import's
 * journal-less temporaries are useless) or named on stderr (record's hold
 * the events of a killed recording).
 */
void out_stale(const char *cmd, const char *out, int remove);

#endif
