/*
 * Cost tables: lookup by name, the provenance of every constant, whether a
 * figure is hypothetical.  The tables themselves are model/cost_*.c (built
 * in) or text read by model/cost_parse.c.
 */
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include "model/model_int.h"

extern const struct nv_cost nv_cost_xgene, nv_cost_vhe_nv2;
static const struct nv_cost *const costs[] = { &nv_cost_xgene, &nv_cost_vhe_nv2 };
#define NCOST ((int)(sizeof(costs) / sizeof(costs[0])))

int nv_cost_count(void) { return NCOST; }
const struct nv_cost *nv_cost_at(int i) { return i >= 0 && i < NCOST ? costs[i] : NULL; }
const char *nv_cost_name(const struct nv_cost *c) { return c->name; }
const char *nv_cost_desc(const struct nv_cost *c) { return c->desc; }
const char *nv_cost_host(const struct nv_cost *c) { return c->host ? c->host : ""; }

/* Cost table by name (case-insensitive), NULL if unknown. */
const struct nv_cost *nv_cost_find(const char *name)
{
	for (int i = 0; name && i < NCOST; i++)
		if (!strcasecmp(costs[i]->name, name))
			return costs[i];
	return NULL;
}

const char *nv_cost_hypothetical_why(const struct nv_cost *c, const struct nv_arch *a)
{
	if (!c || !a || !a->nested)
		return NULL;
	if (a->needs_nv2 && !c->nv2_host)
		return "the host has no FEAT_NV2; upstream KVM runs nested guests only on NV2 CPUs";
	if (!a->needs_nv2 && c->nv2_host)
		return "KVM on this NV2 host uses NV2: these traps are a what-if on it";
	return NULL;
}

int nv_cost_hypothetical(const struct nv_cost *c, const struct nv_arch *a)
{
	return nv_cost_hypothetical_why(c, a) != NULL;
}

/* Cycles of a named native block; the platform default when not listed.
 * On every sub-model op of replay's fast path: the first byte is compared
 * before the string. */
uint32_t nv_cost_block_cycles(const struct nv_cost *c, const char *name)
{
	for (uint32_t i = 0; name && i < c->nblocks; i++)
		if (c->blocks[i].name[0] == name[0] && !strcmp(c->blocks[i].name, name))
			return c->blocks[i].cycles;
	return c->native_block_default;
}

uint32_t nv_cost_block_cycles_of(const struct nv_cost *c, const char *name)
{
	return nv_cost_block_cycles(c, name);
}

int nv_cost_has_block(const struct nv_cost *c, const char *name)
{
	for (uint32_t i = 0; name && i < c->nblocks; i++)
		if (!strcmp(c->blocks[i].name, name))
			return 1;
	return 0;
}

static const char *const prov_names[NV_PROV__COUNT] = {
	"measured", "derived", "fitted", "assumed", "placeholder",
};

const char *nv_prov_name(int prov)
{
	return prov >= 0 && prov < NV_PROV__COUNT ? prov_names[prov] : "?";
}

int nv_prov_from_name(const char *name)
{
	for (int i = 0; name && i < NV_PROV__COUNT; i++)
		if (!strcmp(prov_names[i], name))
			return i;
	return -1;
}

/* The scalars by name and offset: the one list of them (NV_COST_SCALARS). */
static const struct { const char *name; size_t off; } scalars[] = {
#define X(f) { #f, offsetof(struct nv_cost, f) },
	NV_COST_SCALARS(X)
#undef X
};
#define NSCALAR ((int)(sizeof(scalars) / sizeof(scalars[0])))

int nv_cost_scalar_count(void) { return NSCALAR; }
const char *nv_cost_scalar_name(int i) { return i >= 0 && i < NSCALAR ? scalars[i].name : NULL; }
uint32_t *nv_cost_scalar_ptr(struct nv_cost *c, int i) { return (uint32_t *)((char *)c + scalars[i].off); }

/* The note for (group, name), or the group's "*" note; NULL if neither. */
static const struct nv_cost_note *note_of(const struct nv_cost *c, const char *group, const char *name)
{
	const struct nv_cost_note *star = NULL;

	for (uint32_t i = 0; i < c->nnotes; i++) {
		const struct nv_cost_note *n = &c->notes[i];
		if (strcmp(n->group, group))
			continue;
		if (!strcmp(n->name, name))
			return n;
		if (!strcmp(n->name, "*"))
			star = n;
	}
	return star;
}

/* Handlers listed: every one but "-" (never costed). */
int nv_cost_const_count(const struct nv_cost *c)
{
	return NSCALAR + (NV_H__COUNT - 1) + (int)c->nblocks;
}

int nv_cost_const_at(const struct nv_cost *c, int i, struct nv_cost_const *out)
{
	const struct nv_cost_note *n;

	if (i < 0 || i >= nv_cost_const_count(c))
		return -1;
	if (i < NSCALAR) {
		out->group = "param";
		out->name = scalars[i].name;
		out->value = *(const uint32_t *)((const char *)c + scalars[i].off);
	} else if (i < NSCALAR + NV_H__COUNT - 1) {
		int h = i - NSCALAR + 1;
		out->group = "handler";
		out->name = nv_handler_name((enum nv_handler)h);
		out->value = c->handler[h];
	} else {
		const struct nv_cost_block *b = &c->blocks[i - NSCALAR - (NV_H__COUNT - 1)];
		out->group = "block";
		out->name = b->name;
		out->value = b->cycles;
	}
	n = note_of(c, out->group, out->name);
	out->prov = n ? n->prov : NV_PROV_PLACEHOLDER;
	out->source = n && n->source ? n->source : "";
	return 0;
}
