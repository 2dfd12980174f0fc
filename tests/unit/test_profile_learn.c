/*
 * profile from's learning on a made-up observed run: exits grouped by their
 * traps, which groups become variants, signatures that select exactly their
 * group, the learned text loads, and a malformed learned text is refused
 * with one message naming its line.
 */
#include <stdlib.h>
#include "tap.h"
#include "replay/learn_groups.h"
#include "replay/profile_learn.h"
#include "replay/trapmap.h"

/* A system-register trap of a named register. */
static struct nv_trap sys(const char *reg, int dir)
{
	struct nv_trap t = { NV_EC_SYS64, nv_sysreg_at(nv_sysreg_by_name(reg))->enc, dir, 0x1000 };
	return t;
}
static struct nv_trap ec(int code) { struct nv_trap t = { code, -1, -1, 0x2000 }; return t; }

/* Add a kept sequence of n traps seen count times to kind k. */
static void add(struct nv_observed *o, int k, const struct nv_trap *t, uint32_t n, uint64_t count)
{
	struct nv_obs_seq *s = &o->seq[k][o->nseq[k]++];
	s->trap = malloc(n * sizeof(*t));
	memcpy(s->trap, t, n * sizeof(*t));
	s->n = n;
	s->count = count;
	o->exits[k] += count;
	o->st.exits += (int64_t)count;
}

/* Each variant's value for a list of traps of kind k, as validate selects them. */
static void select_for(const struct nv_profile *p, int k, const struct nv_trap *t, int n,
		       struct nv_variant_sel *sel)
{
	struct nv_obs_trap ob[32];
	for (int i = 0; i < n; i++)
		ob[i] = nv_trap_obs(&t[i]);
	nv_profile_variant_select(p, (enum nv_exit_kind)k, ob, n, 0, sel);
}

