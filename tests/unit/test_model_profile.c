/*
 * Profile text: the built-ins are exactly the files in examples/profiles,
 * bad text is rejected with the line number, and the format's features
 * (seq/use, if, x repeats, source aliases) expand as documented.
 */
#include <stdlib.h>
#include "tap.h"
#include "model/model.h"

/* Whole file into a malloc'ed string (NULL on error). */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *s = malloc(n + 1);
	if (s && fread(s, 1, n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = 0;
	fclose(f);
	return s;
}

/* Parse text; returns the error message ("" if it parsed). */
static const char *parse_err(const char *text)
{
	static char err[256];
	struct nv_profile *p;
	err[0] = 0;
	if (!nv_profile_parse(text, strlen(text), "t.prof", &p, err, sizeof err))
		nv_profile_free(p);
	return err;
}

struct list {
	char regs[16][24];
	int n;
};

static void collect(void *arg, const struct nv_op_result *r)
{
	struct list *l = arg;
	if (l->n < 16)
		snprintf(l->regs[l->n++], 24, "%s", r->op->reg >= 0 ? nv_sysreg_at(r->op->reg)->name :
						      nv_op_kind_name(r->op->kind));
}

int main(void)
{
	T_EQ_INT(nv_profile_builtin_count(), 4, "four built-in profiles");
	for (int i = 0; i < nv_profile_builtin_count(); i++) {
		char path[128];
		const char *name = nv_profile_builtin_name(i);
		snprintf(path, sizeof path, "examples/profiles/%s.prof", name);
		char *file = slurp(path);
		T_OK(file && !strcmp(file, nv_profile_builtin_text(name)), "%s: built-in text == %s", name, path);
		free(file);
		char err[256];
		struct nv_profile *p;
		T_EQ_INT(nv_profile_load_builtin(name, &p, err, sizeof err), 0, "%s parses", name);
		T_EQ_STR(nv_profile_name(p), name, "%s: profile name matches the file name", name);
		T_OK(nv_profile_has_kind(p, NV_EXIT_HVC), "%s has a hvc path", name);
		nv_profile_free(p);
	}

	T_EQ_STR(parse_err("profile x\npath hvc\n  mrs NO_SUCH_EL2\nend\n"),
		 "t.prof:3: unknown register 'NO_SUCH_EL2'", "unknown register, with its line");
	T_EQ_STR(parse_err("profile x\npath hvc\n  msr HCR_EL2 if nope\nend\n"),
		 "t.prof:3: unknown option 'nope' (declare it with 'option' first)", "unknown option");
	T_EQ_STR(parse_err("profile x\npath hvc\n  eret\n"), "t.prof:3: missing 'end' of 'hvc'", "missing end");
	T_EQ_STR(parse_err("profile x\npath hvc\n  use nothing\nend\n"),
		 "t.prof:3: use of undefined seq 'nothing'", "undefined seq");
	T_EQ_STR(parse_err("profile x\nmode half\n"), "t.prof:2: mode must be vhe or nvhe, not 'half'", "bad mode");
	T_EQ_STR(parse_err("profile x\npath flood\nend\n"), "t.prof:2: unknown exit kind 'flood'", "bad kind");
	T_EQ_STR(parse_err("path hvc\nend\n"), "t.prof:2: missing 'profile NAME'", "profile name required");
	T_EQ_STR(parse_err("profile x\noption a maybe\n"), "t.prof:2: option a needs a value (on, off or 0..64)",
		 "bad option value");
	T_EQ_STR(parse_err("profile x\npath hvc\n  call timer\nend\n"),
		 "t.prof:3: call target must be SUBMODEL.STEP, not 'timer'", "call needs SUBMODEL.STEP");

	/* Features: seq/use, if/!, x repeat with '#', ': text', source alias. */
	const char *text =
		"# comment\nprofile demo\nmode nvhe\nsource R some/repo\n"
		"option lrs 2 live LRs\noption fast off\n"
		"seq s\n  fn f R:file.c@abc\n  msr HCR_EL2 : kvm_write_sysreg(val, hcr_el2)\nend\n"
		"path hvc\n  exc : hvc #0\n  use s\n  mrs ICH_LR#_EL2 x lrs\n  mrs VTTBR_EL2 if fast\n"
		"  mrs VTCR_EL2 if !fast\n  eret\nend\n";
	char err[256] = "";
	struct nv_profile *p;
	T_EQ_INT(nv_profile_parse(text, strlen(text), "demo", &p, err, sizeof err), 0, "demo profile parses %s", err);
	struct nv_model *m = nv_model_new(nv_arch_find("v8.3"), p, nv_cost_find("xgene"));
	struct list l = { .n = 0 };
	struct nv_result r;
	nv_model_eval(m, NV_EXIT_HVC, NULL, collect, &l, &r);
	T_EQ_INT(l.n, 6, "6 ops: exc, HCR_EL2, 2 LRs, VTCR_EL2, eret");
	T_EQ_STR(l.regs[2], "ICH_LR0_EL2", "repeat 0 -> ICH_LR0_EL2");
	T_EQ_STR(l.regs[3], "ICH_LR1_EL2", "repeat 1 -> ICH_LR1_EL2");
	T_EQ_STR(l.regs[4], "VTCR_EL2", "'if !fast' kept, 'if fast' dropped");
	nv_model_free(m);
	T_EQ_INT(nv_profile_option_get(p, "lrs"), 2, "option value");
	T_EQ_STR(nv_profile_option_why(p, 0), "live LRs", "option explanation");
	nv_profile_free(p);
	return t_done();
}
