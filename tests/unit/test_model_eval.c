/*
 * The hypercall path of kvm-2017-nvhe against the seed and its
 * reconstruction (reference/kvm-2017-hypercall-path.md): exact trap counts
 * per option setting (the table "Comparison with 126" and section 5),
 * cycles within 10% of the seed's measurements, trap counts equal to the
 * trapping ops listed, every trap traceable to a KVM source, fast == full.
 */
#include <stdlib.h>
#include "tap.h"
#include "model/model.h"

struct tally {
	unsigned traps, untraceable;
};

/* Emit callback: count trapping ops and those without function + source. */
static void count(void *arg, const struct nv_op_result *r)
{
	struct tally *t = arg;
	if (r->fate != NV_FATE_TRAP)
		return;
	t->traps++;
	if (!r->op->fn || !r->op->src || !r->op->text)
		t->untraceable++;
}

static struct nv_profile *load(const char *name)
{
	char err[256];
	struct nv_profile *p;
	if (nv_profile_load_builtin(name, &p, err, sizeof err)) {
		printf("# %s\n", err);
		exit(1);
	}
	return p;
}

static struct nv_result eval(const char *arch, struct nv_profile *p, enum nv_exit_kind k)
{
	struct nv_model *m = nv_model_new(nv_arch_find(arch), p, nv_cost_find("xgene"));
	struct nv_result r;
	if (!m || nv_model_eval(m, k, NULL, NULL, NULL, &r))
		memset(&r, 0xff, sizeof r);
	nv_model_free(m);
	return r;
}

/* Set every named option of a "name=value,..." list. */
static void set(struct nv_profile *p, const char *const *names, const int *values, int n)
{
	for (int i = 0; i < n; i++)
		if (nv_profile_option_set(p, names[i], values[i]))
			printf("# no option %s\n", names[i]);
}

static int within(uint64_t got, double want, double tol)
{
	return got >= want * (1 - tol) && got <= want * (1 + tol);
}

