/*
 * Two of libtraceevent's entry points that libtracecmd calls while it opens a
 * trace.dat, taken over here: these definitions take the place of the
 * library's (the executable's symbols come first in the dynamic linker's
 * lookup; one file, so the linker takes both in with import_skip_kallsyms)
 * and call the real ones.
 *
 * kallsyms.  Opening a trace.dat, libtracecmd parses the kernel's symbol table stored
 * in it (kallsyms: tens of thousands of lines, a malloc, strdup and sscanf
 * each) into tep's function map; on the real arm64 files that was a third
 * of an import's time.  Nothing in nvtrace looks a kernel function up by
 * address, so import_dat asks for it to be skipped while it opens a file.
 * This definition takes the place of libtraceevent's (the executable's
 * symbol comes first in the dynamic linker's lookup) and calls the real one
 * unless skipping was asked for.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>
#include "collector/import.h"

struct tep_handle;

static int skip_kallsyms;

/* See import.h: 1 while import_dat opens a trace.dat. */
void import_skip_kallsyms(int on)
{
	skip_kallsyms = on;
}

/* libtraceevent's entry point (event-parse.h), forwarded unless skipped. */
int tep_parse_kallsyms(struct tep_handle *tep, const char *buf);
int tep_parse_kallsyms(struct tep_handle *tep, const char *buf)
{
	static int (*real)(struct tep_handle *, const char *);
	if (skip_kallsyms)
		return 0;
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "tep_parse_kallsyms");
	return real ? real(tep, buf) : -1;
}

/*
 * printk formats.  libtraceevent 1.7's parser of the printk-format text
 * ("ADDR : \"FORMAT\"" a line) trusts each line's shape: it copies what
 * follows a line's ':' from one byte past it, and then looks three bytes
 * before the copy's end for a "\\n" to strip.  A line with no ':', or too
 * short a format, as a corrupt or cut file gives, makes it read outside its
 * buffers (found by fuzz_dat).  It gets only the lines of that shape, with
 * room for it to look; a bad line's format (a bprint event's text) is lost,
 * not the file.  The kernel writes every line in this shape.
 */
static int printk_line_ok(const char *line, size_t len)
{
	const char *colon = memchr(line, ':', len);
	if (!colon)
		return 0;
	const char *fmt = colon + 2, *end = line + len;	/* the parser skips ": " */
	if (fmt < end && *fmt == '"')
		fmt++;
	return fmt + 3 <= end;
}

int tep_parse_printk_formats(struct tep_handle *tep, const char *buf);
int tep_parse_printk_formats(struct tep_handle *tep, const char *buf)
{
	static int (*real)(struct tep_handle *, const char *);
	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "tep_parse_printk_formats");
	if (!real)
		return -1;
	if (!buf)
		return real(tep, buf);
	size_t n = strlen(buf), used = 0;
	char *text = malloc(n + 2);
	if (!text)
		return -1;
	for (const char *line = buf; *line;) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);
		if (printk_line_ok(line, len)) {
			memcpy(text + used, line, len);
			used += len;
			text[used++] = '\n';
		}
		line += len + (nl != NULL);
	}
	text[used] = '\0';
	int rc = real(tep, text);
	free(text);
	return rc;
}
