/*
 * Progress as a callback: the caller (the command line draws a bar) passes
 * these to replay, synth and validate, as it passes one to import; NULL means
 * quiet.  Lower layers never draw anything themselves.
 */
#ifndef NVTRACE_PROGRESS_CB_H
#define NVTRACE_PROGRESS_CB_H

#include <stdint.h>

struct nv_progress {
	void (*start)(const char *label, uint64_t total);	/* total 0: unknown */
	void (*update)(uint64_t done);
	void (*end)(void);
};

#endif
