/*
 * replay -j N: the run's vCPUs are independent (reconstruction and the
 * sub-models keep per-vCPU state only), so the run is read once, in storage
 * order, by one reader thread that hands each vCPU's events to the worker
 * that owns the vCPU; the workers reconstruct and cost their exits; the
 * calling thread (SQLite has one writer) stores the rows in the order of the
 * event that closed each exit, which is the order one pass gives: results
 * and rows are the same for any N.
 *
 * The events travel in chunks of CHUNK consecutive events through a ring of
 * RING slots: the reader fills chunk k (each worker's events listed apart),
 * every worker costs its share of chunk k into the slot's rows, the writer
 * merges chunk k's rows once every worker is done with it and frees the slot.
 * Every worker takes part in every chunk, so the writer never waits for a
 * vCPU that has no exits; memory is RING chunks whatever the run's size.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "replay/parallel.h"

#define CHUNK 4096
#define RING 8

/* One worker's rows of a chunk (grows; kept for the slot's next chunk). */
struct rows {
	struct exit_row *row;
	size_t n, cap;
};

/* One chunk of events and the rows that its events closed. */
struct slot {
	struct nv_event ev[CHUNK];
	int64_t id[CHUNK];		/* storage position of ev[i] */
	int n;				/* events in the chunk */
	uint16_t *idx;			/* [jobs][CHUNK]: each worker's events */
	int *nidx;			/* [jobs] */
	struct rows *rows;		/* [jobs] */
	int ndone;			/* workers done with this chunk */
	int last;			/* the run's last chunk */
};

/* One worker: its vCPUs' reconstruction and state, totals, current chunk. */
struct worker {
	pthread_t thread;
	struct pipe *pp;
	int w;
	struct nv_recon *r;
	struct vcpu_table vt;
	struct nv_replay_result res;
	struct nv_recon_stats st;
	struct rows *out;		/* the rows of the chunk being costed */
	int64_t pos;			/* id of the event being fed */
	int failed;
};

/* The pipeline: ring, workers, and the counters under one lock. */
struct pipe {
	struct nvdb *db;
	enum nv_recon_mode mode;
	const struct nv_models *ms;
	int stateless, jobs;
	const struct nv_progress *progress;
	struct nv_scan_part split;
	struct slot *ring;
	struct worker *wk;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int64_t filled;			/* chunks published by the reader */
	int64_t written;		/* chunks stored by the writer */
	int stop;			/* 0, or the first error: -1, or 1 (not time ordered) */
	int64_t k;			/* reader: the chunk being filled */
	struct slot *cur;		/* reader: its slot */
	pthread_t reader;
	int read_rc;
};

/* Set the pipeline's error (the first one wins) and wake everyone. */
static void pipe_stop(struct pipe *pp, int rc)
{
	pthread_mutex_lock(&pp->mu);
	if (!pp->stop)
		pp->stop = rc;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
}

/* Reader: the slot for chunk pp->k, once the writer has freed it; NULL when stopped. */
static struct slot *reader_slot(struct pipe *pp)
{
	pthread_mutex_lock(&pp->mu);
	while (pp->k - pp->written >= RING && !pp->stop)
		pthread_cond_wait(&pp->cv, &pp->mu);
	int stop = pp->stop;
	pthread_mutex_unlock(&pp->mu);
	if (stop)
		return NULL;
	struct slot *s = &pp->ring[pp->k % RING];
	s->n = 0;
	s->ndone = 0;
	s->last = 0;
	memset(s->nidx, 0, (size_t)pp->jobs * sizeof(*s->nidx));
	return s;
}

/* Reader: publish the chunk being filled to the workers. */
static void reader_publish(struct pipe *pp, int last)
{
	pp->cur->last = last;
	pthread_mutex_lock(&pp->mu);
	pp->filled = ++pp->k;
	pthread_cond_broadcast(&pp->cv);
	pthread_mutex_unlock(&pp->mu);
	pp->cur = NULL;
}

/* Reader's sink: the event into the current chunk, under its worker. */
static int reader_sink(void *arg, const struct nv_event *ev, int64_t id)
{
	struct pipe *pp = arg;
	if (!pp->cur && !(pp->cur = reader_slot(pp)))
		return -1;
	struct slot *s = pp->cur;
	int w = pp->jobs > 1 ? nv_scan_part_of(&pp->split, nv_scan_key(ev)) : 0;
	s->ev[s->n] = *ev;
	s->id[s->n] = id;
	s->idx[(size_t)w * CHUNK + (size_t)s->nidx[w]++] = (uint16_t)s->n;
	if (++s->n == CHUNK)
		reader_publish(pp, 0);
	return 0;
}

/* The reader thread: the run, in storage order, chunk by chunk; a last chunk
 * (maybe empty) marks the end. */
