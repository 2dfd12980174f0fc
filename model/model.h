/*
 * nvtrace model: the public API of the architecture model.
 *
 * For one nested exit of a given kind, the model walks the guest
 * hypervisor's path (a *profile*: the ordered operations KVM runs at vEL2 on
 * the exit, while handling it, and on the way back in), asks an
 * *architecture* the fate of each operation (native, trap to the host
 * hypervisor L0, memory access to the VNCR page, redirect in hardware to an
 * EL1 register), and turns fates into cycles with a per-platform *cost
 * table*.  Pure computation: no I/O, no globals, only const tables and
 * malloc'ed contexts.
 *
 *   const struct nv_arch *a = nv_arch_find("v8.3");
 *   struct nv_profile *p;  nv_profile_load_builtin("kvm-2017-nvhe", &p, err, sizeof err);
 *   struct nv_model *m = nv_model_new(a, p, nv_cost_find("xgene"));
 *   struct nv_result r;  nv_model_eval(m, NV_EXIT_HVC, NULL, NULL, NULL, &r);
 *   // r.traps == 126
 *   nv_model_prepare(m);  nv_model_eval_fast(m, NV_EXIT_HVC, NULL, &r); // replay
 */
#ifndef NVTRACE_MODEL_H
#define NVTRACE_MODEL_H

#include <stddef.h>
#include <stdint.h>

/* ---------------------------------------------------------------- kinds */

/*
 * System register encoding, packed exactly like schema/event.h NV_SYSREG()
 * so an importer can pass its event's sysreg field straight to
 * nv_sysreg_by_enc() (the model does not include schema headers).
 */
#define NV_MREG(op0, op1, crn, crm, op2) \
	(((op0) << 16) | ((op1) << 12) | ((crn) << 8) | ((crm) << 4) | (op2))

/* What kind of nested exit (the nested VM's exit the guest hypervisor handles). */
enum nv_exit_kind {	/* the list: model/exit_kinds.def */
#define NV_EXIT_KIND(id, name) NV_EXIT_##id,
#include "model/exit_kinds.def"
#undef NV_EXIT_KIND
	NV_EXIT__COUNT
};
const char *nv_exit_kind_name(enum nv_exit_kind k);
int nv_exit_kind_from_name(const char *name);		/* -1 if unknown */

/* What the hardware does with one operation of the guest hypervisor. */
enum nv_fate {
	NV_FATE_NATIVE,		/* runs on the CPU, no L0 involvement */
	NV_FATE_TRAP,		/* exception to L0, emulated by an L0 handler */
	NV_FATE_MEMORY,		/* becomes a load/store to the VNCR page (logged) */
	NV_FATE_REDIRECT,	/* hardware runs it on the mapped EL1 register */
	NV_FATE__COUNT
};
const char *nv_fate_name(enum nv_fate f);

/*
 * L0 (host hypervisor) handlers a trap can land in, named after the KVM
 * function.  X(id, name, puts_and_loads): the last column says the handler
 * does a full vcpu_put/vcpu_load (nested ERET, exception forwarding).
 * Sub-models append rows at the end.
 */
#define NV_HANDLERS(X) \
	X(NONE,        "-",                      0) \
	X(HVC_VM,      "handle_hvc",             0) \
	X(FORWARD,     "kvm_inject_nested_sync", 1) \
	X(ERET,        "kvm_emulate_nested_eret",1) \
	X(EL2_REG,     "trap_el2_reg",           0) \
	X(VM_REG,      "access_vm_reg",          0) \
	X(NV1_REG,     "access_elr_spsr_vbar",   0) \
	X(SP_EL1,      "access_sp_el1",          0) \
	X(CPACR,       "access_cpacr",           0) \
	X(ACTLR,       "access_actlr",           0) \
	X(DEBUG,       "trap_debug_regs",        0) \
	X(PMU,         "access_pmu_el0",         0) \
	X(EL12,        "access_el12",            0) \
	X(TIMER,       "access_arch_timer",      0) \
	X(GICV3,       "access_gic_ich",         0) \
	X(GICV2_MMIO,  "vgic_v2_gich_mmio",      0) \
	X(TLBI,        "handle_tlbi",            0) \
	X(AT,          "handle_at",              0) \
	X(EL2_XLATE,   "el2_xlate_in_memory",    0) \
	X(ID_REG,      "access_id_reg",          0) \
	X(UNDEF,       "undef_access",           0) \
	X(VGIC_MMIO,   "vgic_mmio_write",        0) \
	X(L0_S2,       "kvm_handle_guest_abort", 0)

