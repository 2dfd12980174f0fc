/*
 * The model's time per nested exit as replay spends it, on a recorded or
 * synthetic run: the exits are reconstructed once (not timed), then every
 * architecture's fast path evaluates them in trace order, with the
 * sub-model state (memo on, as replay runs it, and off) and stateless.
 * Prints CPU ns per exit for each architecture (each timed on its own over
 * the whole run) and their mean, and each architecture's memo counts.
 * Usage: bench_model_exits RUN.db [GUEST [ARCHS]]
 * Built by bench/bench_model.sh against build/libnvtrace.a + libnvmodel.a.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "schema/db.h"
#include "replay/models.h"
#include "replay/scan.h"
#include "replay/validate.h"
#include "replay/cost_exit.h"

struct bexit {
	int32_t vcpu;
	int64_t ts;
	int kind;
	struct nv_variant_sel sel;
};

struct ctx {
	const struct nv_models *ms;
	struct bexit *x;
	size_t n, cap;
	struct nv_nested_exit *ex;	/* the exits, their traps in tr */
	size_t nx, xcap;
	struct nv_trap *tr;
	size_t traps, tcap;
};

/* CPU seconds of this process (the machine is shared). */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Keep what the fast path needs of one reconstructed exit. */
static void on_exit_(void *arg, const struct nv_nested_exit *x)
{
	struct ctx *c = arg;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 1 << 16;
		c->x = realloc(c->x, c->cap * sizeof(*c->x));
		if (!c->x)
			abort();
	}
	struct bexit *b = &c->x[c->n++];
	b->vcpu = x->vcpu;
	b->ts = x->ts_start;
	b->kind = x->kind;
	nv_replay_select_variant(c->ms->profile, x, &b->sel);
	/* kept to time the variant selection apart: the exit and its traps */
	if (c->nx == c->xcap) {
		c->xcap = c->xcap ? c->xcap * 2 : 1 << 16;
		c->ex = realloc(c->ex, c->xcap * sizeof(*c->ex));
		if (!c->ex)
			abort();
	}
	c->ex[c->nx] = *x;
	c->ex[c->nx++].trap = (const struct nv_trap *)(uintptr_t)c->traps; /* an index, for now */
	if (c->traps + x->ntrap > c->tcap) {
		while (c->traps + x->ntrap > c->tcap)
			c->tcap = c->tcap ? c->tcap * 2 : 1 << 16;
		c->tr = realloc(c->tr, c->tcap * sizeof(*c->tr));
		if (!c->tr)
			abort();
	}
	memcpy(c->tr + c->traps, x->trap, x->ntrap * sizeof(*x->trap));
	c->traps += x->ntrap;
}

/* Scan restarts (an unsorted run): drop what was kept. */
static int restart(void *arg)
{
	((struct ctx *)arg)->n = 0;
	((struct ctx *)arg)->nx = 0;
	((struct ctx *)arg)->traps = 0;
	return 0;
}

/* Every exit in trace order through architecture a's model, as
 * nv_replay_cost_exit does (the architectures' states are independent);
 * the CPU seconds spent, the memo's counts into st. */
static double run(const struct ctx *c, int a, int stateless, uint64_t *check, struct nv_memo_stats *st)
{
	struct vcpu_table vt;
	memset(&vt, 0, sizeof(vt));
	double t0 = cpu_now();
	for (size_t j = 0; j < c->n; j++) {
		const struct bexit *b = &c->x[j];
		struct vcpu_models *vm = nv_vcpu_table_get(&vt, c->ms, b->vcpu);
		struct nv_result r;
		if (!stateless && b->ts > 0)
			nv_vcpu_set_time(vm->v[a], (uint64_t)b->ts);
		if (!nv_model_eval_fast_variant(c->ms->m[a], (enum nv_exit_kind)b->kind, &b->sel,
						stateless ? NULL : vm->v[a], &r))
			*check += r.cycles + r.traps;
	}
	double t = cpu_now() - t0;
	memset(st, 0, sizeof(*st));
	if (vt.n)
		nv_vcpu_memo_stats(vt.vm[0].v[a], st);	/* the table's vCPUs share it */
	nv_vcpu_table_free(&vt, c->ms, NULL);
	return t;
}

