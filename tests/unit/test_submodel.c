/*
 * The sub-model hook and the microbenchmarks through the model: which
 * operations each step pushes, with which source and fate.  Expected fates
 * follow the architectures' rules: GICv2 GICH MMIO traps on every nested
 * architecture; GICv3 ICH_LR<n>_EL2 traps on v8.3 and is a VNCR-page access
 * under v8.4; the nested VM's EOI is native everywhere; a plain VM has no
 * shadow stage 2 to walk.
 */
#include <string.h>
#include "tap.h"
#include "model/model.h"
#include "model/microbench.h"
#include "model/vcpu.h"

struct seen {
	int n, traps, walks;
	int src[NV_SRC__COUNT];
	char regs[512];
};

static void collect(void *arg, const struct nv_op_result *r)
{
	struct seen *s = arg;
	const struct nv_op *op = r->op;
	size_t len = strlen(s->regs);

	s->n++;
	s->traps += r->fate == NV_FATE_TRAP;
	s->src[op->source]++;
	if (op->name && !strcmp(op->name, "s2_walk_level"))
		s->walks++;
	if (op->reg >= 0 && op->source != NV_SRC_PROFILE && len < sizeof(s->regs) - 40)
		snprintf(s->regs + len, sizeof(s->regs) - len, "%s%s:%s", len ? " " : "",
			 nv_sysreg_at(op->reg)->name, nv_fate_name(r->fate));
}

static struct nv_model *model(const char *arch, const char *guest, struct nv_profile **p)
{
	char err[256];

	if (nv_profile_load_builtin(guest, p, err, sizeof err))
		return NULL;
	return nv_model_new(nv_arch_find(arch), *p, nv_cost_find("xgene"));
}

static void bench(const char *arch, const char *guest, const char *name, struct seen *s,
		  struct nv_result *r)
{
	struct nv_profile *p = NULL;
	struct nv_model *m = model(arch, guest, &p);

	memset(s, 0, sizeof(*s));
	memset(r, 0, sizeof(*r));
	T_OK(m && nv_bench_eval(m, nv_bench_find(name), collect, s, r, NULL) == 0,
	     "%s on %s (%s) evaluates", name, arch, guest);
	nv_model_free(m);
	nv_profile_free(p);
}

int main(void)
{
	struct seen s;
	struct nv_result r;

	T_EQ_INT(nv_bench_count(), 5, "five microbenchmarks");
	T_EQ_STR(nv_bench_name(0), "hypercall", "the first is part 1's hypercall");
	T_EQ_INT(nv_bench_find("nope"), -1, "unknown benchmark");

	/* virtual-eoi: one operation, the nested VM's EOI, native, no trap */
	const char *archs[] = { "vm", "v8.3", "neve", "v8.4" };
	for (int a = 0; a < 4; a++) {
		bench(archs[a], "kvm-2017-nvhe", "virtual-eoi", &s, &r);
		T_EQ_INT(r.ops, 1, "virtual-eoi %s: one operation", archs[a]);
		T_EQ_INT(r.traps, 0, "virtual-eoi %s: no trap", archs[a]);
		T_EQ_INT(s.src[NV_SRC_GIC], 1, "virtual-eoi %s: from the gic sub-model", archs[a]);
		T_EQ_U64(r.cycles, 60, "virtual-eoi %s: one GICV access (native_mmio, 60)", archs[a]);
	}

	/* device-io: the walk exists only nested (the device is in a 1GB hole:
	 * one level-1 descriptor read) */
	bench("v8.3", "kvm-2017-nvhe", "device-io", &s, &r);
	T_EQ_INT(s.walks, 1, "device-io v8.3: one descriptor read by L0");
	T_OK(s.src[NV_SRC_TIMER] >= 2, "device-io v8.3: timer switches listed (exit and entry)");
	bench("vm", "kvm-2017-nvhe", "device-io", &s, &r);
	T_EQ_INT(s.walks, 0, "device-io vm: no shadow, no walk");
	T_EQ_INT(s.src[NV_SRC_TIMER], 0, "device-io vm: no vEL2 switch");

	/* virtual-ipi, GICv2: the guest's LR restore traps, ACK/EOI native */
	bench("neve", "kvm-2017-nvhe", "virtual-ipi", &s, &r);
	T_EQ_STR(s.regs, "GICH_HCR:trap GICH_APR:trap GICH_LR0:trap",
		 "virtual-ipi neve GICv2: GICH_HCR, GICH_APR, GICH_LR0 writes trap");
	T_EQ_U64(r.source_traps[NV_SRC_GIC], 3, "3 traps attributed to the gic sub-model");
	/* GICv3: the same LR traffic is VNCR memory under v8.4, traps on v8.3 */
	bench("v8.4", "kvm-nvhe", "virtual-ipi", &s, &r);
	T_EQ_STR(s.regs, "ICH_HCR_EL2:memory ICH_LR0_EL2:memory",
		 "virtual-ipi v8.4 GICv3: ICH_HCR_EL2 and ICH_LR0_EL2 are VNCR memory");
	bench("v8.3", "kvm-nvhe", "virtual-ipi", &s, &r);
	T_EQ_STR(s.regs, "ICH_HCR_EL2:trap ICH_LR0_EL2:trap", "virtual-ipi v8.3 GICv3: they trap");

	/* stateless evaluation (no vCPU): the sub-models add nothing */
	struct nv_profile *p = NULL;
	struct nv_model *m = model("v8.3", "kvm-2017-nvhe", &p);
	memset(&s, 0, sizeof(s));
	nv_model_eval(m, NV_EXIT_HVC, NULL, collect, &s, &r);
	T_EQ_INT(s.src[NV_SRC_GIC] + s.src[NV_SRC_TIMER] + s.src[NV_SRC_MMU], 0,
		 "no vCPU state: no sub-model operation");
	struct nv_vcpu *v = nv_vcpu_new();
	memset(&s, 0, sizeof(s));
	struct nv_result full;
	nv_model_eval(m, NV_EXIT_HVC, v, collect, &s, &full);
	T_EQ_INT(full.traps, 126, "with state the hypercall still traps 126 times");
	T_OK(s.src[NV_SRC_TIMER] == 2 && s.src[NV_SRC_GIC] >= 2, "and lists the timer and gic switch work");
	T_EQ_U64(full.cycles, r.cycles, "which adds no cycles (inside vcpu_put_load)");
	T_OK(!v->timers.in_hyp && v->vgic.loaded, "after the round trip the nested VM runs again");
	nv_vcpu_free(v);
	nv_model_free(m);
	nv_profile_free(p);
	return t_done();
}
