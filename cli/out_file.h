/*
 * The output database of import and record: never destroy data.  Check the
 * name before anything is written (not empty, not one of the inputs, not an
 * existing file unless --force), find temporaries left by killed runs, and
 * remove the temporary being written when a signal ends the command.
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

/* Until out_unguard: SIGINT/SIGTERM/SIGHUP remove file, then end the process by that signal. */
void out_guard(const char *file);
void out_unguard(void);

#endif
