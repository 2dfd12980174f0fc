/* Workload files for synth (format in workload.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "replay/workload.h"

/* Copy the rest of a line (after the key and blanks) into dst. */
static void rest(const char *p, char *dst, size_t len)
{
	while (*p == ' ' || *p == '\t')
		p++;
	snprintf(dst, len, "%s", p);
}

/* See workload.h; shares are normalised to sum 1. */
int nv_workload_parse(const char *text, struct nv_workload *w, char *err, size_t errlen)
{
	char line[1024];
	int lineno = 0;
	double sum = 0;
	memset(w, 0, sizeof(*w));
	while (*text) {
		size_t n = strcspn(text, "\n");
		snprintf(line, sizeof(line), "%.*s", (int)(n < sizeof(line) - 1 ? n : sizeof(line) - 1),
			 text);
		text += n + (text[n] == '\n');
		lineno++;
		char *hash = strchr(line, '#');
		char key[32], a[64];
		double v;
		if (hash && strncmp(line, "about", 5) && strncmp(line, "source", 6))
			*hash = 0;
		if (sscanf(line, "%31s", key) != 1)
			continue;
		const char *after = strstr(line, key) + strlen(key);
		if (!strcmp(key, "name")) {
			rest(after, w->name, sizeof(w->name));
		} else if (!strcmp(key, "about")) {
			rest(after, w->about, sizeof(w->about));
		} else if (!strcmp(key, "source")) {
			rest(after, w->source, sizeof(w->source));
		} else if (!strcmp(key, "rate")) {
			if (sscanf(after, "%lf", &w->rate) != 1 || w->rate <= 0) {
				snprintf(err, errlen, "line %d: rate needs a positive number", lineno);
				return -1;
			}
		} else if (!strcmp(key, "mix")) {
			int k;
			if (sscanf(after, "%63s %lf", a, &v) != 2 || v < 0) {
				snprintf(err, errlen, "line %d: mix needs KIND SHARE", lineno);
				return -1;
			}
			if ((k = nv_kind_of(a)) < 0) {
				snprintf(err, errlen, "line %d: unknown kind '%s'", lineno, a);
				return -1;
			}
			w->share[k] += v;
			sum += v;
		} else {
			snprintf(err, errlen, "line %d: unknown key '%s'", lineno, key);
			return -1;
		}
	}
	if (!w->name[0] || w->rate <= 0 || sum <= 0) {
		snprintf(err, errlen, "a workload needs name, rate and at least one mix line");
		return -1;
	}
	for (int k = 0; k < NV_KIND__COUNT; k++)
		w->share[k] /= sum;
	return 0;
}

/* Read a small text file whole; NULL when it cannot. */
static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(65536);
	size_t n = buf ? fread(buf, 1, 65535, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = 0;
	return buf;
}

/* See workload.h. */
int nv_workload_load(const char *name, struct nv_workload *w, char *err, size_t errlen)
{
	const char *env = getenv("NVTRACE_WORKLOADS");
	char beside[1024] = "", installed[1024] = "";
	const char *dirs[] = { env, "examples/workloads", beside, installed,
			       NVTRACE_DATADIR "/examples/workloads" };
	char path[1024], perr[256];
	char *text = NULL;

	/*
	 * Relative to the binary, so a copy works wherever it is: the source
	 * tree's build/nvtrace (BIN/../examples) and an installed
	 * PREFIX/bin/nvtrace (BIN/../share/nvtrace/examples), whatever PREFIX
	 * the objects were compiled with.
	 */
	ssize_t n = readlink("/proc/self/exe", beside, sizeof(beside) - 64);
	if (n > 0) {
		beside[n] = 0;
		char *slash = strrchr(beside, '/');
		if (slash) {
			*slash = 0;
			snprintf(installed, sizeof(installed), "%s/../share/nvtrace/examples/workloads", beside);
			strcat(beside, "/../examples/workloads");
		}
	}

	if (strchr(name, '/') && access(name, R_OK) == 0) {
		snprintf(path, sizeof(path), "%s", name);
		text = read_text(path);
	}
	for (size_t i = 0; !text && i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		if (!dirs[i] || !dirs[i][0])
			continue;
		snprintf(path, sizeof(path), "%s/%s.txt", dirs[i], name);
		text = read_text(path);
	}
	if (!text) {
		snprintf(err, errlen, "%s: no such workload (looked for %s.txt in "
			 "$NVTRACE_WORKLOADS, examples/workloads here, beside nvtrace and in its "
			 "../share/nvtrace, %s/examples/workloads)", name, name, NVTRACE_DATADIR);
		return -1;
	}
	int rc = nv_workload_parse(text, w, perr, sizeof(perr));
	free(text);
	if (rc)
		snprintf(err, errlen, "%s: %s", path, perr);
	return rc;
}
