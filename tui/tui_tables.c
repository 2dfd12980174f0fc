/* The UI's tables: overview, the exit table (like perf kvm stat), architectures. */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "tui/tui.h"

static const char *const sort_names[SORT__COUNT] = { "count", "cycles", "traps", "kind" };

static struct tui *sort_ctx;	/* qsort has no context argument */

/* Compare two rows of the exit table by the current column. */
static int cmp_rows(const void *a, const void *b)
{
	const struct viz_kind_stat *x = &sort_ctx->sum.kind[*(const int *)a];
	const struct viz_kind_stat *y = &sort_ctx->sum.kind[*(const int *)b];
	int ar = sort_ctx->arch, r;

	switch (sort_ctx->sort) {
	case SORT_CYCLES: r = (x->cycles[ar] < y->cycles[ar]) - (x->cycles[ar] > y->cycles[ar]); break;
	case SORT_TRAPS:  r = (x->traps[ar] < y->traps[ar]) - (x->traps[ar] > y->traps[ar]); break;
	case SORT_KIND:   r = strcmp(x->kind, y->kind); break;
	default:          r = (x->count < y->count) - (x->count > y->count); break;
	}
	if (!r)
		r = strcmp(x->kind, y->kind);
	return sort_ctx->reverse ? -r : r;
}

/* Order the exit table's rows by the chosen column. */
void tui_sort(struct tui *t)
{
	for (int i = 0; i < t->sum.nkind; i++)
		t->order[i] = i;
	sort_ctx = t;
	qsort(t->order, (size_t)t->sum.nkind, sizeof(t->order[0]), cmp_rows);
	sort_ctx = NULL;
}

/* Overview table: per architecture traps, cycles, cycles per exit, slowdown. */
static void arch_cell(struct tui *t, int r, int c, char *buf, size_t len, int *attr)
{
	const struct viz_kind_stat *tot = &t->sum.total;
	int vm = viz_arch_index(t->s, "vm");

	*attr = 0;
	switch (c) {
	case 0: snprintf(buf, len, "%s", t->s->arch[r]); break;
	case 1: tui_fmt_u64(buf, len, tot->traps[r]); break;
	case 2: tui_fmt_u64(buf, len, tot->cycles[r]); break;
	case 3: tui_fmt_u64(buf, len, tot->count ? tot->cycles[r] / tot->count : 0); break;
	default:
		if (vm >= 0 && tot->cycles[vm])
			snprintf(buf, len, "%.1fx", (double)tot->cycles[r] / (double)tot->cycles[vm]);
		break;
	}
}

/* The run's metadata and replay, then the totals per architecture. */
void tui_draw_overview(struct tui *t, int y0, int rows, int cols)
{
	const struct viz_source *s = t->s;
	const struct viz_kind_stat *tot = &t->sum.total;
	struct tui_table tb = { 5, 1, s->narch, { "arch", "traps", "cycles", "cycles/exit", "vs vm" },
				{ 1, 0, 0, 0, 0 }, arch_cell };
	int y = y0 + 1, hidden;
	char a[32];

	attron(A_BOLD);
	tui_put(y++, 2, "%s", s->title);
	attroff(A_BOLD);
	y++;
	for (const char *l = s->info; l && *l && y < y0 + rows;) {
		const char *nl = strchr(l, '\n');
		int n = nl ? (int)(nl - l) : (int)strlen(l);
		tui_put(y++, 4, "%.*s", n, l);
		l = nl ? nl + 1 : l + n;
	}
	tui_fmt_u64(a, sizeof(a), tot->count);
	if (y < y0 + rows)
		tui_put(y++, 4, "nested exits: %s in %d kinds", a, t->sum.nkind);
	if (s->has_time && y < y0 + rows)
		tui_put(y++, 4, "time span: %.6f s", (double)(s->ts_last - s->ts_first) / 1e9);
	if (s->mismatched && y < y0 + rows)
		tui_put(y++, 4, "warning: %llu exits' operations do not add up to their stored totals",
			(unsigned long long)s->mismatched);
	y++;
	if (y >= y0 + rows - 1)
		return;
	hidden = tui_table_draw(t, &tb, y, y0 + rows - y - 1, cols, -1, 0, &t->hcol[SCR_OVERVIEW]);
	if (hidden)
		tui_title(y - 1, cols, hidden, "%s", "");
}

