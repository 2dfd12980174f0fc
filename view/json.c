/* The one JSON string writer: every --json, export and flame format uses it. */
#include "view/json.h"

/* The body of a JSON string, escaped as RFC 8259 wants (no quotes). */
void json_str_body(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
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
