/*
 * Throughput of the sub-models and the microbenchmark scenarios, linked
 * against build/libnvmodel.a alone (the model is a library of its own).
 * Prints scenarios/s and nested exits/s per benchmark and architecture
 * (per CPU second), the replay fast path with sub-model state with the memo
 * off and on, the raw sub-model step rates, and the peak RSS.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/resource.h>
#include "model/microbench.h"
#include "model/s2mmu.h"
#include "model/vgic.h"

/* CPU seconds of this process (the machine is shared: wall time would
 * count the neighbours' turns). */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Nested exits (profile paths) each scenario contains. */
static int exits_of(const char *name)
{
	return !strcmp(name, "virtual-ipi") ? 2 : !strcmp(name, "virtual-eoi") ? 0 : 1;
}

int main(void)
{
	struct nv_profile *p;
	char err[256];
	struct rusage ru;

	if (nv_profile_load_builtin("kvm-2017-nvhe", &p, err, sizeof err)) {
		fprintf(stderr, "bench: %s\n", err);
		return 1;
	}
	for (int a = 0; a < nv_arch_count(); a++) {
		struct nv_model *m = nv_model_new(nv_arch_at(a), p, nv_cost_find("xgene"));
		for (int b = 0; b < nv_bench_count(); b++) {
			struct nv_result r;
			long n = 0;
			double t0 = now(), t;
			do {
				for (int i = 0; i < 200; i++)
					nv_bench_eval(m, b, NULL, NULL, &r, NULL);
				n += 200;
			} while ((t = now() - t0) < 0.15);
			printf("   %-11s %-5s %9.0f scenarios/s  %9.0f nested exits/s  (%.2f us/scenario)\n",
			       nv_bench_name(b), nv_arch_name(nv_arch_at(a)), n / t,
			       n * exits_of(nv_bench_name(b)) / t, t / n * 1e6);
		}
		nv_model_free(m);
	}
	/* replay's per-exit path: prepared model, persistent vCPU state */
	for (int a = 0; a < nv_arch_count(); a++) {
		struct nv_model *m = nv_model_new(nv_arch_at(a), p, nv_cost_find("xgene"));
		struct nv_vcpu *v = nv_vcpu_new();
		struct nv_result r;
		long k = 0;
		double t1 = now(), dt;
		nv_model_prepare(m);
		do {
			for (int i = 0; i < 1000; i++)
				nv_model_eval_fast(m, NV_EXIT_HVC, v, &r);
			k += 1000;
		} while ((dt = now() - t1) < 0.15);
		printf("   replay fast path, hvc exit with sub-model state, %-5s %10.0f exits/s (%.0f ns/exit)\n",
		       nv_arch_name(nv_arch_at(a)), k / dt, dt / k * 1e9);
		k = 0;
		t1 = now();
		do {
			for (int i = 0; i < 1000; i++)
				nv_model_eval_fast(m, NV_EXIT_HVC, NULL, &r);
			k += 1000;
		} while ((dt = now() - t1) < 0.15);
		printf("   replay fast path, hvc exit, stateless (peer), %-5s %10.0f exits/s (%.0f ns/exit)\n",
		       nv_arch_name(nv_arch_at(a)), k / dt, dt / k * 1e9);
		/* as replay runs it: the memo on, a mix of kinds, the clock moving */
		for (int memo = 0; memo < 2; memo++) {
			static const enum nv_exit_kind mix[] = {
				NV_EXIT_IPI, NV_EXIT_HVC, NV_EXIT_MMIO, NV_EXIT_IRQ, NV_EXIT_WFI,
				NV_EXIT_IPI, NV_EXIT_MMIO, NV_EXIT_TIMER, NV_EXIT_WFI, NV_EXIT_IRQ,
			};
			struct nv_vcpu *mv = nv_vcpu_new();
			uint64_t clock = 1000;
			nv_vcpu_memo(mv, memo);
			k = 0;
			t1 = now();
			do {
				for (int i = 0; i < 1000; i++, clock += 100000) {
					nv_vcpu_set_time(mv, clock);
					nv_model_eval_fast(m, mix[i % 10], mv, &r);
				}
				k += 1000;
			} while ((dt = now() - t1) < 0.15);
			printf("   replay fast path, 10-kind mix with sub-model state, memo %-3s %-5s %10.0f exits/s (%.0f ns/exit)\n",
			       memo ? "on" : "off", nv_arch_name(nv_arch_at(a)), k / dt, dt / k * 1e9);
			nv_vcpu_free(mv);
		}
		nv_vcpu_free(v);
		nv_model_free(m);
	}
	/* raw sub-model steps: shadow-S2 hit, shadow-LR load+put */
	struct s2mmu *mmu = s2mmu_new(1);
	uint64_t root = s2g_new_root(mmu);
	s2g_map(mmu, S2_VTCR_39BIT_4K, root, 0x40000000, 0x80000000, 0x1000, S2_PERM_RW, NULL);
	s2mmu_set_guest_regs(mmu, 0, (1ull << 48) | root, S2_VTCR_39BIT_4K, S2_HCR_VM);
	long n = 0;
	double t0 = now(), t;
	do {
		for (int i = 0; i < 10000; i++)
			s2mmu_access(mmu, 0, 0x40000000, false, NULL, NULL);
		n += 10000;
	} while ((t = now() - t0) < 0.15);
	printf("   s2mmu_access (shadow hit)        %10.0f /s\n", n / t);
	struct nv_vgic g;
	nv_vgic_init(&g, NV_GIC_V3, 4);
	nv_vgic_guest_inject(&g, 3, 0xa0, false, 0, false, NULL);
	n = 0;
	t0 = now();
	do {
		for (int i = 0; i < 10000; i++) {
			nv_vgic_nested_load(&g, NULL);
			nv_vgic_nested_put(&g, NULL);
		}
		n += 10000;
	} while ((t = now() - t0) < 0.15);
	printf("   vgic shadow load + sync back     %10.0f /s\n", n / t);
	s2mmu_free(mmu);
	nv_profile_free(p);
	getrusage(RUSAGE_SELF, &ru);
	printf("   peak RSS %ld KiB\n", ru.ru_maxrss);
	return 0;
}
