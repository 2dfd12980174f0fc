/* What every viz source shares: architecture lookup and closing. */
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

/* Free a source through its own free function. */
void viz_source_free(struct viz_source *s)
{
	if (s && s->free)
		s->free(s);
}
