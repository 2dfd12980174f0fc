/* Synthetic runs (see synth.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema/db.h"
#include "replay/replay.h"
#include "replay/synth.h"
#include "replay/trapmap.h"
#include "replay/workload.h"

#define GHZ        2.4			/* cycles -> ns: X-Gene's 2.4 GHz (the xgene cost table) */
#define HCR_NESTED 0x2403c807d223full	/* the real trace's guest HCR_EL2 (E2H set, TGE clear) */
#define HCR_L1_HOST (HCR_NESTED & ~1ull)	/* the same with stage 2 off: L1's own host */
#define PSR_EL1H   5
#define ESR_IL     (1u << 25)
#define ESR_ISV    (1u << 24)
#define PID_BASE   1000			/* vCPU i runs as thread PID_BASE + i */

/* What the nested VM does to cause each kind of exit (arm64). */
struct cause {
	int exc;	/* NV_ARM_EXC_* of its kvm_exit */
	int ec;		/* EC (TRAP) */
	int32_t sysreg;	/* register of a SYS64 trap, -1 */
	uint32_t iss;	/* ESR ISS written into the injected esr_el2 */
	int intid;	/* interrupt asserted first, -1 */
	int mmio;	/* L0 emulates MMIO (single-level) */
};

/* One row per kind, in enum nv_kind order; see kinds.c for how each reads back. */
static const struct cause causes[NV_KIND__COUNT] = {
	[NV_KIND_HVC]     = { NV_ARM_EXC_TRAP, NV_EC_HVC64, -1, 0, -1, 0 },
	[NV_KIND_SYSREG]  = { NV_ARM_EXC_TRAP, NV_EC_SYS64, NV_SYSREG(2, 0, 0, 2, 2), 0, -1, 0 }, /* MDSCR_EL1 */
	[NV_KIND_MMIO]    = { NV_ARM_EXC_TRAP, NV_EC_DABT, -1, ESR_ISV | 0x46, -1, 1 },
	[NV_KIND_S2FAULT] = { NV_ARM_EXC_TRAP, NV_EC_DABT, -1, 0x07, -1, 0 },
	[NV_KIND_IRQ]     = { NV_ARM_EXC_IRQ, 0, -1, 0, 40, 0 },		/* an SPI */
	[NV_KIND_TIMER]   = { NV_ARM_EXC_IRQ, 0, -1, 0, 27, 0 },		/* virtual timer PPI */
	[NV_KIND_IPI]     = { NV_ARM_EXC_TRAP, NV_EC_SYS64, NV_SYSREG(3, 0, 12, 11, 5), 0, -1, 0 },
	[NV_KIND_EOI]     = { NV_ARM_EXC_TRAP, NV_EC_SYS64, NV_SYSREG(3, 0, 12, 12, 1), 0, -1, 0 },
	[NV_KIND_WFI]     = { NV_ARM_EXC_TRAP, NV_EC_WFX, -1, 0, -1, 0 },
	[NV_KIND_OTHER]   = { NV_ARM_EXC_TRAP, 0x07, -1, 0, -1, 0 },		/* FP/ASIMD access */
};

