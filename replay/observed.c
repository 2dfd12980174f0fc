/* The observed traps of a nested run, by site and by sequence (see observed.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "replay/observed.h"

struct obs_ctx {
	struct nv_observed *o;
	const struct nv_symtab *syms;
	size_t cap;
	int failed;
};

/* See observed.h. */
int nv_trap_same_op(const struct nv_trap *a, const struct nv_trap *b)
{
	return a->code == b->code && a->sysreg == b->sysreg && a->dir == b->dir;
}

/* The site of a trap, added on first sight (sites are few: hundreds). */
static struct nv_obs_site *site_of(struct obs_ctx *c, const struct nv_trap *t)
{
	struct nv_observed *o = c->o;
	for (size_t i = 0; i < o->nsite; i++)
		if (o->site[i].trap.pc == t->pc && nv_trap_same_op(&o->site[i].trap, t))
			return &o->site[i];
	if (o->nsite == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct nv_obs_site *n = realloc(o->site, cap * sizeof(*n));
		if (!n)
			return NULL;
		o->site = n;
		c->cap = cap;
	}
	struct nv_obs_site *s = &o->site[o->nsite++];
	memset(s, 0, sizeof(*s));
	s->trap = *t;
	s->sym = t->pc ? nv_symtab_lookup(c->syms, t->pc, NULL) : NULL;
	return s;
}

/* Same sequence: every trap's operation and PC. */
static int same_seq(const struct nv_obs_seq *s, const struct nv_nested_exit *x)
{
	if (s->n != x->ntrap)
		return 0;
	for (uint32_t i = 0; i < x->ntrap; i++)
		if (s->trap[i].pc != x->trap[i].pc || !nv_trap_same_op(&s->trap[i], &x->trap[i]))
			return 0;
	return 1;
}

/* Count the exit's sequence among the kind's distinct ones. */
static void add_seq(struct obs_ctx *c, const struct nv_nested_exit *x)
{
	struct nv_observed *o = c->o;
	int k = x->kind;
	for (int i = 0; i < o->nseq[k]; i++)
		if (same_seq(&o->seq[k][i], x)) {
			o->seq[k][i].count++;
			return;
		}
	if (o->nseq[k] == NV_OBS_MAX_SEQS || x->ntrap != x->traps) {
		o->seq_other[k]++;
		return;
	}
	struct nv_obs_seq *s = &o->seq[k][o->nseq[k]];
	s->trap = malloc((x->ntrap ? x->ntrap : 1) * sizeof(*s->trap));
	if (!s->trap) {
		c->failed = 1;
		return;
	}
	if (x->ntrap)	/* an exit without traps has no trap array */
		memcpy(s->trap, x->trap, x->ntrap * sizeof(*s->trap));
	s->n = x->ntrap;
	s->count = 1;
	o->nseq[k]++;
}

/* One nested exit: its traps into the sites, its sequence into the kind's. */
static void on_exit_(void *arg, const struct nv_nested_exit *x)
{
	struct obs_ctx *c = arg;
	struct nv_observed *o = c->o;
	o->exits[x->kind]++;
	o->traps[x->kind] += x->traps;
	for (uint32_t i = 0; i < x->ntrap; i++) {
		struct nv_obs_site *s = site_of(c, &x->trap[i]);
		if (!s) {
			c->failed = 1;
			return;
		}
		s->count++;
		s->per_kind[x->kind]++;
	}
	add_seq(c, x);
}

/* Free the sequences (the sites are kept: restart only zeroes them). */
static void free_seqs(struct nv_observed *o)
{
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		for (int i = 0; i < o->nseq[k]; i++)
			free(o->seq[k][i].trap);
		o->nseq[k] = 0;
	}
}

/* The run is not in time order: start the counts again. */
static int restart(void *arg)
{
	struct obs_ctx *c = arg;
	struct nv_observed *o = c->o;
	free_seqs(o);
	o->nsite = 0;
	memset(o->exits, 0, sizeof(o->exits));
	memset(o->traps, 0, sizeof(o->traps));
	memset(o->seq_other, 0, sizeof(o->seq_other));
	return 0;
}

/* See observed.h. */
int nv_observed_run(struct nvdb *db, const struct nv_symtab *syms,
		    const struct nv_progress *progress, struct nv_observed *out,
		    char *err, size_t errlen)
{
	struct obs_ctx c = { .o = out, .syms = syms };
	memset(out, 0, sizeof(*out));
	out->mode = nv_replay_mode_of(db);
	if (out->mode != NV_RECON_ARM64_NESTED) {
		snprintf(err, errlen, "%s: not a nested arm64 run (%s): its traps need "
			 "kvm_inject_nested_exception / kvm_nested_eret events", nvdb_path(db),
			 nv_recon_mode_name(out->mode));
		return -1;
	}
	if (nv_replay_scan(db, out->mode, on_exit_, restart, &c, &out->st, progress)) {
		snprintf(err, errlen, "%s: cannot read the events: %s", nvdb_path(db),
			 nvdb_errmsg(db));
		nv_observed_free(out);
		return -1;
	}
	if (c.failed) {
		snprintf(err, errlen, "%s: out of memory counting the traps", nvdb_path(db));
		nv_observed_free(out);
		return -1;
	}
	/* distinct PCs (sites of one PC share it) and how many fall in a symbol */
	for (size_t i = 0; i < out->nsite; i++) {
		int first = out->site[i].trap.pc != 0;
		for (size_t j = 0; first && j < i; j++)
			if (out->site[j].trap.pc == out->site[i].trap.pc)
				first = 0;
		if (first) {
			out->pcs++;
			out->resolved += out->site[i].sym != NULL;
		}
	}
	return 0;
}

/* See observed.h. */
void nv_observed_free(struct nv_observed *o)
{
	free_seqs(o);
	free(o->site);
	o->site = NULL;
	o->nsite = 0;
}
