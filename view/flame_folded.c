/*
 * Folded stacks, the input of flamegraph.pl, inferno and speedscope: one
 * line per stack, frames joined by ';', then the weight the stack itself
 * holds.  A differential tree writes both weights ("stack A B"), the
 * format of flamegraph.pl's difffolded.pl.
 */
#include <inttypes.h>
#include <string.h>
#include "view/flame.h"

/* A frame name with the two characters that would break the format replaced. */
static void folded_name(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc(*s == ';' ? ':' : *s == '\n' ? ' ' : *s, out);
}

/* The stack of node i, root excluded, outermost first. */
static void stack(FILE *out, const struct flame *f, int i)
{
	if (f->n[i].parent > 0) {
		stack(out, f, f->n[i].parent);
		fputc(';', out);
	}
	folded_name(out, f->n[i].name);
}

/* Depth first: a line for every node whose own weight is not zero. */
static void walk(FILE *out, const struct flame *f, int i)
{
	const struct flame_node *n = &f->n[i];
	uint64_t a = n->value, b = n->value_b;

	for (int c = n->first; c >= 0; c = f->n[c].next) {
		a -= f->n[c].value;
		b -= f->n[c].value_b;
		walk(out, f, c);
	}
	if (i == 0 || (!a && !b))
		return;
	stack(out, f, i);
	if (f->diff)
		fprintf(out, " %" PRIu64 " %" PRIu64 "\n", a, b);
	else
		fprintf(out, " %" PRIu64 "\n", a);
}

/* Every stack with a weight of its own, depth first. */
int flame_write_folded(const struct flame *f, FILE *out)
{
	walk(out, f, 0);
	return ferror(out) ? -1 : 0;
}
