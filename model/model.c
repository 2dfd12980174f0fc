/*
 * The model context: expands a profile's paths under its options, caches
 * the fate of every register under the architecture, evaluates exits op by
 * op (nv_model_eval) or from precomputed totals (nv_model_eval_fast).
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "model/model_int.h"
#include "model/vcpu.h"

#define MAX_USE_DEPTH 8

/* The sub-model cost blocks' names (model_int.h). */
const char *const nv_sub_block_name[NV_BLK__COUNT] = {
#define NV_BLK_NAME(n) #n,
	NV_SUB_BLOCKS(NV_BLK_NAME)
#undef NV_BLK_NAME
};

/* Whether the fate of an op kind depends on its register (nv_arch_fate). */
static int kind_names_reg(enum nv_op_kind k)
{
	return k == NV_OP_MRS || k == NV_OP_MSR || k == NV_OP_TLBI || k == NV_OP_AT ||
	       k == NV_OP_MMIO_R || k == NV_OP_MMIO_W;
}

/* Fate of every register for the register-based op kinds, and of the other
 * kinds, and the sub-models' block cycles (read once per model). */
static int cache_fates(struct nv_model *m)
{
	m->nregs = nv_sysreg_count();
	for (int k = 0; k < NV_OP__COUNT; k++)
		if (!kind_names_reg((enum nv_op_kind)k))
			m->kind_fate[k] = nv_arch_fate(m->arch, &m->cfg, (enum nv_op_kind)k, -1);
	for (int b = 0; b < NV_BLK__COUNT; b++)
		m->block_cy[b] = nv_cost_block_cycles(m->cost, nv_sub_block_name[b]);
	static const enum nv_op_kind reg_kinds[] = {
		NV_OP_MRS, NV_OP_MSR, NV_OP_TLBI, NV_OP_AT, NV_OP_MMIO_R, NV_OP_MMIO_W,
	};
	int n = nv_sysreg_count();
	for (size_t i = 0; i < sizeof(reg_kinds) / sizeof(reg_kinds[0]); i++) {
		struct nv_fate_info *f = malloc(n * sizeof *f);
		if (!f)
			return -1;
		for (int r = 0; r < n; r++)
			f[r] = nv_arch_fate(m->arch, &m->cfg, reg_kinds[i], r);
		m->reg_fate[reg_kinds[i]] = f;
	}
	return 0;
}

/* The fate of one op, from the cache when it names a register. */
struct nv_fate_info nv_model_op_fate(const struct nv_model *m, const struct nv_op *op)
{
	const struct nv_fate_info *cache = m->reg_fate[op->kind];
	if (cache && op->reg >= 0 && op->reg < m->nregs)
		return cache[op->reg];
	if (op->kind < NV_OP__COUNT && !kind_names_reg((enum nv_op_kind)op->kind))
		return m->kind_fate[op->kind];
	return nv_arch_fate(m->arch, &m->cfg, op->kind, op->reg);
}

/* Cycles of one op with its fate on the model's platform. */
uint64_t nv_op_cycles(const struct nv_model *m, const struct nv_op *op, const struct nv_fate_info *f)
{
	const struct nv_cost *c = m->cost;
	switch (f->fate) {
	case NV_FATE_TRAP: {
		uint64_t cy = c->exc_entry + c->handler[f->handler];
		/* On "vm" the exit's return is the path's own final ERET. */
		if (m->arch->nested)
			cy += c->exc_return + c->l0_switch;
		if (nv_handler_puts_and_loads(f->handler))
			cy += c->vcpu_put_load;
		return cy;
	}
	case NV_FATE_MEMORY:
		return c->mem_access;
	case NV_FATE_REDIRECT:
		return c->redirect;
	default:
		break;
	}
	switch (op->kind) {
	case NV_OP_MRS: case NV_OP_MSR: return c->native_sysreg;
	case NV_OP_ERET: return c->native_eret;
	case NV_OP_HVC: case NV_OP_SMC: return c->native_hvc;
	case NV_OP_TLBI: return c->native_tlbi;
	case NV_OP_AT: return c->native_at;
	case NV_OP_MMIO_R: case NV_OP_MMIO_W: return c->native_mmio;
	case NV_OP_NATIVE: return nv_cost_block_cycles(c, op->name);
	case NV_OP_MEM: return c->mem_access;
	default: return 0;
	}
}

