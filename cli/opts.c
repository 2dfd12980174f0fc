/* The option tables of the commands: parsing, --help, man pages, bash completion (see opts.h). */
#include <stdarg.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/model_cli.h"
#include "cli/opts.h"

static const struct nv_opt help_row = { 'h', "help", NULL, "show this help", NVC_NONE, NULL };

/* Number of rows of a table (before its { 0 } row). */
static int count_opts(const struct nv_opt *o)
{
	int n = 0;
	while (o && o[n].name)
		n++;
	return n;
}

/* The row with this key, or NULL (the automatic --help included). */
static const struct nv_opt *find_key(const struct nv_cmd_spec *spec, int key)
{
	for (const struct nv_opt *o = spec->opts; o && o->name; o++)
		if (o->key == key)
			return o;
	return key == 'h' ? &help_row : NULL;
}

/* Build getopt_long's tables from the spec. */
void nv_opt_init(struct nv_optparse *p, const struct nv_cmd_spec *spec, int argc, char **argv)
{
	int n = 0, s = 0;
	memset(p, 0, sizeof(*p));
	p->spec = spec;
	p->argc = argc;
	p->argv = argv;
	if (spec->stop_at_operand)
		p->shortopts[s++] = '+';
	p->shortopts[s++] = ':';	/* ':' reports a missing value apart from an unknown option */
	for (const struct nv_opt *o = spec->opts; o && o->name && n < NV_OPT_MAX; o++, n++) {
		p->longopts[n] = (struct option){ o->name, o->arg ? required_argument : no_argument,
						  NULL, o->key };
		if (o->key > 0 && o->key < NV_OPT_LONG) {
			p->shortopts[s++] = (char)o->key;
			if (o->arg)
				p->shortopts[s++] = ':';
		}
	}
	p->longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	p->shortopts[s++] = 'h';
	p->shortopts[s] = 0;
	optind = 0;	/* glibc: start over (tests parse several command lines) */
}

/* How the user spelled the option that getopt just refused: "--name" or "-x". */
static void spelled(const struct nv_optparse *p, const struct nv_opt *o, char *buf, size_t len)
{
	const char *w = optind > 0 && optind <= p->argc ? p->argv[optind - 1] : "";
	if (o && strncmp(w, "--", 2))
		snprintf(buf, len, "-%c", o->key);
	else if (o)
		snprintf(buf, len, "--%s", o->name);
	else
		snprintf(buf, len, "%.*s", (int)strcspn(w, "="), w);
}

int nv_opt_next(struct nv_optparse *p)
{
	char name[128];
	int c = getopt_long(p->argc, p->argv, p->shortopts, p->longopts, NULL);
	const struct nv_opt *o;

	p->arg = optarg;
	if (c == -1) {
		p->ind = optind;
		return NV_OPT_DONE;
	}
	if (c == 'h') {
		nv_help_print(stdout, p->spec);
		p->status = NV_EXIT_OK;
		return NV_OPT_STOP;
	}
	if (c == ':') {
		o = find_key(p->spec, optopt);
		spelled(p, o, name, sizeof(name));
		p->status = nv_usage_error(p->spec, "option '%s' needs a value (%s)", name,
					   o && o->arg ? o->arg : "?");
		return NV_OPT_STOP;
	}
	if (c == '?') {
		o = optopt ? find_key(p->spec, optopt) : NULL;
		if (o) {
			spelled(p, o, name, sizeof(name));
			p->status = nv_usage_error(p->spec, "option '%s' takes no value", name);
		} else if (optopt) {
			p->status = nv_usage_error(p->spec, "unknown option '-%c'", optopt);
		} else {
			spelled(p, NULL, name, sizeof(name));
			p->status = nv_usage_error(p->spec, "unknown option '%s'", name);
		}
		return NV_OPT_STOP;
	}
	return c;
}

int nv_usage_error(const struct nv_cmd_spec *spec, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "nvtrace %s: ", spec->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see 'nvtrace %s --help')\n", spec->name);
	return NV_EXIT_USAGE;
}

int nv_getopt_error(const char *cmd, int argc, char **argv)
{
	const char *w = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	if (!strncmp(w, "--", 2))
		fprintf(stderr, "nvtrace %s: unknown option '%.*s', or it needs a value", cmd,
			(int)strcspn(w, "="), w);
	else
		fprintf(stderr, "nvtrace %s: unknown option '-%c', or it needs a value", cmd, optopt);
	fprintf(stderr, " (see 'nvtrace %s --help')\n", cmd);
	return NV_EXIT_USAGE;
}

