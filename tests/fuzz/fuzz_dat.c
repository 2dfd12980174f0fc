/* libFuzzer: the trace.dat reader (libtracecmd through import_dat, decode, the writer). */
#include <stdlib.h>
#include "collector/import.h"
#include "fuzz_input.h"

/* One input: a trace.dat (or anything) imported into an in-memory database. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[1024];
	int fd = fuzz_file(data, size, path, sizeof(path));
	struct import_src *src;
	struct import_ctx *c;
	if (fd < 0)
		return 0;
	src = import_src_open(path, err, sizeof(err));
	c = calloc(1, sizeof(*c));
	if (src && c && import_src_format(src) == IMPORT_DAT && (c->db = fuzz_db())) {
		import_dat(c, src);
		nvdb_flush(c->db);
	}
	free(c);
	import_src_close(src);
	close(fd);
	return 0;
}
