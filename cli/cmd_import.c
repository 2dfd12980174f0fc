/*
 * nvtrace import FILE... [-o OUT.db] [--format dat|text] [--symbols KALLSYMS] [--force]
 *
 * Read trace.dat files and text traces into one run database.  The database
 * is written to a temporary file and moved into place only when every file
 * imported, so a failed import leaves nothing that looks complete.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "collector/import.h"
#include "cli/out_file.h"
#include "cli/cleanup.h"
#include "cli/progress.h"
#include "cli/symbols_cli.h"
#include "cli/opts.h"

static const struct nv_opt import_opts[] = {
	NV_OPT_OUTPUT("OUT.db", "database to write (default: FILE with .db)"),
	{ 'f', "format", "FMT", "dat or text (default: detected from the file)", NVC_WORDS, "dat text" },
	{ NV_OPT_CMD_BASE, "symbols", "FILE", "the guest hypervisor's kallsyms or System.map (.xz ok):\n"
	  "name the function of each trap PC (nvtrace symbols)", NVC_FILE, NULL },
	NV_OPT_FORCE("replace OUT.db when it exists (atomically)"),
	{ 0 }
};

const struct nv_cmd_spec nv_spec_import = {
	"import", "FILE... [-o OUT.db] [--format dat|text] [--symbols KALLSYMS] [--force]",
	"Import trace.dat files (trace-cmd, versions 6 and 7) and text traces\n"
	"(trace-cmd report output, tracefs trace / trace_pipe) into a run database.",
	import_opts, NVC_FILE, NULL, 0,
};

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
	enum import_format forced = IMPORT_UNKNOWN, *fmt;
	struct import_src **src = NULL;
	struct import_ctx *c;
	char *out = NULL;
	const char *out_opt = NULL, *symfile = NULL;
	struct nv_symtab *syms = NULL;
	struct nv_optparse p;
	int opt, nfiles, rc, force = 0, status = NV_EXIT_ERR;

	nv_opt_init(&p, &nv_spec_import, argc, argv);
	while ((opt = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (opt) {
		case NV_OPT_STOP:
			return p.status;
		case 'o':
			out_opt = p.arg;
			break;
		case 'f':
			if (!strcmp(p.arg, "dat"))
				forced = IMPORT_DAT;
			else if (!strcmp(p.arg, "text"))
				forced = IMPORT_TEXT;
			else
				return nv_usage_error(&nv_spec_import, "--format is dat or text, not '%s'", p.arg);
			break;
		case NV_OPT_CMD_BASE:
			symfile = p.arg;
			break;
		case NV_OPT_FORCE_KEY:
			force = 1;
			break;
		}
	}
	optind = p.ind;
	nfiles = argc - optind;
	if (nfiles < 1)
		return nv_usage_error(&nv_spec_import, "which trace? (FILE...)");
	/* a bad symbols file is refused before the (long) import */
	if (symfile && !(syms = symbols_cli_read("import", symfile)))
		return NV_EXIT_ERR;
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
	cleanup_on_signal(nvdb_file(c->db));	/* a signal removes the temporary */
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
	cleanup_forget();
	nvdb_close(c->db);
	if (c->undecoded)
		fprintf(stderr, "nvtrace import: note: %lld events of known kinds did not match "
			"their print format; kept with their raw text\n", (long long)c->undecoded);
	printf("imported %lld events from %d file%s into %s (host %s)\n",
	       (long long)c->events, nfiles, nfiles > 1 ? "s" : "", out,
	       import_host_name(c->host));
	status = syms ? symbols_cli_attach("import", out, syms, symfile) : NV_EXIT_OK;
out:
	cleanup_forget();
	for (int i = 0; src && i < nfiles; i++)
		import_src_close(src[i]);
	free(src);
	nv_symtab_free(syms);
	free(out);
	free(fmt);
	free(c);
	return status;
}