/* splitmix64: small, fast, and the same sequence everywhere. */
static uint64_t rnd(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/* Uniform in [0, 1). */
static double rnd01(uint64_t *s)
{
	return (double)(rnd(s) >> 11) / 9007199254740992.0;
}

/* One vCPU's generator: the events of its current exit, handed out in order. */
struct gen {
	int idx;
	int64_t next;		/* when its next exit happens (ns) */
	uint64_t rng;
	struct nv_event *ev;
	int n, pos, cap;
	struct nv_vcpu *mv;	/* sub-model state (nested) */
	int64_t t;		/* time cursor while building an exit */
};

struct synth {
	const struct nv_synth_opts *o;
	struct nv_workload w;
	struct nv_models ms;	/* [0]: the host arch (nested) or vm (single) */
	int nested;
	struct nvdb *db;
	int name_id[NV_EV__COUNT];
	struct gen *g;
	int failed;
};

/* Append an event of type to g's current exit at the time cursor. */
static struct nv_event *push(struct synth *s, struct gen *g, int type)
{
	if (g->n == g->cap) {
		int cap = g->cap ? g->cap * 2 : 64;
		struct nv_event *e = realloc(g->ev, cap * sizeof(*e));
		if (!e) {
			s->failed = 1;
			return NULL;
		}
		g->ev = e;
		g->cap = cap;
	}
	struct nv_event *e = &g->ev[g->n++];
	nv_event_clear(e);
	e->ts = g->t++;
	e->cpu = g->idx;
	e->pid = PID_BASE + g->idx;
	e->type = (uint16_t)type;
	return e;
}

/* An arm64 kvm_exit (exception type, EC) at pc. */
static void push_exit(struct synth *s, struct gen *g, int exc, int ec, uint64_t pc)
{
	struct nv_event *e = push(s, g, NV_EV_KVM_EXIT);
	if (!e)
		return;
	e->reason = exc;
	e->ec = exc == NV_ARM_EXC_TRAP ? ec : 0;
	e->pc = pc;
	e->have = NV_HAVE_PC;
}

/* kvm_handle_sys_reg + kvm_sys_access of a trapped system register access. */
static void push_sysreg(struct synth *s, struct gen *g, int32_t reg, int dir, uint64_t pc)
{
	struct nv_event *e = push(s, g, NV_EV_KVM_HANDLE_SYS_REG);
	if (e) {
		e->ec = NV_EC_SYS64;
		e->value = ((uint64_t)NV_EC_SYS64 << 26) | ESR_IL | (dir ? 0 : 1);
		e->have = NV_HAVE_VALUE;
	}
	if (!(e = push(s, g, NV_EV_KVM_SYS_ACCESS)))
		return;
	e->sysreg = reg;
	e->dir = dir;
	e->pc = pc;
	e->have = NV_HAVE_PC;
}

/* kvm_entry at pc. */
static void push_entry(struct synth *s, struct gen *g, uint64_t pc)
{
	struct nv_event *e = push(s, g, NV_EV_KVM_ENTRY);
	if (e) {
		e->pc = pc;
		e->have = NV_HAVE_PC;
	}
}

/* The nested VM's exit of this kind, as L0 records it (up to, not incl., the entry). */
static void push_cause(struct synth *s, struct gen *g, int kind)
{
	const struct cause *c = &causes[kind];
	const uint64_t pc = 0x40000000 + 4 * (uint64_t)kind;
	struct nv_event *e;
	if (c->intid >= 0 && (e = push(s, g, NV_EV_VGIC_UPDATE_IRQ_PENDING))) {
		e->vcpu = g->idx;
		e->value = (uint64_t)c->intid;
		e->aux = 1;
		e->have = NV_HAVE_VALUE | NV_HAVE_AUX;
	}
	push_exit(s, g, c->exc, c->ec, pc);
	if (c->sysreg >= 0)
		push_sysreg(s, g, c->sysreg, 1, pc);
	if (kind == NV_KIND_HVC && (e = push(s, g, NV_EV_KVM_HVC_ARM64))) {
		e->pc = pc;
		e->have = NV_HAVE_PC | NV_HAVE_VALUE | NV_HAVE_AUX;
	}
	if (kind == NV_KIND_WFI && (e = push(s, g, NV_EV_KVM_WFX_ARM64))) {
		e->pc = pc;
		e->reason = 0;
		e->have = NV_HAVE_PC;
	}
	if (c->ec == NV_EC_DABT && (e = push(s, g, NV_EV_KVM_GUEST_FAULT))) {
		e->pc = pc;
		e->addr = c->mmio ? 0x9000000 : 0x48000000 + ((g->rng & 0xfff) << 12);
		e->value = ((uint64_t)NV_EC_DABT << 26) | ESR_IL | c->iss;
		e->ec = NV_EC_DABT;
		e->have = NV_HAVE_PC | NV_HAVE_ADDR | NV_HAVE_VALUE;
	}
	if (c->mmio && !s->nested && (e = push(s, g, NV_EV_KVM_MMIO))) {
		e->reason = NV_MMIO_WRITE;
		e->addr = 0x9000000;
		e->aux = 4;
		e->have = NV_HAVE_ADDR | NV_HAVE_VALUE | NV_HAVE_AUX;
	}
}

/* L0's record of the guest hypervisor entering or leaving vEL2 itself. */
static void push_nested(struct synth *s, struct gen *g, int type, uint64_t hcr, uint64_t pc)
{
	struct nv_event *e = push(s, g, type);
	if (!e)
		return;
	e->pc = pc;
	e->addr = 0x3c5;
	e->mode = PSR_EL1H;
	e->aux = hcr;
	e->have = NV_HAVE_PC | NV_HAVE_ADDR | NV_HAVE_AUX;
	if (type == NV_EV_KVM_INJECT_NESTED_EXC) {
		e->reason = 0;
		e->ec = NV_EC_HVC64;
		e->value = ((uint64_t)NV_EC_HVC64 << 26) | ESR_IL;
		e->have |= NV_HAVE_VALUE;
	}
}

struct op_ctx {
	struct synth *s;
	struct gen *g;
	int eret_exit, eret_end;	/* the last trapped ERET: its kvm_exit, and the end of
					 * the events pushed for it */
};

/*
 * Every trap becomes a kvm_exit (+ kvm_sys_access); a trapped HVC of the
 * guest hypervisor's own host kernel and an ERET back to it are forwarded
 * by L0 as a host would (inject / nested ERET with its own HCR_EL2, stage 2
 * off).  Which ERET enters the nested VM is known only at the end (the
 * last one): build_exit then drops the return-to-host events of that one.
 * Time advances by each op's cycles.
 */
static void on_op(void *arg, const struct nv_op_result *r)
{
	struct op_ctx *c = arg;
	struct synth *s = c->s;
	struct gen *g = c->g;
	struct nv_trap t = nv_trap_of_op(r);
	uint64_t pc = 0xffff800010000000ull + 4ull * r->seq;
	if (t.code >= 0) {
		push_exit(s, g, NV_ARM_EXC_TRAP, t.code, pc);
		if (t.code == NV_EC_SYS64)
			push_sysreg(s, g, t.sysreg, t.dir, pc);
		if (t.code == NV_EC_HVC64 && r->handler == NV_H_FORWARD)
			push_nested(s, g, NV_EV_KVM_INJECT_NESTED_EXC, HCR_L1_HOST, pc);
		if (t.code == NV_EC_ERET) {
			c->eret_exit = g->n - 1;
			push_nested(s, g, NV_EV_KVM_NESTED_ERET, HCR_L1_HOST, pc);
		}
		g->t += (int64_t)(r->cycles / GHZ);	/* L0 handles the trap: exit to entry */
		push_entry(s, g, pc);
		if (t.code == NV_EC_ERET)
			c->eret_end = g->n;
		return;
	}
	g->t += (int64_t)(r->cycles / GHZ);
	/* L0 has forwarded the nested VM's exception: it enters the guest hypervisor
	 * (as the real trace: kvm_exit, kvm_inject_nested_exception, kvm_entry) */
	if (r->op->kind == NV_OP_EXC && r->fate == NV_FATE_TRAP)
		push_entry(s, g, pc);
}

/* Build vCPU g's next exit (all its events) starting at g->next. */
static void build_exit(struct synth *s, struct gen *g)
{
	double u = rnd01(&g->rng), acc = 0;
	int kind = NV_KIND_OTHER, entered = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		acc += s->w.share[k];
		if (u < acc && s->w.share[k] > 0) {
			kind = k;
			break;
		}
	}
	g->n = g->pos = 0;
	g->t = g->next;
	push_cause(s, g, kind);
	if (s->nested) {
		const struct cause *c = &causes[kind];
		struct nv_event *e = push(s, g, NV_EV_KVM_INJECT_NESTED_EXC);
		if (e) {
			int irq = c->exc == NV_ARM_EXC_IRQ;
			e->reason = irq ? 0x80 : 0;
			e->value = irq ? 0 : ((uint64_t)c->ec << 26) | ESR_IL | c->iss;
			e->ec = irq ? 0 : c->ec;
			e->pc = 0x40000000 + 4 * (uint64_t)kind;
			e->addr = 0x3c5;
			e->mode = PSR_EL1H;
			e->aux = HCR_NESTED;
			e->have = NV_HAVE_PC | NV_HAVE_ADDR | NV_HAVE_VALUE | NV_HAVE_AUX;
		}
		struct op_ctx oc = { s, g, -1, -1 };
		struct nv_result res;
		nv_model_eval(s->ms.m[0], (enum nv_exit_kind)kind, g->mv, on_op, &oc, &res);
		if (oc.eret_exit >= 0 && oc.eret_end < g->n) {
			/* traps after the last ERET are the nested VM's own (a retried
			 * access L0 resolves): that ERET entered the nested VM, they
			 * follow it as exits outside the nested exit */
			g->ev[oc.eret_exit + 1].aux = HCR_NESTED;
			g->ev[oc.eret_exit + 1].pc = 0x40000000 + 4 * (uint64_t)kind;
			entered = 1;
		} else if (oc.eret_exit >= 0 && oc.eret_end == g->n) {
			g->n = oc.eret_exit + 1;	/* the last ERET enters the nested VM */
		}
		if (!entered)
			push_nested(s, g, NV_EV_KVM_NESTED_ERET, HCR_NESTED, 0x40000000 + 4 * (uint64_t)kind);
	} else {
		struct nv_result res;
		if (nv_model_eval_fast(s->ms.m[0], (enum nv_exit_kind)kind, NULL, &res) == 0)
			g->t += (int64_t)(res.cycles / GHZ);
	}
	if (!entered)
		push_entry(s, g, 0x40000000 + 4 * (uint64_t)kind);
	/* the next exit: exponential inter-arrival at the workload's rate, after this one */
	double gap = -log(1.0 - rnd01(&g->rng)) / s->w.rate * 1e9;
	g->next = g->t + (int64_t)gap;
}

