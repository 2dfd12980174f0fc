/*
 * The crash guard of the trace.dat reader covers libtracecmd's calls only: a
 * crash in nvtrace's own code (here: the writer thread's progress callback)
 * must surface as the crash it is, never as "truncated or corrupt".
 */
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "tap.h"
#include "collector/import.h"

/* The writer thread calls this every 4096 events: an nvtrace bug, crashing. */
static void crash_in_writer(uint64_t done)
{
	(void)done;
	*(volatile int *)(uintptr_t)16 = 1;
}

int main(void)
{
	const char *dat = "../shared/reference/real-arm64-nv/nv-hypercall.dat";
	char dir[] = "/tmp/nvtrace-test-guard-XXXXXX", db[300], log[300], err[1024];
	int status;
	pid_t pid;

	if (access(dat, R_OK) != 0 || !mkdtemp(dir)) {
		T_OK(1, "crash guard # SKIP %s is absent (needs > 4096 events)", dat);
		return t_done();
	}
	snprintf(db, sizeof(db), "%s/out.db", dir);
	snprintf(log, sizeof(log), "%s/stderr", dir);
	pid = fork();
	if (pid == 0) {
		struct import_ctx *c = calloc(1, sizeof(*c));
		struct import_src *src = import_src_open(dat, err, sizeof(err));
		if (!freopen(log, "w", stderr) || !c || !src)
			_exit(3);
		c->db = nvdb_create(db, NVDB_ATOMIC, err, sizeof(err));
		c->progress = crash_in_writer;
		import_dat(c, src);
		_exit(4);	/* not reached */
	}
	waitpid(pid, &status, 0);
	char text[8192] = "";
	FILE *f = fopen(log, "r");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
	text[n] = 0;
	if (f)
		fclose(f);
	T_OK(!strstr(text, "truncated or corrupt"),
	     "a crash in nvtrace's writer thread is not reported as a corrupt trace.dat");
	T_OK((WIFSIGNALED(status) && WTERMSIG(status) == SIGSEGV) || strstr(text, "SEGV"),
	     "it is reported as the crash it is (SIGSEGV / sanitizer report)");
	T_OK(!(WIFEXITED(status) && (WEXITSTATUS(status) == 3 || WEXITSTATUS(status) == 4)),
	     "the import ran and crashed (status %d)", status);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		return 1;
	return t_done();
}