/* Add one evaluated op to the totals. */
void nv_result_add(struct nv_result *r, const struct nv_op *op, const struct nv_fate_info *f,
		   uint64_t cycles)
{
	r->ops++;
	r->cycles += cycles;
	r->fate_count[f->fate]++;
	r->fate_cycles[f->fate] += cycles;
	r->phase_cycles[op->phase] += cycles;
	if (f->fate == NV_FATE_TRAP) {
		r->traps++;
		r->handler_count[f->handler]++;
		r->source_traps[op->source]++;
	}
}

/* ----------------------------------------------------------- expansion */

struct expander {
	struct nv_model *m;
	const struct nv_profile *p;
	const struct nv_variant_sel *sel;	/* variant values, NULL: plain */
	struct nv_path *path;
	int cap, capowned;
	const char *fn, *src;
	uint8_t phase;
	int failed;
};

/* The seq a "use" line names, NULL if none. */
static const struct nv_block *find_seq(const struct nv_profile *p, const char *name)
{
	for (int i = 0; i < p->nseq; i++)
		if (!strcmp(p->seq[i].name, name))
			return &p->seq[i];
	return NULL;
}

/* The value of an "if"/"x" name: a variant's from the selection, else the option's. */
static int switch_value(const struct expander *x, const char *name)
{
	int v = nv_profile_variant_find(x->p, name);
	if (v >= 0)
		return x->sel ? x->sel->v[v] : 0;
	return nv_profile_option_get(x->p, name);
}

/* Register index for a name with '#' replaced by i; -1 if there is none. */
static int resolve_reg(const char *reg, int i)
{
	char buf[64];
	const char *h = strchr(reg, '#');
	if (!h)
		return nv_sysreg_by_name(reg);
	snprintf(buf, sizeof buf, "%.*s%d%s", (int)(h - reg), reg, i, h + 1);
	return nv_sysreg_by_name(buf);
}

/* Append one op of the current fn/phase to the path being expanded. */
static void push_op(struct expander *x, const struct nv_stmt *s, int reg)
{
	struct nv_path *p = x->path;
	if (p->n == x->cap) {
		int cap = x->cap ? 2 * x->cap : 128;
		struct nv_op *ops = realloc(p->ops, cap * sizeof *ops);
		if (!ops) {
			x->failed = 1;
			return;
		}
		p->ops = ops;
		x->cap = cap;
	}
	struct nv_op *op = &p->ops[p->n++];
	op->kind = s->op_kind;
	op->phase = x->phase;
	op->source = NV_SRC_PROFILE;
	op->reg = (int16_t)reg;
	op->fn = x->fn;
	op->src = x->src;
	op->text = s->text;
	op->name = s->name;
	op->cond = s->cond ? s->cond : s->repeat;
}

/* Resolve the sub-model of a "call NAME.STEP" op. */
static struct nv_call resolve_call(const struct nv_op *op)
{
	const char *dot = strchr(op->name, '.');
	char name[32];
	snprintf(name, sizeof name, "%.*s", (int)(dot - op->name), op->name);
	struct nv_call c = { nv_submodel_find(name), nv_submodel_step_name(dot + 1), op->phase };
	return c;
}

/* Walk a block's statements, applying the profile's current options. */
static void expand_block(struct expander *x, const struct nv_block *b, int depth)
{
	for (int i = 0; i < b->n && !x->failed; i++) {
		const struct nv_stmt *s = &b->st[i];
		switch (s->type) {
		case NV_ST_PHASE:
			x->phase = s->phase;
			break;
		case NV_ST_FN:
			x->fn = s->name;
			x->src = s->src;
			break;
		case NV_ST_USE: {
			if (s->cond && (switch_value(x, s->cond) > 0) == s->cond_neg)
				break;
			const struct nv_block *seq = find_seq(x->p, s->name);
			int times = s->repeat ? switch_value(x, s->repeat) : 1;
			if (!seq || depth >= MAX_USE_DEPTH)
				x->failed = 1;
			for (int t = 0; t < times && !x->failed; t++)
				expand_block(x, seq, depth + 1);
			break;
		}
		case NV_ST_OP: {
			if (s->cond && (switch_value(x, s->cond) > 0) == s->cond_neg)
				break;
			int times = s->repeat ? switch_value(x, s->repeat) : 1;
			for (int t = 0; t < times && !x->failed; t++) {
				int reg = s->reg ? resolve_reg(s->reg, t) : -1;
				if (s->reg && reg < 0) {
					snprintf(x->m->err, sizeof x->m->err,
						 "line %d: %s with index %d is not a register (option %s=%d)",
						 s->line, s->reg, t, s->repeat ? s->repeat : "?", times);
					x->failed = 1;
				} else {
					push_op(x, s, reg);
				}
			}
			break;
		}
		}
	}
}