enum nv_handler {
#define X(id, name, pl) NV_H_##id,
	NV_HANDLERS(X)
#undef X
	NV_H__COUNT
};
const char *nv_handler_name(enum nv_handler h);
int nv_handler_puts_and_loads(enum nv_handler h);

/* ------------------------------------------------------ register table */

/* Exception level of a register as named (EL12: the EL12 and EL02 aliases). */
enum nv_el { NV_EL0, NV_EL1, NV_EL12, NV_EL2, NV_EL_MMIO };
const char *nv_el_name(enum nv_el el);

/* What the register is for (the NEVE classes plus bookkeeping). */
enum nv_reg_class {
	NV_RC_VM,	/* EL1/EL0 context of the (nested) VM */
	NV_RC_HYP,	/* hypervisor control (EL2) */
	NV_RC_THREAD,	/* thread/ID registers never trapped (TPIDR, CSSELR, PAR) */
	NV_RC_TIMER, NV_RC_GIC, NV_RC_DEBUG, NV_RC_PMU, NV_RC_FGT,
	NV_RC_ID,	/* ID registers */
	NV_RC_TLBI, NV_RC_AT,	/* instructions, in the same table */
	NV_RC__COUNT
};
const char *nv_reg_class_name(enum nv_reg_class c);

/*
 * The control that makes a vEL2 access to this register trap on ARMv8.3
 * (names after upstream emulate-nested.c coarse groups).  An architecture
 * combines it with the guest configuration (struct nv_guest_cfg).
 */
enum nv_trap_ctl {
	NV_CTL_NONE,	/* never traps (TPIDR_EL0, CNTKCTL_EL1 ...) */
	NV_CTL_NV,	/* HCR_EL2.NV: EL2 registers, EL2 TLBI/AT */
	NV_CTL_NV_SP,	/* HCR_EL2.NV: SP_EL1 (CGT_HCR_NV_nNV2) */
	NV_CTL_NV1,	/* HCR_EL2.NV1: VBAR/ELR/SPSR_EL1 (CGT_HCR_NV1_nNV2) */
	NV_CTL_EL12,	/* HCR_EL2.NV: accesses through the EL12 and EL02 aliases */
	NV_CTL_TVM,	/* HCR_EL2.TVM|TRVM set by L0 for a non-VHE vEL2 */
	NV_CTL_TCPAC,	/* CPTR_EL2.TCPAC: CPACR_EL1 */
	NV_CTL_TACR,	/* HCR_EL2.TACR: ACTLR_EL1 */
	NV_CTL_TDA,	/* MDCR_EL2.TDA: MDSCR_EL1 and debug */
	NV_CTL_TPM,	/* MDCR_EL2.TPM: PMU EL0 registers */
	NV_CTL_MMIO,	/* GICv2 GICH page: stage-2 data abort to L0 */
	NV_CTL_TID,	/* HCR_EL2.TID3: ID registers, trapped for any guest */
	NV_CTL__COUNT
};
const char *nv_trap_ctl_name(enum nv_trap_ctl c);

