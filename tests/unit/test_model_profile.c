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

/* Observed trap of a register by name (ec 0x18) or of an EC alone (reg -1). */
static struct nv_obs_trap obs(const char *reg, int ec, int dir)
{
	struct nv_obs_trap t = { (int16_t)(reg ? nv_sysreg_by_name(reg) : -1), (int16_t)ec, (int8_t)dir };
	return t;
}

/*
 * Variants (issue 12): "variant NAME when|count SIGNATURE", read by "if",
 * "x" and "use SEQ if/x"; selected per exit from observed traps; labels;
 * bad signatures rejected with the line.
 */
static void test_variants(void)
{
	static const char txt[] =
		"profile v\n"						/* 1 */
		"variant pl count CNTKCTL_EL12:r else @userspace : put/load\n"	/* 2 */
		"variant lr when ICH_ELRSR_EL2:r : live LR\n"			/* 3 */
		"variant blk when ICH_VTR_EL2:r !CNTKCTL_EL12:r | ICH_VTR_EL2:r>=4 else @block : wfi\n"
		"variant rt count ICH_MISR_EL2:r minus 1 : retry\n"		/* 5 */
		"variant s2 count DABT : faults\n"				/* 6 */
		"seq pl\n  mrs CNTKCTL_EL12\n  msr CNTKCTL_EL12\nend\n"		/* 7-10 */
		"path hvc\n  exc\n  mrs ICH_ELRSR_EL2 if lr\n  use pl x pl\n  mrs ICH_MISR_EL2 x rt\n"
		"  mrs ICH_MISR_EL2\n  eret\nend\n"
		"path wfi\n  exc\n  mrs ICH_VTR_EL2 if blk\n  use pl if !blk\n  eret\nend\n";
	struct nv_profile *p;
	char err[256];
	T_EQ_INT(nv_profile_parse(txt, sizeof txt - 1, "v.prof", &p, err, sizeof err), 0,
		 "a profile with variants parses (%s)", err);
	if (!p)
		return;
	T_EQ_INT(nv_profile_variant_count(p), 5, "five variants");
	T_EQ_STR(nv_profile_variant_sig(p, 2), "when ICH_VTR_EL2:r !CNTKCTL_EL12:r | ICH_VTR_EL2:r>=4 else @block",
		 "the signature as written");
	T_EQ_STR(nv_profile_variant_why(p, 0), "put/load", "the why text");
	T_EQ_INT(nv_profile_variant_used(p, NV_EXIT_HVC, 2), 0, "hvc's path does not read blk");
	T_EQ_INT(nv_profile_variant_used(p, NV_EXIT_WFI, 2), 1, "wfi's path reads blk");
	T_EQ_INT(nv_profile_variant_used(p, NV_EXIT_HVC, 0), 1, "hvc reads pl through 'use pl x pl'");

	struct nv_obs_trap t[] = {
		obs("ICH_ELRSR_EL2", 0x18, 0), obs("ICH_MISR_EL2", 0x18, 0), obs("CNTKCTL_EL12", 0x18, 0),
		obs("CNTKCTL_EL12", 0x18, 1), obs("CNTKCTL_EL12", 0x18, 0), obs("ICH_MISR_EL2", 0x18, 0),
		obs("ICH_MISR_EL2", 0x18, 0), obs(NULL, 0x24, -1), obs(NULL, 0x1a, -1),
	};
	struct nv_variant_sel sel;
	char label[96];
	nv_profile_variant_select(p, NV_EXIT_HVC, t, 9, 0, &sel);
	T_EQ_INT(sel.v[0], 2, "pl: two CNTKCTL_EL12 reads (the write does not count)");
	T_EQ_INT(sel.v[1], 1, "lr: ICH_ELRSR_EL2 read");
	T_EQ_INT(sel.v[3], 2, "rt: three ICH_MISR_EL2 reads minus 1");
	T_EQ_INT(sel.v[4], 0, "s2: not read by hvc's path, left 0");
	nv_variant_label(p, &sel, label, sizeof label);
	T_EQ_STR(label, "pl*2+lr+rt*2", "label in profile order with counts");
	struct nv_variant_sel back;
	T_EQ_INT(nv_variant_parse(p, label, &back), 0, "the label parses back");
	T_OK(!memcmp(&back, &sel, sizeof sel), "to the same selection");
	T_EQ_INT(nv_variant_parse(p, "pl+nope", &back), -1, "an unknown variant name is refused");

	struct nv_model *m = nv_model_new(nv_arch_find("v8.4"), p, nv_cost_find("xgene"));
	struct nv_result r;
	nv_model_eval_variant(m, NV_EXIT_HVC, &sel, NULL, NULL, NULL, &r);
	/* exc + ELRSR + 2 x (CNTKCTL r + w) + 2 MISR (x rt) + MISR + ERET */
	T_EQ_INT(r.traps, 10, "hvc under pl*2+lr+rt*2 on v8.4: 10 traps");
	struct nv_result fast;
	nv_model_prepare(m);
	nv_model_eval_fast_variant(m, NV_EXIT_HVC, &sel, NULL, &fast);
	T_OK(!memcmp(&fast, &r, sizeof r), "the fast path of a variant equals its full evaluation");
	nv_model_eval(m, NV_EXIT_HVC, NULL, NULL, NULL, &r);
	T_EQ_INT(r.traps, 3, "plain hvc: exc, MISR, ERET");
	/* more distinct selections than the cache holds (64): the rest are expanded each time */
	int wrong = 0;
	for (int a = 0; a < 10; a++)
		for (int b = 0; b < 10; b++) {
			struct nv_variant_sel q;
			memset(&q, 0, sizeof q);
			q.v[0] = (uint8_t)a, q.v[3] = (uint8_t)b;
			for (int rep = 0; rep < 2; rep++) {
				nv_model_eval_fast_variant(m, NV_EXIT_HVC, &q, NULL, &fast);
				wrong += fast.traps != (uint32_t)(3 + 2 * a + b);
			}
		}
	T_EQ_INT(wrong, 0, "100 selections, twice each, past the 64-path cache: every count exact");

	/* wfi: blk by its alternatives; without traps, the events decide */
	struct nv_obs_trap w1[] = { obs("ICH_VTR_EL2", 0x18, 0), obs("ICH_VTR_EL2", 0x18, 0) };
	nv_profile_variant_select(p, NV_EXIT_WFI, w1, 2, 0, &sel);
	T_EQ_INT(sel.v[2], 1, "blk: ICH_VTR_EL2 read and no put/load");
	struct nv_obs_trap w2[] = { obs("ICH_VTR_EL2", 0x18, 0), obs("CNTKCTL_EL12", 0x18, 0) };
	nv_profile_variant_select(p, NV_EXIT_WFI, w2, 2, 0, &sel);
	T_EQ_INT(sel.v[2], 0, "blk: one ICH_VTR_EL2 read with a put/load is the put/load's");
	nv_profile_variant_select(p, NV_EXIT_WFI, NULL, 0, NV_OBS_EV_BLOCK, &sel);
	T_EQ_INT(sel.v[2], 1, "blk: no traps, the vCPU blocked (else @block)");
	T_EQ_INT(sel.v[0], 0, "pl: no traps and no userspace exit");
	nv_model_eval_variant(m, NV_EXIT_WFI, &sel, NULL, NULL, NULL, &r);
	T_EQ_INT(r.traps, 3, "wfi blocking: exc, ICH_VTR_EL2, ERET (no put/load: 'use pl if !blk')");
	nv_profile_variant_select(p, NV_EXIT_HVC, NULL, 0, NV_OBS_EV_USERSPACE, &sel);
	T_EQ_INT(sel.v[0], 1, "pl: no traps, a userspace exit (else @userspace)");
	nv_model_free(m);
	nv_profile_free(p);

	/* bad signatures and uses: one message naming the line */
	T_EQ_STR(parse_err("profile x\nvariant a when NOPE_EL2:r\n"),
		 "t.prof:2: bad variant signature: unknown register or EC 'NOPE_EL2'", "unknown register in a signature");
	T_EQ_STR(parse_err("profile x\nvariant a when HCR_EL2:x\n"),
		 "t.prof:2: bad variant signature 'HCR_EL2:x' (want REGISTER[:r|:w] or an EC)", "bad direction");
	T_EQ_STR(parse_err("profile x\nvariant a sometimes HCR_EL2\n"),
		 "t.prof:2: variant a needs 'when SIGNATURE' or 'count TRAP'", "neither when nor count");
	T_EQ_STR(parse_err("profile x\nvariant a when HCR_EL2 |\n"),
		 "t.prof:2: bad variant signature: variant a names no trap after '|'", "dangling '|'");
	T_EQ_STR(parse_err("profile x\nvariant a count HCR_EL2 plus 2\n"),
		 "t.prof:2: bad variant signature: want 'count TRAP [minus N]'", "count with a bad tail");
	T_EQ_STR(parse_err("profile x\nvariant a when DABT>=0\n"),
		 "t.prof:2: bad variant signature 'DABT>=0' (want TRAP>=N, N 1..64)", "a threshold of 0");
	T_EQ_STR(parse_err("profile x\nvariant a when ERET else @never\n"),
		 "t.prof:2: bad variant signature: want 'else @userspace' or 'else @block' at the end", "unknown event");
	T_EQ_STR(parse_err("profile x\nvariant a when ERET\nvariant a when HVC\n"),
		 "t.prof:3: variant 'a' declared twice (or named like an option)", "a variant twice");
	T_EQ_STR(parse_err("profile x\nseq s\nend\npath hvc\n  use s if nope\nend\n"),
		 "t.prof:5: unknown option 'nope' (declare it with 'option' first)", "use ... if an unknown option");
	T_EQ_STR(parse_err("profile x\nseq s\nend\npath hvc\n  use s maybe\nend\n"),
		 "t.prof:5: unexpected 'maybe' after use (want 'if OPTION' or 'x OPTION')", "use with junk");
	T_EQ_STR(parse_err("profile x\npath hvcc\nend\n"), "t.prof:2: unknown exit kind 'hvcc'", "unknown kind");
}

int main(void)
{
	test_variants();
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
