/*
 * Opening a trace.dat, libtracecmd parses the kernel's symbol table stored
 * in it (kallsyms: tens of thousands of lines, a malloc, strdup and sscanf
 * each) into tep's function map; on the real arm64 files that was a third
 * of an import's time.  Nothing in nvtrace looks a kernel function up by
 * address, so import_dat asks for it to be skipped while it opens a file.
 * This definition takes the place of libtraceevent's (the executable's
 * symbol comes first in the dynamic linker's lookup) and calls the real one
 * unless skipping was asked for.
 */
#include <dlfcn.h>
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