struct nv_sysreg {
	const char *name;	/* "HCR_EL2"; GICH_* for the GICv2 MMIO registers */
	int32_t enc;		/* NV_MREG(); -1 for MMIO registers */
	uint8_t el;		/* enum nv_el */
	uint8_t cls;		/* enum nv_reg_class */
	uint8_t ctl;		/* enum nv_trap_ctl */
	uint8_t handler;	/* enum nv_handler when it traps */
	int16_t vncr;		/* byte offset in the VNCR page, -1 if none */
	uint8_t linux_vncr;	/* Linux backs it with the VNCR page (enum vcpu_sysreg VNCR()) */
	uint8_t xlate;		/* EL1 mapping needs a format translation (E2H=0 guest) */
	const char *el1_map;	/* MAPPED_EL2_SYSREG: the EL1 register it runs on, or NULL */
	const char *alias_of;	/* EL12/EL02: the EL1/EL0 register it accesses, or NULL */
	int32_t mmio_off;	/* GICH_* offset in the GICv2 hyp interface, -1 if none */
};
int nv_sysreg_count(void);
const struct nv_sysreg *nv_sysreg_at(int idx);
int nv_sysreg_by_name(const char *name);	/* case-insensitive; -1 if unknown */
int nv_sysreg_by_enc(int32_t enc);		/* -1 if unknown */

/* ----------------------------------------------------------- operations */

enum nv_op_kind {
	NV_OP_MRS, NV_OP_MSR, NV_OP_ERET, NV_OP_HVC, NV_OP_SMC, NV_OP_TLBI,
	NV_OP_AT, NV_OP_MMIO_R, NV_OP_MMIO_W,
	NV_OP_EXC,	/* the nested VM's exception that starts the exit (forwarded to vEL2) */
	NV_OP_NATIVE,	/* a named block of plain code (cycles from the cost table) */
	NV_OP_MEM,	/* a plain memory access (sub-models: page-table walk reads) */
	NV_OP_CALL,	/* hook: a sub-model expands this step into ops */
	NV_OP__COUNT
};
const char *nv_op_kind_name(enum nv_op_kind k);

enum nv_phase { NV_PHASE_EXIT, NV_PHASE_HANDLE, NV_PHASE_ENTRY, NV_PHASE__COUNT };
const char *nv_phase_name(enum nv_phase p);

/* Who produced an op: the profile or a stateful sub-model. */
enum nv_source { NV_SRC_PROFILE, NV_SRC_MMU, NV_SRC_TIMER, NV_SRC_GIC, NV_SRC__COUNT };
const char *nv_source_name(enum nv_source s);

struct nv_op {
	uint8_t kind;		/* enum nv_op_kind */
	uint8_t phase;		/* enum nv_phase */
	uint8_t source;		/* enum nv_source */
	int16_t reg;		/* nv_sysreg index (registers, TLBI, AT, GICH), -1 */
	const char *fn;		/* guest hypervisor function, e.g. "__sysreg_save_state" */
	const char *src;	/* where in KVM: "repo:path@commit" */
	const char *text;	/* the instruction as written in the source */
	const char *name;	/* NATIVE: cost-table block; CALL: "mmu.s2_fault" */
	const char *cond;	/* option that put it on the path, or NULL */
};

/* One evaluated op, as handed to an emit callback (explain, flame). */
struct nv_op_result {
	const struct nv_op *op;
	uint32_t seq;		/* 1-based position in this exit */
	uint8_t fate;		/* enum nv_fate */
	uint8_t handler;	/* enum nv_handler (trap) */
	int16_t target;		/* redirect: EL1 register index; -1 */
	uint64_t cycles;
};
typedef void (*nv_emit_fn)(void *arg, const struct nv_op_result *r);

/* --------------------------------------------------------- architectures */

/*
 * The guest hypervisor configuration an architecture decides fates in:
 * VHE or not (E2H, i.e. NV1 on v8.3) and which optional trap controls L0
 * sets (bit (1u << enum nv_trap_ctl)).  Comes from the profile's options.
 */
struct nv_guest_cfg {
	uint8_t vhe;
	uint32_t ctl_on;
	uint8_t elr_spsr_native;	/* the seed's PV prototype read ELR/SPSR_EL1 natively */
};

