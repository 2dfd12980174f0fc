/*
 * Per-vCPU state of the stateful sub-models (shadow stage-2 MMU, timers,
 * vGIC).  Part 1 of the model keeps none; the sub-models add their fields
 * here and replay keeps one per vCPU.
 */
#include <stdlib.h>
#include "model_int.h"

struct nv_vcpu {
	int in_vel2;	/* placeholder until the sub-models add real state */
};

struct nv_vcpu *nv_vcpu_new(void)
{
	return calloc(1, sizeof(struct nv_vcpu));
}

void nv_vcpu_free(struct nv_vcpu *v)
{
	free(v);
}