int main(int argc, char **argv)
{
	char err[512];
	if (argc < 2)
		return fprintf(stderr, "usage: bench_model_exits RUN.db [GUEST [ARCHS]]\n"), 2;
	const char *guest = argc > 2 ? argv[2] : "kvm-vhe";
	const char *archs = argc > 3 ? argv[3] : "vm,v8.3,neve,v8.4";
	struct nvdb *db = nvdb_open(argv[1], 0, err, sizeof err);
	if (!db)
		return fprintf(stderr, "%s\n", err), 1;
	struct nv_models ms;
	if (nv_models_open(&ms, archs, guest, "xgene", err, sizeof err))
		return fprintf(stderr, "%s\n", err), 1;
	struct ctx c = { .ms = &ms };
	struct nv_recon_stats rs;
	if (nv_replay_scan(db, nv_replay_mode_of(db), on_exit_, restart, &c, &rs, NULL))
		return fprintf(stderr, "%s: scan failed\n", argv[1]), 1;
	uint64_t check = 0;
	/* BENCH_MODEL_ONLY=memo|off|stateless: that way alone (for a profiler) */
	const char *only = getenv("BENCH_MODEL_ONLY");
	double sum_on = 0, sum_off = 0, sum_sl = 0;
	printf("exits %zu, guest %s (CPU ns per exit, best of 3)\n", c.n, guest);
	/* the variant selection replay makes once per exit (its traps looked up) */
	for (size_t j = 0; j < c.nx; j++)
		c.ex[j].trap = c.tr + (size_t)(uintptr_t)c.ex[j].trap;
	double best_sel = 0;
	for (int rep = 0; rep < 3; rep++) {
		struct nv_variant_sel sel;
		double t0 = cpu_now();
		for (size_t j = 0; j < c.nx; j++) {
			nv_replay_select_variant(ms.profile, &c.ex[j], &sel);
			check += sel.v[0];
		}
		double t = cpu_now() - t0;
		if (!rep || t < best_sel)
			best_sel = t;
	}
	printf("variant selection (once per exit, %.1f traps/exit): %.1f ns per exit\n",
	       c.n ? (double)c.traps / c.n : 0.0, c.n ? best_sel * 1e9 / c.n : 0.0);
	printf("%-6s %12s %12s %12s %10s %8s %8s\n", "arch", "state+memo", "memo off", "stateless",
	       "hits", "misses", "stored");
	for (int a = 0; a < ms.n; a++) {
		struct nv_memo_stats st = { 0 }, st0;
		double best_on = 0, best_off = 0, best_sl = 0;
		for (int rep = 0; rep < 3; rep++) {
			double t;
			if (!only || !strcmp(only, "memo")) {
				setenv("NVTRACE_REPLAY_MEMO", "1", 1);
				if ((t = run(&c, a, 0, &check, &st)) < best_on || !rep) best_on = t;
			}
			setenv("NVTRACE_REPLAY_MEMO", "0", 1);
			if ((!only || !strcmp(only, "off")) && ((t = run(&c, a, 0, &check, &st0)) < best_off || !rep))
				best_off = t;
			if ((!only || !strcmp(only, "stateless")) && ((t = run(&c, a, 1, &check, &st0)) < best_sl || !rep))
				best_sl = t;
		}
		printf("%-6s %12.1f %12.1f %12.1f %10llu %8llu %8llu\n", nv_arch_name(nv_model_arch(ms.m[a])),
		       best_on * 1e9 / c.n, best_off * 1e9 / c.n, best_sl * 1e9 / c.n,
		       (unsigned long long)st.hits, (unsigned long long)st.misses,
		       (unsigned long long)st.stored);
		sum_on += best_on, sum_off += best_off, sum_sl += best_sl;
	}
	double per = (double)c.n * ms.n;
	printf("%-6s %12.1f %12.1f %12.1f   (check %llu)\n", "mean", sum_on * 1e9 / per,
	       sum_off * 1e9 / per, sum_sl * 1e9 / per, (unsigned long long)(check & 0xff));
	nv_models_close(&ms);
	nvdb_close(db);
	free(c.x);
	free(c.ex);
	free(c.tr);
	return 0;
}
