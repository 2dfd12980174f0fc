/*
 * ui --live: nested exits per kind and the guest hypervisor's traps, in all
 * and per second, while a run database grows (a recording writing it).  The
 * data comes from view/live.c; this screen polls it on a timer and draws one
 * table with the same column sizing and clipping as the other screens.
 */
#include <curses.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tui/tui.h"
#include "view/live.h"

/* Seconds on a monotonic clock. */
static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const struct live *order_ctx;	/* qsort has no context argument */

/* Most nested exits first, then by name. */
static int cmp_kinds(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;
	uint64_t ex = order_ctx->kind[x].exits, ey = order_ctx->kind[y].exits;

	if (ex != ey)
		return ex < ey ? 1 : -1;
	return strcmp(nv_kind_name((enum nv_kind)x), nv_kind_name((enum nv_kind)y));
}

/* The rows: every kind seen so far, sorted; the total goes last. */
static void order(struct tui *t)
{
	t->nlive = 0;
	for (int k = 0; k < NV_KIND__COUNT && t->nlive < 64; k++)
		if (t->live->kind[k].exits)
			t->live_order[t->nlive++] = k;
	order_ctx = t->live;
	qsort(t->live_order, (size_t)t->nlive, sizeof(int), cmp_kinds);
	order_ctx = NULL;
}

/* A cell: kind, nested exits, per second, traps, per second. */
static void live_cell(struct tui *t, int r, int c, char *buf, size_t len, int *attr)
{
	const struct live *l = t->live;
	int total = r == t->nlive;
	const struct live_kind *k = total ? NULL : &l->kind[t->live_order[r]];

	*attr = total ? A_BOLD : 0;
	switch (c) {
	case 0: snprintf(buf, len, "%s", total ? "total" : nv_kind_name((enum nv_kind)t->live_order[r])); break;
	case 1: tui_fmt_u64(buf, len, total ? l->exits : k->exits); break;
	case 2: snprintf(buf, len, "%.1f", total ? l->exits_rate : k->exits_rate); break;
	case 3: tui_fmt_u64(buf, len, total ? l->traps : k->traps); break;
	default: snprintf(buf, len, "%.1f", total ? l->traps_rate : k->traps_rate); break;
	}
}

/* The screen: bar, the table, the key line. */
static void draw(struct tui *t, const char *path)
{
	struct tui_table tb = { 5, 1, t->nlive + 1,
		{ "kind", "nested exits", "exits/s", "traps", "traps/s" }, { 1, 0, 0, 0, 0 }, live_cell };
	char ev[32];
	int rows, cols, hidden;

	getmaxyx(stdscr, rows, cols);
	erase();
	attron(t->colour ? COLOR_PAIR(CP_BAR) : A_REVERSE);
	mvhline(0, 0, ' ', cols);
	tui_put(0, 0, " live | %s", path);
	attroff(t->colour ? COLOR_PAIR(CP_BAR) : A_REVERSE);
	tui_fmt_u64(ev, sizeof(ev), t->live->events);
	hidden = tui_table_draw(t, &tb, 3, rows - 5, cols, -1, 0, &t->hcol[SCR_OVERVIEW]);
	tui_title(1, cols, hidden, "Nested exits per kind while the run grows: %s events read, %s",
		  ev, t->live->mode);
	if (t->status[0])
		tui_put(rows - 2, 1, "%s", t->status);
	attron(A_REVERSE);
	mvhline(rows - 1, 0, ' ', cols);
	mvaddnstr(rows - 1, 0, "refreshes every second  Left/Right columns  q quit", cols);
	attroff(A_REVERSE);
	refresh();
}

/* See tui.h. */
int tui_live(const char *path, double interval, char *err, size_t errlen)
{
	struct tui *t = calloc(1, sizeof(*t));
	double next;
	int ch;

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	t->live = live_open(path, err, errlen);
	if (!t->live || live_poll(t->live, now(), err, errlen)) {
		live_free(t->live);
		free(t);
		return -1;
	}
	if (tui_curses_start(t)) {
		snprintf(err, errlen, "cannot start the terminal UI (TERM?)");
		live_free(t->live);
		free(t);
		return -1;
	}
	next = now() + interval;
	for (;;) {
		order(t);
		draw(t, path);
		int wait = (int)((next - now()) * 1000);
		timeout(wait > 0 ? wait : 0);
		ch = getch();
		if (ch == 'q' || ch == 'Q')
			break;
		if (ch == KEY_RIGHT)
			t->hcol[SCR_OVERVIEW]++;
		else if (ch == KEY_LEFT && t->hcol[SCR_OVERVIEW] > 0)
			t->hcol[SCR_OVERVIEW]--;
		if (now() >= next) {
			char e[256];
			if (live_poll(t->live, now(), e, sizeof(e)))
				snprintf(t->status, sizeof(t->status), "error: %.200s", e);
			next = now() + interval;
		}
	}
	endwin();
	live_free(t->live);
	free(t);
	return 0;
}
