/*
 * nvtrace profile from RUN.db -o FILE.prof: learn a guest-hypervisor
 * profile from a nested run's observed traps (replay/profile_learn.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/opts.h"
#include "cli/run_open.h"
#include "collector/symtab_db.h"
#include "replay/profile_learn.h"
#include "schema/err.h"

enum { OPT_NAME = NV_OPT_CMD_BASE, OPT_NVHE };

static const struct nv_opt profile_opts[] = {
	NV_OPT_OUTPUT("FILE", "the profile to write"),
	{ OPT_NAME, "name", "N", "profile name (default: FILE's base name)", NVC_NONE, NULL },
	NV_OPT_ARCH("the host architecture (default: the run's synth_arch_host, else v8.4)"),
	{ OPT_NVHE, "nvhe", NULL, "the guest hypervisor runs non-VHE (default: VHE)", NVC_NONE, NULL },
	{ 0 }
};

const struct nv_cmd_spec nv_spec_profile = {
	"profile", "from RUN.db -o FILE.prof [--name N] [--arch A] [--nvhe]",
	"Learn a loadable profile (--guest FILE.prof) from a nested arm64 run, marked as\n"
	"observed on the host's architecture: the exits of each kind are grouped by the\n"
	"traps they show; each frequent group becomes a path variant (its signature selects\n"
	"exactly that group; its sequence is the group's most frequent order: registers,\n"
	"directions, functions when the run has symbols, ERET). Exits of the groups left\n"
	"out match no variant: validate reports them apart. It has only what trapped:\n"
	"docs/advise.md says what a profile learned on NV2 cannot know.",
	profile_opts, NVC_DB, NULL, 0,
};

/* FILE's base name without .prof, as a profile name. */
static void base_name(const char *path, char *buf, size_t len)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	snprintf(buf, len, "%s", b);
	char *dot = strstr(buf, ".prof");
	if (dot && dot != buf)
		*dot = 0;
	for (char *c = buf; *c; c++)
		if (*c == ' ' || *c == '\t')
			*c = '_';
}

/* Write text to path through a temporary file (nothing half-written at path). */
static int write_file(const char *path, const char *text, size_t len)
{
	char tmp[4096];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	if (!f) {
		fprintf(stderr, "nvtrace profile: %s: %s\n", tmp, strerror(errno));
		return -1;
	}
	int bad = fwrite(text, 1, len, f) != len;
	bad |= fclose(f) != 0;
	if (bad || rename(tmp, path)) {
		fprintf(stderr, "nvtrace profile: %s: cannot write: %s\n", path, strerror(errno));
		remove(tmp);
		return -1;
	}
	return 0;
}

/* What was learned: per kind, each variant's exits and traps, and the exits left unlearned. */
static void print_learned(const char *out, const struct nv_learn_opts *lo, const struct nv_learned *l)
{
	printf("wrote %s: profile %s, observed on %s, %d learned sequence%s (variants)\n", out, lo->name,
	       lo->arch, l->nvar, l->nvar == 1 ? "" : "s");
	printf("  %-8s %-12s %6s %7s\n", "kind", "variant", "traps", "exits");
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_learn_kind *lk = &l->kind[k];
		if (!lk->exits)
			continue;
		for (int i = 0; i < lk->nvar; i++) {
			const struct nv_learn_var *v = &l->var[lk->var[i]];
			printf("  %-8s %-12s %6u %7llu\n", nv_kind_name((enum nv_kind)k), v->name, v->traps,
			       (unsigned long long)v->exits[k]);
		}
		if (lk->exits > lk->learned)
			printf("  %-8s %-12s %6s %7llu   matched no learned variant (%u group%s)\n",
			       nv_kind_name((enum nv_kind)k), "(unlearned)", "-",
			       (unsigned long long)(lk->exits - lk->learned), lk->groups_left,
			       lk->groups_left == 1 ? "" : "s");
		if (lk->skipped)
			printf("  %-8s %u traps not expressible (commented)\n", nv_kind_name((enum nv_kind)k),
			       lk->skipped);
		if (lk->not_trap)
			printf("  %-8s %u ops the model would not trap on %s\n", nv_kind_name((enum nv_kind)k),
			       lk->not_trap, lo->arch);
	}
}

/* profile from: observe, learn, check it loads, write, report per kind. */
static int profile_from(int argc, char **argv)
{
	const char *out = NULL, *name = NULL, *o_arch = NULL;
	char pname[128], err[NV_ERR_LEN];
	int c, vhe = 1, rc = NV_EXIT_ERR;
	struct nv_learned l;
	struct nv_observed o;
	struct nv_symtab *syms = NULL;
	struct nv_profile *p = NULL;
	char *text = NULL;
	size_t len = 0;
	struct nv_optparse op;

	nv_opt_init(&op, &nv_spec_profile, argc, argv);
	while ((c = nv_opt_next(&op)) != NV_OPT_DONE) {
		switch (c) {
		case NV_OPT_STOP: return op.status;
		case 'o': out = op.arg; break;
		case OPT_NAME: name = op.arg; break;
		case 'a': o_arch = op.arg; break;
		case OPT_NVHE: vhe = 0; break;
		}
	}
	if (argc - op.ind != 1)
		return nv_usage_error(&nv_spec_profile, "from wants one RUN.db, not %d arguments", argc - op.ind);
	if (!out)
		return nv_usage_error(&nv_spec_profile, "from wants -o FILE.prof");
	optind = op.ind;
	struct nvdb *db = ui_open_run("profile", argv[optind], 0);
	if (!db)
		return NV_EXIT_ERR;
	struct ui_run_host h;
	ui_run_host(db, o_arch, NULL, NULL, &h);
	const char *arch = h.arch;
	base_name(out, pname, sizeof(pname));
	struct nv_learn_opts lo = { name ? name : pname, arch, argv[optind], vhe };
	if (nv_symtab_load(db, &syms, err, sizeof(err)) ||
	    nv_observed_run(db, syms, NULL, &o, err, sizeof(err))) {
		fprintf(stderr, "nvtrace profile: %s\n", err);
		goto out_db;
	}
	if (nv_learn_profile(&o, &lo, &text, &len, &l, err, sizeof(err))) {
		fprintf(stderr, "nvtrace profile: %s\n", err);
		goto out;
	}
	if (nv_profile_parse(text, len, out, &p, err, sizeof(err))) {
		fprintf(stderr, "nvtrace profile: the learned profile does not load: %s\n", err);
		goto out;
	}
	if (write_file(out, text, len))
		goto out;
	print_learned(out, &lo, &l);
	rc = NV_EXIT_OK;
out:
	nv_observed_free(&o);
out_db:
	nv_profile_free(p);
	free(text);
	nv_symtab_free(syms);
	nvdb_close(db);
	return rc;
}

/* nvtrace profile SUBCOMMAND ... (only "from" today). */
int cmd_profile(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "from"))
		return profile_from(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		nv_help_print(stdout, &nv_spec_profile);
		return NV_EXIT_OK;
	}
	return nv_usage_error(&nv_spec_profile, "want 'profile from RUN.db -o FILE.prof'");
}
