/* Cost tables: lookup by name; the tables themselves are model/cost_*.c. */
#include <string.h>
#include <strings.h>
#include "model/model_int.h"

extern const struct nv_cost nv_cost_xgene;
static const struct nv_cost *const costs[] = { &nv_cost_xgene };
#define NCOST ((int)(sizeof(costs) / sizeof(costs[0])))

int nv_cost_count(void) { return NCOST; }
const struct nv_cost *nv_cost_at(int i) { return i >= 0 && i < NCOST ? costs[i] : NULL; }
const char *nv_cost_name(const struct nv_cost *c) { return c->name; }
const char *nv_cost_desc(const struct nv_cost *c) { return c->desc; }

/* Cost table by name (case-insensitive), NULL if unknown. */
const struct nv_cost *nv_cost_find(const char *name)
{
	for (int i = 0; name && i < NCOST; i++)
		if (!strcasecmp(costs[i]->name, name))
			return costs[i];
	return NULL;
}

/* Cycles of a named native block; the platform default when not listed. */
uint32_t nv_cost_block_cycles(const struct nv_cost *c, const char *name)
{
	for (uint32_t i = 0; name && i < c->nblocks; i++)
		if (!strcmp(c->blocks[i].name, name))
			return c->blocks[i].cycles;
	return c->native_block_default;
}
