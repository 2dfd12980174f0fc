/* Per-kind totals of a source: what the tables of ui, plot and export show. */
#include <string.h>
#include "view/viz.h"

struct sum_ctx {
	struct viz_summary *sum;
	int a;			/* architecture column being walked */
};

/* The row of a kind, made on first sight ("other" once the table is full). */
static struct viz_kind_stat *row_of(struct viz_summary *sum, const char *kind)
{
	for (int i = 0; i < sum->nkind; i++)
		if (!strcmp(sum->kind[i].kind, kind))
			return &sum->kind[i];
	if (sum->nkind == VIZ_MAX_KIND)
		return row_of(sum, "other");
	struct viz_kind_stat *k = &sum->kind[sum->nkind++];
	snprintf(k->kind, sizeof(k->kind), "%s", kind);
	memset(k->min_cycles, 0xff, sizeof(k->min_cycles));
	return k;
}

/* Add one exit's totals under the current architecture. */
static void add(struct viz_kind_stat *k, int a, const struct viz_exit *e)
{
	if (a == 0) {
		k->count++;
		if (e->ts_start >= 0 && e->ts_end > e->ts_start)
			k->real_ns += e->ts_end - e->ts_start;
	}
	k->traps[a] += e->traps;
	k->cycles[a] += e->cycles;
	if (e->cycles < k->min_cycles[a])
		k->min_cycles[a] = e->cycles;
	if (e->cycles > k->max_cycles[a])
		k->max_cycles[a] = e->cycles;
}

/* One exit into its kind's row and the total. */
static int sum_exit(void *ctx, const struct viz_exit *e)
{
	struct sum_ctx *c = ctx;

	add(row_of(c->sum, e->kind), c->a, e);
	add(&c->sum->total, c->a, e);
	return 0;
}

/* One walk per architecture, without operations. */
int viz_summarize(struct viz_source *s, struct viz_summary *sum)
{
	struct sum_ctx c = { sum, 0 };
	struct viz_sink sink = { &c, sum_exit, NULL };

	memset(sum, 0, sizeof(*sum));
	snprintf(sum->total.kind, sizeof(sum->total.kind), "total");
	memset(sum->total.min_cycles, 0xff, sizeof(sum->total.min_cycles));
	sum->narch = s->narch;
	for (c.a = 0; c.a < s->narch; c.a++)
		if (s->walk(s, s->arch[c.a], 0, &sink))
			return -1;
	return 0;
}
