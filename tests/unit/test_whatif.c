/* What-if edits: the one parser, profile and model application, exact trap counts. */
#include <stdlib.h>
#include "tap.h"
#include "model/model.h"
#include "model/whatif.h"

/* The trapping part of kvm-vhe's hvc path on the real NV2 host (a fixture, so the
 * counts do not move when the shipped profiles do). */
static const char prof[] =
	"profile t\n"
	"mode vhe\n"
	"option tda 1 MDCR_EL2.TDA\n"
	"option misr 1 the ICH_MISR_EL2 read-back\n"
	"path hvc\n"
	"  phase exit\n"
	"  fn nested_vm s\n"
	"  exc\n"
	"  fn sysreg_save_guest_state_vhe s\n"
	"  mrs MDSCR_EL1\n"
	"  mrs ELR_EL2\n"
	"  fn sysreg_restore_host_state_vhe s\n"
	"  msr MDSCR_EL1\n"
	"  fn __vgic_v3_save_state s\n"
	"  mrs ICH_MISR_EL2 if misr\n"
	"  phase entry\n"
	"  fn sysreg_restore_guest_state_vhe s\n"
	"  msr MDSCR_EL1\n"
	"  fn __guest_enter s\n"
	"  eret\n"
	"end\n";

/* Traps of one nested hvc exit of the fixture on v8.4 with edits w (NULL: none). */
static int hvc_traps(const struct nv_whatif *w)
{
	char err[256];
	struct nv_profile *p;
	struct nv_result r;
	if (nv_profile_parse(prof, strlen(prof), "t.prof", &p, err, sizeof err))
		return -1;
	if (w && nv_whatif_apply_profile(w, p, err, sizeof err)) {
		nv_profile_free(p);
		return -2;
	}
	struct nv_model *m = nv_model_new(nv_arch_find("v8.4"), p, nv_cost_find("xgene"));
	if (w)
		nv_whatif_apply_model(w, m);
	nv_model_prepare(m);
	int rc = nv_model_eval(m, NV_EXIT_HVC, NULL, NULL, NULL, &r) ? -3 : (int)r.traps;
	nv_model_free(m);
	nv_profile_free(p);
	return rc;
}

/* A what-if with one edit. */
static struct nv_whatif one(enum nv_edit_type t, const char *arg)
{
	char err[256];
	struct nv_whatif w = { 0 };
	nv_whatif_add(&w, t, arg, err, sizeof err);
	return w;
}

int main(void)
{
	char err[512], buf[256];
	struct nv_whatif w = { 0 }, back = { 0 };

	/* on v8.4: exc, MDSCR_EL1 read, 2 writes, ICH_MISR_EL2, ERET (ELR_EL2 is redirected) */
	T_EQ_INT(hvc_traps(NULL), 6, "the real hvc's traps on v8.4: 6 (compare's count, exc included)");
	w = one(NV_EDIT_SET, "tda=0");
	T_EQ_INT(hvc_traps(&w), 3, "--set tda=0: 3 (exc, ICH_MISR_EL2, ERET)");
	w = one(NV_EDIT_VNCR, "mdscr_el1");
	T_EQ_STR(w.e[0].name, "MDSCR_EL1", "register names are upper-cased");
	T_EQ_INT(hvc_traps(&w), 3, "--vncr MDSCR_EL1: its 3 traps become memory");
	w = one(NV_EDIT_CACHE, "MDSCR_EL1");
	T_EQ_INT(hvc_traps(&w), 5, "--cache MDSCR_EL1: the read no longer traps");
	w = one(NV_EDIT_DEFER, "MDSCR_EL1");
	T_EQ_INT(hvc_traps(&w), 4, "--defer MDSCR_EL1: the 2 writes no longer trap");
	w = one(NV_EDIT_VNCR, "ICH_MISR_EL2");
	T_EQ_INT(hvc_traps(&w), 5, "--vncr ICH_MISR_EL2: computed from memory, 1 trap less");
	w = one(NV_EDIT_REDIRECT, "ELR_EL2");
	T_EQ_INT(hvc_traps(&w), 6, "--redirect ELR_EL2: already redirected on v8.4, no change");
	w = one(NV_EDIT_SET, "misr=0");
	T_EQ_INT(hvc_traps(&w), 5, "--set on a profile switch (misr=0): the read-back is gone");

	/* the label results are stored under, and back */
	memset(&w, 0, sizeof w);
	nv_whatif_add(&w, NV_EDIT_SET, "tda=off", err, sizeof err);
	nv_whatif_add(&w, NV_EDIT_VNCR, "ICH_MISR_EL2", err, sizeof err);
	nv_whatif_format(&w, buf, sizeof buf);
	T_EQ_STR(buf, "set tda=0, vncr ICH_MISR_EL2", "format: one label for the edits");
	T_EQ_INT(nv_whatif_parse_label(buf, &back, err, sizeof err), 0, "the label parses back");
	T_EQ_INT(back.n, 2, "to two edits");
	T_EQ_INT(hvc_traps(&back), 2, "tda=0 + vncr ICH_MISR_EL2: exc and ERET only");
	T_EQ_INT(nv_whatif_parse_label("sot tda=0", &back, err, sizeof err), -1, "a bad label fails");
	T_EQ_STR(err, "not a what-if edit: 'sot tda=0' (want set, vncr, redirect, cache or defer)",
		 "naming the item");

	/* bad input: one line naming it and the known ones */
	memset(&w, 0, sizeof w);
	T_EQ_INT(nv_whatif_add(&w, NV_EDIT_SET, "tda", err, sizeof err), -1, "--set without =V fails");
	T_EQ_STR(err, "--set wants OPTION=VALUE (on, off or 0..64), not 'tda'", "with the syntax");
	T_EQ_INT(nv_whatif_add(&w, NV_EDIT_SET, "tda=65", err, sizeof err), -1, "--set 65 fails");
	T_EQ_INT(nv_whatif_add(&w, NV_EDIT_VNCR, "A B", err, sizeof err), -1, "a register with a space fails");
	w = one(NV_EDIT_SET, "nope=1");
	T_EQ_INT(hvc_traps(&w), -2, "an unknown option fails at the profile");
	struct nv_profile *p;
	nv_profile_parse(prof, strlen(prof), "t.prof", &p, err, sizeof err);
	nv_whatif_apply_profile(&w, p, err, sizeof err);
	T_EQ_STR(err, "unknown option 'nope' in --set (profile t has: tda, misr)",
		 "naming it and the profile's options");
	w = one(NV_EDIT_VNCR, "NOPE_EL2");
	nv_whatif_apply_profile(&w, p, err, sizeof err);
	T_EQ_STR(err, "unknown register 'NOPE_EL2' in --vncr (profile t uses: MDSCR_EL1, ELR_EL2, "
		 "ICH_MISR_EL2; nvtrace regs lists all)", "naming it and the profile's registers");
	nv_profile_free(p);
	for (int i = 0; i < NV_WHATIF_MAX; i++)
		nv_whatif_add(&w, NV_EDIT_CACHE, "MDSCR_EL1", err, sizeof err);
	T_EQ_STR(err, "at most 16 what-if edits", "the edit list is bounded");
	return t_done();
}