/* Copy text to f with {archs}, {guests} and {costs} replaced by the model's names. */
static void put_expanded(FILE *f, const char *text, void (*put)(FILE *, const char *, size_t))
{
	static const struct { const char *tag; int which; } tags[] = {
		{ "{archs}", MODEL_CLI_ARCHS }, { "{guests}", MODEL_CLI_GUESTS }, { "{costs}", MODEL_CLI_COSTS },
	};
	char names[512];
	while (*text) {
		const char *b = strchr(text, '{');
		size_t i, n = b ? (size_t)(b - text) : strlen(text);
		put(f, text, n);
		text += n;
		if (!b)
			break;
		for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
			if (!strncmp(text, tags[i].tag, strlen(tags[i].tag)))
				break;
		if (i == sizeof(tags) / sizeof(tags[0])) {
			put(f, text++, 1);
			continue;
		}
		model_cli_names(names, sizeof(names), tags[i].which);
		put(f, names, strlen(names));
		text += strlen(tags[i].tag);
	}
}

/* Plain output for --help. */
static void put_plain(FILE *f, const char *s, size_t n)
{
	fwrite(s, 1, n, f);
}

/* "-o, --output FILE" (or "    --csv") into buf. */
static void opt_label(const struct nv_opt *o, char *buf, size_t len)
{
	char sh[8] = "    ";
	if (o->key > 0 && o->key < NV_OPT_LONG)
		snprintf(sh, sizeof(sh), "-%c, ", o->key);
	snprintf(buf, len, "%s--%s%s%s", sh, o->name, o->arg ? " " : "", o->arg ? o->arg : "");
}

/* Print help text indented: continuation lines start at column col. */
static void put_help_line(FILE *f, const char *help, int col)
{
	for (const char *s = help; *s;) {
		const char *nl = strchr(s, '\n');
		size_t n = nl ? (size_t)(nl - s) : strlen(s);
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)n, s);
		put_expanded(f, line, put_plain);
		fputc('\n', f);
		if (!nl)
			break;
		s = nl + 1;
		fprintf(f, "%*s", col, "");
	}
}

void nv_help_print(FILE *f, const struct nv_cmd_spec *spec)
{
	char label[96];
	int width = 0, n = count_opts(spec->opts);
	const char *syn = spec->synopsis;

	fprintf(f, "usage: ");
	for (int first = 1; syn; first = 0) {
		const char *nl = strchr(syn, '\n');
		fprintf(f, "%snvtrace %s %.*s\n", first ? "" : "       ", spec->name,
			(int)(nl ? nl - syn : (long)strlen(syn)), syn);
		syn = nl ? nl + 1 : NULL;
	}
	if (spec->about) {
		fputc('\n', f);
		put_expanded(f, spec->about, put_plain);
		fputc('\n', f);
	}
	fprintf(f, "\noptions:\n");
	for (int i = 0; i <= n; i++) {
		const struct nv_opt *o = i < n ? &spec->opts[i] : &help_row;
		opt_label(o, label, sizeof(label));
		if (o->help && (int)strlen(label) > width)
			width = (int)strlen(label);
	}
	if (width > 26)
		width = 26;
	for (int i = 0; i <= n; i++) {
		const struct nv_opt *o = i < n ? &spec->opts[i] : &help_row;
		if (!o->help)
			continue;
		opt_label(o, label, sizeof(label));
		if ((int)strlen(label) > width)
			fprintf(f, "  %s\n  %*s  ", label, width, "");
		else
			fprintf(f, "  %-*s  ", width, label);
		put_help_line(f, o->help, width + 4);
	}
}

/* roff: escape backslashes and dashes, protect a dot or quote that may start a
 * line (at a chunk's start too: "\&" is harmless mid-line). */
static void put_roff(FILE *f, const char *s, size_t n)
{
	int bol = 1;
	for (size_t i = 0; i < n; i++) {
		if (bol && (s[i] == '.' || s[i] == '\''))
			fputs("\\&", f);
		bol = s[i] == '\n';
		if (s[i] == '\\')
			fputs("\\e", f);
		else if (s[i] == '-')
			fputs("\\-", f);
		else
			fputc(s[i], f);
	}
}

