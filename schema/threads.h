/*
 * The threads a run has written already: import and record write a
 * thread's name (nvdb_thread) the first time its pid shows up, and look
 * each pid up here first.  A fixed open-addressing set; when it is full,
 * new pids are not written (a run with more threads than slots).
 */
#ifndef NVTRACE_THREADS_H
#define NVTRACE_THREADS_H

#define NVDB_THREAD_SLOTS 4096

struct nvdb_threads {
	int slot[NVDB_THREAD_SLOTS];	/* pid + 1; 0 = empty */
};

/* 1 the first time pid is seen (now marked), 0 when seen before or the set is full. */
int nvdb_threads_first(struct nvdb_threads *t, int pid);

#endif
