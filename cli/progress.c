/* The progress bar: redrawn at most 10 times a second, erased at the end. */
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "cli/progress.h"

static struct {
	int on;			/* drawing (stderr is a terminal) */
	char label[48];
	uint64_t total;
	double last;		/* when it was last drawn */
} bar;

/* Monotonic seconds. */
static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Begin a bar (drawn only when stderr is a terminal). */
void progress_start(const char *label, uint64_t total)
{
	bar.on = isatty(STDERR_FILENO);
	snprintf(bar.label, sizeof(bar.label), "%s", label);
	bar.total = total;
	bar.last = 0;
	if (bar.on)	/* show the label at once: some steps never update */
		fprintf(stderr, "\r\033[K%s", bar.label);
}

/* Redraw the bar when 100 ms have passed since the last drawing. */
void progress_update(uint64_t done)
{
	enum { WIDTH = 30 };
	char fill[WIDTH + 1];
	double t;

	if (!bar.on)
		return;
	t = now_s();
	if (t - bar.last < 0.1)
		return;
	bar.last = t;
	if (!bar.total) {
		fprintf(stderr, "\r%s: %llu", bar.label, (unsigned long long)done);
		return;
	}
	if (done > bar.total)
		done = bar.total;
	int n = (int)(done * WIDTH / bar.total);
	memset(fill, '#', n);
	memset(fill + n, '.', WIDTH - n);
	fill[WIDTH] = 0;
	fprintf(stderr, "\r%s [%s] %3d%%", bar.label, fill, (int)(done * 100 / bar.total));
}

const struct nv_progress progress_bar = { progress_start, progress_update, progress_end };

/* Erase the bar's line so the next output starts clean. */
void progress_end(void)
{
	if (bar.on)
		fprintf(stderr, "\r\033[K");
	bar.on = 0;
}
