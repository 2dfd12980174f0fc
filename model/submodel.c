/*
 * The sub-models a profile's "call NAME.STEP" lines reach.  Part 1 has only
 * stubs that add no ops (the shadow stage-2, timer and vGIC sub-models
 * replace them); a call to an unknown sub-model is ignored by eval.
 */
#include <string.h>
#include "model_int.h"

/* Stub: the step costs nothing until its sub-model exists. */
static int expand_nothing(const struct nv_model *m, const char *step, struct nv_vcpu *v,
			  enum nv_phase phase, struct nv_sink *s)
{
	(void)m, (void)step, (void)v, (void)phase, (void)s;
	return 0;
}

static const struct nv_submodel submodels[] = {
	{ "mmu", NV_SRC_MMU, expand_nothing },
	{ "timer", NV_SRC_TIMER, expand_nothing },
	{ "gic", NV_SRC_GIC, expand_nothing },
};

const struct nv_submodel *nv_submodel_find(const char *name)
{
	for (size_t i = 0; name && i < sizeof(submodels) / sizeof(submodels[0]); i++)
		if (!strcmp(submodels[i].name, name))
			return &submodels[i];
	return NULL;
}