/* Store an event, interning its tracepoint name once per type. */
static int insert(struct synth *s, struct nv_event *e)
{
	if (s->name_id[e->type] < 0)
		s->name_id[e->type] = nvdb_name_id(s->db, nv_event_type_system(e->type),
						   nv_event_type_name(e->type), e->type);
	e->name_id = s->name_id[e->type];
	return e->name_id < 0 ? -1 : nvdb_insert(s->db, e);
}

/* Merge the vCPUs' events in time order until the run's end. */
static int generate(struct synth *s, int64_t end, int64_t *events)
{
	int64_t n = 0;
	for (int i = 0; i < s->o->vcpus; i++)
		build_exit(s, &s->g[i]);
	for (;;) {
		struct gen *best = NULL;
		for (int i = 0; i < s->o->vcpus; i++) {
			struct gen *g = &s->g[i];
			if (g->pos == g->n) {
				if (g->next >= end)
					continue;
				build_exit(s, g);
			}
			if (!best || g->ev[g->pos].ts < best->ev[best->pos].ts)
				best = g;
		}
		if (!best || s->failed)
			break;
		if (insert(s, &best->ev[best->pos++]))
			return -1;
		/* progress in the run's time, ms (the bar redraws at most 10 times a second) */
		if ((++n & 0xfff) == 0 && s->o->progress)
			s->o->progress->update((uint64_t)(best->ev[best->pos - 1].ts / 1000000));
	}
	*events = n;
	return s->failed ? -1 : 0;
}

