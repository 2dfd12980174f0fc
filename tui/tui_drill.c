/*
 * Drilling down: the nested exits of one kind (in time order, capped), and
 * the operations of one nested exit with their phase, fate, L0 handler and
 * cycles under the selected architecture.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "tui/tui.h"

#define KIND_ROWS_MAX 100000	/* exits listed per kind; the rest are counted */

/* Keep the exits of the drilled kind (up to KIND_ROWS_MAX). */
static int kind_exit(void *ctx, const struct viz_exit *e)
{
	struct tui *t = ctx;

	if (strcmp(e->kind, t->kind))
		return 0;
	if (t->nexits == KIND_ROWS_MAX) {
		t->exits_more++;
		return 0;
	}
	if (t->nexits == t->exits_cap) {
		int cap = t->exits_cap ? t->exits_cap * 2 : 256;
		struct tui_exit *x = realloc(t->exits, sizeof(*x) * (size_t)cap);
		if (!x)
			return -1;
		t->exits = x;
		t->exits_cap = cap;
	}
	t->exits[t->nexits++] = (struct tui_exit){ e->id, e->vcpu, e->ts_start, e->traps, e->cycles };
	return 0;
}

/* The exits of a kind under the selected architecture. */
int tui_load_kind(struct tui *t, const char *kind)
{
	struct viz_sink sink = { t, kind_exit, NULL };

	if (kind != t->kind)
		snprintf(t->kind, sizeof(t->kind), "%s", kind);
	t->nexits = 0;
	t->exits_more = 0;
	if (t->s->walk(t->s, t->s->arch[t->arch], 0, &sink)) {
		snprintf(t->status, sizeof(t->status), "error: %.300s", t->s->err);	/* one screen line */
		return -1;
	}
	return 0;
}

/* Copy one operation into the list shown (the source's strings do not last). */
static int op_row(void *ctx, const struct viz_exit *e, const struct viz_op *op)
{
	struct tui *t = ctx;

	(void)e;
	if (t->nops == t->ops_cap) {
		int cap = t->ops_cap ? t->ops_cap * 2 : 128;
		struct tui_op *o = realloc(t->ops, sizeof(*o) * (size_t)cap);
		if (!o)
			return -1;
		t->ops = o;
		t->ops_cap = cap;
	}
	struct tui_op *o = &t->ops[t->nops++];
	snprintf(o->phase, sizeof(o->phase), "%s", op->phase);
	snprintf(o->fn, sizeof(o->fn), "%s", viz_op_fn(op));
	snprintf(o->op, sizeof(o->op), "%s", op->op);
	snprintf(o->fate, sizeof(o->fate), "%s", op->fate);
	snprintf(o->handler, sizeof(o->handler), "%s", op->handler ? op->handler : "");
	o->cycles = op->cycles;
	o->traps = op->traps;
	return 0;
}

/* The operations of one exit under the selected architecture. */
int tui_load_ops(struct tui *t, int64_t id)
{
	struct viz_sink sink = { t, NULL, op_row };

	t->exit_id = id;
	t->nops = 0;
	if (t->s->exit_ops(t->s, id, t->s->arch[t->arch], &sink)) {
		snprintf(t->status, sizeof(t->status), "error: %.300s", t->s->err);	/* one screen line */
		return -1;
	}
	return 0;
}

/* Keep a list's cursor visible. */
static void scroll_to(int *sel, int *top, int n, int list)
{
	if (*sel >= n)
		*sel = n ? n - 1 : 0;
	if (*sel < *top)
		*top = *sel;
	if (list > 0 && *sel >= *top + list)
		*top = *sel - list + 1;
}

/* A cell of the kind's exit list. */
static void kind_cell(struct tui *t, int r, int c, char *buf, size_t len, int *attr)
{
	const struct tui_exit *e = &t->exits[r];

	*attr = 0;
	switch (c) {
	case 0: snprintf(buf, len, "%lld", (long long)e->id); break;
	case 1: snprintf(buf, len, "%d", e->vcpu); break;
	case 2:
		if (e->ts >= 0 && t->s->has_time)
			snprintf(buf, len, "%.9f", (double)(e->ts - t->s->ts_first) / 1e9);
		else
			snprintf(buf, len, "-");
		break;
	case 3: snprintf(buf, len, "%llu", (unsigned long long)e->traps); break;
	default: tui_fmt_u64(buf, len, e->cycles); break;
	}
}

/* The exits of one kind: id, vCPU, time, traps, cycles. */
void tui_draw_kind(struct tui *t, int y0, int rows, int cols)
{
	int *sel = &t->sel[SCR_KIND], *top = &t->top[SCR_KIND], list = rows - 3, hidden;
	struct tui_table tb = { 5, 1, t->nexits, { "exit", "vCPU", "time (s)", "traps", "cycles" },
				{ 0, 0, 0, 0, 0 }, kind_cell };
	char more[64] = "";

	scroll_to(sel, top, t->nexits, list);
	hidden = tui_table_draw(t, &tb, y0 + 2, list, cols, *sel, *top, &t->hcol[SCR_KIND]);
	if (t->exits_more)
		snprintf(more, sizeof(more), ", %llu more not listed", (unsigned long long)t->exits_more);
	tui_title(y0, cols, hidden, "%d nested exits of kind %s%s under %s (Enter: its operations)%s",
		  t->nexits, t->kind, t->exits_more ? " listed" : "", t->s->arch[t->arch], more);
}

/* A cell of one exit's operations: the fate coloured (bold for traps without colours). */
static void op_cell(struct tui *t, int r, int c, char *buf, size_t len, int *attr)
{
	const struct tui_op *o = &t->ops[r];

	*attr = 0;
	switch (c) {
	case 0: snprintf(buf, len, "%d", r + 1); break;
	case 1: snprintf(buf, len, "%s", o->phase); break;
	case 2: snprintf(buf, len, "%s", o->op); break;
	case 3: snprintf(buf, len, "%s", o->fate); *attr = tui_fate_attr(t, o->fate); break;
	case 4: snprintf(buf, len, "%s", o->handler); break;
	case 5: tui_fmt_u64(buf, len, o->cycles); break;
	default: snprintf(buf, len, "%s", o->fn); break;
	}
}

/* One exit's operations in order: operation, fate, handler, cycles, then phase and function. */
void tui_draw_ops(struct tui *t, int y0, int rows, int cols)
{
	int *sel = &t->sel[SCR_OPS], *top = &t->top[SCR_OPS], list = rows - 3, hidden;
	struct tui_table tb = { 7, 1, t->nops,
		{ "seq", "phase", "operation", "fate", "L0 handler", "cycles", "function" },
		{ 0, 1, 1, 1, 1, 0, 1 }, op_cell };
	uint64_t cycles = 0, traps = 0;
	char c[32];

	for (int i = 0; i < t->nops; i++) {
		cycles += t->ops[i].cycles;
		traps += t->ops[i].traps;
	}
	tui_fmt_u64(c, sizeof(c), cycles);
	scroll_to(sel, top, t->nops, list);
	hidden = tui_table_draw(t, &tb, y0 + 2, list, cols, *sel, *top, &t->hcol[SCR_OPS]);
	tui_title(y0, cols, hidden, "Nested exit %lld (%s) under %s: %d operations, %llu traps to L0, %s cycles",
		  (long long)t->exit_id, t->kind, t->s->arch[t->arch], t->nops,
		  (unsigned long long)traps, c);
}