struct nv_arch;		/* const data in model/arch_*.c */
int nv_arch_count(void);
const struct nv_arch *nv_arch_at(int i);
const struct nv_arch *nv_arch_find(const char *name);	/* NULL if unknown */
const char *nv_arch_name(const struct nv_arch *a);
const char *nv_arch_desc(const struct nv_arch *a);
int nv_arch_is_nested(const struct nv_arch *a);		/* 0 for "vm" */

/* The fate of one operation kind on a register (reg -1 for ERET/HVC/EXC). */
struct nv_fate_info {
	enum nv_fate fate;
	enum nv_handler handler;
	int target;		/* redirect target register index, -1 */
};
struct nv_fate_info nv_arch_fate(const struct nv_arch *a, const struct nv_guest_cfg *g,
				 enum nv_op_kind kind, int reg);
/*
 * Default guest configuration: non-VHE, none of L0's optional controls
 * (what the architecture alone does; regs shows it).
 */
struct nv_guest_cfg nv_guest_cfg_default(void);

/* ---------------------------------------------------------- cost tables */

struct nv_cost;		/* const data in model/cost_*.c */
int nv_cost_count(void);
const struct nv_cost *nv_cost_at(int i);
const struct nv_cost *nv_cost_find(const char *name);	/* NULL if unknown */
const char *nv_cost_name(const struct nv_cost *c);
const char *nv_cost_desc(const struct nv_cost *c);
/* The L0 host a table describes ("APM X-Gene ..., non-VHE KVM v4.10"). */
const char *nv_cost_host(const struct nv_cost *c);
/*
 * 1 when a figure for architecture a costed with table c describes no real
 * machine: an architecture that needs FEAT_NV2 (v8.4) on a host without it
 * (upstream KVM runs nested guests only on NV2 CPUs, as a VHE host), or
 * v8.3/NEVE on an NV2 host (whose KVM uses NV2).  The seed's own settings
 * (vm, v8.3, neve on xgene: emulated, calibrated) are not.  _why: the
 * reason, or NULL.
 */
int nv_cost_hypothetical(const struct nv_cost *c, const struct nv_arch *a);
const char *nv_cost_hypothetical_why(const struct nv_cost *c, const struct nv_arch *a);

/* Provenance of a cost constant. */
enum nv_prov { NV_PROV_MEASURED, NV_PROV_DERIVED, NV_PROV_FITTED, NV_PROV_ASSUMED,
	       NV_PROV_PLACEHOLDER, NV_PROV__COUNT };
const char *nv_prov_name(int prov);		/* "measured" ... */
int nv_prov_from_name(const char *name);	/* -1 if unknown */
/* Every constant of a table: scalars, then handlers, then named blocks. */
struct nv_cost_const {
	const char *group;	/* "param", "handler" or "block" */
	const char *name;	/* "exc_entry", "trap_el2_reg", "kvm_handle_hvc" */
	uint32_t value;
	int prov;		/* enum nv_prov */
	const char *source;	/* why this value ("" if the table gives none) */
};
int nv_cost_const_count(const struct nv_cost *c);
int nv_cost_const_at(const struct nv_cost *c, int i, struct nv_cost_const *out);
/* Whether the table names this native block (else it costs the placeholder). */
int nv_cost_has_block(const struct nv_cost *c, const char *name);
/* Cycles a named block costs (the table's placeholder if it is not listed). */
uint32_t nv_cost_block_cycles_of(const struct nv_cost *c, const char *name);
/*
 * A cost table from text (docs/usage-costs.md): "cost NAME", "describe",
 * "host", "l0 vhe|nvhe", "nv2 yes|no", then one "KEY VALUE PROVENANCE
 * SOURCE..." line per constant; every scalar and every block of
 * nv_cost_required_block() must be given.  0 or -1 with "origin:line: why".
 */
int nv_cost_parse(const char *text, size_t len, const char *origin, struct nv_cost **out,
		  char *err, size_t errlen);
