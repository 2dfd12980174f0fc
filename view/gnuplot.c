/*
 * Plots through gnuplot, fed by a pipe (popen): the script and its data
 * (inline data blocks) are written to gnuplot's standard input, so no
 * temporary file is left behind.  PNG or SVG by the output's extension.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "view/gnuplot.h"

#define TIME_BINS 100

/* The gnuplot to run: $NVTRACE_GNUPLOT, else gnuplot found in $PATH. */
static int find_gnuplot(char *buf, size_t len)
{
	const char *env = getenv("NVTRACE_GNUPLOT"), *path = getenv("PATH");

	if (env && *env) {
		snprintf(buf, len, "%s", env);
		return access(buf, X_OK);
	}
	while (path && *path) {
		const char *colon = strchr(path, ':');
		int n = colon ? (int)(colon - path) : (int)strlen(path);
		snprintf(buf, len, "%.*s/gnuplot", n, n ? path : ".");
		if (!access(buf, X_OK))
			return 0;
		path = colon ? colon + 1 : NULL;
	}
	return -1;
}

/*
 * Quote a string for a gnuplot single-quoted literal.  A newline would end
 * the literal and the command (the rest a new command: `system "..."`), so
 * control bytes become '?': no user text reaches a command position.
 */
static void gp_str(FILE *g, const char *s)
{
	fputc('\'', g);
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', g);
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, g);
	}
	fputc('\'', g);
}

/* A word of an inline data block: spaces and control bytes (which would end the block) as '_'. */
static void gp_word(FILE *g, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s <= 0x20 || *s == 0x7f ? '_' : *s, g);
}

/* Per-exit averages by kind and architecture, one histogram cluster per kind. */
static void plot_per_exit(FILE *g, const struct viz_source *s, const struct viz_summary *sum, int traps)
{
	fputs("$D << EOD\nkind", g);
	for (int a = 0; a < s->narch; a++) {
		fputc(' ', g);
		gp_word(g, s->arch[a]);
	}
	fputc('\n', g);
	for (int k = 0; k < sum->nkind; k++) {
		const struct viz_kind_stat *r = &sum->kind[k];
		gp_word(g, r->kind);
		for (int a = 0; a < s->narch; a++)
			fprintf(g, " %.2f", r->count ? (double)(traps ? r->traps[a] : r->cycles[a]) / (double)r->count : 0.0);
		fputc('\n', g);
	}
	fputs("EOD\n", g);
	fprintf(g, "set style data histograms\nset style histogram clustered gap 1\n"
		"set style fill solid 0.85 border -1\nset boxwidth 0.9\n"
		"set key top left autotitle columnheader\nset grid ytics\n"
		"set ylabel '%s per nested exit'\nset xlabel 'nested exit kind'\n",
		traps ? "traps to L0" : "cycles");
	if (!traps)
		fputs("set logscale y\nset yrange [1:*]\n", g);
	else
		fputs("set yrange [0:*]\n", g);
	fprintf(g, "plot for [i=2:%d] $D using i:xtic(1)\n", s->narch + 1);
}

/* The mix of kinds: count per kind, labelled with its share. */
static void plot_kinds(FILE *g, const struct viz_summary *sum)
{
	fputs("$D << EOD\n", g);
	for (int k = 0; k < sum->nkind; k++)
		fprintf(g, "%d %s %" PRIu64 " %.1f\n", k, sum->kind[k].kind, sum->kind[k].count,
			sum->total.count ? 100.0 * (double)sum->kind[k].count / (double)sum->total.count : 0.0);
	fputs("EOD\n", g);
	fputs("set style fill solid 0.85 border -1\nset boxwidth 0.7\nset grid ytics\nset key off\n"
	      "set ylabel 'nested exits'\nset xlabel 'nested exit kind'\nset yrange [0:*]\n"
	      "set offsets 0.5,0.5,graph 0.1,0\n"
	      "plot $D using 1:3:xtic(2) with boxes lc rgb '#e07020', "
	      "'' using 1:3:(sprintf('%.1f%%',$4)) with labels offset 0,1\n", g);
}

struct timeline {
	const struct viz_source *s;
	const struct viz_summary *sum;
	uint64_t bins[TIME_BINS][VIZ_MAX_KIND];
	uint64_t n;
};

/* Count one exit in its time bin (or index bin when the trace has no time). */
static int tl_exit(void *ctx, const struct viz_exit *e)
{
	struct timeline *t = ctx;
	int k = 0, b;

	for (; k < t->sum->nkind - 1; k++)
		if (!strcmp(t->sum->kind[k].kind, e->kind))
			break;
	if (t->s->has_time && t->s->ts_last > t->s->ts_first && e->ts_start >= 0)
		b = (int)((double)(e->ts_start - t->s->ts_first) * TIME_BINS /
			  (double)(t->s->ts_last - t->s->ts_first + 1));
	else
		b = (int)((double)t->n * TIME_BINS / (double)(t->sum->total.count ? t->sum->total.count : 1));
	if (b >= TIME_BINS)
		b = TIME_BINS - 1;
	if (b < 0)
		b = 0;
	t->bins[b][k]++;
	t->n++;
	return 0;
}

