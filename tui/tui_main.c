/*
 * The terminal UI's frame: start and stop ncurses, the tab bar and the key
 * line, the help window, the main loop and its keys.  Screens draw into the
 * area between the tab bar and the key line; a resize just redraws.
 */
#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include "tui/tui.h"

static const char *const tab_names[SCR__COUNT] = {
	"1 Overview", "2 Exits", "3 Archs", "4 Flame", "Kind", "Exit",
};

/* The keys line of each screen (the bottom row). */
static const char *const key_lines[SCR__COUNT] = {
	"1-4/Tab screens  Left/Right columns  a arch  ? help  q quit",
	"Up/Down move  Enter drill in  s sort  r reverse  a arch  ? help  q quit",
	"1-4/Tab screens  Left/Right columns  a arch  ? help  q quit",
	"Left/Right frame  Up/Down depth  Enter zoom  Bksp out  a arch  ? help  q quit",
	"Up/Down move  Enter operations  Bksp back  a arch  ? help  q quit",
	"Up/Down scroll  Left/Right columns  Bksp back  a arch  ? help  q quit",
};

static const char *const help_text[] = {
	"nvtrace ui: keys",
	"",
	"  1 2 3 4, Tab   overview, exit table, architectures, flame view",
	"  Up Down j k    move the cursor;  PgUp PgDn  a page",
	"  Enter          exit table: the nested exits of a kind;",
	"                 exit list: the operations of one nested exit;",
	"                 flame view: zoom into the selected frame",
	"  Backspace Esc  back (flame view: zoom out)",
	"  Left Right     tables wider than the screen: scroll a column;",
	"                 flame view: the frame beside",
	"  s              exit table: sort by count, cycles, traps, kind",
	"  r              exit table: reverse the order",
	"  a              next architecture (exit table, drill-down, flame)",
	"  ?              this help;  q  quit",
	"",
	"Fates: trap = exception to L0 (its handler named), memory = VNCR page,",
	"redirect = hardware runs it on an EL1 register, native = no L0 involved.",
	"",
	"Press any key to close.",
};

/* Rows of the list the current screen scrolls. */
int tui_rows_of(struct tui *t)
{
	switch (t->screen) {
	case SCR_EXITS: return t->sum.nkind;
	case SCR_KIND:  return t->nexits;
	case SCR_OPS:   return t->nops;
	default:        return 0;
	}
}

/* The tab bar: screens, the source and the selected architecture. */
static void draw_bar(struct tui *t, int cols)
{
	int x = 0;

	attron(t->colour ? COLOR_PAIR(CP_BAR) : A_REVERSE);
	mvhline(0, 0, ' ', cols);
	for (int i = 0; i < SCR__COUNT; i++) {
		if (i >= SCR_KIND && (int)t->screen != i)
			continue;
		if (i == (int)t->screen)
			attron(A_BOLD | A_UNDERLINE);
		tui_put(0, x, " %s ", tab_names[i]);
		if (i == (int)t->screen)
			attroff(A_BOLD | A_UNDERLINE);
		x += (int)strlen(tab_names[i]) + 2;
	}
	char right[320];
	snprintf(right, sizeof(right), " arch %s | %.200s ", t->s->arch[t->arch], t->s->title);
	if ((int)strlen(right) < cols - x)
		mvaddstr(0, cols - (int)strlen(right), right);
	attroff(t->colour ? COLOR_PAIR(CP_BAR) : A_REVERSE);
}

/* The help box over the screen. */
static void draw_help(int rows, int cols)
{
	int n = (int)(sizeof(help_text) / sizeof(help_text[0])), w = 76;
	int y0 = rows > n + 2 ? (rows - n - 2) / 2 : 0, x0 = cols > w ? (cols - w) / 2 : 0;

	for (int i = -1; i <= n && y0 + i + 1 < rows; i++) {
		move(y0 + i + 1, x0);
		for (int k = 0; k < w && x0 + k < cols; k++)
			addch(i < 0 || i == n ? '-' : ' ');
		if (i >= 0 && i < n)
			mvaddnstr(y0 + i + 1, x0 + 2, help_text[i], cols - x0 - 2);
	}
}

