/*
 * Internals shared by the model's files (not part of the public API):
 * the layout of architectures, cost tables, profiles and the model context.
 */
#ifndef NVTRACE_MODEL_INT_H
#define NVTRACE_MODEL_INT_H
#include "model/model.h"

/* An architecture is a handful of policy switches read by nv_arch_fate(). */
struct nv_arch {
	const char *name, *desc;
	uint8_t nested;			/* 0: the hypervisor runs at real EL2 ("vm") */
	uint8_t tvm_for_nvhe;		/* L0 traps EL1 VM registers of a non-VHE vEL2 (TVM/TRVM) */
	uint8_t vncr_memory;		/* Linux VNCR-backed registers become memory accesses */
	uint8_t memory_first;		/* memory wins over L0's optional trap controls */
	uint8_t redirect_mapped;	/* EL2 registers with an EL1 mapping run on it */
	uint8_t redirect_xlate_nvhe;	/* ... also those a non-VHE guest needs translated */
	uint8_t el02_timers_trap;	/* EL02 timer aliases trap although backed (Linux) */
	uint8_t needs_nv2;		/* only an NV2 CPU runs it (upstream KVM) */
};

/* A named block of plain code and its cycles on a platform. */
struct nv_cost_block {
	const char *name;
	uint32_t cycles;
};

/* Where a constant comes from: group "param", "handler" or "block" and the
 * constant's name; name "*" covers every constant of the group without its
 * own note. */
struct nv_cost_note {
	const char *group, *name;
	uint8_t prov;		/* enum nv_prov */
	const char *source;
};

/* The scalar constants of a cost table, one list (name = struct field). */
#define NV_COST_SCALARS(X) \
	X(exc_entry) X(exc_return) X(l0_switch) X(vcpu_put_load) \
	X(native_sysreg) X(native_eret) X(native_hvc) X(native_tlbi) X(native_at) \
	X(native_mmio) X(mem_access) X(redirect) X(native_block_default)

struct nv_cost {
	const char *name, *desc;
	const char *host;		/* the L0 machine and kernel */
	uint8_t l0_vhe;			/* L0 runs as a VHE host */
	uint8_t nv2_host;		/* the CPU has FEAT_NV2: upstream KVM runs NV guests */
	uint32_t exc_entry, exc_return;	/* hardware exception to EL2, ERET back */
	uint32_t l0_switch;		/* L0's own world switch around each trap */
	uint32_t vcpu_put_load;		/* full vcpu_put + vcpu_load in L0 */
	uint32_t handler[NV_H__COUNT];	/* L0 emulation per handler */
	uint32_t native_sysreg, native_eret, native_hvc, native_tlbi, native_at, native_mmio;
	uint32_t mem_access, redirect;
	const struct nv_cost_block *blocks;
	uint32_t nblocks, native_block_default;
	const struct nv_cost_note *notes;
	uint32_t nnotes;
};
uint32_t nv_cost_block_cycles(const struct nv_cost *c, const char *name);
int nv_cost_scalar_count(void);
const char *nv_cost_scalar_name(int i);
uint32_t *nv_cost_scalar_ptr(struct nv_cost *c, int i);

/* One statement of a profile path or sequence, as parsed. */
enum nv_stmt_type { NV_ST_OP, NV_ST_FN, NV_ST_PHASE, NV_ST_USE };
struct nv_stmt {
	uint8_t type;
	uint8_t op_kind;	/* NV_ST_OP */
	uint8_t phase;		/* NV_ST_PHASE */
	uint8_t cond_neg;	/* "if !opt" */
	char *reg;		/* register name; '#' is replaced by the repeat index */
	char *name;		/* fn name, native block, call target, use target */
	char *src;		/* NV_ST_FN: source reference */
	char *cond;		/* option the op depends on, or NULL */
	char *repeat;		/* option giving a repeat count, or NULL */
	char *text;		/* the instruction as written in the source */
	int line;
};
struct nv_block {
	char *name;
	struct nv_stmt *st;
	int n, cap;
};
struct nv_option {
	char *name, *why;
	int value;
};
/* One term of a variant signature: an observed trap, present or absent. */
struct nv_sig {
	int16_t reg;		/* register index, -1: match the EC only */
	int16_t ec;		/* exception class (0x18 for a register) */
	int8_t dir;		/* 1 write, 0 read, -1 either */
	uint8_t neg;		/* "!": the trap must not be observed */
	uint8_t min;		/* "TRAP>=N": observed at least N times (default 1) */
	uint8_t group;		/* alternatives: "A B | C" is (A and B) or C */
};
struct nv_variant {
	char *name, *why, *text;	/* text: the signature as written */
	uint8_t counted;		/* "count": value = occurrences - minus */
	uint32_t ev_else;		/* "else @EVENT": NV_OBS_EV_* giving 1 without traps */
	int minus;
	struct nv_sig sig[NV_SIG_MAX];
	int nsig;
};
struct nv_profile {
	char *name, *desc;
	struct nv_variant var[NV_VARIANT_MAX];
	int nvar;
	uint8_t var_used[NV_EXIT__COUNT][NV_VARIANT_MAX];	/* path k reads variant v */
	uint8_t vhe;
	uint8_t exhaustive;	/* "variants exhaustive": a plain selection matched no variant */
	uint8_t gic;		/* "gic v2|v3": 2 or 3, 0 when not given (v3) */
	struct nv_option *opt;
	int nopt;
	struct nv_block *seq;
	int nseq;
	struct nv_block path[NV_EXIT__COUNT];
	uint8_t has_path[NV_EXIT__COUNT];
};

