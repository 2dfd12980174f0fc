/*
 * replay -j N: the run's vCPUs are independent (reconstruction and the
 * sub-models keep per-vCPU state only), so each of N threads scans the run
 * for its share of the vCPUs and costs their exits.  The rows come back in
 * blocks through a bounded queue per thread and are stored from the calling
 * thread (SQLite has one writer) in the order of the event that closed each
 * exit, which is the order one pass gives: the results and the rows are the
 * same for any N.  Memory: at most QUEUE_BLOCKS blocks per thread.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "replay/replay_int.h"

#define BLOCK_ROWS 256
#define QUEUE_BLOCKS 32

struct block {
	int n;
	struct exit_row row[BLOCK_ROWS];
};

/* One thread's part: its scan, its vCPUs' state, its totals, its queue. */
struct part {
	pthread_t thread;
	struct nvdb *db;
	enum nv_recon_mode mode;
	const struct nv_models *ms;
	int stateless;
	const struct nv_progress *progress;
	struct nv_scan_part sp;
	struct vcpu_table vt;
	struct nv_replay_result res;	/* this part's totals */
	struct nv_recon_stats st;
	struct block *fill;		/* being filled by the thread */
	int rc, failed;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct block *q[QUEUE_BLOCKS];	/* full blocks, oldest first */
	int qhead, qlen, done, stop;
	struct block *take;		/* the consumer's current block */
	int ti;
};

/* Hand the filled block to the consumer, waiting while the queue is full. */
static int push_block(struct part *p)
{
	int stop;
	pthread_mutex_lock(&p->mu);
	while (p->qlen == QUEUE_BLOCKS && !p->stop)
		pthread_cond_wait(&p->cv, &p->mu);
	stop = p->stop;
	if (!stop) {
		p->q[(p->qhead + p->qlen) % QUEUE_BLOCKS] = p->fill;
		p->qlen++;
		p->fill = NULL;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return stop ? -1 : 0;
}

/* Reconstruction's callback in a part: cost the exit, queue its row. */
static void part_exit(void *arg, const struct nv_nested_exit *x)
{
	struct part *p = arg;
	if (p->failed)
		return;
	if (!p->fill) {
		if (!(p->fill = malloc(sizeof(*p->fill)))) {
			p->failed = 1;
			return;
		}
		p->fill->n = 0;
	}
	struct exit_row *row = &p->fill->row[p->fill->n];
	if (nv_replay_cost_exit(p->ms, p->stateless, &p->vt, x, &p->res, row)) {
		p->failed = 1;
		return;
	}
	row->pos = p->sp.pos;
	if (++p->fill->n == BLOCK_ROWS && push_block(p))
		p->failed = 1;
}

/* A part's thread: the scan, then the last block and the end mark. */
static void *part_main(void *arg)
{
	struct part *p = arg;
	p->rc = nv_replay_scan_part(p->db, p->mode, part_exit, p, &p->st, p->progress, &p->sp);
	if (p->rc == 0 && !p->failed && p->fill && p->fill->n && push_block(p))
		p->failed = 1;
	free(p->fill);
	p->fill = NULL;
	pthread_mutex_lock(&p->mu);
	p->done = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* The consumer's next row of a part, NULL when the part has no more. */
static const struct exit_row *head(struct part *p)
{
	if (p->take && p->ti < p->take->n)
		return &p->take->row[p->ti];
	free(p->take);
	p->take = NULL;
	pthread_mutex_lock(&p->mu);
	while (!p->qlen && !p->done)
		pthread_cond_wait(&p->cv, &p->mu);
	if (p->qlen) {
		p->take = p->q[p->qhead];
		p->qhead = (p->qhead + 1) % QUEUE_BLOCKS;
		p->qlen--;
		p->ti = 0;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return p->take ? &p->take->row[0] : NULL;
}

/* Stop a part's thread early (an error elsewhere) and drop its queue. */
static void stop_part(struct part *p)
{
	pthread_mutex_lock(&p->mu);
	p->stop = 1;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

/* The run's thread ids, ascending: the vCPU keys that the parts split evenly. */
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

/* Add a part's totals and counts to the run's. */
static void add_part(struct nv_replay_result *res, struct nv_recon_stats *st,
		     const struct part *p, int narch)
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

/* See replay_int.h. */
int nv_replay_parallel(struct nvdb *db, enum nv_recon_mode mode, const struct nv_models *ms,
		       int stateless, int jobs, nv_row_fn store, void *arg,
		       struct nv_replay_result *res, struct nv_recon_stats *st,
		       const struct nv_progress *progress)
{
	size_t nkeys;
	int32_t *keys = thread_keys(db, &nkeys);
	int n = jobs, started = 0, rc = 0;
	if (nkeys && (size_t)n > nkeys)
		n = (int)nkeys;
	struct part *parts = calloc((size_t)n, sizeof(*parts));
	if (!parts) {
		free(keys);
		return -1;
	}
	if (progress)
		progress->start("replay", (uint64_t)nvdb_meta_get_i64(db, NVDB_META_EVENTS, 0));
	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i];
		p->db = db;
		p->mode = mode;
		p->ms = ms;
		p->stateless = stateless;
		p->progress = i == 0 ? progress : NULL;	/* every part reads every row */
		p->sp = (struct nv_scan_part){ .part = i, .nparts = n, .keys = keys, .nkeys = nkeys };
		pthread_mutex_init(&p->mu, NULL);
		pthread_cond_init(&p->cv, NULL);
		if (pthread_create(&p->thread, NULL, part_main, p)) {
			rc = -1;
			break;
		}
		started++;
	}
	/* merge: always the row closed earliest in the run; one part's rows are in order */
	while (!rc) {
		const struct exit_row *best = NULL;
		struct part *from = NULL;
		for (int i = 0; i < started; i++) {
			const struct exit_row *h = head(&parts[i]);
			if (h && (!best || h->pos < best->pos)) {
				best = h;
				from = &parts[i];
			}
		}
		if (!best)
			break;
		if (store(arg, best))
			rc = -1;
		from->ti++;
	}
	for (int i = 0; i < started; i++) {
		struct part *p = &parts[i];
		if (rc)
			stop_part(p);
		pthread_join(p->thread, NULL);
		if (!rc && (p->rc || p->failed))
			rc = p->failed || p->rc < 0 ? -1 : 1;
	}
	if (progress)
		progress->end();
	for (int i = 0; i < n; i++) {
		struct part *p = &parts[i];
		if (!rc)
			add_part(res, st, p, ms->n);
		while (p->qlen) {
			free(p->q[p->qhead]);
			p->qhead = (p->qhead + 1) % QUEUE_BLOCKS;
			p->qlen--;
		}
		free(p->take);
		nv_vcpu_table_free(&p->vt, ms);
		pthread_mutex_destroy(&p->mu);
		pthread_cond_destroy(&p->cv);
	}
	if (!rc)
		st->events = nvdb_meta_get_i64(db, NVDB_META_EVENTS, st->events);
	free(parts);
	free(keys);
	return rc;
}
