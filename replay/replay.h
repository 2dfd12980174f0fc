/*
 * The replay driver: read a run's events once, cut them into nested exits
 * (reconstruct.h), ask the model what each costs on every architecture, and
 * store the results in the run database (schema/sql/002-replay.sql).
 */
#ifndef NVTRACE_REPLAY_H
#define NVTRACE_REPLAY_H

#include <stdint.h>
#include "schema/db.h"
#include "model/model.h"
#include "model/whatif.h"
#include "replay/kinds.h"
#include "replay/progress_cb.h"
#include "replay/reconstruct.h"
#include "replay/defaults.h"

#define NV_REPLAY_MAX_ARCH 8
#define NV_REPLAY_MAX_JOBS 64
#define NV_REPLAY_DEFAULT_ARCHS "vm,v8.3,neve,v8.4"
#define NV_REPLAY_DEFAULT_GUEST NV_DEFAULT_GUEST
#define NV_REPLAY_DEFAULT_COST  NV_DEFAULT_COST

struct nv_replay_opts {
	const char *archs;	/* comma-separated */
	const char *guest;	/* builtin profile name, or a profile file */
	const char *cost;
	const struct nv_progress *progress;	/* NULL: quiet */
	int stateless;		/* evaluate every exit on its own, like explain: no
				 * sub-model state carried from a vCPU's earlier exits */
	const struct nv_whatif *whatif;	/* what-if edits (--set, --vncr ...), NULL: none */
	int jobs;		/* threads, vCPUs split between them (results are the
				 * same for any number); 0: the machine's cores */
};

/* What a replay found and computed (also what compare prints). */
struct nv_replay_result {
	int64_t id;			/* replays.id */
	enum nv_recon_mode mode;
	struct nv_recon_stats st;
	int64_t lost_events, unmodelled;
	int64_t ts_first, ts_last;	/* the run's time span, ns (0, 0 if unknown) */
	int narch;
	char arch[NV_REPLAY_MAX_ARCH][16];
	uint64_t exits[NV_KIND__COUNT];
	uint64_t observed[NV_KIND__COUNT];	/* observed guest-hypervisor traps */
	uint64_t traps[NV_REPLAY_MAX_ARCH][NV_KIND__COUNT];
	uint64_t cycles[NV_REPLAY_MAX_ARCH][NV_KIND__COUNT];
	uint64_t handler_traps[NV_REPLAY_MAX_ARCH][NV_H__COUNT];
};

/*
 * The models of a replay: one per architecture, sharing a profile and a
 * cost table.  Used by replay, validate and synth.
 */
struct nv_models {
	int n;
	const struct nv_arch *arch[NV_REPLAY_MAX_ARCH];
	struct nv_model *m[NV_REPLAY_MAX_ARCH];
	struct nv_profile *profile;
	const struct nv_cost *cost;
};

/* Parse the arch list and load the profile and cost table; -1 with err. */
int nv_models_open(struct nv_models *ms, const char *archs, const char *guest,
		   const char *cost, char *err, size_t errlen);
/* The same with what-if edits applied to the profile and every model (w may be NULL). */
int nv_models_open_whatif(struct nv_models *ms, const char *archs, const char *guest,
			  const char *cost, const struct nv_whatif *w, char *err, size_t errlen);
void nv_models_close(struct nv_models *ms);
/*
 * The guest name a replay is stored and looked up under: the profile, plus
 * its what-if edits in brackets ("kvm-vhe [set tda=0]").
 */
void nv_replay_guest_key(const char *guest, const struct nv_whatif *w, char *buf, size_t len);
/* The normalised list of architecture names of a model set ("vm,v8.3"). */
void nv_models_arch_list(const struct nv_models *ms, char *buf, size_t len);

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

/* One part of a parallel scan: the vCPUs whose key (thread id, else vCPU
 * id) % nparts == part. */
struct nv_scan_part {
	int part, nparts;
	const int32_t *keys;	/* the run's thread ids, ascending (may be NULL) */
	size_t nkeys;
	int64_t pos;	/* out: 1-based storage position of the event being fed
			 * (orders the exits of all parts as one pass would) */
};

/* The part (0 .. nparts-1) that the events of a vCPU key belong to. */
int nv_scan_part_of(const struct nv_scan_part *p, int32_t key);

/*
 * Feed one part's events, in storage order, to a reconstructor of its own:
 * 0, -1, or 1 when the run is not stored in time order (the caller drops
 * what fn did and reads with nv_replay_scan).  Thread-safe: each call reads
 * on a connection of its own.  progress: NULL, or called from this thread.
 */
int nv_replay_scan_part(struct nvdb *db, enum nv_recon_mode mode, nv_recon_fn fn, void *ctx,
			struct nv_recon_stats *st, const struct nv_progress *progress,
			struct nv_scan_part *part);

/* Replay and store (one transaction, replacing a replay with the same settings). */
int nv_replay_run(struct nvdb *db, const struct nv_replay_opts *o,
		  struct nv_replay_result *res, char *err, size_t errlen);

#endif
