/* Control bytes of untrusted text escaped for the terminal (term_text.h). */
#include <stdio.h>
#include "cli/term_text.h"

const char *term_text(const char *s, char *buf, size_t n)
{
	size_t o = 0;
	if (!n)
		return "";
	for (; s && *s && o + 5 < n; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f || c == '\\')
			o += (size_t)snprintf(buf + o, n - o, c == '\\' ? "\\\\" : "\\x%02x", c);
		else
			buf[o++] = (char)c;
	}
	buf[o] = 0;
	return buf;
}
