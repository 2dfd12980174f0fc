/*
 * A file a command is writing (a temporary, or an output not yet whole) is
 * removed when SIGINT, SIGTERM, SIGHUP or SIGPIPE stops the command before
 * cleanup_forget(); the signal then ends the process as it would have.
 * One path at a time; the caller still removes it on its own errors.
 */
#ifndef NVTRACE_CLEANUP_H
#define NVTRACE_CLEANUP_H

void cleanup_on_signal(const char *path);
void cleanup_forget(void);

#endif
