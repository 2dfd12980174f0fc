/*
 * nvtrace import FILE... [-o OUT.db] [--format dat|text]
 *
 * Read trace.dat files and text traces into one run database.  The database
 * is written to a temporary file and moved into place only when every file
 * imported, so a failed import leaves nothing that looks complete.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "collector/import.h"
#include "cli/out_file.h"
#include "cli/progress.h"

/* The --help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace import FILE... [-o OUT.db] [--format dat|text] [--force]\n\n"
		"Import trace.dat files (trace-cmd, versions 6 and 7) and text traces\n"
		"(trace-cmd report output, tracefs trace / trace_pipe) into a run database.\n\n"
		"options:\n"
		"  -o, --output OUT.db   database to write (default: FILE with .db)\n"
		"  -f, --format FMT      dat or text (default: detected from the file)\n"
		"      --force           replace OUT.db when it exists (atomically)\n"
		"  -h, --help            show this help\n");
}

/* FILE with its extension (and a .gz/.xz/.zst after it) replaced by .db. */
static char *default_output(const char *file)
{
	static const char *const comp[] = { ".gz", ".xz", ".zst" };
	size_t n = strlen(file);
	char *out = malloc(n + 4);
	const char *slash = strrchr(file, '/');
	const char *base = slash ? slash + 1 : file;
	if (!out)
		return NULL;
	for (size_t i = 0; i < sizeof(comp) / sizeof(comp[0]); i++) {
		size_t k = strlen(comp[i]);
		if (n > (size_t)(base - file) + k && !strcmp(file + n - k, comp[i]))
			n -= k;
	}
	for (size_t i = n; i > (size_t)(base - file) + 1; i--)
		if (file[i - 1] == '.') {
			n = i - 1;
			break;
		}
	memcpy(out, file, n);
	strcpy(out + n, ".db");
	return out;
}

static const char *format_name(enum import_format f)
{
	return f == IMPORT_DAT ? "trace.dat" : "text";
}

/* Progress callbacks: bytes for text, events for trace.dat. */
static void on_progress(uint64_t done) { progress_update(done); }

/* Import every input (each opened once); 0 ok, -1 with c->err set. */
static int import_all(struct import_ctx *c, char **files, int n,
		      const enum import_format *fmt, struct import_src **src)
{
	for (int i = 0; i < n; i++) {
		int rc;
		/* text: bytes read of the input's size; trace.dat: events so far */
		progress_start(files[i], fmt[i] == IMPORT_TEXT ? import_src_size(src[i]) : 0);
		c->progress = on_progress;
		rc = fmt[i] == IMPORT_DAT ? import_dat(c, src[i]) : import_text(c, src[i]);
		progress_end();
		if (rc)
			return -1;
	}
	return 0;
}

/* Run metadata: where the events came from and what host made them. */
static void write_meta(struct import_ctx *c, char **files, int n,
		       const enum import_format *fmt)
{
	char buf[4096] = "";
	size_t used = 0;
	int mixed = 0;
	for (int i = 0; i < n; i++) {
		used += snprintf(buf + used, used < sizeof(buf) ? sizeof(buf) - used : 0,
				 "%s%s", i ? ", " : "", files[i]);
		mixed |= fmt[i] != fmt[0];
	}
	nvdb_meta_set(c->db, NVDB_META_SOURCE, mixed ? "trace.dat+text" : format_name(fmt[0]));
	nvdb_meta_set(c->db, NVDB_META_SOURCE_FILE, buf);
	nvdb_meta_set(c->db, NVDB_META_HOST_ARCH, import_host_name(c->host));
	if (c->host_kernel[0])
		nvdb_meta_set(c->db, NVDB_META_HOST_KERNEL, c->host_kernel);
	if (c->cpus > 0)
		nvdb_meta_set_i64(c->db, NVDB_META_CPUS, c->cpus);
	nvdb_meta_set_i64(c->db, NVDB_META_LOST, c->lost);
	nvdb_meta_set(c->db, NVDB_META_SYNTHETIC, "0");
}

