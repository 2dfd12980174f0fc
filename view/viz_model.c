/*
 * The model seen through the viz interface: one evaluated operation turned
 * into a viz_op, the model of one architecture among a replay's, and the
 * microbenchmark source (`nvtrace flame --bench hypercall`): each of the
 * model's microbenchmarks (model/microbench.h, the suite compare prints) as one
 * "exit", evaluated with the per-operation callback.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "view/viz_model.h"
#include "model/microbench.h"

/*
 * The clock of a cost table's platform, to draw cycles as time.  The model
 * API has no clock, so the platforms are listed here: X-Gene 1 (the seed's
 * measurements) runs at 2.4 GHz.  Unknown platforms: 2 GHz.
 */
double viz_cost_ghz(const char *cost)
{
	static const struct { const char *cost; double ghz; } clocks[] = {
		{ "xgene", 2.4 },
	};
	for (size_t i = 0; cost && i < sizeof(clocks) / sizeof(clocks[0]); i++)
		if (!strcmp(clocks[i].cost, cost))
			return clocks[i].ghz;
	return 2.0;
}

/* "MRS ESR_EL2", "ERET", "MMIO_R GICH_VMCR", or the native block's name. */
static void op_label(const struct nv_op *op, char *buf, size_t len)
{
	const char *k = nv_op_kind_name((enum nv_op_kind)op->kind);
	size_t n = 0;

	if ((op->kind == NV_OP_NATIVE || op->kind == NV_OP_CALL) && op->name) {
		snprintf(buf, len, "%s", op->name);
		return;
	}
	for (; k && k[n] && n + 1 < len; n++)
		buf[n] = (char)toupper((unsigned char)k[n]);
	buf[n] = 0;
	if (op->reg >= 0 && nv_sysreg_at(op->reg))
		snprintf(buf + n, len - n, " %s", nv_sysreg_at(op->reg)->name);
}

/* Fill a viz_op from one evaluated operation (strings in the caller's buffer). */
void viz_op_from_model(const struct nv_op_result *r, struct viz_op *o, char *label, size_t len)
{
	const struct nv_op *op = r->op;

	op_label(op, label, len);
	o->phase = nv_phase_name((enum nv_phase)op->phase);
	o->op = label;
	o->reg = op->reg >= 0 && nv_sysreg_at(op->reg) ? nv_sysreg_at(op->reg)->name : "";
	o->fate = nv_fate_name((enum nv_fate)r->fate);
	o->handler = r->fate == NV_FATE_TRAP ? nv_handler_name((enum nv_handler)r->handler) : "";
	o->cycles = r->cycles;
	o->traps = r->fate == NV_FATE_TRAP;
	o->fn = op->fn;
}

/* The model of one architecture among a replay's models, or NULL. */
const struct nv_model *viz_models_get(const struct nv_models *ms, const char *arch)
{
	for (int i = 0; i < ms->n; i++)
		if (!strcmp(nv_arch_name(ms->arch[i]), arch))
			return ms->m[i];
	return NULL;
}

struct op_buf {
	struct viz_op *op;
	char (*label)[96];
	int n, cap, failed;
};

/* nv_emit_fn: keep one evaluated operation until the exit's totals are known. */
static void emit(void *arg, const struct nv_op_result *r)
{
	struct op_buf *b = arg;

	if (b->failed)
		return;
	if (b->n == b->cap) {
		int cap = b->cap ? b->cap * 2 : 256;
		struct viz_op *op = realloc(b->op, sizeof(*op) * (size_t)cap);
		char (*label)[96] = op ? realloc(b->label, sizeof(*label) * (size_t)cap) : NULL;
		if (op)
			b->op = op;
		if (!op || !label) {
			b->failed = 1;
			return;
		}
		b->label = label;
		b->cap = cap;
		for (int i = 0; i < b->n; i++)	/* the labels moved */
			b->op[i].op = b->label[i];
	}
	viz_op_from_model(r, &b->op[b->n], b->label[b->n], sizeof(b->label[0]));
	b->n++;
}

/*
 * Evaluate microbenchmark i (model/microbench.c: a scenario from a fresh vCPU
 * state, possibly several nested exits and sub-model steps) and deliver it
 * as one exit of kind e->kind with its operations.  0, 1 when the profile
 * lacks a path it needs (*missing names it), -1 when the sink stopped.
 */
