/* What both import paths share: format detection, threads, host arch. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include "collector/import.h"

static const char dat_magic[] = "\x17\x08\x44tracing";

/* Known non-trace formats, so the error says what the file is. */
static const struct { const char *magic; size_t len; const char *what; } others[] = {
	{ "\x89PNG\r\n\x1a\n", 8, "a PNG image" },
	{ "SQLite format 3", 16, "an SQLite database" },
	{ "\x7f" "ELF", 4, "an ELF binary" },
	{ "\x1f\x8b", 2, "gzip data (decompress it first)" },
	{ "\xfd" "7zXZ", 5, "xz data (decompress it first)" },
	{ "\x28\xb5\x2f\xfd", 4, "zstd data (decompress it first)" },
	{ "%PDF", 4, "a PDF document" },
	{ "PK\x03\x04", 4, "a zip archive" },
};

/* trace.dat by its magic; known other formats and binary data refused by name. */
enum import_format import_detect(const char *path, char *err, size_t len)
{
	unsigned char buf[4096];
	struct stat st;
	FILE *f;
	size_t n;

	if (stat(path, &st) != 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return IMPORT_UNKNOWN;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, len, "%s: is a directory, not a trace", path);
		return IMPORT_UNKNOWN;
	}
	f = fopen(path, "rb");
	if (!f) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return IMPORT_UNKNOWN;
	}
	n = fread(buf, 1, sizeof(buf), f);
	fclose(f);
	if (n == 0) {
		snprintf(err, len, "%s: empty file, not a trace", path);
		return IMPORT_UNKNOWN;
	}
	if (n >= sizeof(dat_magic) - 1 && memcmp(buf, dat_magic, sizeof(dat_magic) - 1) == 0)
		return IMPORT_DAT;
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (n >= others[i].len && memcmp(buf, others[i].magic, others[i].len) == 0) {
			snprintf(err, len, "%s: is %s, not a trace", path, others[i].what);
			return IMPORT_UNKNOWN;
		}
	if (memchr(buf, 0, n)) {
		snprintf(err, len, "%s: binary data, not a trace.dat or text trace", path);
		return IMPORT_UNKNOWN;
	}
	return IMPORT_TEXT;
}

/* Threads table: one row per pid (the vCPU key on arm64), written once. */
void import_thread(struct import_ctx *c, int pid, const char *comm)
{
	if (pid > 0 && nvdb_threads_first(&c->threads, pid))
		nvdb_thread(c->db, pid, comm);
}

/* The first arch-specific event decides the host; a contradiction is an error. */
int import_note_host(struct import_ctx *c, enum nv_host_arch host)
{
	if (host == NV_HOST_ANY)
		return 0;
	if (c->host == NV_HOST_ANY)
		c->host = host;
	return c->host == host ? 0 : -1;
}

/* The host_arch metadata value of a host. */
const char *import_host_name(enum nv_host_arch host)
{
	return host == NV_HOST_ARM64 ? "arm64" : host == NV_HOST_X86 ? "x86_64" : "unknown";
}