/* A "call NAME.STEP" op resolved once, so the fast path does no lookups. */
struct nv_call {
	const struct nv_submodel *sm;	/* NULL: no such sub-model (ignored) */
	const char *step;
	uint8_t phase;
};

/* The ops of one exit kind after expanding options, and their static totals. */
struct nv_path {
	struct nv_op *ops;
	struct nv_fate_info *fate;
	uint64_t *cycles;
	int n;
	struct nv_call *calls;	/* one per CALL op, in path order */
	int ncalls;
	struct nv_result fast;
};
/*
 * The path of one non-plain variant selection, expanded on first use.  The
 * cache may be filled while several threads evaluate with the same model
 * (replay -j): a slot is claimed by an atomic counter and published by its
 * atomic state, so readers only see complete paths.
 */
#define NV_VPATH_CACHE 64
struct nv_vpath {
	_Atomic int state;	/* 0 claimed/being written, 1 ready */
	struct nv_variant_sel sel;
	struct nv_path path;
};
/* Cost-table blocks that the sub-models name on their ops: resolved to
 * cycles once per model (nv_model_new), not looked up by name per op. */
#define NV_SUB_BLOCKS(X) X(in_handler) X(in_put_load) X(gic_cpuif_sysreg) \
	X(gic_cpuif_access) X(s2_walk_level)
enum nv_sub_block {
#define NV_BLK_ENUM(n) NV_BLK_##n,
	NV_SUB_BLOCKS(NV_BLK_ENUM)
#undef NV_BLK_ENUM
	NV_BLK__COUNT
};
extern const char *const nv_sub_block_name[NV_BLK__COUNT];
/* nv_sink_push for an op whose name is sub-model block blk (-1: none). */
void nv_sink_push_block(struct nv_sink *s, const struct nv_op *op, int blk);

struct nv_model {
	const struct nv_arch *arch;
	const struct nv_profile *prof;
	const struct nv_cost *cost;
	struct nv_guest_cfg cfg;
	struct nv_fate_info *reg_fate[NV_OP__COUNT];	/* per op kind, per register */
	struct nv_path path[NV_EXIT__COUNT];	/* the plain paths */
	struct nv_vpath *vpath[NV_EXIT__COUNT];	/* variant paths (NV_VPATH_CACHE each) */
	_Atomic int nvpath[NV_EXIT__COUNT];	/* slots claimed */
	struct nv_fate_info kind_fate[NV_OP__COUNT];	/* kinds that name no register */
	int nregs;					/* nv_sysreg_count() */
	uint32_t block_cy[NV_BLK__COUNT];		/* the sub-models' cost blocks */
	int prepared;
	char err[96];		/* nv_model_error() */
};
int nv_model_expand(struct nv_model *m, enum nv_exit_kind k);
/* Expand kind k under a variant selection into *path (caller frees with nv_path_free). */
int nv_model_expand_into(struct nv_model *m, enum nv_exit_kind k, const struct nv_variant_sel *sel,
			 struct nv_path *path);
void nv_path_free(struct nv_path *p);
/* Index of a variant by name, -1 if none (profile.c). */
int nv_profile_variant_find(const struct nv_profile *p, const char *name);
uint64_t nv_op_cycles(const struct nv_model *m, const struct nv_op *op, const struct nv_fate_info *f);
struct nv_fate_info nv_model_op_fate(const struct nv_model *m, const struct nv_op *op);

/* The sub-models' own copy of a step's text (dispatch compares pointers);
 * step itself when no sub-model has such a step. */
const char *nv_submodel_step_name(const char *step);

struct nv_sink {
	const struct nv_model *m;
	struct nv_result *res;
	nv_emit_fn emit;
	void *arg;
	uint32_t seq;
	uint8_t source;
};
void nv_result_add(struct nv_result *r, const struct nv_op *op, const struct nv_fate_info *f,
		   uint64_t cycles);
/* Profiles compiled in from examples/profiles (model/profiles_data.c). */
struct nv_builtin_profile {
	const char *name, *text;
};
extern const struct nv_builtin_profile nv_builtin_profiles[];
extern const int nv_builtin_profile_count;
#endif