/* Exits over the run's time, one line per kind. */
static int plot_timeline(FILE *g, struct viz_source *s, const struct viz_summary *sum)
{
	struct timeline *t = calloc(1, sizeof(*t));
	struct viz_sink sink = { t, tl_exit, NULL };
	double span = s->has_time ? (double)(s->ts_last - s->ts_first + 1) / 1e9 : 0;

	if (!t)
		return -1;
	t->s = s;
	t->sum = sum;
	if (s->walk(s, s->arch[0], 0, &sink)) {
		free(t);
		return -1;
	}
	fputs("$D << EOD\nt", g);
	for (int k = 0; k < sum->nkind; k++)
		fprintf(g, " %s", sum->kind[k].kind);
	fputc('\n', g);
	for (int b = 0; b < TIME_BINS; b++) {
		if (s->has_time)
			fprintf(g, "%.9f", span * b / TIME_BINS);
		else
			fprintf(g, "%.1f", (double)sum->total.count * b / TIME_BINS);
		for (int k = 0; k < sum->nkind; k++)
			fprintf(g, " %" PRIu64, t->bins[b][k]);
		fputc('\n', g);
	}
	fputs("EOD\n", g);
	free(t);
	fprintf(g, "set key top right autotitle columnheader\nset grid\nset yrange [0:*]\n"
		"set xlabel '%s'\nset ylabel 'nested exits per bin (%d bins)'\n"
		"plot for [i=2:%d] $D using 1:i with steps lw 2\n",
		s->has_time ? "time since the start of the run (s)" : "nested exit number (no timestamps)",
		TIME_BINS, sum->nkind + 1);
	return 0;
}

static const char *const whats[] = { "cycles", "traps", "timeline", "kinds" };

/* Whether what names one of the plots. */
int plot_what_valid(const char *what)
{
	for (size_t i = 0; i < sizeof(whats) / sizeof(whats[0]); i++)
		if (!strcmp(what, whats[i]))
			return 1;
	return 0;
}

/* Run gnuplot, feed it the plot, and check that it wrote a file. */
int plot_run(struct viz_source *s, const struct viz_summary *sum, const char *what,
	     const char *out_path, char *err, size_t errlen)
{
	const char *ext = strrchr(out_path, '.');
	char gp[4096], title[512];
	struct stat st;
	FILE *g;
	int status, rc = 0;

	if (!ext || (strcmp(ext, ".png") && strcmp(ext, ".svg"))) {
		snprintf(err, errlen, "%s: the output must end in .png or .svg", out_path);
		return -1;
	}
	if (find_gnuplot(gp, sizeof(gp))) {
		snprintf(err, errlen, "gnuplot: not found (install gnuplot-nox, or set NVTRACE_GNUPLOT)");
		return -1;
	}
	for (const char *c = out_path; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f) {
			snprintf(err, errlen, "the output name has a control character");
			return -1;
		}
	/* create it here: when gnuplot cannot, it writes the image to its standard output */
	int fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", out_path, strerror(errno));
		return -1;
	}
	close(fd);
	char cmd[4200];
	snprintf(cmd, sizeof(cmd), "'%s' > /dev/null", gp);	/* never an image on our stdout */
	g = popen(cmd, "w");
	if (!g) {
		snprintf(err, errlen, "cannot run %s: %s", gp, strerror(errno));
		return -1;
	}
	if (!strcmp(ext, ".png"))
		fputs("set terminal pngcairo size 1000,600 enhanced font 'sans,10'\n", g);
	else
		fputs("set terminal svg size 1000,600 dynamic enhanced font 'sans,10'\n", g);
	fputs("set output ", g);
	gp_str(g, out_path);
	snprintf(title, sizeof(title), "%s: %s", s->title, what);
	fputs("\nset encoding utf8\nset termoption noenhanced\nset title ", g);
	gp_str(g, title);
	fputc('\n', g);
	if (!strcmp(what, "cycles") || !strcmp(what, "traps"))
		plot_per_exit(g, s, sum, !strcmp(what, "traps"));
	else if (!strcmp(what, "kinds"))
		plot_kinds(g, sum);
	else
		rc = plot_timeline(g, s, sum);
	fputs("set output\n", g);
	status = pclose(g);
	if (rc) {
		snprintf(err, errlen, "%s", s->err);
		return -1;
	}
	if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0 ||
	    stat(out_path, &st) || st.st_size == 0) {
		snprintf(err, errlen, "%s: gnuplot failed (status %d)", out_path,
			 status != -1 && WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		unlink(out_path);
		return -1;
	}
	return 0;
}
