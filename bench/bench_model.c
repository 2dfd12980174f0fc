/*
 * Throughput of the model's per-exit evaluation, as replay uses it: the
 * fast path (prepared per-kind totals) and the full path (every op, with an
 * emit callback as explain and flame use it).  Linked against
 * libnvmodel.a alone by bench/bench_model.sh.
 * Usage: bench_model ARCH GUEST N  -> "fast EXITS_PER_S full EXITS_PER_S"
 * (per CPU second; one vCPU state, no memo: bench_model_exits.c times the
 * memo as replay runs it)
 */
#define _POSIX_C_SOURCE 200809L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "model/model.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);	/* CPU time: the machine is shared */
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A callback that touches each op the way a consumer would. */
static void sink(void *arg, const struct nv_op_result *r)
{
	*(uint64_t *)arg += r->cycles + r->fate;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return fprintf(stderr, "usage: bench_model ARCH GUEST N\n"), 2;
	char err[256];
	struct nv_profile *p;
	if (nv_profile_load_builtin(argv[2], &p, err, sizeof err))
		return fprintf(stderr, "%s\n", err), 1;
	struct nv_model *m = nv_model_new(nv_arch_find(argv[1]), p, nv_cost_find("xgene"));
	long n = atol(argv[3]);
	struct nv_vcpu *v = nv_vcpu_new();
	nv_model_prepare(m);
	struct nv_result r;
	uint64_t check = 0;
	/* Alternate kinds as a real trace would (hvc, sysreg, wfi). */
	static const enum nv_exit_kind kinds[] = { NV_EXIT_HVC, NV_EXIT_SYSREG, NV_EXIT_WFI };
	double t0 = now();
	for (long i = 0; i < n; i++) {
		nv_model_eval_fast(m, kinds[i % 3], v, &r);
		check += r.cycles;
	}
	double fast = n / (now() - t0);
	long nfull = n / 20;
	t0 = now();
	for (long i = 0; i < nfull; i++) {
		nv_model_eval(m, kinds[i % 3], v, sink, &check, &r);
		check += r.traps;
	}
	double full = nfull / (now() - t0);
	printf("fast %.0f full %.0f (check %llu)\n", fast, full, (unsigned long long)(check & 0xff));
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
	return 0;
}
