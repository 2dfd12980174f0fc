/* Exits grouped by their traps, and the signature of a group (see learn_groups.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/learn_groups.h"
#include "replay/trapmap.h"

/* See learn_groups.h. */
int nv_learn_op_kind(const struct nv_trap *t, enum nv_op_kind *kind, int *reg)
{
	*reg = -1;
	switch (t->code) {
	case NV_EC_ERET: *kind = NV_OP_ERET; return 0;
	case NV_EC_HVC64: *kind = NV_OP_HVC; return 0;
	case NV_EC_SMC64: *kind = NV_OP_SMC; return 0;
	case NV_EC_DABT:
		*kind = NV_OP_MMIO_W;
		*reg = nv_sysreg_by_name("L1_RAM");
		return *reg >= 0 ? 0 : -1;
	case NV_EC_SYS64:
		*reg = t->sysreg >= 0 ? nv_sysreg_by_enc(t->sysreg) : -1;
		if (*reg < 0 || (t->dir != 0 && t->dir != 1))
			return -1;
		*kind = t->dir == 1 ? NV_OP_MSR : NV_OP_MRS;
		if (nv_sysreg_at(*reg)->cls == NV_RC_TLBI)
			*kind = NV_OP_TLBI;
		else if (nv_sysreg_at(*reg)->cls == NV_RC_AT)
			*kind = NV_OP_AT;
		return 0;
	default:
		return -1;
	}
}

/* Whether a signature term can count this operation. */
static int countable(const struct nv_obs_trap *o)
{
	if (o->ec == NV_EC_SYS64)
		return o->reg >= 0 && (o->dir == 0 || o->dir == 1);
	return nv_sig_ec_name(o->ec) != NULL;
}

/* Order of operations within a group. */
static int cmp_obs(const struct nv_obs_trap *a, const struct nv_obs_trap *b)
{
	if (a->ec != b->ec)
		return a->ec < b->ec ? -1 : 1;
	if (a->reg != b->reg)
		return a->reg < b->reg ? -1 : 1;
	return a->dir < b->dir ? -1 : a->dir > b->dir;
}

/* Occurrences of an operation in one exit of a group. */
static int count_in(const struct nv_learn_group *g, const struct nv_obs_trap *o)
{
	for (int i = 0; i < g->nops; i++)
		if (!cmp_obs(&g->ops[i].op, o))
			return g->ops[i].n;
	return 0;
}

/* The multiset of a trap sequence, into g (ops allocated); -1 out of memory. */
static int multiset(const struct nv_obs_seq *s, struct nv_learn_group *g)
{
	memset(g, 0, sizeof(*g));
	g->ops = calloc(s->n ? s->n : 1, sizeof(*g->ops));
	if (!g->ops)
		return -1;
	g->expressible = s->n > 0;
	for (uint32_t i = 0; i < s->n; i++) {
		struct nv_obs_trap o = nv_trap_obs(&s->trap[i]);
		enum nv_op_kind kind;
		int reg, j = 0;
		g->expressible &= countable(&o) && !nv_learn_op_kind(&s->trap[i], &kind, &reg);
		while (j < g->nops && cmp_obs(&g->ops[j].op, &o) < 0)
			j++;
		if (j < g->nops && !cmp_obs(&g->ops[j].op, &o)) {
			g->ops[j].n++;
			continue;
		}
		memmove(&g->ops[j + 1], &g->ops[j], (size_t)(g->nops - j) * sizeof(*g->ops));
		g->ops[j].op = o;
		g->ops[j].n = 1;
		g->nops++;
	}
	g->traps = s->n;
	return 0;
}

/* Same multiset. */
static int same_group(const struct nv_learn_group *a, const struct nv_learn_group *b)
{
	if (a->nops != b->nops)
		return 0;
	for (int i = 0; i < a->nops; i++)
		if (a->ops[i].n != b->ops[i].n || cmp_obs(&a->ops[i].op, &b->ops[i].op))
			return 0;
	return 1;
}

/* See learn_groups.h. */
int nv_learn_group_run(const struct nv_observed *o, struct nv_learn_groups *gs)
{
	int cap = 0;
	memset(gs, 0, sizeof(*gs));
	for (int k = 0; k < NV_KIND__COUNT; k++)
		for (int i = 0; i < o->nseq[k]; i++) {
			const struct nv_obs_seq *s = &o->seq[k][i];
			struct nv_learn_group g;
			int j = 0;
			if (multiset(s, &g))
				goto oom;
			while (j < gs->n && !same_group(&gs->g[j], &g))
				j++;
			if (j < gs->n) {
				free(g.ops);
			} else {
				if (gs->n == cap) {
					int ncap = cap ? cap * 2 : 16;
					struct nv_learn_group *n = realloc(gs->g, (size_t)ncap * sizeof(*n));
					if (!n) {
						free(g.ops);
						goto oom;
					}
					gs->g = n;
					cap = ncap;
				}
				for (int x = 0; x < NV_KIND__COUNT; x++)
					g.rep[x] = -1;
				g.var = -1;
				gs->g[gs->n++] = g;
			}
			struct nv_learn_group *t = &gs->g[j];
			t->exits += s->count;
			t->per_kind[k] += s->count;
			if (t->rep[k] < 0 || s->count > o->seq[k][t->rep[k]].count)
				t->rep[k] = i;
		}
	return 0;
oom:
	nv_learn_groups_free(gs);
	return -1;
}

