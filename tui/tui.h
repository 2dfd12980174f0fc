/*
 * nvtrace ui: the terminal UI (ncurses).  Screens: the run overview, the
 * exit table (sortable, like perf kvm stat), the architectures side by side,
 * a horizontal flame view; from the exit table a kind drills down to its
 * nested exits, and a nested exit to its operations and their fates.
 */
#ifndef NVTRACE_TUI_H
#define NVTRACE_TUI_H

#include "view/viz.h"
#include "view/flame.h"

enum tui_screen { SCR_OVERVIEW, SCR_EXITS, SCR_ARCHS, SCR_FLAME, SCR_KIND, SCR_OPS, SCR__COUNT };

/* Columns the exit table sorts by. */
enum tui_sort { SORT_COUNT, SORT_CYCLES, SORT_TRAPS, SORT_KIND, SORT__COUNT };

struct tui_exit {		/* a row of the drill-down list */
	int64_t id;
	int vcpu;
	int64_t ts;
	uint64_t traps, cycles;
};

struct tui_op {			/* a row of one exit's operations */
	char phase[16], fn[64], op[96], fate[16], handler[48];
	uint64_t cycles;
	unsigned traps;
};

struct tui {
	struct viz_source *s;
	struct viz_summary sum;
	enum tui_screen screen, back;
	int arch;			/* selected architecture (index in s->arch) */
	enum tui_sort sort;
	int reverse;
	int order[VIZ_MAX_KIND];	/* rows of the exit table after sorting */
	int sel[SCR__COUNT], top[SCR__COUNT];	/* cursor and scroll per screen */
	int hcol[SCR__COUNT];		/* first scrolled table column shown per screen */
	int colour;
	int help;
	char kind[24];			/* drilled kind */
	struct tui_exit *exits;
	int nexits, exits_cap;
	uint64_t exits_more;		/* exits of the kind not listed */
	struct tui_op *ops;
	int nops, ops_cap;
	int64_t exit_id;
	struct flame *flame;		/* of the selected architecture */
	int flame_arch;
	int focus, fsel;		/* flame view: zoomed node, selected node */
	unsigned char *fdrawn;		/* flame view: 1 for the frames the last draw showed */
	char status[320];
	struct live *live;		/* ui --live: the run followed */
	int live_order[64], nlive;	/* its rows: kinds seen, most exits first */
};

/* Colour pairs (when the terminal has colours). */
enum { CP_BAR = 1, CP_TRAP, CP_MEMORY, CP_REDIRECT, CP_NATIVE, CP_KIND, CP_PHASE };

struct live;

/* Start ncurses for t (colour pairs when the terminal has colours); 0 or -1. */
int tui_curses_start(struct tui *t);

/*
 * ui --live: follow the growing run at path (polled every interval
 * seconds) until q; 0, or -1 with one line in err.
 */
int tui_live(const char *path, double interval, char *err, size_t errlen);

/* Run the UI on a source until q; returns 0, or -1 with a message in s->err. */
int tui_run(struct viz_source *s);

/* Screens (tui_tables.c, tui_drill.c, tui_flame.c). */
void tui_sort(struct tui *t);
void tui_draw_overview(struct tui *t, int y0, int rows, int cols);
void tui_draw_exits(struct tui *t, int y0, int rows, int cols);
void tui_draw_archs(struct tui *t, int y0, int rows, int cols);
int tui_load_kind(struct tui *t, const char *kind);
int tui_load_ops(struct tui *t, int64_t id);
void tui_draw_kind(struct tui *t, int y0, int rows, int cols);
void tui_draw_ops(struct tui *t, int y0, int rows, int cols);
int tui_flame_load(struct tui *t);
void tui_draw_flame(struct tui *t, int y0, int rows, int cols);
void tui_flame_key(struct tui *t, int key);

/*
 * A table of a screen (tui_table.c): columns sized to their content, the
 * first `fixed` always shown, the others scrolled sideways whole.
 */
#define TUI_MAX_COLS 16
#define TUI_CELL 64
struct tui_table {
	int ncol, fixed, nrows;
	const char *head[TUI_MAX_COLS];
	char left[TUI_MAX_COLS];	/* 1: text, aligned left; 0: numbers, right */
	/* The text of row r, column c; *attr: extra attributes (0 none). */
	void (*cell)(struct tui *t, int r, int c, char *buf, size_t len, int *attr);
};
int tui_table_draw(struct tui *t, const struct tui_table *tb, int y, int list, int cols,
		   int sel, int top, int *hcol);
void tui_title(int y, int cols, int hidden, const char *fmt, ...);
void tui_put(int y, int x, const char *fmt, ...);	/* clipped at the right edge */

/* Helpers shared by the screens. */
int tui_fate_attr(const struct tui *t, const char *fate);	/* the attribute itself */
int tui_rows_of(struct tui *t);	/* rows of the current list */
void tui_fmt_u64(char *buf, size_t len, uint64_t v);	/* 1,234,567 */

#endif