static void *reader_main(void *arg)
{
	struct pipe *pp = arg;
	int rc = nv_replay_read_events(pp->db, pp->mode, reader_sink, pp, pp->progress);
	if (rc == 0 && (pp->cur || (pp->cur = reader_slot(pp))))
		reader_publish(pp, 1);
	else if (rc == 0)
		rc = -1;
	if (rc)
		pipe_stop(pp, rc);
	pp->read_rc = rc;
	return NULL;
}

/* Reconstruction's callback in a worker: cost the exit, add its row to the chunk's. */
static void worker_exit(void *arg, const struct nv_nested_exit *x)
{
	struct worker *wk = arg;
	struct rows *o = wk->out;
	if (wk->failed)
		return;
	if (o->n == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 256;
		struct exit_row *r = realloc(o->row, cap * sizeof(*r));
		if (!r) {
			wk->failed = 1;
			return;
		}
		o->row = r;
		o->cap = cap;
	}
	struct exit_row *row = &o->row[o->n];
	if (nv_replay_cost_exit(wk->pp->ms, wk->pp->stateless, &wk->vt, x, &wk->res, row)) {
		wk->failed = 1;
		return;
	}
	row->pos = wk->pos;
	o->n++;
}

/* A worker thread: its events of every chunk, in order; at the last chunk
 * the exits still open. */
static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct pipe *pp = wk->pp;
	for (int64_t k = 0;; k++) {
		pthread_mutex_lock(&pp->mu);
		while (pp->filled <= k && !pp->stop)
			pthread_cond_wait(&pp->cv, &pp->mu);
		int stop = pp->stop;
		pthread_mutex_unlock(&pp->mu);
		if (stop)
			return NULL;
		struct slot *s = &pp->ring[k % RING];
		const uint16_t *idx = s->idx + (size_t)wk->w * CHUNK;
		wk->out = &s->rows[wk->w];
		wk->out->n = 0;
		for (int i = 0; i < s->nidx[wk->w]; i++) {
			wk->pos = s->id[idx[i]];
			nv_recon_feed(wk->r, &s->ev[idx[i]]);
		}
		/* read before ndone++: from then on the writer may free the slot and
		 * the reader refill it, maybe as the run's last chunk */
		int last = s->last;
		if (last)
			nv_recon_finish(wk->r);
		if (wk->failed) {
			pipe_stop(pp, -1);
			return NULL;
		}
		pthread_mutex_lock(&pp->mu);
		s->ndone++;
		pthread_cond_broadcast(&pp->cv);
		pthread_mutex_unlock(&pp->mu);
		if (last)
			return NULL;
	}
}

/* Writer: store the rows of one chunk, merged by the closing event's position
 * (one worker's rows are in order). */
static int write_chunk(struct pipe *pp, struct slot *s, nv_row_fn store, void *arg)
{
	size_t at[NV_REPLAY_MAX_JOBS] = { 0 };
	for (;;) {
		const struct exit_row *best = NULL;
		int from = -1;
		for (int w = 0; w < pp->jobs; w++) {
			const struct rows *r = &s->rows[w];
			if (at[w] < r->n && (!best || r->row[at[w]].pos < best->pos)) {
				best = &r->row[at[w]];
				from = w;
			}
		}
		if (!best)
			return 0;
		if (store(arg, best))
			return -1;
		at[from]++;
	}
}

/* The run's thread ids, ascending: the vCPU keys that the workers split evenly. */
static int32_t *thread_keys(struct nvdb *db, size_t *n)
{
	sqlite3_stmt *st;
	int32_t *keys = NULL;
	size_t cap = 0;
	*n = 0;
	if (sqlite3_prepare_v2(nvdb_sql(db), "SELECT pid FROM threads ORDER BY pid", -1, &st,
			       NULL) != SQLITE_OK)
		return NULL;
	while (sqlite3_step(st) == SQLITE_ROW) {
		if (*n == cap) {
			int32_t *k = realloc(keys, (cap = cap ? cap * 2 : 16) * sizeof(*k));
			if (!k)
				break;
			keys = k;
		}
		keys[(*n)++] = sqlite3_column_int(st, 0);
	}
	sqlite3_finalize(st);
	return keys;
}

/* Add a worker's totals and counts to the run's. */
static void add_part(struct nv_replay_result *res, struct nv_recon_stats *st,
		     const struct worker *p, int narch)
{
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		res->exits[k] += p->res.exits[k];
		res->observed[k] += p->res.observed[k];
		for (int a = 0; a < narch; a++) {
			res->traps[a][k] += p->res.traps[a][k];
			res->cycles[a][k] += p->res.cycles[a][k];
		}
	}
	for (int a = 0; a < narch; a++)
		for (int h = 0; h < NV_H__COUNT; h++)
			res->handler_traps[a][h] += p->res.handler_traps[a][h];
	res->unmodelled += p->res.unmodelled;
	st->events += p->st.events;
	st->exits += p->st.exits;
	st->incomplete_start += p->st.incomplete_start;
	st->incomplete_end += p->st.incomplete_end;
	st->unmatched += p->st.unmatched;
	st->self_injections += p->st.self_injections;
	st->outside_exits += p->st.outside_exits;
	st->vcpus += p->st.vcpus;
}

