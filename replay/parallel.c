/*
 * replay -j N: the run's vCPUs are independent (reconstruction and the
 * sub-models keep per-vCPU state only), so the run is read once, in chunks,
 * by R reader threads at once, each on a read connection of its own; the
 * workers take the chunks in order and each feeds the events of the vCPUs
 * it owns to their reconstruction and costs their exits; the calling thread
 * (SQLite has one writer) stores the rows in the order of the event that
 * closed each exit, which is the order one pass gives: results and rows are
 * the same for any N.
 *
 * Chunk k holds the events whose id is in [first + k CHUNK, first + (k+1)
 * CHUNK - 1] (first: the run's lowest id), so a reader reads any chunk with
 * one seek, and at most CHUNK events: the ids that import, record and synth
 * give are dense (1..n; a run edited by hand may have gaps: chunks then hold
 * fewer events, and a run whose ids are far sparser than its events is read
 * by one reader, chunk by chunk as the events come).  Each chunk says the
 * first and last ts it read, so the writer checks the time order between
 * chunks as the one pass checks it between events.
 *
 * The chunks travel through a ring of slots: a reader claims chunk k once
 * the writer has freed its slot and fills it (each worker's events listed
 * apart); every worker costs its share of chunk k into the slot's rows; the
 * writer merges chunk k's rows once every worker is done with it and frees
 * the slot.  Every worker takes part in every chunk, so the writer never
 * waits for a vCPU that has no exits; memory is the ring's chunks whatever
 * the run's size.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "replay/parallel.h"

#define CHUNK 4096
#define MAX_READERS 8

/* One worker's rows of a chunk (grows; kept for the slot's next chunk). */
struct rows {
	struct exit_row *row;
	size_t n, cap;
};

/* One chunk of events and the rows that its events closed.  k, ready and
 * ndone change under the pipe's lock; the rest belongs to the reader that
 * claimed the slot until ready, then is read by the workers and the writer. */
