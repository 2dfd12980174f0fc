/*
 * A one-line progress bar on stderr, shown only when stderr is a terminal
 * (quiet when piped).  total 0 means "unknown": a running count is shown.
 */
#ifndef NVTRACE_PROGRESS_H
#define NVTRACE_PROGRESS_H

#include <stdint.h>
#include "replay/progress_cb.h"

void progress_start(const char *label, uint64_t total);
void progress_update(uint64_t done);
void progress_end(void);

/* The bar as a callback for replay, synth, validate and the viz sources. */
extern const struct nv_progress progress_bar;

#endif
