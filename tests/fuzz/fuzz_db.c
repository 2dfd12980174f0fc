/* libFuzzer: the run database loader (schema/db.c) and event iteration, on any file. */
#include <fcntl.h>
#include <stdlib.h>
#include "fuzz_input.h"
#include "schema/db.h"

/* One input: opened read-only as every reading command does, every event read. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char path[128];
	char err[1024], buf[256];
	struct nvdb *db;
	int fd;
	/* SQLite follows /proc/self/fd links, so a memfd will not do: a tmpfs file */
	if (!path[0])
		snprintf(path, sizeof(path), "%s/nvtrace-fuzz-db-%ld",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp", (long)getpid());
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	close(fd);
	db = nvdb_open(path, 0, err, sizeof(err));
	if (db) {
		struct nvdb_iter *it = nvdb_iter_new(db, NULL);
		struct nv_event ev;
		int n = 0;
		nvdb_meta_get(db, NVDB_META_STATUS, buf, sizeof(buf));
		nvdb_meta_get_i64(db, NVDB_META_EVENTS, 0);
		while (it && n++ < 100000 && nvdb_iter_next(it, &ev) == 1)
			nvdb_name_of(db, ev.name_id);
		nvdb_iter_free(it);
		nvdb_close(db);
	}
	unlink(path);
	return 0;
}
