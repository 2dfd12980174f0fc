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
};

/* A named block of plain code and its cycles on a platform. */
struct nv_cost_block {
	const char *name;
	uint32_t cycles;
};

struct nv_cost {
	const char *name, *desc;
	uint32_t exc_entry, exc_return;	/* hardware exception to EL2, ERET back */
	uint32_t l0_switch;		/* L0's own world switch around each trap */
	uint32_t vcpu_put_load;		/* full vcpu_put + vcpu_load in L0 */
	uint32_t handler[NV_H__COUNT];	/* L0 emulation per handler */
	uint32_t native_sysreg, native_eret, native_hvc, native_tlbi, native_at, native_mmio;
	uint32_t mem_access, redirect;
	const struct nv_cost_block *blocks;
	uint32_t nblocks, native_block_default;
};
uint32_t nv_cost_block_cycles(const struct nv_cost *c, const char *name);

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
struct nv_profile {
	char *name, *desc;
	uint8_t vhe;
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
struct nv_model {
	const struct nv_arch *arch;
	const struct nv_profile *prof;
	const struct nv_cost *cost;
	struct nv_guest_cfg cfg;
	struct nv_fate_info *reg_fate[NV_OP__COUNT];	/* per op kind, per register */
	struct nv_path path[NV_EXIT__COUNT];
	int prepared;
	char err[96];		/* nv_model_error() */
};
int nv_model_expand(struct nv_model *m, enum nv_exit_kind k);
uint64_t nv_op_cycles(const struct nv_model *m, const struct nv_op *op, const struct nv_fate_info *f);
struct nv_fate_info nv_model_op_fate(const struct nv_model *m, const struct nv_op *op);

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
