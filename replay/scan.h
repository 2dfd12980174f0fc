/*
 Reading a run's events for reconstruction, in storage order (replay/scan.c).
 */
#ifndef NVTRACE_SCAN_H
#define NVTRACE_SCAN_H

#include <stdint.h>
#include "schema/db.h"
#include "replay/progress_cb.h"
#include "replay/reconstruct.h"

/* The reconstruction mode of a run, from its host arch and nesting events. */
enum nv_recon_mode nv_replay_mode_of(struct nvdb *db);
const char *nv_recon_mode_name(enum nv_recon_mode m);

/*
 * Feed every event of the run, in time order, to a reconstructor.  Reads in
 * storage order, which is time order in the common case (much faster); if
 * it meets an event older than the one before (an edited or merged run) it
 * calls restart(ctx) to undo what fn did and reads again through nvdb_iter,
 * which sorts.  progress: told how far it got (NULL: quiet).  0 or -1.
 */
typedef int (*nv_restart_fn)(void *ctx);
int nv_replay_scan(struct nvdb *db, enum nv_recon_mode mode, nv_recon_fn fn,
		   nv_restart_fn restart, void *ctx, struct nv_recon_stats *st,
		   const struct nv_progress *progress);

/*
 * nv_replay_scan when the mode is not known beforehand, without the pass of
 * nv_replay_mode_of: reads the run as a single-level VM of its host
 * (nv_replay_single_mode) and, at the first nesting event, calls restart(ctx)
 * and reads again in that event's mode (a nested run's first nesting event
 * comes with its first nested exit: the part read twice is short).  *mode:
 * the run's mode, as nv_replay_mode_of gives it.  0 or -1.
 */
int nv_replay_scan_mode(struct nvdb *db, enum nv_recon_mode *mode, nv_recon_fn fn,
			nv_restart_fn restart, void *ctx, struct nv_recon_stats *st,
			const struct nv_progress *progress);
/* The mode of a run without nesting events: a single-level VM of its host. */
enum nv_recon_mode nv_replay_single_mode(struct nvdb *db);

/* The split of a run's vCPUs between nparts workers. */
struct nv_scan_part {
	int nparts;
	const int32_t *keys;	/* the run's thread ids, ascending (may be NULL) */
	size_t nkeys;
};

/* The part (0 .. nparts-1) that the events of a vCPU key belong to. */
int nv_scan_part_of(const struct nv_scan_part *p, int32_t key);

/* The vCPU key of an event as reconstruction keys it (thread id on arm64). */
static inline int32_t nv_scan_key(const struct nv_event *ev)
{
	return ev->pid >= 0 ? ev->pid : ev->vcpu;
}

/*
 * A reader of the events reconstruction wants, for one thread of replay -j N:
 * a read-only connection of its own, one read transaction (one snapshot) for
 * every range it reads.  Opened on the thread that owns db (a failure is
 * noted in db's message); then used by one thread at a time.  NULL on error.
 */
typedef int (*nv_event_sink)(void *ctx, const struct nv_event *ev, int64_t id);
struct nv_scan_reader;
struct nv_scan_reader *nv_scan_reader_open(struct nvdb *db, enum nv_recon_mode mode);

/* What a read of a range met: rows read (of any type), the first's and last's ts. */
struct nv_scan_span {
	int64_t rows, first_ts, last_ts;
};

/*
 * Read the events with id in [lo, hi] that reconstruction wants, in storage
 * order, and hand each to sink(ctx, ev, id) (ev is reused).  0; -1 on error
 * (see nv_scan_reader_note_error) or when sink returns nonzero; 1 when the
 * range is not in time order (the caller drops what sink did and reads with
 * nv_replay_scan).  progress: told how many rows (NULL: quiet), from this
 * thread.  span (may be NULL): for the order between ranges read apart.
 */
int nv_scan_reader_read(struct nv_scan_reader *r, int64_t lo, int64_t hi, nv_event_sink sink,
			void *ctx, const struct nv_progress *progress, struct nv_scan_span *span);

/* Note r's last error in db's message (nvdb_errmsg); one thread at a time. */
void nv_scan_reader_note_error(struct nv_scan_reader *r, struct nvdb *db);

/* Close r (NULL: nothing). */
void nv_scan_reader_close(struct nv_scan_reader *r);

#endif