int main(void)
{
	/* hvc: 5 traps x10 (plain), +1 MDSCR_EL1 write x3, the 5 with an IABT x2
	 * (no op for it), +ID_AA64PFR0_EL1 read x1 (rare); the 5 in the same order
	 * but other PCs x2 (same group); irq: the 5 x4 (the same group as hvc's) */
	struct nv_trap a[] = { sys("MDSCR_EL1", 0), sys("MDSCR_EL1", 1), sys("ICH_MISR_EL2", 0),
			       sys("MDSCR_EL1", 1), ec(NV_EC_ERET) };
	struct nv_trap b[] = { sys("MDSCR_EL1", 0), sys("MDSCR_EL1", 1), sys("MDSCR_EL1", 1),
			       sys("ICH_MISR_EL2", 0), sys("MDSCR_EL1", 1), ec(NV_EC_ERET) };
	struct nv_trap c[] = { sys("MDSCR_EL1", 0), ec(NV_EC_IABT), sys("MDSCR_EL1", 1),
			       sys("ICH_MISR_EL2", 0), sys("MDSCR_EL1", 1), ec(NV_EC_ERET) };
	struct nv_trap d[] = { sys("MDSCR_EL1", 0), sys("ID_AA64PFR0_EL1", 0), sys("MDSCR_EL1", 1),
			       sys("ICH_MISR_EL2", 0), sys("MDSCR_EL1", 1), ec(NV_EC_ERET) };
	struct nv_trap a2[5];
	memcpy(a2, a, sizeof(a));
	a2[0].pc = 0x3000;
	struct nv_observed *o = calloc(1, sizeof(*o));
	add(o, NV_KIND_HVC, a, 5, 10);
	add(o, NV_KIND_HVC, b, 6, 3);
	add(o, NV_KIND_HVC, c, 6, 2);
	add(o, NV_KIND_HVC, d, 6, 1);
	add(o, NV_KIND_HVC, a2, 5, 2);
	add(o, NV_KIND_IRQ, a, 5, 4);
	/* sysreg: MDSCR_EL1 read + ERET x3, and the same with a register the model does not
	 * name x2: no signature can tell the first from the second (only that register differs) */
	struct nv_trap e[] = { sys("MDSCR_EL1", 0), { NV_EC_SYS64, 0x7fff, 0, 0x4000 }, ec(NV_EC_ERET) };
	struct nv_trap e1[] = { e[0], e[2] };
	add(o, NV_KIND_SYSREG, e1, 2, 3);
	add(o, NV_KIND_SYSREG, e, 3, 2);

	/* groups: by multiset, PCs and order ignored */
	struct nv_learn_groups gs;
	T_EQ_INT(nv_learn_group_run(o, &gs), 0, "groups: built");
	T_EQ_INT(gs.n, 6, "groups: 4 of hvc (the 5, +MDSCR write, +IABT, +ID read; other PCs join the 5), 2 of sysreg");
	T_EQ_U64(gs.g[0].exits, 16, "groups: the 5 traps: 12 hvc + 4 irq exits");
	T_EQ_U64(gs.g[0].per_kind[NV_KIND_IRQ], 4, "groups: ... 4 of them irq");
	T_EQ_INT(gs.g[0].rep[NV_KIND_HVC], 0, "groups: its hvc order is the one seen 10 times");
	T_EQ_INT(gs.g[2].expressible, 0, "groups: the IABT one is not expressible");
	char sig[256];
	T_EQ_INT(nv_learn_signature(&gs, 1, sig, sizeof(sig)), 0, "signature: +MDSCR write group");
	T_EQ_STR(sig, "MDSCR_EL1:w>=3", "signature: one term tells it apart from the other three");
	T_EQ_INT(nv_learn_signature(&gs, 2, sig, sizeof(sig)), -1, "signature: none for the IABT group");
	T_EQ_INT(nv_learn_signature(&gs, 4, sig, sizeof(sig)), -1,
		 "signature: none for a group that differs from another only by an unnamed register");
	nv_learn_groups_free(&gs);

	/* the profile: 2 variants (the 5, and the 6 of 3 exits); the rest unlearned */
	struct nv_learn_opts lo = { "t", "v8.4", "run.db", 1 };
	struct nv_learned l;
	char *text = NULL, err[256];
	size_t len = 0;
	int rc = nv_learn_profile(o, &lo, &text, &len, &l, err, sizeof(err));
	T_EQ_INT(rc, 0, "learn: ok (%s)", rc ? err : "");
	T_EQ_INT(l.nvar, 2, "learn: 2 variants");
	T_EQ_STR(l.var[0].name, "seq5", "learn: the 5 first (the kinds' most frequent group)");
	T_EQ_STR(l.var[1].name, "seq6", "learn: then the group of 3 exits");
	T_EQ_U64(l.kind[NV_KIND_HVC].learned, 15, "learn: hvc: 15 of 18 exits learned");
	T_EQ_INT(l.kind[NV_KIND_HVC].groups_left, 2, "learn: hvc: 2 groups left (IABT, rare)");
	T_EQ_INT(l.kind[NV_KIND_HVC].fallback, 0, "learn: hvc's plain path is seq5");
	T_EQ_U64(l.kind[NV_KIND_IRQ].learned, 4, "learn: irq: all 4 (the shared group)");
	T_OK(text && strstr(text, "\nvariants exhaustive : "), "learn: the text says 'variants exhaustive'");
	T_EQ_U64(l.kind[NV_KIND_SYSREG].learned, 0, "learn: sysreg: nothing learned");
	T_EQ_INT(l.kind[NV_KIND_SYSREG].fallback, -1, "learn: sysreg: no variant");
	T_OK(text && strstr(text, "\n#   2 traps: 3 exits (no signature tells it apart from the others)\n") &&
	     strstr(text, "\n#   3 traps: 2 exits (a trap the format cannot express)\n"),
	     "learn: sysreg: both groups listed as not learned, with why");
	T_OK(text && strstr(text, "\ndescribe observed on v8.4 from run.db (27 nested exits): "),
	     "learn: marked observed on v8.4");

	/* the text loads; selection picks exactly the learned group, none for the others */
	struct nv_profile *p = NULL;
	T_EQ_INT(nv_profile_parse(text, len, "t.prof", &p, err, sizeof(err)), 0, "load: parses");
	if (p) {
		struct nv_variant_sel s;
		T_OK(nv_profile_variants_exhaustive(p), "load: exhaustive");
		select_for(p, NV_KIND_HVC, a, 5, &s);
		T_OK(s.v[0] == 1 && s.v[1] == 0, "select: the 5 -> seq5 only");
		select_for(p, NV_KIND_HVC, b, 6, &s);
		T_OK(s.v[0] == 0 && s.v[1] == 1, "select: +MDSCR write -> seq6 only");
		select_for(p, NV_KIND_HVC, d, 6, &s);
		T_OK(s.v[0] == 0 && s.v[1] == 0, "select: the rare group -> none (unlearned)");
		select_for(p, NV_KIND_IRQ, a, 5, &s);
		T_OK(s.v[0] == 1 && s.v[1] == 0, "select: irq's 5 -> seq5");
		nv_profile_free(p);
	}

	/* a malformed learned text: one message naming the line */
	char *bad = text ? strdup(text) : NULL;
	char *v = bad ? strstr(bad, "\nvariant seq6 when ") : NULL;
	if (v) {
		int line = 2;
		for (char *c = bad; c < v; c++)
			line += *c == '\n';
		memcpy(v + 19, "NOPE_EL2:r    ", 14);
		char want[128];
		snprintf(want, sizeof(want), "t.prof:%d: bad variant signature: unknown register or EC 'NOPE_EL2'",
			 line);
		p = NULL;
		T_EQ_INT(nv_profile_parse(bad, len, "t.prof", &p, err, sizeof(err)), -1, "malformed: refused");
		T_EQ_STR(err, want, "malformed: one message naming file:line");
		nv_profile_free(p);
	} else {
		T_OK(0, "malformed: the seq6 variant line is in the text");
	}
	free(bad);
	free(text);
	for (int k = 0; k < NV_KIND__COUNT; k++)
		for (int i = 0; i < o->nseq[k]; i++)
			free(o->seq[k][i].trap);
	free(o);
	return t_done();
}
