/*
 * Following a growing run database (see view/live.h).  Events are read in
 * time order with ts beyond the newest one read before: an event stored
 * later with a timestamp already passed is not counted (a recording writes
 * in time order per CPU and flushes in batches, so these are rare).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema/db.h"
#include "replay/reconstruct.h"
#include "replay/replay.h"
#include "view/live.h"

struct live_priv {
	struct nvdb *db;
	struct nv_recon *r;
	enum nv_recon_mode mode;
	double t_prev;		/* clock of the previous poll, < 0 before the first */
};

/* nv_recon_fn: count one complete nested exit. */
static void count_exit(void *ctx, const struct nv_nested_exit *x)
{
	struct live *l = ctx;

	if ((unsigned)x->kind >= NV_KIND__COUNT)
		return;
	l->kind[x->kind].exits++;
	l->kind[x->kind].traps += x->traps;
	l->exits++;
	l->traps += x->traps;
}

/* Start counting over with a reconstruction in mode m. */
static int restart(struct live *l, enum nv_recon_mode m)
{
	struct live_priv *p = l->priv;

	nv_recon_free(p->r);
	p->r = nv_recon_new(m, count_exit, l);
	p->mode = m;
	memset(l->kind, 0, sizeof(l->kind));
	l->events = l->exits = l->traps = 0;
	l->last_ts = INT64_MIN;
	l->mode = nv_recon_mode_name(m);
	return p->r ? 0 : -1;
}

/* See live.h. */
struct live *live_open(const char *path, char *err, size_t errlen)
{
	struct live *l = calloc(1, sizeof(*l));
	struct live_priv *p = calloc(1, sizeof(*p));

	if (!l || !p) {
		free(l);
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	l->priv = p;
	p->t_prev = -1;
	p->db = nvdb_open(path, 0, err, errlen);
	if (!p->db || restart(l, nv_replay_mode_of(p->db))) {
		if (p->db)
			snprintf(err, errlen, "out of memory");
		live_free(l);
		return NULL;
	}
	return l;
}

/* Per-second rates over dt seconds, and the counts they start from next time. */
static void rates(struct live *l, double dt, uint64_t exits_prev, uint64_t traps_prev)
{
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		struct live_kind *c = &l->kind[k];
		c->exits_rate = dt > 0 ? (double)(c->exits - c->exits_prev) / dt : 0;
		c->traps_rate = dt > 0 ? (double)(c->traps - c->traps_prev) / dt : 0;
		c->exits_prev = c->exits;
		c->traps_prev = c->traps;
	}
	l->exits_rate = dt > 0 ? (double)(l->exits - exits_prev) / dt : 0;
	l->traps_rate = dt > 0 ? (double)(l->traps - traps_prev) / dt : 0;
}

/* See live.h. */
int live_poll(struct live *l, double now, char *err, size_t errlen)
{
	struct live_priv *p = l->priv;
	uint64_t exits_prev = l->exits, traps_prev = l->traps;
	struct nvdb_iter *it;
	struct nv_event ev;
	char where[64];
	int rc;

	if (!l->mode_known) {	/* nesting events may have arrived: the mode again */
		enum nv_recon_mode m = nv_replay_mode_of(p->db);
		l->mode_known = m == NV_RECON_ARM64_NESTED || m == NV_RECON_X86_NESTED;
		if (m != p->mode && restart(l, m)) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
		exits_prev = l->exits;
		traps_prev = l->traps;
	}
	if (l->last_ts == INT64_MIN)
		it = nvdb_iter_new(p->db, NULL);
	else {
		snprintf(where, sizeof(where), "e.ts > %" PRId64, l->last_ts);
		it = nvdb_iter_new(p->db, where);
	}
	if (!it) {
		snprintf(err, errlen, "cannot read its events");
		return -1;
	}
	while ((rc = nvdb_iter_next(it, &ev)) == 1) {
		l->events++;
		if (ev.ts > l->last_ts)
			l->last_ts = ev.ts;
		if (nv_recon_wants(ev.type))
			nv_recon_feed(p->r, &ev);
	}
	nvdb_iter_free(it);
	if (rc < 0) {
		snprintf(err, errlen, "cannot read its events");
		return -1;
	}
	rates(l, p->t_prev >= 0 ? now - p->t_prev : 0, exits_prev, traps_prev);
	p->t_prev = now;
	return 0;
}

/* See live.h. */
void live_free(struct live *l)
{
	if (!l)
		return;
	struct live_priv *p = l->priv;
	if (p) {
		nv_recon_free(p->r);
		nvdb_close(p->db);
		free(p);
	}
	free(l);
}
