/*
 * The live view's data: a run database that is still growing (a recording
 * in progress, or any writer appending events) followed by polling.  Each
 * poll reads the events newer than the last one read, cuts them into nested
 * exits with the replay's reconstruction (replay/reconstruct.h), and keeps
 * per kind the nested exits and the guest hypervisor's observed traps, in
 * all and per second since the poll before.  No tracefs, no terminal: the
 * UI draws it (tui/tui_live.c) and tests feed it a database they grow.
 */
#ifndef NVTRACE_LIVE_H
#define NVTRACE_LIVE_H

#include <stddef.h>
#include <stdint.h>
#include "replay/kinds.h"

struct live_kind {
	uint64_t exits, traps;		/* since the view opened */
	double exits_rate, traps_rate;	/* per second over the last poll interval */
	uint64_t exits_prev, traps_prev;
};

struct live {
	struct live_kind kind[NV_KIND__COUNT];
	uint64_t events;		/* events read */
	uint64_t exits, traps;		/* all kinds */
	double exits_rate, traps_rate;
	int64_t last_ts;		/* newest event read (ns) */
	int mode_known;			/* nesting events decided the reconstruction mode */
	const char *mode;		/* "arm64-nested", ... */
	void *priv;
};

/* Open path read-only to follow it; NULL with one line in err. */
struct live *live_open(const char *path, char *err, size_t errlen);

/*
 * Read what was added since the last poll; now is the caller's clock in
 * seconds (rates divide by the time since the previous poll).  0, or -1
 * with err.
 */
int live_poll(struct live *l, double now, char *err, size_t errlen);

/* Close (NULL is fine). */
void live_free(struct live *l);

#endif