/* Free the expanded ops and tables of one path. */
void nv_path_free(struct nv_path *p)
{
	free(p->ops);
	free(p->fate);
	free(p->cycles);
	free(p->calls);
	memset(p, 0, sizeof *p);
}

/* Build the op list of kind k under a variant selection; -1 if there is no such path. */
int nv_model_expand_into(struct nv_model *m, enum nv_exit_kind k, const struct nv_variant_sel *sel,
			 struct nv_path *path)
{
	if (!nv_profile_has_kind(m->prof, k))
		return -1;
	memset(path, 0, sizeof *path);
	struct expander x = { .m = m, .p = m->prof, .sel = sel, .path = path, .phase = NV_PHASE_EXIT };
	expand_block(&x, &m->prof->path[k], 0);
	if (x.failed) {
		if (!m->err[0])
			snprintf(m->err, sizeof m->err, "cannot expand the %s path", nv_exit_kind_name(k));
		nv_path_free(path);
		return -1;
	}
	path->fate = malloc((path->n + 1) * sizeof *path->fate);
	path->cycles = malloc((path->n + 1) * sizeof *path->cycles);
	path->calls = malloc((path->n + 1) * sizeof *path->calls);
	if (!path->fate || !path->cycles || !path->calls) {
		nv_path_free(path);
		return -1;
	}
	for (int i = 0; i < path->n; i++) {
		const struct nv_op *op = &path->ops[i];
		path->fate[i] = nv_model_op_fate(m, op);
		path->cycles[i] = nv_op_cycles(m, op, &path->fate[i]);
		if (op->kind != NV_OP_CALL)
			nv_result_add(&path->fast, op, &path->fate[i], path->cycles[i]);
		else
			path->calls[path->ncalls++] = resolve_call(op);
	}
	return 0;
}

/* Build the plain op list of one exit kind; -1 if the profile has no such path. */
int nv_model_expand(struct nv_model *m, enum nv_exit_kind k)
{
	m->err[0] = 0;
	return nv_model_expand_into(m, k, NULL, &m->path[k]);
}

struct nv_model *nv_model_new(const struct nv_arch *a, const struct nv_profile *p,
			      const struct nv_cost *c)
{
	struct nv_model *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->arch = a;
	m->prof = p;
	m->cost = c;
	m->cfg = nv_profile_cfg(p);
	if (cache_fates(m)) {
		nv_model_free(m);
		return NULL;
	}
	return m;
}

/* Free a model and its expanded paths (not the profile it reads). */
void nv_model_free(struct nv_model *m)
{
	if (!m)
		return;
	for (int i = 0; i < NV_OP__COUNT; i++)
		free(m->reg_fate[i]);
	for (int k = 0; k < NV_EXIT__COUNT; k++) {
		nv_path_free(&m->path[k]);
		int n = atomic_load(&m->nvpath[k]);
		for (int i = 0; m->vpath[k] && i < n && i < NV_VPATH_CACHE; i++)
			nv_path_free(&m->vpath[k][i].path);
		free(m->vpath[k]);
	}
	free(m);
}

const struct nv_arch *nv_model_arch(const struct nv_model *m) { return m->arch; }
const char *nv_model_error(const struct nv_model *m) { return m->err; }
const struct nv_profile *nv_model_profile(const struct nv_model *m) { return m->prof; }
const struct nv_cost *nv_model_cost(const struct nv_model *m) { return m->cost; }

/*
 * Expand every plain path now, so the fast path only reads precomputed
 * totals, and make room for the variant paths (filled on first use, safely
 * from several threads).
 */
int nv_model_prepare(struct nv_model *m)
{
	for (int k = 0; k < NV_EXIT__COUNT; k++) {
		if (!m->path[k].ops && nv_profile_has_kind(m->prof, k) && nv_model_expand(m, k))
			return -1;
		if (!m->vpath[k] && nv_profile_variant_count(m->prof) &&
		    !(m->vpath[k] = calloc(NV_VPATH_CACHE, sizeof *m->vpath[k])))
			return -1;
	}
	m->prepared = 1;
	return 0;
}

/* ----------------------------------------------------------- evaluation */

/* Evaluate one op pushed by a sub-model (fate and cycles computed here). */
void nv_sink_push(struct nv_sink *s, const struct nv_op *op)
{
	nv_sink_push_block(s, op, -1);
}