/* Redraw everything: bar, screen, key line, help. */
static void draw(struct tui *t)
{
	int rows, cols;

	getmaxyx(stdscr, rows, cols);
	erase();
	if (rows < 6 || cols < 30) {
		mvaddnstr(0, 0, "terminal too small", cols);
		refresh();
		return;
	}
	draw_bar(t, cols);
	switch (t->screen) {
	case SCR_OVERVIEW: tui_draw_overview(t, 1, rows - 2, cols); break;
	case SCR_EXITS:    tui_draw_exits(t, 1, rows - 2, cols); break;
	case SCR_ARCHS:    tui_draw_archs(t, 1, rows - 2, cols); break;
	case SCR_FLAME:    tui_draw_flame(t, 1, rows - 2, cols); break;
	case SCR_KIND:     tui_draw_kind(t, 1, rows - 2, cols); break;
	case SCR_OPS:      tui_draw_ops(t, 1, rows - 2, cols); break;
	default: break;
	}
	attron(A_REVERSE);
	mvhline(rows - 1, 0, ' ', cols);
	mvaddnstr(rows - 1, 0, t->status[0] ? t->status : key_lines[t->screen], cols);
	attroff(A_REVERSE);
	if (t->help)
		draw_help(rows, cols);
	refresh();
}

/* Move the cursor of a list screen, keeping it in range. */
static void move_sel(struct tui *t, int delta)
{
	int n = tui_rows_of(t), *sel = &t->sel[t->screen];

	*sel += delta;
	if (*sel >= n)
		*sel = n - 1;
	if (*sel < 0)
		*sel = 0;
}

/* Enter: drill from the exit table into a kind, from a kind into one exit. */
static void enter(struct tui *t)
{
	if (t->screen == SCR_EXITS && t->sum.nkind) {
		const char *kind = t->sum.kind[t->order[t->sel[SCR_EXITS]]].kind;
		if (tui_load_kind(t, kind) == 0) {
			t->screen = SCR_KIND;
			t->sel[SCR_KIND] = t->top[SCR_KIND] = 0;
		}
	} else if (t->screen == SCR_KIND && t->nexits) {
		if (tui_load_ops(t, t->exits[t->sel[SCR_KIND]].id) == 0) {
			t->screen = SCR_OPS;
			t->sel[SCR_OPS] = t->top[SCR_OPS] = 0;
		}
	} else if (t->screen == SCR_FLAME) {
		tui_flame_key(t, '\n');
	}
}

/* Backspace: up one level of the drill-down, or zoom out. */
static void back(struct tui *t)
{
	if (t->screen == SCR_OPS)
		t->screen = SCR_KIND;
	else if (t->screen == SCR_KIND)
		t->screen = SCR_EXITS;
	else if (t->screen == SCR_FLAME)
		tui_flame_key(t, KEY_BACKSPACE);
}

/* The next architecture: reload what depends on it. */
static void next_arch(struct tui *t)
{
	t->arch = (t->arch + 1) % t->s->narch;
	tui_sort(t);
	if (t->screen == SCR_KIND)
		tui_load_kind(t, t->kind);
	else if (t->screen == SCR_OPS)
		tui_load_ops(t, t->exit_id);
	else if (t->screen == SCR_FLAME)
		tui_flame_load(t);
}

