/*
 * The groups `profile from` learns from: the nested exits of a run grouped
 * by the traps they show, as a multiset of operations (register and
 * direction, or exception class: what a variant signature can count), PCs
 * and order ignored; and for a group, the shortest signature that tells it
 * apart from every other group of the kinds it occurs in.
 */
#ifndef NVTRACE_LEARN_GROUPS_H
#define NVTRACE_LEARN_GROUPS_H

#include "replay/observed.h"

/* One operation of a group and how many times one exit traps on it. */
struct nv_learn_op {
	struct nv_obs_trap op;
	int n;
};

struct nv_learn_group {
	struct nv_learn_op *ops;	/* sorted by (ec, reg, dir) */
	int nops;
	uint32_t traps;			/* traps of one exit */
	uint64_t exits;			/* over every kind */
	uint64_t per_kind[NV_KIND__COUNT];
	int rep[NV_KIND__COUNT];	/* its most frequent order: index in o->seq[k], -1 */
	int expressible;		/* every trap can be a profile op */
	int var;			/* learned as variant var, -1 if not */
	int no_sig;			/* no signature tells it apart (set by profile from) */
};

struct nv_learn_groups {
	struct nv_learn_group *g;
	int n;
};

/*
 * The profile op an observed trap is written as: 0 with *kind and *reg (-1
 * for ERET/HVC/SMC; a stage-2 abort of L1 is L1_RAM), or -1 when the
 * format cannot express it (an unnamed register, an EC without an op).
 */
int nv_learn_op_kind(const struct nv_trap *t, enum nv_op_kind *kind, int *reg);

/* Group the kept sequences of every kind; 0, or -1 (out of memory). */
int nv_learn_group_run(const struct nv_observed *o, struct nv_learn_groups *gs);
void nv_learn_groups_free(struct nv_learn_groups *gs);

/*
 * The signature terms ("MDSCR_EL1:r>=1 !ICH_VTR_EL2:r") that hold for group
 * i and for no other group sharing a kind with it, at most NV_SIG_MAX;
 * 0, or -1 when no such signature exists.
 */
int nv_learn_signature(const struct nv_learn_groups *gs, int i, char *buf, size_t len);

#endif
