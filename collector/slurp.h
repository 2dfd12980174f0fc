/* Reading a whole (untrusted, bounded) file into memory: symbol tables, profiles. */
#ifndef NVTRACE_SLURP_H
#define NVTRACE_SLURP_H

#include <stddef.h>

/*
 * The bytes of path (NUL-terminated, *len without the NUL), at most max
 * bytes; NULL with one line in err ("FILE: problem").  The caller frees.
 */
char *nv_slurp(const char *path, size_t max, size_t *len, char *err, size_t errlen);

#endif