void nv_cost_free(struct nv_cost *c);	/* only tables from nv_cost_parse */
const char *nv_cost_required_block(int i);	/* NULL past the end */
/*
 * Leave-one-out check of a table fitted to the seed's hypercall (profile p,
 * normally kvm-2017-nvhe): fit kvm_handle_hvc on the VM figure (2,729),
 * tie the sysreg emulation h to it, fit vcpu_put_load on v8.3 (422,720),
 * predict NEVE (92,385).  -1 if an evaluation fails.
 */
struct nv_profile;
struct nv_loo {
	uint64_t target_vm, target_v83, target_neve;
	uint32_t kvm_handle_hvc, h, vcpu_put_load;	/* the leave-one-out fit */
	uint64_t vm, v83, neve;				/* its figures */
	uint64_t neve_full;				/* NEVE with the full (3-figure) fit */
	double error_pct;				/* (neve - 92,385) / 92,385 */
};
int nv_cost_loo(const struct nv_profile *p, const struct nv_cost *base, struct nv_loo *out);
/* The table as text nv_cost_parse reads back (snprintf-like: the length). */
size_t nv_cost_format(const struct nv_cost *c, char *buf, size_t len);

/* ------------------------------------------------------------- profiles */

struct nv_profile;	/* parsed from text (see docs/usage-model.md) */
int nv_profile_parse(const char *text, size_t len, const char *origin,
		     struct nv_profile **out, char *err, size_t errlen);
void nv_profile_free(struct nv_profile *p);
int nv_profile_builtin_count(void);
const char *nv_profile_builtin_name(int i);
const char *nv_profile_builtin_text(const char *name);	/* NULL if unknown */
int nv_profile_load_builtin(const char *name, struct nv_profile **out, char *err, size_t errlen);
const char *nv_profile_name(const struct nv_profile *p);
const char *nv_profile_desc(const struct nv_profile *p);
/* Named options (switches and counts like live-lrs); -1 if unknown. */
int nv_profile_option_count(const struct nv_profile *p);
const char *nv_profile_option_name(const struct nv_profile *p, int i);
const char *nv_profile_option_why(const struct nv_profile *p, int i);
int nv_profile_option_get(const struct nv_profile *p, const char *name);
int nv_profile_option_set(struct nv_profile *p, const char *name, int value);	/* -1 unknown */
struct nv_guest_cfg nv_profile_cfg(const struct nv_profile *p);
/* The GIC version the guest hypervisor programs: 2 (GICH MMIO) or 3 (ICH_*
 * system registers), from the profile's "gic v2|v3" line (3 if absent). */
int nv_profile_gic(const struct nv_profile *p);
/* Whether the profile has a path for this exit kind. */
int nv_profile_has_kind(const struct nv_profile *p, enum nv_exit_kind k);

/*
 * Path variants ("variant NAME when SIGNATURE" / "variant NAME count TRAP
 * minus N" lines of a profile): per nested exit, each variant gets a value
 * from the traps the trace observed (1 when its signature holds, or a
 * count), and the paths read it like an option ("if NAME", "x NAME").  A
 * selection of all zeros is the plain path (what nv_model_eval costs).
 */
#define NV_VARIANT_MAX 12
#define NV_SIG_MAX 12		/* terms of one variant's signature */
struct nv_variant_sel {
	uint8_t v[NV_VARIANT_MAX];	/* value of each variant, profile order */
};
/* One observed trap, as the model names it (replay converts its own). */
struct nv_obs_trap {
	int16_t reg;	/* nv_sysreg index of the register, -1 if not named */
	int16_t ec;	/* exception class of the trap (0x18 system register) */
	int8_t dir;	/* 1 write, 0 read, -1 unknown */
};
int nv_profile_variant_count(const struct nv_profile *p);
const char *nv_profile_variant_name(const struct nv_profile *p, int i);
const char *nv_profile_variant_why(const struct nv_profile *p, int i);
/* The signature of variant i as written ("when MDCR_EL2:w"), for explain. */
const char *nv_profile_variant_sig(const struct nv_profile *p, int i);
/* Whether the path of kind k reads variant i. */
int nv_profile_variant_used(const struct nv_profile *p, enum nv_exit_kind k, int i);
/*
 * Events of an exit without observed traps (single-level runs): a variant
 * with "else @userspace" / "else @block" takes 1 from them instead.
 */
