/* Which named blocks of a model's paths have no calibrated cost. */
#include <string.h>
#include "model/model_int.h"

/* A block's provenance in the table: its note, else placeholder. */
static int block_prov(const struct nv_cost *c, const char *name)
{
	struct nv_cost_const k;

	if (!nv_cost_has_block(c, name))
		return NV_PROV_PLACEHOLDER;
	for (int i = 0; !nv_cost_const_at(c, i, &k); i++)
		if (!strcmp(k.group, "block") && !strcmp(k.name, name))
			return k.prov;
	return NV_PROV_PLACEHOLDER;
}

int nv_model_placeholders(struct nv_model *m, const char **names, int max)
{
	int n = 0;

	if (nv_model_prepare(m))
		return -1;
	for (int k = 0; k < NV_EXIT__COUNT; k++) {
		const struct nv_path *p = &m->path[k];
		for (int i = 0; i < p->n; i++) {
			const struct nv_op *op = &p->ops[i];
			int dup = 0;
			if (op->kind != NV_OP_NATIVE || !op->name ||
			    block_prov(m->cost, op->name) != NV_PROV_PLACEHOLDER)
				continue;
			for (int j = 0; j < n && j < max; j++)
				dup |= !strcmp(names[j], op->name);
			if (dup)
				continue;
			if (n < max)
				names[n] = op->name;
			n++;
		}
	}
	return n;
}
