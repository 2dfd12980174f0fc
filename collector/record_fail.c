/*
 * The session's error line, shared by the session loop and both backends:
 * its own file so that the backends do not call back into the loop.
 */
#include <stdarg.h>
#include <stdio.h>
#include "collector/record_int.h"

/* Format one error line into s->err (see record_int.h); returns -1. */
int rec_fail(struct rec_state *s, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->err, s->errlen, fmt, ap);
	va_end(ap);
	return -1;
}