/* See model_int.h: a native block's cycles from the model's table, the rest
 * as nv_op_cycles gives them. */
void nv_sink_push_block(struct nv_sink *s, const struct nv_op *op, int blk)
{
	struct nv_op o = *op;
	o.source = s->source;
	struct nv_fate_info f = nv_model_op_fate(s->m, &o);
	uint64_t cy = blk >= 0 && blk < NV_BLK__COUNT && o.kind == NV_OP_NATIVE &&
		f.fate != NV_FATE_TRAP && f.fate != NV_FATE_MEMORY && f.fate != NV_FATE_REDIRECT ?
		s->m->block_cy[blk] : nv_op_cycles(s->m, &o, &f);
	nv_result_add(s->res, &o, &f, cy);
	s->seq++;
	if (s->emit) {
		struct nv_op_result r = { &o, s->seq, f.fate, f.handler, (int16_t)f.target, cy };
		s->emit(s->arg, &r);
	}
}

/* Hand a "call NAME.STEP" op to its sub-model (unknown sub-models add nothing). */
static void run_call(struct nv_sink *sink, const struct nv_call *c, struct nv_vcpu *v)
{
	if (!c->sm || !c->sm->expand)
		return;
	if (v) /* the step may change the state: its digest is recomputed */
		v->digest_ok = 0;
	sink->source = c->sm->source;
	c->sm->expand(sink->m, c->step, v, c->phase, sink);
	sink->source = NV_SRC_PROFILE;
}

/* Whether a selection is the plain path (every variant 0). */
static int is_plain(const struct nv_variant_sel *sel)
{
	for (int i = 0; sel && i < NV_VARIANT_MAX; i++)
		if (sel->v[i])
			return 0;
	return 1;
}

/*
 * The path of kind k for a selection, expanded on first use (not
 * thread-safe, like the unprepared plain path).  When the cache is full the
 * path is expanded into *tmp, which the caller frees.
 */
static const struct nv_path *get_path(const struct nv_model *cm, enum nv_exit_kind k,
				      const struct nv_variant_sel *sel, struct nv_path *tmp)
{
	struct nv_model *m = (struct nv_model *)cm;
	if ((unsigned)k >= NV_EXIT__COUNT || !nv_profile_has_kind(m->prof, k))
		return NULL;
	if (is_plain(sel)) {
		if (!m->path[k].fate && nv_model_expand(m, k))
			return NULL;
		return &m->path[k];
	}
	struct nv_vpath *vp = m->vpath[k];
	int n = atomic_load(&m->nvpath[k]);
	for (int i = 0; vp && i < n && i < NV_VPATH_CACHE; i++)
		if (atomic_load_explicit(&vp[i].state, memory_order_acquire) &&
		    !memcmp(&vp[i].sel, sel, sizeof *sel))
			return &vp[i].path;
	/* claim a slot (vpath[] exists once prepared; unprepared models are single-threaded) */
	if (!vp && !m->prepared && !(vp = m->vpath[k] = calloc(NV_VPATH_CACHE, sizeof *vp)))
		return NULL;
	struct nv_path *p = tmp;
	int slot = vp ? atomic_fetch_add(&m->nvpath[k], 1) : NV_VPATH_CACHE;
	if (slot < NV_VPATH_CACHE) {
		vp[slot].sel = *sel;
		p = &vp[slot].path;
	}
	if (nv_model_expand_into(m, k, sel, p)) {
		if (p != tmp)	/* leave the slot unpublished (state 0): never read */
			memset(p, 0, sizeof *p);
		return NULL;
	}
	if (p != tmp)
		atomic_store_explicit(&vp[slot].state, 1, memory_order_release);
	return p;
}

int nv_model_eval(const struct nv_model *m, enum nv_exit_kind kind, struct nv_vcpu *v,
		  nv_emit_fn emit, void *arg, struct nv_result *res)
{
	return nv_model_eval_variant(m, kind, NULL, v, emit, arg, res);
}

/* Walk an expanded path op by op (sub-model steps included). */
static void eval_path(const struct nv_model *m, const struct nv_path *p, struct nv_vcpu *v,
		      nv_emit_fn emit, void *arg, struct nv_result *res)
{
	struct nv_sink sink = { m, res, emit, arg, 0, NV_SRC_PROFILE };
	for (int i = 0, ci = 0; i < p->n; i++) {
		const struct nv_op *op = &p->ops[i];
		if (op->kind == NV_OP_CALL) {
			run_call(&sink, &p->calls[ci++], v);
			continue;
		}
		nv_result_add(res, op, &p->fate[i], p->cycles[i]);
		sink.seq++;
		if (emit) {
			struct nv_op_result r = { op, sink.seq, p->fate[i].fate, p->fate[i].handler,
						  (int16_t)p->fate[i].target, p->cycles[i] };
			emit(arg, &r);
		}
	}
}