int main(void)
{
	struct nv_profile *p = load("kvm-2017-nvhe");
	struct nv_result vm = eval("vm", p, NV_EXIT_HVC), v83 = eval("v8.3", p, NV_EXIT_HVC),
			 neve = eval("neve", p, NV_EXIT_HVC);
	/* The seed's table (nested-arm-background.md). */
	T_EQ_INT(vm.traps, 1, "vm: 1 trap");
	T_EQ_INT(v83.traps, 126, "v8.3: 126 traps");
	T_EQ_INT(neve.traps, 15, "neve: 15 traps");
	T_OK(within(vm.cycles, 2729, 0.10), "vm: %llu cycles within 10%% of 2,729", (unsigned long long)vm.cycles);
	T_OK(within(v83.cycles, 422720, 0.10), "v8.3: %llu cycles within 10%% of 422,720",
	     (unsigned long long)v83.cycles);
	T_OK(within(neve.cycles, 92385, 0.10), "neve: %llu cycles within 10%% of 92,385",
	     (unsigned long long)neve.cycles);
	/* One row per CSV instruction: 164 rows, minus the PMSELR_EL0 write (option off). */
	T_EQ_INT(v83.ops, 163, "163 operations on the path (164 CSV rows without PMSELR_EL0)");
	/* NEVE classes of section 5: 94 memory, 14 redirect + 3 CPTR_EL2, plus the
	 * 5 CNTV_*_EL0 accesses Linux also backs (VNCR 0x168/0x170). */
	T_EQ_INT(neve.fate_count[NV_FATE_REDIRECT], 17, "neve: 17 redirected (ESR/ELR/SPSR_EL2 14 + CPTR_EL2 3)");
	T_EQ_INT(neve.fate_count[NV_FATE_MEMORY], 94 + 5, "neve: 99 memory accesses");
	T_EQ_INT(v83.handler_count[NV_H_ERET], 2, "v8.3: 2 nested ERETs");
	T_EQ_INT(v83.handler_count[NV_H_FORWARD], 2, "v8.3: 2 forwarded exceptions (L2 hvc, host hvc_pv)");
	T_EQ_INT(v83.handler_count[NV_H_GICV2_MMIO], 2, "v8.3: 2 GICH_VMCR MMIO traps");

	/* Traps listed == traps counted; each has a function, source and text. */
	struct nv_model *m = nv_model_new(nv_arch_find("v8.3"), p, nv_cost_find("xgene"));
	struct tally t = { 0, 0 };
	struct nv_result r, fast;
	nv_model_eval(m, NV_EXIT_HVC, NULL, count, &t, &r);
	T_EQ_INT(t.traps, r.traps, "trap count = trapping ops listed");
	T_EQ_INT(t.untraceable, 0, "every trap has a KVM function, source and instruction text");
	nv_model_prepare(m);
	nv_model_eval_fast(m, NV_EXIT_HVC, NULL, &fast);
	T_OK(!memcmp(&fast, &r, sizeof r), "fast path gives the same result as the full evaluation");
	T_EQ_INT(nv_model_eval(m, NV_EXIT_S2FAULT, NULL, NULL, NULL, &r), -1, "s2fault path not modelled -> -1");
	nv_model_free(m);

	/* "Comparison with 126" (kvm-2017-hypercall-path.md section 4). */
	static const char *const opts[] = { "nv1-elr-spsr", "tcpac", "tacr", "tda", "gicv2-vmcr", "tpm",
					     "pmselr-write" };
	static const struct { int v[7]; int traps; const char *what; } rows[] = {
		{ { 0, 0, 0, 0, 0, 0, 0 }, 102, "unconditional only" },
		{ { 1, 0, 0, 0, 0, 0, 0 }, 110, "+ ELR/SPSR_EL1 (NV1)" },
		{ { 1, 1, 0, 0, 0, 0, 0 }, 114, "+ CPACR (TCPAC)" },
		{ { 1, 1, 1, 1, 0, 0, 0 }, 122, "+ ACTLR (TACR) + MDSCR (TDA)" },
		{ { 1, 1, 1, 1, 1, 0, 0 }, 124, "+ GICv2 GICH_VMCR" },
		{ { 1, 1, 1, 1, 1, 1, 1 }, 127, "+ PMU (TPM) with the PMSELR write" },
		{ { 1, 1, 1, 1, 1, 1, 0 }, 126, "same without the PMSELR_EL0 write" },
		{ { 0, 0, 1, 1, 1, 1, 1 }, 115, "prototype as read (ELR/SPSR native, no TCPAC) + TACR, TDA, GICH, TPM" },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		set(p, opts, rows[i].v, 7);
		T_EQ_INT(eval("v8.3", p, NV_EXIT_HVC).traps, rows[i].traps, "v8.3 %s: %d", rows[i].what,
			 rows[i].traps);
	}
	/* Section 5: NEVE 11 (GICv3-like, PMU traps off) / 13 (+GICv2) / 15 (+PMUSERENR) / 16 (+PMSELR). */
	static const struct { int v[7]; int traps; const char *what; } neve_rows[] = {
		{ { 1, 1, 1, 1, 0, 0, 0 }, 11, "GICv3-like, PMU traps off" },
		{ { 1, 1, 1, 1, 1, 0, 0 }, 13, "+ GICv2 VMCR" },
		{ { 1, 1, 1, 1, 1, 1, 0 }, 15, "+ 2 PMUSERENR writes" },
		{ { 1, 1, 1, 1, 1, 1, 1 }, 16, "+ PMSELR too" },
	};
	for (size_t i = 0; i < sizeof(neve_rows) / sizeof(neve_rows[0]); i++) {
		set(p, opts, neve_rows[i].v, 7);
		T_EQ_INT(eval("neve", p, NV_EXIT_HVC).traps, neve_rows[i].traps, "neve %s: %d",
			 neve_rows[i].what, neve_rows[i].traps);
	}
	/* Live list registers (section 4 legend): k LRs add 3 + 2k on exit
	 * (APR, ELRSR0, HCR; read + clear per LR) and 2 + k on entry. */
	set(p, opts, rows[6].v, 7);
	nv_profile_option_set(p, "live-lrs", 2);
	T_EQ_INT(eval("v8.3", p, NV_EXIT_HVC).traps, 126 + 5 + 3 * 2, "v8.3 with 2 live LRs: 126 + 5 + 3k");
	T_EQ_INT(nv_profile_option_set(p, "no-such-option", 1), -1, "unknown option -> -1");
	/* GIC-400 has 4 list registers: a fifth cannot be expanded, and the model says why. */
	nv_profile_option_set(p, "live-lrs", 5);
	struct nv_model *bad = nv_model_new(nv_arch_find("v8.3"), p, nv_cost_find("xgene"));
	T_EQ_INT(nv_model_eval(bad, NV_EXIT_HVC, NULL, NULL, NULL, &r), -1, "live-lrs=5 cannot be expanded");
	T_OK(strstr(nv_model_error(bad), "GICH_LR# with index 4 is not a register (option live-lrs=5)") != NULL,
	     "nv_model_error names the missing register: %s", nv_model_error(bad));
	nv_model_free(bad);
	nv_profile_option_set(p, "live-lrs", 0);
	nv_profile_free(p);

	/* The other profiles evaluate too; VHE guests have no HVC/ERET to their host. */
	static const char *const others[] = { "kvm-2017-vhe", "kvm-nvhe", "kvm-vhe" };
	for (size_t i = 0; i < 3; i++) {
		struct nv_profile *q = load(others[i]);
		struct nv_result a = eval("vm", q, NV_EXIT_HVC), b = eval("v8.3", q, NV_EXIT_HVC),
				 c = eval("v8.4", q, NV_EXIT_HVC);
		T_EQ_INT(a.traps, 1, "%s: vm 1 trap", others[i]);
		T_OK(b.traps > c.traps && c.traps >= 2, "%s: v8.3 %u > v8.4 %u >= 2", others[i], b.traps, c.traps);
		struct nv_model *mq = nv_model_new(nv_arch_find("v8.3"), q, nv_cost_find("xgene"));
		struct tally tq = { 0, 0 };
		nv_model_eval(mq, NV_EXIT_HVC, NULL, count, &tq, &r);
		T_EQ_INT(tq.untraceable, 0, "%s: every trap has a KVM function, source and text", others[i]);
		nv_model_free(mq);
		nv_profile_free(q);
	}
	/* Today's VHE KVM on NV2 (reference/real-arm64-nv nv-hypercall.dat, 1,194
	 * nested exits): ICH_MISR_EL2 is read on every exit and traps (1,243
	 * reads); HCR_EL2, VTTBR_EL2, VTCR_EL2, ELR/SPSR_EL2 never appear (memory
	 * or redirected). */
	struct nv_profile *vhe = load("kvm-vhe");
	struct nv_result n = eval("neve", vhe, NV_EXIT_HVC), v = eval("v8.4", vhe, NV_EXIT_HVC);
	T_EQ_INT(n.traps, 3, "kvm-vhe on neve: the forwarded hvc, the ERET and ICH_MISR_EL2");
	T_EQ_INT(v.handler_count[NV_H_GICV3], 1, "kvm-vhe on v8.4: one ICH_MISR_EL2 trap per exit");
	T_EQ_INT(v.handler_count[NV_H_EL2_REG] + v.handler_count[NV_H_EL2_XLATE], 0,
		 "kvm-vhe on v8.4: no EL2 register traps (HCR/VTTBR/VTCR memory, ELR/SPSR redirected)");
	nv_profile_free(vhe);
	return t_done();
}