struct slot {
	struct nv_event ev[CHUNK];
	int64_t id[CHUNK];		/* storage position of ev[i] */
	int n;				/* events in the chunk */
	uint16_t *idx;			/* [jobs][CHUNK]: each worker's events */
	int *nidx;			/* [jobs] */
	struct rows *rows;		/* [jobs] */
	struct nv_scan_span span;	/* rows read (any type), their first and last ts */
	int64_t k;			/* the chunk held (-1: none yet) */
	int ready;			/* the reader is done with chunk k */
	int rc;				/* its read: 0, -1 (error), 1 (not in time order) */
	int ndone;			/* workers done with chunk k */
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

/* One reader thread: its connection and the slot it fills. */
struct reader {
	pthread_t thread;
	struct pipe *pp;
	struct nv_scan_reader *sr;
	struct slot *cur;
};

/* The pipeline: ring, workers, readers, and the counters under one lock. */
struct pipe {
	struct nvdb *db;
	const struct nv_models *ms;
	int stateless, jobs;
	const struct nv_progress *progress;
	struct nv_scan_part split;
	struct slot *ring;
	int nring;
	struct worker *wk;
	struct reader *rd;
	int nreaders;
	int64_t first, last;		/* the run's lowest and highest id */
	int64_t nchunks;		/* chunks by id range; 0: one reader streams */
	pthread_mutex_t mu;
	pthread_cond_t space;		/* readers: the writer freed a slot */
	pthread_cond_t ready;		/* workers: a chunk is read */
	pthread_cond_t done;		/* writer: a chunk is costed (or failed) */
	int64_t next;			/* the next chunk a reader claims */
	int64_t written;		/* chunks stored by the writer */
	int stop;			/* 0, or the first error: -1, or 1 (not time ordered) */
};

/* Set the pipeline's error (the first one wins) and wake everyone. */
static void pipe_stop(struct pipe *pp, int rc)
{
	pthread_mutex_lock(&pp->mu);
	if (!pp->stop)
		pp->stop = rc;
	pthread_cond_broadcast(&pp->space);
	pthread_cond_broadcast(&pp->ready);
	pthread_cond_broadcast(&pp->done);
	pthread_mutex_unlock(&pp->mu);
}

/* Reader: claim the next chunk and its slot, once the writer has freed it;
 * NULL when stopped or every chunk is claimed. */
static struct slot *claim(struct pipe *pp)
{
	struct slot *s = NULL;
	int64_t k = -1;
	pthread_mutex_lock(&pp->mu);
	/* no wait for room once every chunk is claimed */
	while (!pp->stop && (!pp->nchunks || pp->next < pp->nchunks) &&
	       pp->next - pp->written >= pp->nring)
		pthread_cond_wait(&pp->space, &pp->mu);
	if (!pp->stop && (!pp->nchunks || pp->next < pp->nchunks)) {
		k = pp->next++;
		s = &pp->ring[k % pp->nring];
		s->k = k;
		s->ready = 0;
		s->ndone = 0;
	}
	pthread_mutex_unlock(&pp->mu);
	if (!s)
		return NULL;
	s->n = 0;
	s->rc = 0;
	s->last = pp->nchunks && k == pp->nchunks - 1;
	s->span = (struct nv_scan_span){ 0, INT64_MIN, INT64_MIN };
	memset(s->nidx, 0, (size_t)pp->jobs * sizeof(*s->nidx));
	return s;
}

/* Reader: hand a filled slot to the workers (and, failed, to the writer). */
static void publish(struct pipe *pp, struct slot *s)
{
	pthread_mutex_lock(&pp->mu);
	s->ready = 1;
	pthread_cond_broadcast(&pp->ready);
	if (s->rc)
		pthread_cond_signal(&pp->done);
	pthread_mutex_unlock(&pp->mu);
}

/* Reader's sink: the event into the slot being filled, under its worker.  A
 * chunk of an id range never holds more than CHUNK events; a reader that
 * streams the run goes on in the next chunk's slot (-1: stopped). */
static int reader_sink(void *arg, const struct nv_event *ev, int64_t id)
{
	struct reader *rd = arg;
	struct pipe *pp = rd->pp;
	struct slot *s = rd->cur;
	if (s->n == CHUNK) {
		publish(pp, s);
		if (!(s = rd->cur = claim(pp)))
			return -1;
	}
	int w = pp->jobs > 1 ? nv_scan_part_of(&pp->split, nv_scan_key(ev)) : 0;
	s->ev[s->n] = *ev;
	s->id[s->n] = id;
	s->idx[(size_t)w * CHUNK + (size_t)s->nidx[w]++] = (uint16_t)s->n;
	s->n++;
	return 0;
}

/* Reader: note a failed read's reason in the run's message (one thread at a time). */
static void note_error(struct reader *rd)
{
	pthread_mutex_lock(&rd->pp->mu);
	nv_scan_reader_note_error(rd->sr, rd->pp->db);
	pthread_mutex_unlock(&rd->pp->mu);
}

/* A reader thread: chunks by id range, each as claimed, until none is left
 * or the pipeline stops; or, with one reader and ids too sparse for ranges,
 * the whole run in one read, chunk after chunk, the last one marked. */
static void *reader_main(void *arg)
{
	struct reader *rd = arg;
	struct pipe *pp = rd->pp;
	if (!pp->nchunks) {
		if (!(rd->cur = claim(pp)))
			return NULL;
		/* to the end: the writer's lock keeps the run as it is */
		int rc = nv_scan_reader_read(rd->sr, pp->first, INT64_MAX, reader_sink, rd,
					     pp->progress, NULL);
		if (!rd->cur)	/* the sink's stop: the pipeline stopped */
			return NULL;
		if (rc < 0)
			note_error(rd);
		rd->cur->rc = rc;
		rd->cur->last = 1;
		publish(pp, rd->cur);
		return NULL;
	}
	struct slot *s;
	while ((s = rd->cur = claim(pp))) {
		int64_t lo = pp->first + s->k * CHUNK;
		int64_t hi = s->last ? pp->last : lo + (CHUNK - 1);
		int rc = nv_scan_reader_read(rd->sr, lo, hi, reader_sink, rd, NULL, &s->span);
		if (rc < 0)
			note_error(rd);
		s->rc = rc;
		publish(pp, s);
		if (rc)		/* the writer stops at this chunk */
			break;
	}
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
 * the exits still open.  A chunk whose read failed ends it (the writer
 * stops the pipeline there). */
static void *worker_main(void *arg)
{
	struct worker *wk = arg;
	struct pipe *pp = wk->pp;
	for (int64_t k = 0;; k++) {
		struct slot *s = &pp->ring[k % pp->nring];
		pthread_mutex_lock(&pp->mu);
		while (!(s->k == k && s->ready) && !pp->stop)
			pthread_cond_wait(&pp->ready, &pp->mu);
		int stop = pp->stop || s->rc;
		pthread_mutex_unlock(&pp->mu);
		if (stop)
			return NULL;
		const uint16_t *idx = s->idx + (size_t)wk->w * CHUNK;
		wk->out = &s->rows[wk->w];
		wk->out->n = 0;
		for (int i = 0; i < s->nidx[wk->w]; i++) {
			wk->pos = s->id[idx[i]];
			nv_recon_feed(wk->r, &s->ev[idx[i]]);
		}
		/* read before ndone++: from then on the writer may free the slot and
		 * a reader refill it, maybe as the run's last chunk */
		int last = s->last;
		if (last)
			nv_recon_finish(wk->r);
		if (wk->failed) {
			pipe_stop(pp, -1);
			return NULL;
		}
		pthread_mutex_lock(&pp->mu);
		if (++s->ndone == pp->jobs)
			pthread_cond_signal(&pp->done);
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

/* The writer's loop (the calling thread): chunks in order, checking the
 * time order between them, telling the progress, freeing their slots. */
static int write_all(struct pipe *pp, nv_row_fn store, void *arg)
{
	int64_t prev_ts = INT64_MIN, rows = 0;
	for (int64_t k = 0;; k++) {
		struct slot *s = &pp->ring[k % pp->nring];
		pthread_mutex_lock(&pp->mu);
		while (!pp->stop && !(s->k == k && s->ready && (s->rc || s->ndone == pp->jobs)))
			pthread_cond_wait(&pp->done, &pp->mu);
		int stop = pp->stop;
		pthread_mutex_unlock(&pp->mu);
		if (!stop && s->rc)
			stop = s->rc;
		if (!stop && s->span.rows) {
			if (s->span.first_ts < prev_ts)
				stop = 1;	/* older than the chunk before's last event */
			prev_ts = s->span.last_ts;
			/* as often as one reader told it: every 65536 rows */
			if (pp->progress && (rows + s->span.rows) >> 16 != rows >> 16)
				pp->progress->update((uint64_t)(rows + s->span.rows));
			rows += s->span.rows;
		}
		if (!stop && write_chunk(pp, s, store, arg))
			stop = -1;
		if (stop) {
			pipe_stop(pp, stop);
			return stop;
		}
		if (s->last)
			return 0;
		pthread_mutex_lock(&pp->mu);
		pp->written = k + 1;
		pthread_cond_broadcast(&pp->space);
		pthread_mutex_unlock(&pp->mu);
	}
}

/* Free the ring (rows included). */
static void free_ring(struct pipe *pp)
{
	for (int i = 0; pp->ring && i < pp->nring; i++) {
		struct slot *s = &pp->ring[i];
		for (int w = 0; s->rows && w < pp->jobs; w++)
			free(s->rows[w].row);
		free(s->rows);
		free(s->idx);
		free(s->nidx);
	}
	free(pp->ring);
}

/* Allocate the ring of nring slots; -1 on ENOMEM. */
static int alloc_ring(struct pipe *pp)
{
	if (!(pp->ring = calloc((size_t)pp->nring, sizeof(*pp->ring))))
		return -1;
	for (int i = 0; i < pp->nring; i++) {
		struct slot *s = &pp->ring[i];
		s->k = -1;
		if (!(s->idx = malloc((size_t)pp->jobs * CHUNK * sizeof(*s->idx))) ||
		    !(s->nidx = calloc((size_t)pp->jobs, sizeof(*s->nidx))) ||
		    !(s->rows = calloc((size_t)pp->jobs, sizeof(*s->rows))))
			return -1;
	}
	return 0;
}

/* The lowest (max 0) or highest (max 1) id of the events: -1 on error, 1 none. */
static int id_bound(struct nvdb *db, int max, int64_t *id)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(nvdb_sql(db), max ? "SELECT max(id) FROM events"
				: "SELECT min(id) FROM events", -1, &st, NULL) != SQLITE_OK)
		return -1;
	int rc = sqlite3_step(st);
	int none = rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_NULL;
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc != SQLITE_ROW ? -1 : none;
}

/*
 * How the run is cut: pp->first .. pp->last, its ids, and pp->nchunks, the
 * chunks of CHUNK ids, or 0 when the ids are far sparser than the events
 * (more than twice the chunks the events fill, or than the file's pages:
 * each chunk read would cost a seek for few events; an empty run is one
 * empty chunk).  Two lookups on the rowid, the meta table and a pragma:
 * no pass over the run.  0 or -1.
 */
static int plan_chunks(struct pipe *pp)
{
	sqlite3_stmt *st;
	int64_t pages = 0, events = nvdb_meta_get_i64(pp->db, NVDB_META_EVENTS, 0);
	int none = id_bound(pp->db, 0, &pp->first);
	if (none < 0 || (!none && id_bound(pp->db, 1, &pp->last) != 0))
		return -1;
	if (none) {
		pp->first = 1;
		pp->last = 0;
		pp->nchunks = 1;
		return 0;
	}
	if (sqlite3_prepare_v2(nvdb_sql(pp->db), "PRAGMA page_count", -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		pages = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	/* unsigned: ids may span more than INT64_MAX */
	uint64_t n = ((uint64_t)pp->last - (uint64_t)pp->first) / CHUNK + 1;
	uint64_t filled = events > 0 ? (uint64_t)events / CHUNK + 1 : 0;
	pp->nchunks = events > 0 && n <= 2 * filled + 16 && n <= (uint64_t)pages + 16 ? (int64_t)n : 0;
	return 0;
}

/* See parallel.h. */
int nv_replay_parallel(struct nvdb *db, enum nv_recon_mode mode, const struct nv_models *ms,
		       int stateless, int jobs, nv_row_fn store, void *arg,
		       struct nv_replay_result *res, struct nv_recon_stats *st,
		       const struct nv_progress *progress)
{
	struct pipe pp = { .db = db, .ms = ms, .stateless = stateless, .progress = progress };
	size_t nkeys;
	int32_t *keys = thread_keys(db, &nkeys);
	int started = 0, reading = 0, rc = 0;
	if (plan_chunks(&pp))
		rc = -1;
	/* readers: as many as threads asked for, each chunk read by one */
	pp.nreaders = !pp.nchunks ? 1 : jobs < MAX_READERS ? jobs : MAX_READERS;
	if (pp.nchunks && pp.nchunks < pp.nreaders)
		pp.nreaders = (int)pp.nchunks;
	/* workers: no more than the vCPUs */
	if (nkeys && (size_t)jobs > nkeys)
		jobs = (int)nkeys;
	pp.jobs = jobs;
	pp.split = (struct nv_scan_part){ .nparts = jobs, .keys = keys, .nkeys = nkeys };
	/* room for every reader's chunk and as many again read ahead */
	pp.nring = 2 * pp.nreaders + 4 > 8 ? 2 * pp.nreaders + 4 : 8;
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.space, NULL);
	pthread_cond_init(&pp.ready, NULL);
	pthread_cond_init(&pp.done, NULL);
	if (rc || !(pp.wk = calloc((size_t)jobs, sizeof(*pp.wk))) ||
	    !(pp.rd = calloc((size_t)pp.nreaders, sizeof(*pp.rd))) || alloc_ring(&pp))
		rc = -1;
	/* the connections opened here: a failure's reason noted from this thread */
	for (int i = 0; !rc && i < pp.nreaders; i++)
		if (!(pp.rd[i].sr = nv_scan_reader_open(db, mode)))
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
	for (int i = 0; !rc && i < pp.nreaders; i++) {
		pp.rd[i].pp = &pp;
		if (pthread_create(&pp.rd[i].thread, NULL, reader_main, &pp.rd[i]))
			rc = -1;
		else
			reading++;
	}
	if (rc)
		pipe_stop(&pp, -1);
	else
		rc = write_all(&pp, store, arg);
	for (int i = 0; i < reading; i++)
		pthread_join(pp.rd[i].thread, NULL);
	for (int i = 0; i < started; i++)
		pthread_join(pp.wk[i].thread, NULL);
	if (progress)
		progress->end();
	for (int i = 0; pp.rd && i < pp.nreaders; i++)
		nv_scan_reader_close(pp.rd[i].sr);
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
	free(pp.rd);
	pthread_mutex_destroy(&pp.mu);
	pthread_cond_destroy(&pp.space);
	pthread_cond_destroy(&pp.ready);
	pthread_cond_destroy(&pp.done);
	free(keys);
	return rc < 0 ? -1 : rc;
}