int nv_model_eval_variant(const struct nv_model *m, enum nv_exit_kind kind,
			  const struct nv_variant_sel *sel, struct nv_vcpu *v, nv_emit_fn emit,
			  void *arg, struct nv_result *res)
{
	struct nv_path tmp = { 0 };
	memset(res, 0, sizeof *res);
	const struct nv_path *p = get_path(m, kind, sel, &tmp);
	if (!p)
		return -1;
	eval_path(m, p, v, emit, arg, res);
	nv_path_free(&tmp);
	return 0;
}

/* The fast path of kind k: precomputed totals plus the sub-model steps. */
static int eval_fast(const struct nv_model *m, enum nv_exit_kind kind,
		     const struct nv_variant_sel *sel, struct nv_vcpu *v, struct nv_result *res)
{
	struct nv_path tmp = { 0 };
	const struct nv_path *p;

	if (is_plain(sel)) {
		if ((unsigned)kind >= NV_EXIT__COUNT || !m->path[kind].fate)
			return nv_model_eval(m, kind, v, NULL, NULL, res);
		p = &m->path[kind];
	} else if (!(p = get_path(m, kind, sel, &tmp))) {
		memset(res, 0, sizeof *res);
		return -1;
	}
	*res = p->fast;
	struct nv_sink sink = { m, res, NULL, NULL, 0, NV_SRC_PROFILE };
	for (int i = 0; i < p->ncalls; i++)
		run_call(&sink, &p->calls[i], v);
	nv_path_free(&tmp);
	return 0;
}

/* One exit to evaluate again (the memo measuring a timed exit, vcpu.h). */
struct rerun_arg {
	const struct nv_model *m;
	enum nv_exit_kind kind;
	const struct nv_variant_sel *sel;
};

/* nv_memo_rerun_fn: the exit of a (struct rerun_arg) on v, memo not consulted. */
static int rerun(void *arg, struct nv_vcpu *v, struct nv_result *res)
{
	const struct rerun_arg *a = arg;

	return eval_fast(a->m, a->kind, a->sel, v, res);
}

/*
 * With v's memo on (model.h nv_vcpu_memo): the kept result and state after
 * for this state, or the evaluation, kept when the memo can replay it
 * (vcpu.h nv_vcpu_memo_put).  The clock does not move within an exit.
 */
static int eval_fast_memo(const struct nv_model *m, enum nv_exit_kind kind,
			  const struct nv_variant_sel *sel, struct nv_vcpu *v, struct nv_result *res)
{
	struct nv_memo_key key;
	struct nv_memo_before before;

	if (!v || !v->memo)
		return eval_fast(m, kind, sel, v, res);
	nv_vcpu_memo_key(v, m, (int)kind, sel, &key);
	if (nv_vcpu_memo_get(v, &key, res))
		return 0;
	nv_vcpu_memo_before(v, &before);
	if (eval_fast(m, kind, sel, v, res))
		return -1;
	struct rerun_arg ra = { m, kind, sel };
	nv_vcpu_memo_put(v, &key, &before, res, rerun, &ra);
	return 0;
}

int nv_model_eval_fast(const struct nv_model *m, enum nv_exit_kind kind, struct nv_vcpu *v,
		       struct nv_result *res)
{
	return eval_fast_memo(m, kind, NULL, v, res);
}

int nv_model_eval_fast_variant(const struct nv_model *m, enum nv_exit_kind kind,
			       const struct nv_variant_sel *sel, struct nv_vcpu *v,
			       struct nv_result *res)
{
	return eval_fast_memo(m, kind, sel, v, res);
}

/* Run one "SUB.STEP" on vCPU v outside any path (benchmarks, tests, a
 * driver that knows more than the path): its ops are added to *res. */
int nv_model_step(const struct nv_model *m, const char *call, struct nv_vcpu *v,
		  nv_emit_fn emit, void *arg, struct nv_result *res)
{
	const char *dot = call ? strchr(call, '.') : NULL;
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
	if (v)
		v->digest_ok = 0;
	return sm->expand(m, nv_submodel_step_name(dot + 1), v, NV_PHASE_ENTRY, &sink);
}
