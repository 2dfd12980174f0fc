/*
 * Nested exit kinds, and the one table that maps what a trace shows (arm64
 * exception classes, x86 exit reasons, KVM userspace exits, and the detail
 * events of a host without kvm_exit) to a kind.  The table is in kinds.c.
 */
#ifndef NVTRACE_KINDS_H
#define NVTRACE_KINDS_H

#include "schema/event.h"

/* The model's exit kinds, same numbers (model/exit_kinds.def is the list). */
enum nv_kind {
#define NV_EXIT_KIND(id, name) NV_KIND_##id,
#include "model/exit_kinds.def"
#undef NV_EXIT_KIND
	NV_KIND__COUNT
};

/* Where a code comes from: which column of the trace it was read from. */
enum nv_kind_src {
	NV_KSRC_ARM_EC,		/* ESR_ELx.EC of a trap (kvm_exit, injected esr_el2) */
	NV_KSRC_VMX,		/* x86 VMX exit reason (kvm_exit isa 1, nested events) */
	NV_KSRC_SVM,		/* x86 SVM exit code (kvm_exit isa 2) */
	NV_KSRC_USER,		/* KVM_EXIT_* of kvm_userspace_exit */
	NV_KSRC_EVENT,		/* an event type of a host without kvm_exit (kvm_pvm) */
	NV_KSRC_SYSREG,		/* arm64 register refinement: NV_SYSREG() encoding */
	NV_KSRC_MSR,		/* x86 MSR refinement: MSR index */
	NV_KSRC_INTID,		/* interrupt refinement: the asserted INTID / vector */
};

const char *nv_kind_name(enum nv_kind k);
/* The kind of a name ("hvc"...), -1 if none. */
int nv_kind_of(const char *name);

/* The kind a code maps to, or -1 when the table has no row for it. */
int nv_kind_lookup(enum nv_kind_src src, long code);

#endif
