/*
 * Symbolic names the kernel prints for KVM values: userspace exit reasons
 * (KVM_EXIT_*), VMX and SVM exit reasons, arm64 modes and exception types.
 * Tables are data; text import parses them, reports print them.
 */
#ifndef NVTRACE_NAMES_H
#define NVTRACE_NAMES_H

#include <stddef.h>

struct nv_sym { long long value; const char *name; };

struct nv_symtab { const struct nv_sym *sym; size_t n; };

extern const struct nv_symtab nv_kvm_exit_syms;	/* KVM_EXIT_IO, ... */
extern const struct nv_symtab nv_vmx_exit_syms;	/* EXCEPTION_NMI, ... */
extern const struct nv_symtab nv_svm_exit_syms;	/* read_cr0, ... */
extern const struct nv_symtab nv_arm_mode_syms;	/* EL1h, ... */
extern const struct nv_symtab nv_arm_ret_syms;	/* kvm_exit ret: IRQ, TRAP, ... */
extern const struct nv_symtab nv_arm_inject_syms;	/* SYNC, IRQ, FIQ, SERROR */

/* Name of a value, or NULL when the table does not have it. */
const char *nv_sym_name(const struct nv_symtab *t, long long value);

/* x86 exit reason name: isa 1 = VMX, 2 = SVM. NULL if unknown. */
const char *nv_x86_exit_name(int isa, long long reason);

#endif