/* Run metadata: like a recording, plus synthetic=1 and how it was made. */
static void set_meta(struct synth *s)
{
	const struct nv_synth_opts *o = s->o;
	nvdb_meta_set(s->db, NVDB_META_SOURCE, "synth");
	nvdb_meta_set(s->db, NVDB_META_SOURCE_FILE, s->w.name);
	nvdb_meta_set(s->db, NVDB_META_HOST_KERNEL, "synthetic (nvtrace synth)");
	nvdb_meta_set(s->db, NVDB_META_HOST_ARCH, "arm64");
	nvdb_meta_set_i64(s->db, NVDB_META_CPUS, o->vcpus);
	nvdb_meta_set_i64(s->db, NVDB_META_LOST, 0);
	nvdb_meta_set(s->db, NVDB_META_SYNTHETIC, "1");
	nvdb_meta_set(s->db, "synth_workload", s->w.name);
	nvdb_meta_set(s->db, "synth_source", s->w.source);
	nvdb_meta_set_i64(s->db, "synth_seed", (int64_t)o->seed);
	nvdb_meta_set_i64(s->db, "synth_vcpus", o->vcpus);
	char sec[32];
	snprintf(sec, sizeof(sec), "%g", o->seconds);
	nvdb_meta_set(s->db, "synth_seconds", sec);
	if (s->nested) {
		nvdb_meta_set(s->db, "synth_arch_host", o->arch_host);
		nvdb_meta_set(s->db, "synth_guest", o->guest);
		nvdb_meta_set(s->db, "synth_cost", o->cost);
	}
	for (int i = 0; i < o->vcpus; i++) {
		char comm[32];
		snprintf(comm, sizeof(comm), "vcpu%d", i);
		nvdb_thread(s->db, PID_BASE + i, comm);
	}
}

