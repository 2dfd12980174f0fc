/*
 * What-if edits: the same `--set OPTION=VALUE`, `--vncr REG`, `--redirect REG`,
 * `--cache REG`, `--defer REG` on every command that runs the model (compare,
 * replay, flame, advise, explain), parsed here once and applied to a profile
 * (options) and to a model (register fates) before it is prepared.
 *
 *   set OPT=V      a profile option (L0 trap controls tda, tpm, tacr, tcpac,
 *                  or the profile's own switches and counts)
 *   vncr REG       the architecture puts REG in the VNCR page: its accesses
 *                  that trap become memory accesses
 *   redirect REG   the hardware runs REG's trapping accesses on an EL1
 *                  register (its EL1 mapping, else itself)
 *   cache REG      the guest hypervisor reads a copy it keeps (e.g. loaded at
 *                  vcpu_load) instead of the register: trapping reads run natively
 *   defer REG      the guest hypervisor defers its writes (e.g. to vcpu_put):
 *                  trapping writes run natively
 * Register edits change only accesses that trap, and only on nested
 * architectures.  Pure: no I/O.
 */
#ifndef NVTRACE_WHATIF_H
#define NVTRACE_WHATIF_H

#include "model/model.h"

#define NV_WHATIF_EDITS(X) \
	X(SET,      "set") \
	X(VNCR,     "vncr") \
	X(REDIRECT, "redirect") \
	X(CACHE,    "cache") \
	X(DEFER,    "defer")

enum nv_edit_type {
#define X(id, name) NV_EDIT_##id,
	NV_WHATIF_EDITS(X)
#undef X
	NV_EDIT__COUNT
};
const char *nv_edit_type_name(enum nv_edit_type t);

struct nv_edit {
	uint8_t type;		/* enum nv_edit_type */
	int value;		/* SET */
	char name[48];		/* option (SET) or register name */
};

#define NV_WHATIF_MAX 16
struct nv_whatif {
	int n;
	struct nv_edit e[NV_WHATIF_MAX];
};

/*
 * Add one edit from its command-line argument ("tda=0", "on"/"off" or
 * 0..64; a register name).  Syntax only (the names are checked against a
 * profile by nv_whatif_apply_profile); 0, or -1 with one line in err.
 */
int nv_whatif_add(struct nv_whatif *w, enum nv_edit_type t, const char *arg,
		  char *err, size_t errlen);
/*
 * Check every name (an unknown option or register: one line naming it and
 * the known ones) and set the options on p; 0 or -1 with err.
 */
int nv_whatif_apply_profile(const struct nv_whatif *w, struct nv_profile *p,
			    char *err, size_t errlen);
/* Apply the register edits to a model (call before nv_model_prepare). */
void nv_whatif_apply_model(const struct nv_whatif *w, struct nv_model *m);
/* "set tda=0, vncr MDSCR_EL1" ("" when empty): the label results are stored under. */
void nv_whatif_format(const struct nv_whatif *w, char *buf, size_t len);

/*
 * The reverse of nv_whatif_format: edits from a label ("set tda=0, vncr
 * MDSCR_EL1"), appended to w; 0, or -1 with err.
 */
int nv_whatif_parse_label(const char *label, struct nv_whatif *w, char *err, size_t errlen);

/*
 * Cycles of one trap to L0 landing in handler h on the model's platform
 * (what a trap op costs in nv_model_eval): for the observed traps advise
 * prices.
 */
uint64_t nv_model_trap_cycles(const struct nv_model *m, enum nv_handler h);

#endif