/* The writer's loop (the calling thread): chunks in order, freeing their slots. */
static int write_all(struct pipe *pp, nv_row_fn store, void *arg)
{
	for (int64_t k = 0;; k++) {
		struct slot *s = &pp->ring[k % RING];
		pthread_mutex_lock(&pp->mu);
		while (!pp->stop && (pp->filled <= k || s->ndone < pp->jobs))
			pthread_cond_wait(&pp->cv, &pp->mu);
		int stop = pp->stop;
		pthread_mutex_unlock(&pp->mu);
		if (stop)
			return stop;
		if (write_chunk(pp, s, store, arg)) {
			pipe_stop(pp, -1);
			return -1;
		}
		if (s->last)
			return 0;
		pthread_mutex_lock(&pp->mu);
		pp->written = k + 1;
		pthread_cond_broadcast(&pp->cv);
		pthread_mutex_unlock(&pp->mu);
	}
}

/* Free the ring (rows included). */
static void free_ring(struct pipe *pp)
{
	for (int i = 0; pp->ring && i < RING; i++) {
		struct slot *s = &pp->ring[i];
		for (int w = 0; s->rows && w < pp->jobs; w++)
			free(s->rows[w].row);
		free(s->rows);
		free(s->idx);
		free(s->nidx);
	}
	free(pp->ring);
}

/* Allocate the ring; -1 on ENOMEM. */
static int alloc_ring(struct pipe *pp)
{
	if (!(pp->ring = calloc(RING, sizeof(*pp->ring))))
		return -1;
	for (int i = 0; i < RING; i++) {
		struct slot *s = &pp->ring[i];
		if (!(s->idx = malloc((size_t)pp->jobs * CHUNK * sizeof(*s->idx))) ||
		    !(s->nidx = calloc((size_t)pp->jobs, sizeof(*s->nidx))) ||
		    !(s->rows = calloc((size_t)pp->jobs, sizeof(*s->rows))))
			return -1;
	}
	return 0;
}

/* See parallel.h. */
int nv_replay_parallel(struct nvdb *db, enum nv_recon_mode mode, const struct nv_models *ms,
		       int stateless, int jobs, nv_row_fn store, void *arg,
		       struct nv_replay_result *res, struct nv_recon_stats *st,
		       const struct nv_progress *progress)
{
	struct pipe pp = { .db = db, .mode = mode, .ms = ms, .stateless = stateless,
			   .progress = progress };
	size_t nkeys;
	int32_t *keys = thread_keys(db, &nkeys);
	int started = 0, reading = 0, rc = 0;
	if (nkeys && (size_t)jobs > nkeys)
		jobs = (int)nkeys;
	pp.jobs = jobs;
	pp.split = (struct nv_scan_part){ .nparts = jobs, .keys = keys, .nkeys = nkeys };
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.cv, NULL);
	if (!(pp.wk = calloc((size_t)jobs, sizeof(*pp.wk))) || alloc_ring(&pp))
		rc = -1;
	for (int i = 0; !rc && i < jobs; i++) {
		struct worker *wk = &pp.wk[i];
		wk->pp = &pp;
		wk->w = i;
		if (!(wk->r = nv_recon_new(mode, worker_exit, wk)) ||
		    pthread_create(&wk->thread, NULL, worker_main, wk))
			rc = -1;
		else
			started++;
	}
	if (progress)
		progress->start("replay", (uint64_t)nvdb_meta_get_i64(db, NVDB_META_EVENTS, 0));
	if (!rc && !pthread_create(&pp.reader, NULL, reader_main, &pp))
		reading = 1;
	if (!reading)
		pipe_stop(&pp, -1);
	rc = write_all(&pp, store, arg);
	if (rc)
		pipe_stop(&pp, rc);
	if (reading)
		pthread_join(pp.reader, NULL);
	for (int i = 0; i < started; i++)
		pthread_join(pp.wk[i].thread, NULL);
	if (progress)
		progress->end();
	if (!rc && pp.read_rc)
		rc = pp.read_rc;
	for (int i = 0; pp.wk && i < jobs; i++) {
		struct worker *wk = &pp.wk[i];
		if (!rc) {
			wk->st = *nv_recon_stats(wk->r);
			add_part(res, st, wk, ms->n);
		}
		if (wk->r)
			nv_recon_free(wk->r);
		nv_vcpu_table_free(&wk->vt, ms, rc ? NULL : &res->memo);
	}
	if (!rc)
		st->events = nvdb_meta_get_i64(db, NVDB_META_EVENTS, st->events);
	free_ring(&pp);
	free(pp.wk);
	pthread_mutex_destroy(&pp.mu);
	pthread_cond_destroy(&pp.cv);
	free(keys);
	return rc < 0 ? -1 : rc;
}