/* See synth.h: workload, models, per-vCPU generators, then an atomic database. */
int nv_synth_run(const struct nv_synth_opts *o, int64_t *events, char *err, size_t errlen)
{
	struct synth s = { .o = o, .nested = o->arch_host != NULL };
	int rc = -1;
	char e2[256];

	for (int t = 0; t < NV_EV__COUNT; t++)
		s.name_id[t] = -1;
	if (nv_workload_load(o->workload, &s.w, err, errlen))
		return -1;
	if (nv_models_open(&s.ms, s.nested ? o->arch_host : "vm", o->guest, o->cost, e2,
			   sizeof(e2))) {
		snprintf(err, errlen, "%s", e2);
		return -1;
	}
	s.g = calloc((size_t)o->vcpus, sizeof(*s.g));
	if (!s.g) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (int i = 0; i < o->vcpus; i++) {
		uint64_t seed = o->seed * 1000003u + (uint64_t)i;
		s.g[i].idx = i;
		s.g[i].rng = rnd(&seed);
		s.g[i].next = (int64_t)(rnd01(&s.g[i].rng) / s.w.rate * 1e9);
		s.g[i].mv = s.nested ? nv_vcpu_new() : NULL;
	}
	s.db = nvdb_create(o->out, NVDB_ATOMIC, err, errlen);
	if (!s.db)
		goto out;
	set_meta(&s);
	if (o->progress)
		o->progress->start("synth (ms of the run)", (uint64_t)(o->seconds * 1000));
	rc = generate(&s, (int64_t)(o->seconds * 1e9), events);
	if (o->progress && rc == 0)	/* the indexes take a while too: say so */
		o->progress->start("synth: building indexes", 0);
	if (rc == 0)
		rc = nvdb_finish(s.db);
	if (o->progress)
		o->progress->end();
	if (rc == 0) {
		nvdb_close(s.db);
	} else {
		snprintf(err, errlen, "%s: cannot write the run: %s", o->out, nvdb_errmsg(s.db));
		nvdb_abort(s.db);
		rc = -1;
	}
out:
	for (int i = 0; s.g && i < o->vcpus; i++) {
		free(s.g[i].ev);
		nv_vcpu_free(s.g[i].mv);
	}
	free(s.g);
	nv_models_close(&s.ms);
	return rc;
}
