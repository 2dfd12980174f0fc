/*
 * The UI's flame view: the merged flame graph of the selected architecture
 * drawn top down (an icicle), one terminal row per depth, widths in
 * proportion to cycles.  Only frames of two columns or more are drawn (a
 * marker and at least one character of the name); the arrows move among
 * the frames drawn, Enter zooms into the selected one, Backspace zooms out;
 * the bottom row details the selection.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include "schema/err.h"
#include "tui/tui.h"

/* Build the graph of the selected architecture (once per architecture). */
int tui_flame_load(struct tui *t)
{
	struct flame_opts o = { .mode = FLAME_GRAPH, .weight = FLAME_CYCLES, .arch = t->s->arch[t->arch] };
	char err[NV_ERR_LEN];

	if (t->flame && t->flame_arch == t->arch)
		return 0;
	flame_free(t->flame);
	free(t->fdrawn);
	t->fdrawn = NULL;
	t->flame = flame_build(t->s, &o, err, sizeof(err));
	t->flame_arch = t->arch;
	t->focus = 0;
	t->fsel = t->flame ? t->flame->n[0].first : 0;
	if (!t->flame) {
		snprintf(t->status, sizeof(t->status), "error: %.300s", err);	/* one screen line */
		return -1;
	}
	if (t->fsel < 0)
		t->fsel = 0;
	t->fdrawn = calloc((size_t)t->flame->len, 1);
	if (!t->fdrawn) {
		snprintf(t->status, sizeof(t->status), "error: out of memory");
		return -1;
	}
	return 0;
}

/* The attribute of a frame: its class colour, or plain reverse video. */
static int frame_attr(const struct tui *t, const struct flame_node *n)
{
	if (!t->colour)
		return A_REVERSE;
	switch (n->cls) {
	case FC_KIND:     return COLOR_PAIR(CP_KIND);
	case FC_PHASE:    return COLOR_PAIR(CP_PHASE);
	case FC_TRAP:     return COLOR_PAIR(CP_TRAP) | A_REVERSE;
	case FC_MEMORY:   return COLOR_PAIR(CP_MEMORY) | A_REVERSE;
	case FC_REDIRECT: return COLOR_PAIR(CP_REDIRECT) | A_REVERSE;
	default:          return A_REVERSE;
	}
}

/* Draw node i in columns [x, x+w) of its row, then its children below. */
static void draw_node(struct tui *t, int i, double x, double w, int y, int ymax)
{
	const struct flame *f = t->flame;
	const struct flame_node *n = &f->n[i];
	int x0 = (int)(x + 0.5), x1 = (int)(x + w + 0.5), attr = frame_attr(t, n);
	double cx = x;

	if (y >= ymax || x1 - x0 < 2)	/* too narrow to show: left out with its children */
		return;
	t->fdrawn[i] = 1;
	if (i == t->fsel)
		attr = (attr & ~A_REVERSE) | A_BOLD | A_UNDERLINE | (t->colour ? 0 : A_NORMAL);
	attron(attr);
	mvhline(y, x0, ' ', x1 - x0);
	mvaddch(y, x0, i == t->fsel ? '>' : '|');
	mvaddnstr(y, x0 + 1, n->name, x1 - x0 - 1);
	attroff(attr);
	for (int c = n->first; c >= 0; c = f->n[c].next) {
		double cw = n->value ? w * (double)f->n[c].value / (double)n->value : 0;
		draw_node(t, c, cx, cw, y + 1, ymax);
		cx += cw;
	}
}

/* Blank rows [y0, y1) before drawing the icicle again. */
static void erase_rows(int y0, int y1)
{
	for (int y = y0; y < y1; y++) {
		move(y, 0);
		clrtoeol();
	}
}

/* The title, the icicle from the zoomed frame down, the selection's details. */
void tui_draw_flame(struct tui *t, int y0, int rows, int cols)
{
	const struct flame *f = t->flame;
	char line[512], v[32];

	if (!f) {
		mvprintw(y0 + 1, 2, "no flame graph: %s", t->status);
		return;
	}
	memset(t->fdrawn, 0, (size_t)f->len);
	mvaddnstr(y0, 1, f->title, cols - 2);
	draw_node(t, t->focus, 0, cols - 1, y0 + 1, y0 + rows - 2);
	if (!t->fdrawn[t->fsel]) {	/* after a resize: back to the zoomed frame */
		t->fsel = t->focus;
		memset(t->fdrawn, 0, (size_t)f->len);
		erase_rows(y0 + 1, y0 + rows - 2);
		draw_node(t, t->focus, 0, cols - 1, y0 + 1, y0 + rows - 2);
	}
	const struct flame_node *sel = &f->n[t->fsel], *foc = &f->n[t->focus];
	tui_fmt_u64(v, sizeof(v), sel->value);
	int n = snprintf(line, sizeof(line), "%s: %s cycles (%.2f%% of all", sel->name, v,
			 f->n[0].value ? 100.0 * (double)sel->value / (double)f->n[0].value : 0.0);
	if (t->focus && n > 0 && (size_t)n < sizeof(line))
		n += snprintf(line + n, sizeof(line) - (size_t)n, ", %.2f%% of %s",
			      foc->value ? 100.0 * (double)sel->value / (double)foc->value : 0.0, foc->name);
	tui_fmt_u64(v, sizeof(v), sel->traps);
	if (n > 0 && (size_t)n < sizeof(line))
		snprintf(line + n, sizeof(line) - (size_t)n, "), %s traps%s%s",
			 v, sel->detail ? " | " : "", sel->detail ? sel->detail : "");
	mvaddnstr(y0 + rows - 1, 1, line, cols - 2);
}

/* The next (dir 1) or previous (dir -1) drawn sibling of node i, or -1. */
static int sibling(const struct tui *t, int i, int dir)
{
	const struct flame *f = t->flame;
	int p = f->n[i].parent, found = -1;

	if (p < 0)
		return -1;
	if (dir > 0) {
		for (int c = f->n[i].next; c >= 0; c = f->n[c].next)
			if (t->fdrawn[c])
				return c;
		return -1;
	}
	for (int c = f->n[p].first; c >= 0 && c != i; c = f->n[c].next)
		if (t->fdrawn[c])
			found = c;
	return found;
}

/* Arrows move the selection among the frames drawn, Enter zooms in, Backspace out. */
void tui_flame_key(struct tui *t, int key)
{
	const struct flame *f = t->flame;
	int k;

	if (!f)
		return;
	const struct flame_node *n = &f->n[t->fsel];
	switch (key) {
	case KEY_UP:
		if (t->fsel != t->focus && n->parent >= 0)
			t->fsel = n->parent;
		break;
	case KEY_DOWN:
		for (k = n->first; k >= 0 && !t->fdrawn[k]; k = f->n[k].next)
			;
		if (k >= 0)
			t->fsel = k;
		break;
	case KEY_RIGHT:
	case KEY_LEFT:
		if (t->fsel != t->focus && (k = sibling(t, t->fsel, key == KEY_RIGHT ? 1 : -1)) >= 0)
			t->fsel = k;
		break;
	case '\n':
		t->focus = t->fsel;
		break;
	case KEY_BACKSPACE:
		if (f->n[t->focus].parent >= 0) {
			t->fsel = t->focus;
			t->focus = f->n[t->focus].parent;
		}
		break;
	default:
		break;
	}
}
