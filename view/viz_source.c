/* What every viz source shares: architecture lookup, an operation's function, closing. */
#include <string.h>
#include "view/viz.h"

/* Position of arch among the source's architectures, or -1. */
int viz_arch_index(const struct viz_source *s, const char *arch)
{
	for (int i = 0; arch && i < s->narch; i++)
		if (!strcmp(s->arch[i], arch))
			return i;
	return -1;
}

/* The guest hypervisor function an operation runs in, or its phase when unknown. */
const char *viz_op_fn(const struct viz_op *op)
{
	return op->fn && *op->fn ? op->fn : op->phase;
}

/* Free a source through its own free function. */
void viz_source_free(struct viz_source *s)
{
	if (s && s->free)
		s->free(s);
}
