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

/* The run's metadata and replay, then the totals per architecture. */
void tui_draw_overview(struct tui *t, int y0, int rows, int cols)
{
	const struct viz_source *s = t->s;
	const struct viz_kind_stat *tot = &t->sum.total;
	int y = y0 + 1, vm = viz_arch_index(s, "vm");
	char a[32], b[32], c[32];

	attron(A_BOLD);
	mvaddnstr(y++, 2, s->title, cols - 4);
	attroff(A_BOLD);
	y++;
	for (const char *l = s->info; l && *l && y < y0 + rows;) {
		const char *nl = strchr(l, '\n');
		int n = nl ? (int)(nl - l) : (int)strlen(l);
		mvaddnstr(y++, 4, l, n < cols - 6 ? n : cols - 6);
		l = nl ? nl + 1 : l + n;
	}
	tui_fmt_u64(a, sizeof(a), tot->count);
	mvprintw(y++, 4, "nested exits: %s in %d kinds", a, t->sum.nkind);
	if (s->has_time)
		mvprintw(y++, 4, "time span: %.6f s", (double)(s->ts_last - s->ts_first) / 1e9);
	if (s->mismatched)
		mvprintw(y++, 4, "warning: %llu exits' operations do not add up to their stored totals",
			 (unsigned long long)s->mismatched);
	y++;
	if (y >= y0 + rows)
		return;
	attron(A_BOLD);
	mvprintw(y++, 4, "%-8s %14s %18s %14s %12s", "arch", "traps", "cycles", "cycles/exit", "vs vm");
	attroff(A_BOLD);
	for (int i = 0; i < s->narch && y < y0 + rows; i++) {
		tui_fmt_u64(a, sizeof(a), tot->traps[i]);
		tui_fmt_u64(b, sizeof(b), tot->cycles[i]);
		tui_fmt_u64(c, sizeof(c), tot->count ? tot->cycles[i] / tot->count : 0);
		mvprintw(y, 4, "%-8s %14s %18s %14s", s->arch[i], a, b, c);
		if (vm >= 0 && tot->cycles[vm])
			printw(" %11.1fx", (double)tot->cycles[i] / (double)tot->cycles[vm]);
		y++;
	}
}

/* The exit table of the selected architecture, like perf kvm stat. */
void tui_draw_exits(struct tui *t, int y0, int rows, int cols)
{
	const struct viz_kind_stat *tot = &t->sum.total;
	int ar = t->arch, n = t->sum.nkind, *sel = &t->sel[SCR_EXITS], *top = &t->top[SCR_EXITS];
	int list = rows - 4;
	char c1[32], c2[32], c3[32];

	mvprintw(y0, 1, "Analyze nested exits under %s, sorted by %s%s (s: sort, r: reverse)",
		 t->s->arch[ar], sort_names[t->sort], t->reverse ? ", reversed" : "");
	attron(A_BOLD);
	mvprintw(y0 + 2, 1, "%-10s %10s %9s %11s %13s %12s %12s %8s", "kind", "samples", "samples%",
		 "traps/exit", "cycles/exit", "min cycles", "max cycles", "cycles%");
	attroff(A_BOLD);
	if (*sel >= n)
		*sel = n ? n - 1 : 0;
	if (*sel < *top)
		*top = *sel;
	if (list > 0 && *sel >= *top + list)
		*top = *sel - list + 1;
	for (int i = *top, y = y0 + 3; i < n && y < y0 + 3 + list; i++, y++) {
		const struct viz_kind_stat *k = &t->sum.kind[t->order[i]];
		if (i == *sel)
			attron(A_REVERSE);
		tui_fmt_u64(c1, sizeof(c1), k->count);
		tui_fmt_u64(c2, sizeof(c2), k->count ? k->cycles[ar] / k->count : 0);
		mvprintw(y, 1, "%-10s %10s %8.2f%% %11.1f %13s", k->kind, c1,
			 tot->count ? 100.0 * (double)k->count / (double)tot->count : 0.0,
			 k->count ? (double)k->traps[ar] / (double)k->count : 0.0, c2);
		tui_fmt_u64(c1, sizeof(c1), k->count ? k->min_cycles[ar] : 0);
		tui_fmt_u64(c3, sizeof(c3), k->max_cycles[ar]);
		printw(" %12s %12s %7.2f%%", c1, c3,
		       tot->cycles[ar] ? 100.0 * (double)k->cycles[ar] / (double)tot->cycles[ar] : 0.0);
		if (i == *sel)
			attroff(A_REVERSE);
	}
	tui_fmt_u64(c1, sizeof(c1), tot->count);
	tui_fmt_u64(c2, sizeof(c2), tot->cycles[ar]);
	tui_fmt_u64(c3, sizeof(c3), tot->traps[ar]);
	mvprintw(y0 + rows - 1, 1, "Total samples: %s, traps %s, cycles %s", c1, c3, c2);
	(void)cols;
}

/* Per kind, traps and cycles per exit under each architecture, and the slowdown. */
void tui_draw_archs(struct tui *t, int y0, int rows, int cols)
{
	const struct viz_source *s = t->s;
	int vm = viz_arch_index(s, "vm"), x, y = y0 + 2;
	char c[32];

	mvprintw(y0, 1, "Per nested exit, each architecture: traps to L0 / cycles");
	attron(A_BOLD);
	mvprintw(y, 1, "%-10s %10s", "kind", "count");
	for (int a = 0, x = 23; a < s->narch && x + 22 <= cols; a++, x += 23)
		mvprintw(y, x, "%22s", s->arch[a]);
	attroff(A_BOLD);
	y++;
	for (int i = 0; i <= t->sum.nkind && y < y0 + rows - 2; i++, y++) {
		const struct viz_kind_stat *k = i < t->sum.nkind ? &t->sum.kind[t->order[i]] : &t->sum.total;
		if (k == &t->sum.total)
			attron(A_BOLD);
		tui_fmt_u64(c, sizeof(c), k->count);
		mvprintw(y, 1, "%-10s %10s", k->kind, c);
		x = 23;
		for (int a = 0; a < s->narch && x + 22 <= cols; a++, x += 23) {
			tui_fmt_u64(c, sizeof(c), k->count ? k->cycles[a] / k->count : 0);
			mvprintw(y, x, "%8.1f / %11s", k->count ? (double)k->traps[a] / (double)k->count : 0.0, c);
		}
		if (k == &t->sum.total)
			attroff(A_BOLD);
	}
	if (vm >= 0 && t->sum.total.cycles[vm] && y + 1 < y0 + rows) {
		mvprintw(y + 1, 1, "%-21s", "slowdown vs vm");
		x = 23;
		for (int a = 0; a < s->narch && x + 22 <= cols; a++, x += 23)
			mvprintw(y + 1, x, "%21.1fx", (double)t->sum.total.cycles[a] / (double)t->sum.total.cycles[vm]);
	}
}
