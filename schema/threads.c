/* The set of threads already written (see threads.h). */
#include "schema/threads.h"

/* Mark pid; whether this is the first time (hashing as Knuth's multiplicative). */
int nvdb_threads_first(struct nvdb_threads *t, int pid)
{
	unsigned h = (unsigned)pid * 2654435761u;

	for (unsigned probe = 0; probe < NVDB_THREAD_SLOTS; probe++) {
		int *slot = &t->slot[(h + probe) % NVDB_THREAD_SLOTS];
		if (*slot == pid + 1)
			return 0;
		if (*slot == 0) {
			*slot = pid + 1;
			return 1;
		}
	}
	return 0;
}
