/* Shared option handling of the model commands (see model_cli.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/model_cli.h"
#include "model/whatif.h"

#define MAX_PROFILE_BYTES (1 << 20)

/* Append s to a comma-separated list in buf. */
static void append(char *buf, size_t len, const char *s)
{
	size_t n = strlen(buf);
	snprintf(buf + n, len - n, "%s%s", n ? ", " : "", s);
}

/* The known architectures, built-in profiles or cost tables, comma-separated. */
void model_cli_names(char *buf, size_t len, int which)
{
	buf[0] = 0;
	if (which == MODEL_CLI_ARCHS)
		for (int i = 0; i < nv_arch_count(); i++)
			append(buf, len, nv_arch_name(nv_arch_at(i)));
	else if (which == MODEL_CLI_GUESTS)
		for (int i = 0; i < nv_profile_builtin_count(); i++)
			append(buf, len, nv_profile_builtin_name(i));
	else
		for (int i = 0; i < nv_cost_count(); i++)
			append(buf, len, nv_cost_name(nv_cost_at(i)));
}

/* Resolve --arch; unknown -> one line and exit status 2. */
int model_cli_arch(const char *cmd, const char *name, const struct nv_arch **out)
{
	char names[256];
	if ((*out = nv_arch_find(name)))
		return NV_EXIT_OK;
	model_cli_names(names, sizeof names, MODEL_CLI_ARCHS);
	fprintf(stderr, "nvtrace %s: unknown architecture '%s' (known: %s)\n", cmd, name, names);
	return NV_EXIT_USAGE;
}

/* Resolve --cost; unknown -> one line and exit status 2. */
int model_cli_cost(const char *cmd, const char *name, const struct nv_cost **out)
{
	char names[256];
	if ((*out = nv_cost_find(name)))
		return NV_EXIT_OK;
	model_cli_names(names, sizeof names, MODEL_CLI_COSTS);
	fprintf(stderr, "nvtrace %s: unknown cost table '%s' (known: %s)\n", cmd, name, names);
	return NV_EXIT_USAGE;
}

/*
 * Whether every path of the profile expands with its current options (a
 * repeat count can name registers that do not exist: live-lrs=5 on a GICv2
 * with four list registers).  Expansion does not depend on the architecture.
 */
static int check_paths(const char *cmd, const char *what, const struct nv_profile *p)
{
	struct nv_model *m = nv_model_new(nv_arch_at(0), p, nv_cost_at(0));
	int rc = m && !nv_model_prepare(m) ? NV_EXIT_OK : NV_EXIT_USAGE;
	if (rc)
		fprintf(stderr, "nvtrace %s: %s: %s\n", cmd, what, m ? nv_model_error(m) : "out of memory");
	nv_model_free(m);
	return rc;
}

/* Read a whole profile file; NULL with errno set on failure. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = malloc(MAX_PROFILE_BYTES + 1);
	size_t n = buf ? fread(buf, 1, MAX_PROFILE_BYTES + 1, f) : 0;
	int bad = !buf || ferror(f) || n > MAX_PROFILE_BYTES;
	if (buf && n > MAX_PROFILE_BYTES)
		errno = EFBIG;
	fclose(f);
	if (bad) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

/* Resolve --guest: built-in name (unknown: status 2) or a file (errors: status 1). */
int model_cli_guest(const char *cmd, const char *name, struct nv_profile **out)
{
	char err[NV_ERR_LEN], names[256];
	size_t n = strlen(name);
	int is_file = strchr(name, '/') || (n > 5 && !strcmp(name + n - 5, ".prof"));
	*out = NULL;
	if (!is_file) {
		if (!nv_profile_builtin_text(name)) {
			model_cli_names(names, sizeof names, MODEL_CLI_GUESTS);
			fprintf(stderr, "nvtrace %s: unknown guest profile '%s' (known: %s, or a .prof file)\n",
				cmd, name, names);
			return NV_EXIT_USAGE;
		}
		if (nv_profile_load_builtin(name, out, err, sizeof err)) {
			fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
			return NV_EXIT_ERR;
		}
		return NV_EXIT_OK;
	}
	size_t len;
	char *text = read_file(name, &len);
	if (!text) {
		fprintf(stderr, "nvtrace %s: %s: %s\n", cmd, name, strerror(errno));
		return NV_EXIT_ERR;
	}
	int rc = nv_profile_parse(text, len, name, out, err, sizeof err);
	free(text);
	if (rc) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		return NV_EXIT_ERR;
	}
	if (check_paths(cmd, name, *out)) {
		nv_profile_free(*out);
		*out = NULL;
		return NV_EXIT_ERR;
	}
	return NV_EXIT_OK;
}

/* Apply one --set OPTION=VALUE; bad syntax or unknown option: status 2. */
int model_cli_set(const char *cmd, struct nv_profile *p, const char *assignment)
{
	char err[NV_ERR_LEN];
	struct nv_whatif w = { 0 };
	/* the one parser of what-if edits (model/whatif.c) */
	if (nv_whatif_add(&w, NV_EDIT_SET, assignment, err, sizeof err)) {
		fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
		return NV_EXIT_USAGE;
	}
	return model_cli_whatif(cmd, p, &w);
}

/* See model_cli.h. */
int model_cli_whatif(const char *cmd, struct nv_profile *p, const struct nv_whatif *w)
{
	char err[NV_ERR_LEN], label[96];
	/* one edit at a time, in order: an option can change what a path expands to */
	for (int i = 0; i < w->n; i++) {
		struct nv_whatif one = { 1, { w->e[i] } };
		int rc;
		if (nv_whatif_apply_profile(&one, p, err, sizeof err)) {
			fprintf(stderr, "nvtrace %s: %s\n", cmd, err);
			return NV_EXIT_USAGE;
		}
		if (w->e[i].type != NV_EDIT_SET)
			continue;
		snprintf(label, sizeof label, "%s=%d", w->e[i].name, w->e[i].value);
		if ((rc = check_paths(cmd, label, p)))
			return rc;
	}
	return NV_EXIT_OK;
}

/* Format with thousands separators for the text tables. */
const char *model_cli_thousands(char *buf, size_t len, uint64_t v)
{
	char digits[32];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v), o = 0;
	for (int i = 0; i < n && (size_t)o + 2 < len; i++) {
		if (i && (n - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = 0;
	return buf;
}
