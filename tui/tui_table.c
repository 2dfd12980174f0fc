/*
 * The tables of the UI's screens, drawn one way: every column as wide as its
 * widest value (header included), the first `fixed` columns always shown and
 * the others scrolled sideways a whole column at a time (Left/Right), so that
 * a row never wraps and no value is ever cut at the screen's edge.  Text
 * written outside tables goes through tui_put, which clips at the edge.
 */
#include <curses.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "tui/tui.h"

/* Formatted text at (y, x), cut at the screen's right edge (never wrapped). */
void tui_put(int y, int x, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	if (x >= COLS || y >= LINES || x < 0 || y < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	mvaddnstr(y, x, buf, COLS - x);
}

/* The widths of the columns: the widest of header and every row's value. */
static void widths(struct tui *t, const struct tui_table *tb, int *w)
{
	char buf[TUI_CELL];
	int attr;

	for (int c = 0; c < tb->ncol; c++)
		w[c] = (int)strlen(tb->head[c]);
	for (int r = 0; r < tb->nrows; r++)
		for (int c = 0; c < tb->ncol; c++) {
			buf[0] = 0;
			tb->cell(t, r, c, buf, sizeof(buf), &attr);
			if ((int)strlen(buf) > w[c])
				w[c] = (int)strlen(buf);
		}
}

/* One cell padded to its width, aligned; nothing when it would pass x_end. */
static void put_cell(int y, int x, int w, const char *s, int left)
{
	int n = (int)strlen(s);

	if (left)
		mvprintw(y, x, "%s%*s", s, w - n, "");
	else
		mvprintw(y, x, "%*s%s", w - n, "", s);
}

/*
 * Draw tb: the header at y, rows top.. below it (list rows), row sel in
 * reverse video.  *hcol is the first scrolled column shown (kept in range).
 * Returns the columns hidden: bit 0 some on the left, bit 1 some on the right.
 */
int tui_table_draw(struct tui *t, const struct tui_table *tb, int y, int list, int cols,
		   int sel, int top, int *hcol)
{
	int w[TUI_MAX_COLS], show[TUI_MAX_COLS], nshow = 0, x = 1, hidden = 0, last = -1;
	char buf[TUI_CELL];

	if (tb->ncol <= 0 || tb->ncol > TUI_MAX_COLS)
		return 0;
	widths(t, tb, w);
	if (*hcol > tb->ncol - tb->fixed - 1)
		*hcol = tb->ncol - tb->fixed - 1;
	if (*hcol < 0)
		*hcol = 0;
	for (int c = 0; c < tb->ncol; c++) {
		if (c >= tb->fixed && c < tb->fixed + *hcol) {
			hidden |= 1;
			continue;
		}
		if (x + w[c] > cols - 1) {	/* the last screen column stays free */
			if (c >= tb->fixed || nshow == 0)
				hidden |= 2;
			if (nshow == 0 && c == 0)	/* not even the first: nothing fits */
				return hidden;
			break;
		}
		show[nshow++] = c;
		last = c;
		x += w[c] + 2;
	}
	if (last < tb->ncol - 1)
		hidden |= 2;
	attron(A_BOLD);
	for (int k = 0, x = 1; k < nshow; x += w[show[k]] + 2, k++)
		put_cell(y, x, w[show[k]], tb->head[show[k]], tb->left[show[k]]);
	attroff(A_BOLD);
	for (int r = top, yy = y + 1; r < tb->nrows && yy < y + 1 + list; r++, yy++) {
		if (r == sel)
			attron(A_REVERSE);
		for (int k = 0, x = 1; k < nshow; x += w[show[k]] + 2, k++) {
			int attr = 0;
			buf[0] = 0;
			tb->cell(t, r, show[k], buf, sizeof(buf), &attr);
			if (attr)
				attron(attr);
			put_cell(yy, x, w[show[k]], buf, tb->left[show[k]]);
			if (attr)
				attroff(attr);
			if (k + 1 < nshow)
				printw("  ");
		}
		if (r == sel)
			attroff(A_REVERSE);
	}
	return hidden;
}

/* A screen's title line, with a marker at its right end when columns are hidden. */
void tui_title(int y, int cols, int hidden, const char *fmt, ...)
{
	static const char *const mark[4] = { "", "[<- more columns]", "[more columns ->]",
					     "[<- more columns ->]" };
	char buf[512];
	int n, m = (int)strlen(mark[hidden & 3]);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = (int)strlen(buf);
	if (m && n + m + 3 > cols - 1 && cols - m - 5 > 0) {
		/* the marker wins over the end of the title, cut after a whole word: ".." */
		int k = cols - m - 5;
		while (k > 0 && buf[k] != ' ')
			k--;
		while (k > 0 && (buf[k - 1] == ' ' || buf[k - 1] == ','))
			k--;
		if (!k)
			k = cols - m - 5;
		memcpy(buf + k, "..", 3);
		n = k + 2;
	}
	if (n > cols - 2)
		n = cols - 2;
	if (n > 0)
		mvaddnstr(y, 1, buf, n);
	if (m && cols - m - 1 > 0)
		mvaddnstr(y, cols - m - 1, mark[hidden & 3], m);
}