/* Uppercase copy of a name for .TH. */
static void upper(char *buf, size_t len, const char *prefix, const char *s)
{
	size_t i = 0;
	for (const char *p = prefix; *p && i + 1 < len; p++)
		buf[i++] = (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p);
	for (; s && *s && i + 1 < len; s++)
		buf[i++] = (char)(*s >= 'a' && *s <= 'z' ? *s - 32 : *s);
	buf[i] = 0;
}

void nv_man_print(FILE *f, const struct nv_cmd_spec *spec, const char *summary)
{
	char title[64];
	int n = count_opts(spec->opts);
	upper(title, sizeof(title), "NVTRACE-", spec->name);
	fprintf(f, ".TH %s 1 \"\" \"nvtrace %s\" \"nvtrace manual\"\n.SH NAME\nnvtrace\\-%s \\- ",
		title, NVTRACE_VERSION, spec->name);
	put_roff(f, summary, strlen(summary));
	fprintf(f, "\n.SH SYNOPSIS\n");
	for (const char *syn = spec->synopsis; syn;) {
		const char *nl = strchr(syn, '\n');
		fprintf(f, ".B nvtrace %s\n", spec->name);
		put_roff(f, syn, nl ? (size_t)(nl - syn) : strlen(syn));
		fprintf(f, "\n.br\n");
		syn = nl ? nl + 1 : NULL;
	}
	if (spec->about) {
		fprintf(f, ".SH DESCRIPTION\n");
		put_expanded(f, spec->about, put_roff);
		fputc('\n', f);
	}
	fprintf(f, ".SH OPTIONS\n");
	for (int i = 0; i <= n; i++) {
		const struct nv_opt *o = i < n ? &spec->opts[i] : &help_row;
		if (!o->help)
			continue;
		fprintf(f, ".TP\n");
		if (o->key > 0 && o->key < NV_OPT_LONG)
			fprintf(f, "\\fB\\-%c\\fR, ", o->key);
		fprintf(f, "\\fB\\-\\-");
		put_roff(f, o->name, strlen(o->name));
		fprintf(f, "\\fR%s", o->arg ? " \\fI" : "\n");
		if (o->arg) {
			put_roff(f, o->arg, strlen(o->arg));
			fprintf(f, "\\fR\n");
		}
		put_expanded(f, o->help, put_roff);
		fputc('\n', f);
	}
	fprintf(f, ".SH SEE ALSO\n.BR nvtrace (1)\n");
}

/* The completion of one kind of value, as a bash command line. */
static void put_complete(FILE *f, enum nv_complete c, const char *words)
{
	switch (c) {
	case NVC_FILE:
	case NVC_COMMAND:
		fprintf(f, "_nvtrace_files");
		break;
	case NVC_DB:
		fprintf(f, "_nvtrace_files '*.db'");
		break;
	case NVC_DIR:
		fprintf(f, "_nvtrace_dirs");
		break;
	case NVC_ARCH:
		fprintf(f, "_nvtrace_words \"$_nvtrace_archs\"");
		break;
	case NVC_GUEST:
		fprintf(f, "_nvtrace_words \"$_nvtrace_guests\"; _nvtrace_files '*.prof' add");
		break;
	case NVC_COST:
		fprintf(f, "_nvtrace_words \"$_nvtrace_costs\"");
		break;
	case NVC_WORDS:
		fprintf(f, "_nvtrace_words '%s'", words ? words : "");
		break;
	default:
		fprintf(f, "COMPREPLY=()");
	}
}

void nv_completion_print(FILE *f, const struct nv_cmd_spec *spec)
{
	int n = count_opts(spec->opts), any = 0;
	fprintf(f, "\t%s)\n\t\tcase \"$prev\" in\n", spec->name);
	for (int i = 0; i < n; i++) {
		const struct nv_opt *o = &spec->opts[i];
		if (!o->arg)
			continue;
		any = 1;
		fprintf(f, "\t\t");
		if (o->key > 0 && o->key < NV_OPT_LONG)
			fprintf(f, "-%c|", o->key);
		fprintf(f, "--%s) ", o->name);
		put_complete(f, o->complete, o->words);
		fprintf(f, "; return;;\n");
	}
	if (!any)
		fprintf(f, "\t\t__none__) ;;\n");
	fprintf(f, "\t\tesac\n\t\tcase \"$cur\" in -*) _nvtrace_words '");
	for (int i = 0; i < n; i++)
		if (spec->opts[i].help)
			fprintf(f, "--%s ", spec->opts[i].name);
	fprintf(f, "--help'; return;; esac\n\t\t");
	put_complete(f, spec->operand, spec->operand_words);
	fprintf(f, ";;\n");
}