#define NV_OBS_EV_USERSPACE 1u	/* the exit went out to the VMM (KVM_EXIT_*) */
#define NV_OBS_EV_BLOCK     2u	/* the vCPU blocked (kvm_vcpu_wakeup) */
/*
 * Each variant's value for one nested exit of kind k (0 for variants k's
 * path does not read): from the observed traps, or with none (n == 0) from
 * the events.
 */
void nv_profile_variant_select(const struct nv_profile *p, enum nv_exit_kind k,
			       const struct nv_obs_trap *t, int n, uint32_t events,
			       struct nv_variant_sel *sel);
/* "plain", or the variants that apply joined by '+' ("putload+retry*2"). */
void nv_variant_label(const struct nv_profile *p, const struct nv_variant_sel *sel, char *buf,
		      size_t len);
/*
 * "variants exhaustive" (a profile learned by `profile from`): the variants
 * cover every sequence the profile knows, so an exit that selects none of
 * them matched none (validate reports it apart; replay costs the plain path).
 */
int nv_profile_variants_exhaustive(const struct nv_profile *p);
/* The signature word of an exception class (ESR EC: "DABT"), NULL if none. */
const char *nv_sig_ec_name(int ec);
/* Parse such a label back (explain --variant); -1 with an unknown name. */
int nv_variant_parse(const struct nv_profile *p, const char *label, struct nv_variant_sel *sel);

/* ------------------------------------------------------------ evaluation */

struct nv_result {
	uint32_t ops, traps;
	uint64_t cycles;
	uint32_t fate_count[NV_FATE__COUNT];
	uint64_t fate_cycles[NV_FATE__COUNT];
	uint32_t handler_count[NV_H__COUNT];
	uint64_t phase_cycles[NV_PHASE__COUNT];
	uint32_t source_traps[NV_SRC__COUNT];
};

/*
 * Per-vCPU state of the stateful sub-models (shadow stage-2, timers, vGIC),
 * opaque here; NULL means "stateless defaults".  model/vcpu.c owns it.
 */
struct nv_vcpu;
struct nv_vcpu *nv_vcpu_new(void);
void nv_vcpu_free(struct nv_vcpu *v);
/*
 * Memoise nv_model_eval_fast / nv_model_eval_fast_variant on v (off by
 * default): an exit whose kind, variant selection and sub-model state were
 * met before, and which then left the shadow stage 2 unchanged, takes its
 * result and the state it left from the memo (the same nv_result and state,
 * bit for bit; the times an exit stores, from the clock: an affine function
 * measured when it was first met; model/memo.h).  Memory: a fixed table
 * per vCPU (or per thread: nv_vcpu_memo_share).  The state must change only
 * through the model (steps clear the cached digest; the shadow stage 2 also
 * through its own functions, s2mmu_touch): code that writes struct nv_vcpu
 * itself leaves the memo off.  on: 0 off, 1 on, 2 verify (a hit is evaluated
 * all the same and compared: nv_memo_stats.checked, .wrong).  0, or -1 when
 * out of memory (left off).
 */
int nv_vcpu_memo(struct nv_vcpu *v, int on);
/* v uses the memo of from (on, in from's mode): vCPUs evaluated on one
 * thread share what they learn (the key holds the whole state). */
void nv_vcpu_memo_share(struct nv_vcpu *v, struct nv_vcpu *from);
struct nv_memo_stats {
	uint64_t hits, misses, stored;
	uint64_t checked, wrong;	/* verify mode */
};
/* Counts since the memo was turned on (zeros when off; of every vCPU
 * sharing it). */
