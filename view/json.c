/* The one JSON string writer: every --json, export and flame format uses it. */
#include "view/json.h"

/*
 * Length of the valid UTF-8 sequence at s (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF), or 0 when the byte starts none.
 */
static int utf8_len(const unsigned char *s)
{
	int n = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
	if (s[0] > 0xf4)
		return 0;
	for (int i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0) ||
	    (s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))
		return 0;
	return n;
}

/*
 * The body of a JSON string, escaped as RFC 8259 wants (no quotes).  Input
 * is untrusted (thread names, file names): a byte that is not part of valid
 * UTF-8 is written as \ufffd, so the output is always valid UTF-8.
 */
void json_str_body(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c >= 0x80) {
			int n = utf8_len((const unsigned char *)s);
			if (n)
				fwrite(s, 1, (size_t)n, f), s += n - 1;
			else
				fputs("\\ufffd", f);
		} else if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
}

/* Quote and escape a string as JSON; NULL writes null. */
void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	json_str_body(f, s);
	fputc('"', f);
}
