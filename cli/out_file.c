/* Checks and clean-up around the output database of import and record (out_file.h). */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "cli/out_file.h"

/* 1 when a and b are the same existing file (same device and inode). */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

int out_check(const char *cmd, const char *out, int force, char *const *inputs, int ninputs)
{
	struct stat st;
	if (!out || !*out) {
		fprintf(stderr, "nvtrace %s: -o: an empty file name\n", cmd);
		return -1;
	}
	for (int i = 0; i < ninputs; i++)
		if (!strcmp(inputs[i], out) || same_file(inputs[i], out)) {
			fprintf(stderr, "nvtrace %s: %s: the output is one of the inputs\n", cmd, out);
			return -1;
		}
	if (stat(out, &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fprintf(stderr, "nvtrace %s: %s: is a directory\n", cmd, out);
			return -1;
		}
		if (!force) {
			fprintf(stderr, "nvtrace %s: %s: exists (--force replaces it)\n", cmd, out);
			return -1;
		}
	}
	return 0;
}

void out_stale(const char *cmd, const char *out, int remove)
{
	const char *slash = strrchr(out, '/');
	char dir[4096], path[8192];
	size_t blen;
	const char *base = slash ? slash + 1 : out;
	DIR *d;
	struct dirent *e;

	if (slash)
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - out + 1), out);
	else
		snprintf(dir, sizeof(dir), ".");
	blen = strlen(base);
	if (!(d = opendir(dir)))
		return;
	while ((e = readdir(d)) != NULL) {
		char *end;
		long pid;
		if (strncmp(e->d_name, base, blen) != 0 || strncmp(e->d_name + blen, ".tmp.", 5) != 0)
			continue;
		pid = strtol(e->d_name + blen + 5, &end, 10);
		if (end == e->d_name + blen + 5 || *end || pid <= 0 || pid == (long)getpid() ||
		    kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;	/* not a temporary, or its process still runs */
		snprintf(path, sizeof(path), "%s%s", slash ? dir : "", e->d_name);
		if (remove && unlink(path) == 0)
			fprintf(stderr, "nvtrace %s: note: removed %s, left by a killed run (pid %ld)\n",
				cmd, path, pid);
		else if (!remove)
			fprintf(stderr, "nvtrace %s: note: %s was left by a killed run (pid %ld); it "
				"may hold its events (status incomplete)\n", cmd, path, pid);
	}
	closedir(d);
}
