/* Whole-file reads (see slurp.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "collector/slurp.h"

/* See slurp.h: doubling buffer, bounded by max. */
char *nv_slurp(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t cap = 0, n = 0;
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		if (n + 1 >= cap) {
			if (cap > max) {
				snprintf(err, errlen, "%s: larger than %zu MB", path, max >> 20);
				goto fail;
			}
			char *b = realloc(buf, cap = cap ? cap * 2 : 65536);
			if (!b) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			buf = b;
		}
		size_t got = fread(buf + n, 1, cap - n - 1, f);
		n += got;
		if (!got)
			break;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto fail;
	}
	fclose(f);
	buf[n] = 0;
	*len = n;
	return buf;
fail:
	fclose(f);
	free(buf);
	return NULL;
}