void nv_vcpu_memo_stats(const struct nv_vcpu *v, struct nv_memo_stats *st);

struct nv_model;	/* arch + profile + cost + prepared fast table */
struct nv_model *nv_model_new(const struct nv_arch *a, const struct nv_profile *p,
			      const struct nv_cost *c);	/* NULL on allocation failure */
void nv_model_free(struct nv_model *m);
const struct nv_arch *nv_model_arch(const struct nv_model *m);
const struct nv_profile *nv_model_profile(const struct nv_model *m);
const struct nv_cost *nv_model_cost(const struct nv_model *m);

/*
 * Evaluate one nested exit of `kind`: every op in order, its fate and
 * cycles (through emit when not NULL), totals in *res.  Returns 0, or -1
 * when the profile has no path for that kind (res zeroed).
 */
int nv_model_eval(const struct nv_model *m, enum nv_exit_kind kind, struct nv_vcpu *v,
		  nv_emit_fn emit, void *arg, struct nv_result *res);
/* The same for the path of one variant selection (NULL: the plain path). */
int nv_model_eval_variant(const struct nv_model *m, enum nv_exit_kind kind,
			  const struct nv_variant_sel *sel, struct nv_vcpu *v, nv_emit_fn emit,
			  void *arg, struct nv_result *res);
/*
 * Named blocks on the model's paths that cost a placeholder (not in the
 * table, or marked placeholder there): up to max names (static strings of
 * the profile) into names; returns how many there are, -1 on error.
 * Commands print a warning for each.
 */
int nv_model_placeholders(struct nv_model *m, const char **names, int max);
/* Why the last expansion of a path failed (e.g. "GICH_LR4: no such register"), or "". */
const char *nv_model_error(const struct nv_model *m);

/*
 * Precompute per-kind totals of the static ops: call once after new, before
 * nv_model_eval_fast (which otherwise expands on first use: not thread-safe).
 */
int nv_model_prepare(struct nv_model *m);
/*
 * Fast path for replay: the prepared totals plus only the sub-model steps
 * (which may depend on v).  Same result as nv_model_eval without emit.
 */
int nv_model_eval_fast(const struct nv_model *m, enum nv_exit_kind kind, struct nv_vcpu *v,
		       struct nv_result *res);
/* nv_model_eval_fast for a variant selection (expanded once, then cached). */
int nv_model_eval_fast_variant(const struct nv_model *m, enum nv_exit_kind kind,
			       const struct nv_variant_sel *sel, struct nv_vcpu *v,
			       struct nv_result *res);

/*
 * Run one sub-model step "SUB.STEP" (e.g. "gic.inject_level") on vCPU v
 * outside any path; its ops are added to *res (not zeroed).  -1 if the
 * sub-model or step is unknown.
 */
int nv_model_step(const struct nv_model *m, const char *call, struct nv_vcpu *v,
		  nv_emit_fn emit, void *arg, struct nv_result *res);

/*
 * Advance a vCPU's model clock to the time of the event being replayed
 * (ns, from the trace); never moves backwards.  The timer sub-model fires
 * and re-arms against it.
 */
void nv_vcpu_set_time(struct nv_vcpu *v, uint64_t ns);

/* ----------------------------------------------------- sub-model hook */

/*
 * A "call NAME.STEP" line in a profile hands control to the sub-model NAME
 * (model/submodel.c table): it pushes the ops that step costs for this vCPU
 * into the sink, which evaluates them like profile ops (source = its own).
 */
struct nv_sink;
void nv_sink_push(struct nv_sink *s, const struct nv_op *op);
struct nv_submodel {
	const char *name;		/* "mmu", "timer", "gic" */
	enum nv_source source;
	/* step: text after the dot; returns 0, -1 if the step is unknown. */
	int (*expand)(const struct nv_model *m, const char *step, struct nv_vcpu *v,
		      enum nv_phase phase, struct nv_sink *s);
};
const struct nv_submodel *nv_submodel_find(const char *name);

#endif
