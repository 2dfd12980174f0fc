/*
 * How the screens write numbers and fates: shared by every screen, apart
 * from the frame (tui_main.c) so that the screens do not call back into it.
 */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include "tui/tui.h"

/* Thousands separators without locale games. */
void tui_fmt_u64(char *buf, size_t len, uint64_t v)
{
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "%llu", (unsigned long long)v), o = 0;

	for (int i = 0; i < n && (size_t)o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = tmp[i];
	}
	buf[o] = 0;
}

/* Colour (or, without colours, bold for traps) of a fate; 0 for none. */
int tui_fate_attr(const struct tui *t, const char *fate)
{
	static const struct { const char *fate; int pair; } map[] = {
		{ "trap", CP_TRAP }, { "memory", CP_MEMORY }, { "redirect", CP_REDIRECT },
		{ "native", CP_NATIVE },
	};
	int attr = 0;

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(fate, map[i].fate))
			attr = t->colour ? COLOR_PAIR(map[i].pair) : (map[i].pair == CP_TRAP ? A_BOLD : 0);
	return attr;
}