/* One key; returns 1 to quit. */
static int on_key(struct tui *t, int ch)
{
	int rows = LINES - 3;

	t->status[0] = 0;
	if (t->help) {
		t->help = 0;
		return 0;
	}
	switch (ch) {
	case 'q': case 'Q': return 1;
	case '?': case 'h': t->help = 1; break;
	case '1': t->screen = SCR_OVERVIEW; break;
	case '2': t->screen = SCR_EXITS; break;
	case '3': t->screen = SCR_ARCHS; break;
	case '4': t->screen = SCR_FLAME; tui_flame_load(t); break;
	case '\t':
		t->screen = t->screen >= SCR_FLAME ? SCR_OVERVIEW : t->screen + 1;
		if (t->screen == SCR_FLAME)
			tui_flame_load(t);
		break;
	case KEY_UP: case 'k':
		if (t->screen == SCR_FLAME) tui_flame_key(t, KEY_UP); else move_sel(t, -1);
		break;
	case KEY_DOWN: case 'j':
		if (t->screen == SCR_FLAME) tui_flame_key(t, KEY_DOWN); else move_sel(t, 1);
		break;
	case KEY_LEFT: case KEY_RIGHT:
		if (t->screen == SCR_FLAME)
			tui_flame_key(t, ch);
		else if (ch == KEY_RIGHT)
			t->hcol[t->screen]++;	/* the table keeps it in range */
		else if (t->hcol[t->screen] > 0)
			t->hcol[t->screen]--;
		break;
	case KEY_PPAGE: move_sel(t, -rows); break;
	case KEY_NPAGE: move_sel(t, rows); break;
	case KEY_HOME: t->sel[t->screen] = 0; break;
	case KEY_END: move_sel(t, 1 << 30); break;
	case '\n': case '\r': case KEY_ENTER: enter(t); break;
	case KEY_BACKSPACE: case 127: case 8: case 27: back(t); break;
	case 's':
		if (t->screen == SCR_EXITS) {
			t->sort = (t->sort + 1) % SORT__COUNT;
			tui_sort(t);
		}
		break;
	case 'r':
		if (t->screen == SCR_EXITS) {
			t->reverse = !t->reverse;
			tui_sort(t);
		}
		break;
	case 'a': next_arch(t); break;
	default: break;
	}
	return 0;
}

/* Free the UI state. */
static void tui_free(struct tui *t)
{
	free(t->exits);
	free(t->ops);
	flame_free(t->flame);
	free(t->fdrawn);
	free(t);
}

/* Start ncurses (colours only if the terminal has them); 0, or -1 without a terminal. */
int tui_curses_start(struct tui *t)
{
	setlocale(LC_ALL, "");
	if (!initscr())
		return -1;
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	curs_set(0);
	set_escdelay(25);
	if (has_colors()) {
		t->colour = 1;
		start_color();
		use_default_colors();
		init_pair(CP_BAR, COLOR_BLACK, COLOR_CYAN);
		init_pair(CP_TRAP, COLOR_RED, -1);
		init_pair(CP_MEMORY, COLOR_BLUE, -1);
		init_pair(CP_REDIRECT, COLOR_GREEN, -1);
		init_pair(CP_NATIVE, -1, -1);
		init_pair(CP_KIND, COLOR_BLACK, COLOR_YELLOW);
		init_pair(CP_PHASE, COLOR_BLACK, COLOR_WHITE);
	}
	return 0;
}

/* Summarise the source, start ncurses (colours only if the terminal has them), loop on keys. */
int tui_run(struct viz_source *s)
{
	struct tui *t = calloc(1, sizeof(*t));
	int ch;

	if (!t) {
		snprintf(s->err, sizeof(s->err), "out of memory");
		return -1;
	}
	t->s = s;
	t->flame_arch = -1;
	if (viz_summarize(s, &t->sum)) {
		tui_free(t);
		return -1;
	}
	t->arch = viz_arch_index(s, "v8.3") >= 0 ? viz_arch_index(s, "v8.3") : 0;
	tui_sort(t);
	if (tui_curses_start(t)) {
		snprintf(s->err, sizeof(s->err), "cannot start the terminal UI (TERM?)");
		tui_free(t);
		return -1;
	}
	t->screen = SCR_OVERVIEW;
	for (;;) {
		draw(t);
		ch = getch();
		if (ch == KEY_RESIZE)
			continue;
		if (ch == ERR || on_key(t, ch))
			break;
	}
	endwin();
	tui_free(t);
	return 0;
}
