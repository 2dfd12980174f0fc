/*
 * One option table per command: the parser, --help, the man page and the
 * bash completion are all generated from it, so a flag has one spelling and
 * one meaning everywhere (the vocabulary is in docs/cli.md).
 *
 * A command declares, in its cli/cmd_NAME.c:
 *
 *   static const struct nv_opt stat_opts[] = {
 *       { 'o', "output", "FILE", "write to FILE", NVC_FILE, NULL },
 *       { NV_OPT_SORT, "sort", "KEY", "count (default), time, max or mean",
 *         NVC_WORDS, "count time max mean" },
 *       NV_OPT_CSV, NV_OPT_JSON,
 *       { 0 }
 *   };
 *   const struct nv_cmd_spec nv_spec_stat = {
 *       "stat", "RUN.db [options]", "Exit statistics per ...", stat_opts, NVC_DB, NULL, 0 };
 *
 * and parses with
 *
 *   struct nv_optparse p;
 *   nv_opt_init(&p, &nv_spec_stat, argc, argv);
 *   while ((c = nv_opt_next(&p)) != NV_OPT_DONE) {
 *       switch (c) {
 *       case NV_OPT_STOP: return p.status;        // --help printed, or a usage error
 *       case 'o': out = p.arg; break;
 *       ...
 *       }
 *   }
 *   operands: argv[p.ind] .. argv[argc-1]
 *   wrong operands: return nv_usage_error(&nv_spec_stat, "wants one RUN.db, not %d", n);
 *
 * --help/-h is added to every table by the parser.  The spec's symbol must be
 * named nv_spec_NAME (cli/main.c finds it through the command list).
 */
#ifndef NVTRACE_OPTS_H
#define NVTRACE_OPTS_H

#include <getopt.h>
#include <stdio.h>

/* What bash completion offers for an option's value or for the operands. */
enum nv_complete {
	NVC_NONE,	/* free text */
	NVC_FILE,	/* any file */
	NVC_DB,		/* a run database (*.db) */
	NVC_DIR,	/* a directory */
	NVC_ARCH,	/* a model architecture */
	NVC_GUEST,	/* a built-in guest profile or a .prof file */
	NVC_COST,	/* a cost table */
	NVC_WORDS,	/* one of nv_opt.words (space-separated) */
	NVC_COMMAND,	/* a program to run */
};

/* Keys of long-only options (short options use their letter as the key). */
enum {
	NV_OPT_LONG = 256,
	NV_OPT_CSV_KEY, NV_OPT_JSON_KEY, NV_OPT_FORCE_KEY,
	NV_OPT_CMD_BASE = 300,	/* a command's own long-only keys: NV_OPT_CMD_BASE + n */
};

struct nv_opt {
	int key;		/* the short letter, or a long-only key (>= NV_OPT_LONG) */
	const char *name;	/* the long name, without "--" */
	const char *arg;	/* the value's placeholder ("FILE"); NULL: a flag */
	const char *help;	/* one line ("\n" continues it); NULL: a hidden alias */
	enum nv_complete complete;
	const char *words;	/* NVC_WORDS: the values, space-separated */
};

/* Rows with the same meaning in every command. */
#define NV_OPT_CSV  { NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout", NVC_NONE, NULL }
#define NV_OPT_JSON { NV_OPT_JSON_KEY, "json", NULL, "JSON on stdout", NVC_NONE, NULL }
#define NV_OPT_ARCH(help) { 'a', "arch", "A", help, NVC_ARCH, NULL }
#define NV_OPT_GUEST(help) { 'g', "guest", "G", help, NVC_GUEST, NULL }
#define NV_OPT_COST(help) { 'c', "cost", "C", help, NVC_COST, NULL }
#define NV_OPT_SET { 's', "set", "OPT=V", "change a profile option (see explain --list-options)", \
		     NVC_NONE, NULL }
#define NV_OPT_OUTPUT(arg, help) { 'o', "output", arg, help, NVC_FILE, NULL }
#define NV_OPT_VERBOSE { 'v', "verbose", NULL, "say more about what is done", NVC_NONE, NULL }
#define NV_OPT_FORCE(help) { NV_OPT_FORCE_KEY, "force", NULL, help, NVC_NONE, NULL }

struct nv_cmd_spec {
	const char *name;	/* "stat" */
	const char *synopsis;	/* after "nvtrace NAME "; "\n" starts another form */
	const char *about;	/* the description paragraph(s) */
	const struct nv_opt *opts;	/* ends with a { 0 } row */
	enum nv_complete operand;	/* what the operands complete to */
	const char *operand_words;	/* NVC_WORDS for operands */
	int stop_at_operand;	/* options end at the first operand (record -- COMMAND) */
};

#define NV_OPT_MAX 48

/* The parser's state (see the example above). */
struct nv_optparse {
	const struct nv_cmd_spec *spec;
	int argc;
	char **argv;
	const char *arg;	/* the current option's value */
	int ind;		/* after NV_OPT_DONE: the first operand */
	int status;		/* after NV_OPT_STOP: the command's exit status */
	struct option longopts[NV_OPT_MAX + 2];
	char shortopts[3 * NV_OPT_MAX + 4];
};

enum { NV_OPT_DONE = -1, NV_OPT_STOP = -2 };

void nv_opt_init(struct nv_optparse *p, const struct nv_cmd_spec *spec, int argc, char **argv);
/* The key of the next option, NV_OPT_DONE at the operands, NV_OPT_STOP when
 * the command must return p->status (--help printed, or a usage error said). */
int nv_opt_next(struct nv_optparse *p);

/* "nvtrace CMD: WHAT (see 'nvtrace CMD --help')" on stderr; returns 2. */
int nv_usage_error(const struct nv_cmd_spec *spec, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * For a command still parsing with getopt_long itself (opterr = 0): the one
 * line about the option getopt just refused; returns 2.
 */
int nv_getopt_error(const char *cmd, int argc, char **argv);

/* The --help text generated from the spec. */
void nv_help_print(FILE *f, const struct nv_cmd_spec *spec);
/* The man page (roff) of one command; summary is its line in the command list. */
void nv_man_print(FILE *f, const struct nv_cmd_spec *spec, const char *summary);
/* The bash completion of one command: a case arm of _nvtrace (cli/main.c wraps it). */
void nv_completion_print(FILE *f, const struct nv_cmd_spec *spec);

#endif
