/*
 * What the libFuzzer harnesses share: the fuzz input as a file that nvtrace
 * opens by name (a memfd reached through /proc/self/fd), since the code under
 * test reads files, not buffers.
 */
#ifndef NVTRACE_FUZZ_INPUT_H
#define NVTRACE_FUZZ_INPUT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

/* Write data to a fresh memfd; its path in path; the fd (close it after) or -1. */
static int fuzz_file(const uint8_t *data, size_t size, char *path, size_t len)
{
	int fd = memfd_create("nvtrace-fuzz", MFD_CLOEXEC);
	size_t off = 0;
	if (fd < 0)
		return -1;
	while (off < size) {
		ssize_t w = write(fd, data + off, size - off);
		if (w <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)w;
	}
	snprintf(path, len, "/proc/self/fd/%d", fd);
	return fd;
}
#ifdef NVTRACE_DB_H
/*
 * An in-memory run database for the importers, made once and remade every
 * 256 inputs (making one per input would cost more than the import itself).
 */
static struct nvdb *fuzz_db(void)
{
	static struct nvdb *db;
	static unsigned uses;
	char err[512];
	if (db && ++uses % 256 == 0) {
		nvdb_close(db);
		db = NULL;
	}
	if (!db)
		db = nvdb_create(":memory:", 0, err, sizeof(err));
	return db;
}

#ifdef NVTRACE_IMPORT_H
/* One input through an importer: opened as import does, into the shared database. */
static int fuzz_import(const uint8_t *data, size_t size, enum import_format want,
		       int (*import)(struct import_ctx *, struct import_src *))
{
	char path[64], err[1024];
	int fd = fuzz_file(data, size, path, sizeof(path));
	struct import_src *src;
	struct import_ctx *c;
	if (fd < 0)
		return 0;
	src = import_src_open(path, err, sizeof(err));
	c = calloc(1, sizeof(*c));
	if (src && c && import_src_format(src) == want && (c->db = fuzz_db())) {
		import(c, src);
		nvdb_flush(c->db);
	}
	free(c);
	import_src_close(src);
	close(fd);
	return 0;
}
#endif
#endif
#endif
