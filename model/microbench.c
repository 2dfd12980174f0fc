/*
 * Microbenchmarks as data: each a list of segments, a segment being one
 * profile path (a nested exit on a vCPU) or one sub-model step.  Setup
 * segments bring the state where the measured part starts and are not
 * counted.
 */
#include <string.h>
#include "model/microbench.h"
#include "model/model_int.h"
#include "model/vcpu.h"

enum seg_type { SEG_PATH, SEG_STEP, SEG_SETUP };

struct seg {
	enum seg_type type;
	enum nv_exit_kind kind; /* SEG_PATH */
	const char *call;       /* SEG_STEP / SEG_SETUP: "gic.eoi" */
	int vcpu;               /* 0 or 1 */
};

#define MAX_SEG 8
struct bench {
	const char *name, *desc;
	int n;
	struct seg seg[MAX_SEG];
};

static const struct bench benches[] = {
	{ "hypercall", "the nested VM's null hypercall, round trip", 1, {
		{ SEG_PATH, NV_EXIT_HVC, NULL, 0 } } },
	{ "device-io", "the nested VM writes an MMIO register emulated in the guest hypervisor's user space", 1, {
		{ SEG_PATH, NV_EXIT_MMIO, NULL, 0 } } },
	{ "virtual-ipi", "nested vCPU 0 sends an IPI; nested vCPU 1 takes it, ACKs and EOIs it", 4, {
		{ SEG_PATH, NV_EXIT_IPI, NULL, 0 },
		{ SEG_PATH, NV_EXIT_IRQ, NULL, 1 },
		{ SEG_STEP, 0, "gic.ack", 1 },
		{ SEG_STEP, 0, "gic.eoi", 1 } } },
	{ "virtual-timer", "the nested VM's virtual timer fires; the guest hypervisor injects it (HW-mapped), the nested VM ACKs and EOIs it", 3, {
		{ SEG_PATH, NV_EXIT_TIMER, NULL, 0 },
		{ SEG_STEP, 0, "gic.ack", 0 },
		{ SEG_STEP, 0, "gic.eoi", 0 } } },
	{ "virtual-eoi", "the nested VM completes (EOIs) an active virtual interrupt", 4, {
		{ SEG_SETUP, 0, "gic.inject_ipi", 0 },
		{ SEG_SETUP, 0, "gic.flush_l2", 0 },
		{ SEG_SETUP, 0, "gic.ack", 0 },
		{ SEG_STEP, 0, "gic.eoi", 0 } } },
};
#define NBENCH ((int)(sizeof(benches) / sizeof(benches[0])))

int nv_bench_count(void) { return NBENCH; }
const char *nv_bench_name(int i) { return i >= 0 && i < NBENCH ? benches[i].name : NULL; }
const char *nv_bench_desc(int i) { return i >= 0 && i < NBENCH ? benches[i].desc : NULL; }

int nv_bench_find(const char *name)
{
	for (int i = 0; name && i < NBENCH; i++)
		if (!strcmp(benches[i].name, name))
			return i;
	return -1;
}

/* Add one segment's totals to the scenario's. */
static void result_add(struct nv_result *to, const struct nv_result *r)
{
	to->ops += r->ops;
	to->traps += r->traps;
	to->cycles += r->cycles;
	for (int i = 0; i < NV_FATE__COUNT; i++) {
		to->fate_count[i] += r->fate_count[i];
		to->fate_cycles[i] += r->fate_cycles[i];
	}
	for (int i = 0; i < NV_H__COUNT; i++)
		to->handler_count[i] += r->handler_count[i];
	for (int i = 0; i < NV_PHASE__COUNT; i++)
		to->phase_cycles[i] += r->phase_cycles[i];
	for (int i = 0; i < NV_SRC__COUNT; i++)
		to->source_traps[i] += r->source_traps[i];
}

/* Renumber a segment's ops so that seq runs across the whole scenario. */
struct renumber {
	nv_emit_fn emit;
	void *arg;
	uint32_t offset;
};

static void renumber_emit(void *arg, const struct nv_op_result *r)
{
	struct renumber *rn = arg;
	struct nv_op_result o = *r;

	o.seq += rn->offset;
	if (rn->emit)
		rn->emit(rn->arg, &o);
}

/* Run "sub.step" on vCPU v through a sink (emit NULL for setup). */
static int run_step(const struct nv_model *m, const char *call, struct nv_vcpu *v,
		    nv_emit_fn emit, void *arg, struct nv_result *res)
{
	const char *dot = strchr(call, '.');
	char sub[16];
	const struct nv_submodel *sm;
	struct nv_sink sink = { m, res, emit, arg, 0, NV_SRC_PROFILE };

	if (!dot || (size_t)(dot - call) >= sizeof(sub))
		return -1;
	memcpy(sub, call, (size_t)(dot - call));
	sub[dot - call] = 0;
	sm = nv_submodel_find(sub);
	if (!sm)
		return -1;
	sink.source = (uint8_t)sm->source;
	return sm->expand(m, dot + 1, v, NV_PHASE_ENTRY, &sink);
}

int nv_bench_eval(const struct nv_model *m, int i, nv_emit_fn emit, void *arg,
		  struct nv_result *res, const char **missing)
{
	struct nv_vcpu *v[2] = { nv_vcpu_new(), nv_vcpu_new() };
	struct renumber rn = { emit, arg, 0 };
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (i < 0 || i >= NBENCH || !v[0] || !v[1])
		rc = -1;
	for (int k = 0; !rc && k < benches[i].n; k++) {
		const struct seg *s = &benches[i].seg[k];
		struct nv_result r;

		memset(&r, 0, sizeof(r));
		if (s->type == SEG_PATH) {
			if (nv_model_eval(m, s->kind, v[s->vcpu], renumber_emit, &rn, &r)) {
				if (missing)
					*missing = nv_exit_kind_name(s->kind);
				rc = -1;
			}
		} else if (s->type == SEG_STEP) {
			rc = run_step(m, s->call, v[s->vcpu], renumber_emit, &rn, &r);
		} else {
			struct nv_result scratch;
			memset(&scratch, 0, sizeof(scratch));
			rc = run_step(m, s->call, v[s->vcpu], NULL, NULL, &scratch);
			continue;
		}
		rn.offset += r.ops;
		result_add(res, &r);
	}
	nv_vcpu_free(v[0]);
	nv_vcpu_free(v[1]);
	return rc;
}