/* Check every input first, then import all of them into one atomic database. */
int cmd_import(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum import_format forced = IMPORT_UNKNOWN, *fmt;
	struct import_src **src = NULL;
	struct import_ctx *c;
	char *out = NULL;
	const char *out_opt = NULL;
	int opt, nfiles, rc, force = 0, status = NV_EXIT_ERR;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "o:f:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'o':
			out_opt = optarg;
			break;
		case 'f':
			if (!strcmp(optarg, "dat"))
				forced = IMPORT_DAT;
			else if (!strcmp(optarg, "text"))
				forced = IMPORT_TEXT;
			else {
				fprintf(stderr, "nvtrace import: --format must be dat or text, not '%s'\n",
					optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case 'F':
			force = 1;
			break;
		case 'h':
			usage(stdout);
			return NV_EXIT_OK;
		default:
			usage(stderr);
			return NV_EXIT_USAGE;
		}
	}
	nfiles = argc - optind;
	if (nfiles < 1) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	c = calloc(1, sizeof(*c));
	fmt = calloc(nfiles, sizeof(*fmt));
	src = calloc(nfiles, sizeof(*src));
	if (!c || !fmt || !src) {
		fprintf(stderr, "nvtrace import: out of memory\n");
		goto out;
	}
	/* Open and check every input before creating anything (pipes are read once). */
	for (int i = 0; i < nfiles; i++) {
		src[i] = import_src_open(argv[optind + i], c->err, sizeof(c->err));
		if (!src[i]) {
			fprintf(stderr, "nvtrace import: %s\n", c->err);
			goto out;
		}
		fmt[i] = import_src_format(src[i]);
		if (!out_opt && !import_src_regular(src[i])) {
			fprintf(stderr, "nvtrace import: %s: not a regular file: name the database "
				"with -o OUT.db\n", argv[optind + i]);
			goto out;
		}
		if (forced == IMPORT_TEXT && fmt[i] == IMPORT_DAT) {
			fprintf(stderr, "nvtrace import: %s: is a trace.dat, not text\n",
				argv[optind + i]);
			goto out;
		}
		if (forced == IMPORT_DAT && fmt[i] != IMPORT_DAT) {
			fprintf(stderr, "nvtrace import: %s: not a trace.dat (no trace-cmd magic)\n",
				argv[optind + i]);
			goto out;
		}
	}
	out = out_opt ? strdup(out_opt) : default_output(argv[optind]);
	if (!out || out_check("import", out, force, argv + optind, nfiles))
		goto out;
	out_stale("import", out, 1);
	c->db = nvdb_create(out, NVDB_ATOMIC, c->err, sizeof(c->err));
	if (!c->db) {
		fprintf(stderr, "nvtrace import: %s\n", c->err);
		goto out;
	}
	out_guard(nvdb_file(c->db));	/* a signal removes the temporary */
	if (import_all(c, argv + optind, nfiles, fmt, src)) {
		fprintf(stderr, "nvtrace import: %s\n", c->err);
		nvdb_abort(c->db);
		goto out;
	}
	write_meta(c, argv + optind, nfiles, fmt);
	progress_start("building indexes", 0);
	rc = nvdb_finish(c->db);
	progress_end();
	if (rc) {
		fprintf(stderr, "nvtrace import: %s: cannot finish the database: %s\n",
			out, nvdb_errmsg(c->db));
		nvdb_abort(c->db);
		goto out;
	}
	out_unguard();
	nvdb_close(c->db);
	if (c->undecoded)
		fprintf(stderr, "nvtrace import: note: %lld events of known kinds did not match "
			"their print format; kept with their raw text\n", (long long)c->undecoded);
	printf("imported %lld events from %d file%s into %s (host %s)\n",
	       (long long)c->events, nfiles, nfiles > 1 ? "s" : "", out,
	       import_host_name(c->host));
	status = NV_EXIT_OK;
out:
	out_unguard();
	for (int i = 0; src && i < nfiles; i++)
		import_src_close(src[i]);
	free(src);
	free(out);
	free(fmt);
	free(c);
	return status;
}