/* A cell of the exit table (row r of the sorted order). */
static void exit_cell(struct tui *t, int r, int c, char *buf, size_t len, int *attr)
{
	const struct viz_kind_stat *tot = &t->sum.total, *k = &t->sum.kind[t->order[r]];
	int ar = t->arch;

	*attr = 0;
	switch (c) {
	case 0: snprintf(buf, len, "%s", k->kind); break;
	case 1: tui_fmt_u64(buf, len, k->count); break;
	case 2: snprintf(buf, len, "%.2f%%", tot->count ? 100.0 * (double)k->count / (double)tot->count : 0.0); break;
	case 3: snprintf(buf, len, "%.1f", k->count ? (double)k->traps[ar] / (double)k->count : 0.0); break;
	case 4: tui_fmt_u64(buf, len, k->count ? k->cycles[ar] / k->count : 0); break;
	case 5: tui_fmt_u64(buf, len, k->count ? k->min_cycles[ar] : 0); break;
	case 6: tui_fmt_u64(buf, len, k->max_cycles[ar]); break;
	default:
		snprintf(buf, len, "%.2f%%", tot->cycles[ar] ? 100.0 * (double)k->cycles[ar] / (double)tot->cycles[ar] : 0.0);
		break;
	}
}

/* The exit table of the selected architecture, like perf kvm stat. */
void tui_draw_exits(struct tui *t, int y0, int rows, int cols)
{
	const struct viz_kind_stat *tot = &t->sum.total;
	struct tui_table tb = { 8, 1, t->sum.nkind,
		{ "kind", "samples", "samples%", "traps/exit", "cycles/exit", "min cycles", "max cycles", "cycles%" },
		{ 1, 0, 0, 0, 0, 0, 0, 0 }, exit_cell };
	int n = t->sum.nkind, *sel = &t->sel[SCR_EXITS], *top = &t->top[SCR_EXITS], hidden;
	int list = rows - 4;
	char c1[32], c2[32], c3[32];

	if (*sel >= n)
		*sel = n ? n - 1 : 0;
	if (*sel < *top)
		*top = *sel;
	if (list > 0 && *sel >= *top + list)
		*top = *sel - list + 1;
	hidden = tui_table_draw(t, &tb, y0 + 2, list, cols, *sel, *top, &t->hcol[SCR_EXITS]);
	tui_title(y0, cols, hidden, "Analyze nested exits under %s, sorted by %s%s (s: sort, r: reverse)",
		  t->s->arch[t->arch], sort_names[t->sort], t->reverse ? ", reversed" : "");
	tui_fmt_u64(c1, sizeof(c1), tot->count);
	tui_fmt_u64(c2, sizeof(c2), tot->cycles[t->arch]);
	tui_fmt_u64(c3, sizeof(c3), tot->traps[t->arch]);
	tui_put(y0 + rows - 1, 1, "Total samples: %s, traps %s, cycles %s", c1, c3, c2);
}

/* A cell of the architectures table: kinds, then total, then the slowdown row. */
static void archs_cell(struct tui *t, int r, int c, char *buf, size_t len, int *attr)
{
	const struct viz_source *s = t->s;
	int vm = viz_arch_index(s, "vm"), nk = t->sum.nkind;
	const struct viz_kind_stat *k = r < nk ? &t->sum.kind[t->order[r]] : &t->sum.total;

	*attr = r >= nk ? A_BOLD : 0;
	if (r == nk + 1) {		/* slowdown vs vm */
		if (c == 0)
			snprintf(buf, len, "slowdown vs vm");
		else if (c >= 2 && vm >= 0 && t->sum.total.cycles[vm])
			snprintf(buf, len, "%.1fx", (double)t->sum.total.cycles[c - 2] / (double)t->sum.total.cycles[vm]);
		return;
	}
	if (c == 0)
		snprintf(buf, len, "%s", k->kind);
	else if (c == 1)
		tui_fmt_u64(buf, len, k->count);
	else {
		char cy[32];
		tui_fmt_u64(cy, sizeof(cy), k->count ? k->cycles[c - 2] / k->count : 0);
		snprintf(buf, len, "%.1f / %s", k->count ? (double)k->traps[c - 2] / (double)k->count : 0.0, cy);
	}
}

/* Per kind, traps and cycles per exit under each architecture, and the slowdown. */
void tui_draw_archs(struct tui *t, int y0, int rows, int cols)
{
	const struct viz_source *s = t->s;
	int vm = viz_arch_index(s, "vm"), hidden;
	struct tui_table tb = { 2 + s->narch, 1, t->sum.nkind + 1 + (vm >= 0 && t->sum.total.cycles[vm]),
				{ "kind", "count" }, { 1, 0 }, archs_cell };

	for (int a = 0; a < s->narch && a + 2 < TUI_MAX_COLS; a++)
		tb.head[a + 2] = s->arch[a];
	if (tb.ncol > TUI_MAX_COLS)
		tb.ncol = TUI_MAX_COLS;
	hidden = tui_table_draw(t, &tb, y0 + 2, rows - 3, cols, -1, 0, &t->hcol[SCR_ARCHS]);
	tui_title(y0, cols, hidden, "Per nested exit, each architecture: traps to L0 / cycles");
}