/* See learn_groups.h. */
void nv_learn_groups_free(struct nv_learn_groups *gs)
{
	for (int i = 0; i < gs->n; i++)
		free(gs->g[i].ops);
	free(gs->g);
	gs->g = NULL;
	gs->n = 0;
}

/* One signature term: the operation observed at least min times, or (neg) fewer. */
struct term {
	struct nv_obs_trap op;
	int min, neg;
};

/* Whether a term holds for one exit of group g. */
static int holds(const struct term *t, const struct nv_learn_group *g)
{
	return (count_in(g, &t->op) >= t->min) != t->neg;
}

/* Append a term as the profile writes it ("!ICH_VTR_EL2:r>=2", "DABT>=3"). */
static void put_term(char *buf, size_t len, const struct term *t)
{
	size_t o = strlen(buf);
	char name[64];
	if (t->op.ec == NV_EC_SYS64)
		snprintf(name, sizeof(name), "%s:%c", nv_sysreg_at(t->op.reg)->name, t->op.dir ? 'w' : 'r');
	else
		snprintf(name, sizeof(name), "%s", nv_sig_ec_name(t->op.ec));
	if (t->min > 1)
		snprintf(buf + o, len - o, "%s%s%s>=%d", o ? " " : "", t->neg ? "!" : "", name, t->min);
	else
		snprintf(buf + o, len - o, "%s%s%s", o ? " " : "", t->neg ? "!" : "", name);
}

/* Whether groups a and b occur in a common kind (a signature of one must reject the other). */
static int share_kind(const struct nv_learn_group *a, const struct nv_learn_group *b)
{
	for (int k = 0; k < NV_KIND__COUNT; k++)
		if (a->per_kind[k] && b->per_kind[k])
			return 1;
	return 0;
}

/*
 * The best term for group T against the groups still left (left[j]): the
 * one that rejects most of them.  Candidates per distinct countable
 * operation of T or of a left group, with c its count in T: "op>=c" (c >= 1)
 * and "!op>=c+1"; on ties the first (T's operations, a present one).
 * 0 when no term rejects any, -1 out of memory.
 */
static int best_term(const struct nv_learn_groups *gs, int ti, const char *left, struct term *out)
{
	const struct nv_learn_group *T = &gs->g[ti];
	struct nv_obs_trap *ops = NULL;
	int best = 0, nops = 0, cap = 0;
	for (int j = -1; j < gs->n; j++) {	/* the distinct operations, T's first */
		const struct nv_learn_group *src = j < 0 ? T : &gs->g[j];
		if (j >= 0 && !left[j])
			continue;
		for (int i = 0; i < src->nops; i++) {
			int d = 0;
			while (d < nops && cmp_obs(&ops[d], &src->ops[i].op))
				d++;
			if (d < nops || !countable(&src->ops[i].op))
				continue;
			if (nops == cap) {
				struct nv_obs_trap *n = realloc(ops, (size_t)(cap = cap ? cap * 2 : 64) * sizeof(*n));
				if (!n) {
					free(ops);
					return -1;
				}
				ops = n;
			}
			ops[nops++] = src->ops[i].op;
		}
	}
	for (int d = 0; d < nops; d++) {
		int c = count_in(T, &ops[d]);
		for (int neg = 0; neg < 2; neg++) {
			struct term t = { ops[d], neg ? c + 1 : c, neg };
			int rejects = 0;
			if (t.min < 1 || t.min > 64)
				continue;
			for (int x = 0; x < gs->n; x++)
				rejects += left[x] && !holds(&t, &gs->g[x]);
			if (rejects > best) {
				best = rejects;
				*out = t;
			}
		}
	}
	free(ops);
	return best;
}

/* See learn_groups.h: greedy, the term that rejects most of the groups left first. */
int nv_learn_signature(const struct nv_learn_groups *gs, int i, char *buf, size_t len)
{
	const struct nv_learn_group *T = &gs->g[i];
	char *left = calloc((size_t)gs->n + 1, 1);
	int nleft = 0, nterms = 0;
	if (!left || !T->expressible)
		goto fail;
	buf[0] = 0;
	for (int j = 0; j < gs->n; j++)
		if (j != i && share_kind(T, &gs->g[j]))
			left[j] = 1, nleft++;
	while (nleft) {
		struct term t;
		if (nterms == NV_SIG_MAX || best_term(gs, i, left, &t) <= 0)
			goto fail;
		put_term(buf, len, &t);
		nterms++;
		for (int j = 0; j < gs->n; j++)
			if (left[j] && !holds(&t, &gs->g[j]))
				left[j] = 0, nleft--;
	}
	if (!nterms) {	/* alone in its kinds: any operation it always shows */
		struct term t = { T->ops[0].op, T->ops[0].n > 64 ? 64 : T->ops[0].n, 0 };
		put_term(buf, len, &t);
	}
	free(left);
	return 0;
fail:
	free(left);
	return -1;
}