static int bench_exit(const struct nv_model *m, int i, struct viz_exit *e, int want_ops,
		      const struct viz_sink *sink, const char **missing)
{
	struct nv_result r;
	struct op_buf b = { 0 };
	int rc = 0;

	if (nv_bench_eval(m, i, want_ops ? emit : NULL, &b, &r, missing)) {
		rc = b.failed ? -1 : 1;
		goto out;
	}
	if (b.failed) {
		rc = -1;
		goto out;
	}
	e->traps = r.traps;
	e->cycles = r.cycles;
	if (sink->exit && sink->exit(sink->ctx, e)) {
		rc = -1;
		goto out;
	}
	for (int k = 0; want_ops && sink->op && k < b.n; k++)
		if (sink->op(sink->ctx, e, &b.op[k])) {
			rc = -1;
			break;
		}
out:
	free(b.op);
	free(b.label);
	return rc;
}

struct bench_priv {
	struct nv_models vm;
	int bench[16];		/* nv_bench indices */
	int n;
};

/* One "exit" per microbenchmark, its kind named after the benchmark. */
static int bench_walk(struct viz_source *s, const char *arch, int want_ops,
		      const struct viz_sink *sink)
{
	struct bench_priv *p = s->priv;
	const struct nv_model *m = viz_models_get(&p->vm, arch);

	if (!m) {
		viz_no_arch(s, arch, s->err, sizeof(s->err));
		return -1;
	}
	for (int i = 0; i < p->n; i++) {
		struct viz_exit e = { i + 1, 0, nv_bench_name(p->bench[i]), -1, -1, 0, 0, 1, 0, 0 };
		const char *missing = "?";
		int rc = bench_exit(m, p->bench[i], &e, want_ops, sink, &missing);
		if (rc > 0 && p->n == 1) {
			snprintf(s->err, sizeof(s->err), "guest %s has no path for %s exits",
				 nv_profile_name(p->vm.profile), missing);
			return -1;
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The operations of benchmark number id. */
static int bench_exit_ops(struct viz_source *s, int64_t id, const char *arch,
			  const struct viz_sink *sink)
{
	struct bench_priv *p = s->priv;
	const struct nv_model *m = viz_models_get(&p->vm, arch);
	const char *missing = "?";

	if (!m || id < 1 || id > p->n) {
		snprintf(s->err, sizeof(s->err), "no exit %lld under %s", (long long)id, arch);
		return -1;
	}
	struct viz_exit e = { id, 0, nv_bench_name(p->bench[id - 1]), -1, -1, 0, 0, 1, 0, 0 };
	if (bench_exit(m, p->bench[id - 1], &e, 1, sink, &missing)) {
		snprintf(s->err, sizeof(s->err), "guest %s has no path for %s exits",
			 nv_profile_name(p->vm.profile), missing);
		return -1;
	}
	return 0;
}

/* Close the models and the source. */
static void bench_free(struct viz_source *s)
{
	struct bench_priv *p = s->priv;

	nv_models_close(&p->vm);
	free(p);
	free(s);
}

/* A source of one microbenchmark, or of all of them, under every architecture of the model. */
struct viz_source *viz_source_bench(const char *bench, const char *guest, const char *cost,
				    char *err, size_t errlen)
{
	int found = bench ? nv_bench_find(bench) : 0;
	struct viz_source *s;
	struct bench_priv *p;
	char archs[256] = "";

	if (!guest)
		guest = VIZ_DEFAULT_GUEST;
	if (!cost)
		cost = VIZ_DEFAULT_COST;
	if (found < 0) {
		char names[256] = "";
		for (int i = 0; i < nv_bench_count(); i++)
			snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
				 i ? ", " : "", nv_bench_name(i));
		snprintf(err, errlen, "unknown microbenchmark '%s' (%s)", bench, names);
		return NULL;
	}
	for (int i = 0; i < nv_arch_count() && i < VIZ_MAX_ARCH; i++)
		snprintf(archs + strlen(archs), sizeof(archs) - strlen(archs), "%s%s", i ? "," : "",
			 nv_arch_name(nv_arch_at(i)));
	s = calloc(1, sizeof(*s));
	p = calloc(1, sizeof(*p));
	if (!s || !p) {
		free(s);
		free(p);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (nv_models_open(&p->vm, archs, guest, cost, err, errlen)) {
		free(s);
		free(p);
		return NULL;
	}
	for (int i = 0; i < nv_bench_count() && p->n < 16; i++)
		if (!bench || !strcmp(bench, nv_bench_name(i)))
			p->bench[p->n++] = i;
	snprintf(s->title, sizeof(s->title), "%s (guest %s, cost %s)",
		 bench ? bench : "microbenchmarks", guest, cost);
	s->narch = p->vm.n;
	for (int i = 0; i < s->narch; i++)
		s->arch[i] = nv_arch_name(p->vm.arch[i]);
	s->ghz = viz_cost_ghz(cost);
	s->walk = bench_walk;
	s->exit_ops = bench_exit_ops;
	s->free = bench_free;
	s->priv = p;
	return s;
}
