/*
 * Compressed trace.dat files: decompressed chunks already read are given
 * back (collector/dat_zchunk.c) while every event is still imported, also
 * from a file whose data is in buffer instances (each its own handle, closed
 * before the next: no chunk of a closed handle may be touched).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "tap.h"
#include "collector/import.h"

/* Import one file into a fresh database; the events read, or -1. */
static int64_t import_one(const char *dat, const char *db)
{
	char err[1024];
	int64_t n = -1;
	struct import_ctx *c = calloc(1, sizeof(*c));
	struct import_src *src = import_src_open(dat, err, sizeof(err));
	if (c && src && (c->db = nvdb_create(db, NVDB_ATOMIC, err, sizeof(err))) != NULL) {
		if (import_dat(c, src) == 0)
			n = c->events;
		else
			fprintf(stderr, "# %s\n", c->err);
		nvdb_close(c->db);
	}
	import_src_close(src);
	free(c);
	return n;
}

int main(void)
{
	const char *nvh = "../shared/reference/real-arm64-nv/nv-hypercall.dat";
	char dir[] = "/tmp/nvtrace-test-zchunk-XXXXXX", db[300], cmd[400];
	uint64_t before;

	if (!mkdtemp(dir))
		return 1;
	snprintf(db, sizeof(db), "%s/a.db", dir);
	before = import_zchunk_dropped();
	T_EQ_INT(import_one("tests/fixtures/x86-instance.dat", db), 10778,
	       "x86-instance.dat (two buffer instances, zstd): every event of trace-cmd report");
	T_OK(import_zchunk_dropped() > before,
	     "chunks of its instances already read are given back (%llu bytes)",
	     (unsigned long long)(import_zchunk_dropped() - before));
	if (access(nvh, R_OK) == 0) {
		snprintf(db, sizeof(db), "%s/b.db", dir);
		before = import_zchunk_dropped();
		T_EQ_INT(import_one(nvh, db), 113527, "nv-hypercall.dat: every event");
		T_OK(import_zchunk_dropped() - before > 1000000,
		     "nv-hypercall.dat: over 1 MB of read chunks given back (%llu bytes)",
		     (unsigned long long)(import_zchunk_dropped() - before));
	} else {
		T_OK(1, "nv-hypercall.dat # SKIP %s is absent", nvh);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
