/*
 * One input of import, opened once: a file, a pipe or FIFO, or stdin ("-"),
 * decompressed on the fly when it is gzip, xz or zstd.  The first bytes are
 * read into a buffer to detect the format and then handed on, so nothing is
 * read twice and nothing is reopened (a pipe can only be read once).
 */
#ifndef NVTRACE_IMPORT_SRC_H
#define NVTRACE_IMPORT_SRC_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum import_format { IMPORT_UNKNOWN = 0, IMPORT_DAT, IMPORT_TEXT };
enum import_comp { COMP_NONE = 0, COMP_GZIP, COMP_XZ, COMP_ZSTD };

#define IMPORT_SNIFF 4096

struct import_src;

/*
 * Open path ("-" = stdin) and read its first (decompressed) bytes.  NULL and
 * one "PATH: problem" line in err when it cannot be read or is no trace.
 */
struct import_src *import_src_open(const char *path, char *err, size_t len);

/* The detected format, and the compression the data came in. */
enum import_format import_src_format(const struct import_src *s);
enum import_comp import_src_comp(const struct import_src *s);
const char *import_src_path(const struct import_src *s);
/* 1 when the input is a regular file (its size is known). */
int import_src_regular(const struct import_src *s);
/* Size of a regular file in bytes (compressed size when compressed), else 0. */
uint64_t import_src_size(const struct import_src *s);
/* Bytes of the input (as stored, compressed or not) consumed so far. */
uint64_t import_src_consumed(const struct import_src *s);

/*
 * A stdio stream of the decompressed data from the first byte on (the
 * sniffed bytes first).  Owned by the source; call once.
 */
FILE *import_src_stream(struct import_src *s);

/*
 * A file descriptor holding the whole decompressed data, seekable, at offset
 * 0: the file itself when it is a plain regular file, else an unlinked
 * temporary file the data is copied to (libtracecmd needs to seek).  Owned by
 * the source.  -1 with err set on failure.
 */
int import_src_fd(struct import_src *s, char *err, size_t len);

/* Why the last read failed (a decompression or read error), or "". */
const char *import_src_error(const struct import_src *s);

void import_src_close(struct import_src *s);

#endif
