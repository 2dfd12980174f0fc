/*
 * speedscope's file format (https://www.speedscope.app/file-format-schema.json):
 * shared frames (one per distinct name) and one "evented" profile that lays
 * a graph's merged stacks end to end in the picture's weight (unit "none":
 * cycles, traps or operations).  Charts are streamed from their source
 * instead (view/speedscope_chart.c), one stack per nested exit.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "view/flame.h"
#include "view/json.h"

/* Frame index of each node: names deduplicated through a small hash. */
static int *frame_ids(const struct flame *f, int *nframes)
{
	int *id = malloc(sizeof(*id) * (size_t)f->len);
	int cap = 64, *h;

	while (cap < f->len * 2)
		cap *= 2;
	h = malloc(sizeof(*h) * (size_t)cap);
	if (!id || !h) {
		free(id);
		free(h);
		return NULL;
	}
	memset(h, 0xff, sizeof(*h) * (size_t)cap);
	*nframes = 0;
	for (int i = 0; i < f->len; i++) {
		unsigned k = 2166136261u;
		for (const char *s = f->n[i].name; *s; s++)
			k = (k ^ (unsigned char)*s) * 16777619u;
		for (k &= (unsigned)cap - 1; h[k] >= 0; k = (k + 1) & ((unsigned)cap - 1))
			if (!strcmp(f->n[h[k]].name, f->n[i].name))
				break;
		if (h[k] < 0) {
			h[k] = i;
			id[i] = (*nframes)++;
		} else {
			id[i] = id[h[k]];
		}
	}
	free(h);
	return id;
}

/* Open at x, children end to end, close at x + value / scale. */
static void events(FILE *out, const struct flame *f, const int *id, int i, double x,
		   double scale, int *first)
{
	const struct flame_node *n = &f->n[i];
	double cx = x;

	if (!n->value)
		return;
	fprintf(out, "%s\n{\"type\":\"O\",\"frame\":%d,\"at\":%.3f}", *first ? "" : ",", id[i], x);
	*first = 0;
	for (int c = n->first; c >= 0; c = f->n[c].next) {
		events(out, f, id, c, cx, scale, first);
		cx += (double)f->n[c].value / scale;
	}
	fprintf(out, ",\n{\"type\":\"C\",\"frame\":%d,\"at\":%.3f}", id[i], x + (double)n->value / scale);
}

/* The profile's header; its events follow. */
static void profile_head(FILE *out, const struct flame *f, int i, const char *unit, double end)
{
	fputs("{\"type\":\"evented\",\"name\":\"", out);
	json_str_body(out, i ? f->n[i].name : f->title);
	fprintf(out, "\",\"unit\":\"%s\",\"startValue\":0,\"endValue\":%.3f,\"events\":[", unit, end);
}

/* A graph: one evented profile of the merged stacks, in the picture's weight. */
static void profile(FILE *out, const struct flame *f, const int *id, int i)
{
	int first = 1;

	profile_head(out, f, i, "none", (double)f->n[i].value);
	events(out, f, id, i, 0, 1, &first);
	fputs("]}", out);
}

/* The file's opening up to its first key of profiles: schema, name, exporter. */
void speedscope_head(FILE *out, const char *title)
{
	fputs("{\"$schema\":\"https://www.speedscope.app/file-format-schema.json\",\n\"name\":\"", out);
	json_str_body(out, title);
	fprintf(out, "\",\n\"exporter\":\"nvtrace %s\",\n\"activeProfileIndex\":0,\n", NVTRACE_VERSION);
}

/* The file: shared frames, then one profile per section. */
int flame_write_speedscope(const struct flame *f, FILE *out)
{
	int nframes, *id = frame_ids(f, &nframes), k = 0;

	if (!id)
		return -1;
	speedscope_head(out, f->title);
	fputs("\"shared\":{\"frames\":[", out);
	for (int i = 0; i < f->len; i++) {
		if (id[i] != k)
			continue;
		fprintf(out, "%s\n{\"name\":\"", k ? "," : "");
		json_str_body(out, f->n[i].name);
		fputs("\"}", out);
		k++;
	}
	fputs("]},\n\"profiles\":[\n", out);
	profile(out, f, id, 0);
	fputc('\n', out);
	fputs("]}\n", out);
	free(id);
	return ferror(out) ? -1 : 0;
}
