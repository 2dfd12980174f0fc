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

/* See viz.h: "no results for architecture A (only for vm, v8.3, ...)". */
void viz_no_arch(const struct viz_source *s, const char *arch, char *err, size_t len)
{
	int n = snprintf(err, len, "no results for architecture %s (only for", arch ? arch : "?");
	for (int i = 0; i < s->narch && n > 0 && (size_t)n < len; i++)
		n += snprintf(err + n, len - (size_t)n, "%s %s", i ? "," : "", s->arch[i]);
	if (n > 0 && (size_t)n < len)
		snprintf(err + n, len - (size_t)n, ")");
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
