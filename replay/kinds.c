/*
 * The kind table: every code a trace can show for a VM exit, and the nested
 * exit kind it stands for.  One table, read top to bottom; a row with
 * lo..hi covers a range.  Sources of the codes:
 *   arm64 EC        arch/arm64/include/asm/esr.h (ESR_ELx_EC_*)
 *   VMX reasons     arch/x86/include/uapi/asm/vmx.h (EXIT_REASON_*)
 *   SVM codes       arch/x86/include/uapi/asm/svm.h (SVM_EXIT_*)
 *   KVM_EXIT_*      include/uapi/linux/kvm.h
 *   INTIDs          KVM arm64 defaults: PPI 25 vGIC maintenance, 26 hyp
 *                   physical timer, 27 virtual timer, 28 hyp virtual timer,
 *                   30 physical timer; SGIs 0-15 are IPIs.
 * Choices that are judgement, not fact, say so in their comment.
 */
#include <string.h>
#include "replay/kinds.h"

static const char *const kind_names[NV_KIND__COUNT] = {
#define NV_EXIT_KIND(id, name) #name,
#include "model/exit_kinds.def"
#undef NV_EXIT_KIND
};

struct kind_row {
	enum nv_kind_src src;
	long lo, hi;
	enum nv_kind kind;
};

#define R(src, code, kind) { src, code, code, kind }
#define RR(src, lo, hi, kind) { src, lo, hi, kind }

static const struct kind_row kind_table[] = {
	/* arm64 exception classes */
	R(NV_KSRC_ARM_EC, 0x01, NV_KIND_WFI),		/* WFx */
	R(NV_KSRC_ARM_EC, 0x12, NV_KIND_HVC),		/* HVC32 */
	R(NV_KSRC_ARM_EC, 0x13, NV_KIND_HVC),		/* SMC32: PSCI/SMCCC calls, handled like hypercalls */
	R(NV_KSRC_ARM_EC, 0x16, NV_KIND_HVC),		/* HVC64 */
	R(NV_KSRC_ARM_EC, 0x17, NV_KIND_HVC),		/* SMC64: PSCI/SMCCC calls */
	R(NV_KSRC_ARM_EC, 0x18, NV_KIND_SYSREG),	/* SYS64 (refined by register below) */
	R(NV_KSRC_ARM_EC, 0x20, NV_KIND_S2FAULT),	/* IABT_LOW: instruction fetch, never MMIO */
	/* DABT_LOW: a single-level trace says MMIO by its kvm_mmio* events (see
	 * reconstruct.c); a data abort forwarded to a guest hypervisor is MMIO
	 * when its syndrome is valid (ISV, which KVM needs to emulate MMIO), else
	 * a stage-2 fault (judgement: a plain load/store faulting on lazily
	 * mapped RAM of the nested VM also has ISV set and counts as mmio). */
	R(NV_KSRC_ARM_EC, 0x24, NV_KIND_MMIO),
	/* arm64 register refinements of SYS64 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 0, 12, 11, 5), NV_KIND_IPI),	/* ICC_SGI1R_EL1 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 0, 12, 11, 6), NV_KIND_IPI),	/* ICC_ASGI1R_EL1 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 0, 12, 11, 7), NV_KIND_IPI),	/* ICC_SGI0R_EL1 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 0, 12, 8, 1), NV_KIND_EOI),	/* ICC_EOIR0_EL1 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 0, 12, 12, 1), NV_KIND_EOI),	/* ICC_EOIR1_EL1 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 0, 12, 11, 1), NV_KIND_EOI),	/* ICC_DIR_EL1 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 3, 14, 2, 0), NV_KIND_TIMER),	/* CNTP_TVAL_EL0 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 3, 14, 2, 1), NV_KIND_TIMER),	/* CNTP_CTL_EL0 */
	R(NV_KSRC_SYSREG, NV_SYSREG(3, 3, 14, 2, 2), NV_KIND_TIMER),	/* CNTP_CVAL_EL0 */
	/* interrupts, by the INTID last asserted for the vCPU */
	RR(NV_KSRC_INTID, 0, 15, NV_KIND_IPI),		/* SGIs */
	R(NV_KSRC_INTID, 25, NV_KIND_EOI),		/* vGIC maintenance: EOI of a level/EOI-tracked LR */
	RR(NV_KSRC_INTID, 26, 28, NV_KIND_TIMER),
	R(NV_KSRC_INTID, 30, NV_KIND_TIMER),
	/* x86 VMX exit reasons */
	R(NV_KSRC_VMX, 1, NV_KIND_IRQ),			/* EXTERNAL_INTERRUPT */
	R(NV_KSRC_VMX, 7, NV_KIND_IRQ),			/* INTERRUPT_WINDOW */
	R(NV_KSRC_VMX, 8, NV_KIND_IRQ),			/* NMI_WINDOW */
	R(NV_KSRC_VMX, 10, NV_KIND_SYSREG),		/* CPUID: a trapped ID read, like arm64 ID_* */
	R(NV_KSRC_VMX, 12, NV_KIND_WFI),		/* HLT */
	R(NV_KSRC_VMX, 18, NV_KIND_HVC),		/* VMCALL */
	R(NV_KSRC_VMX, 28, NV_KIND_SYSREG),		/* CR_ACCESS */
	R(NV_KSRC_VMX, 30, NV_KIND_MMIO),		/* IO_INSTRUCTION: device I/O */
	R(NV_KSRC_VMX, 31, NV_KIND_SYSREG),		/* MSR_READ */
	R(NV_KSRC_VMX, 32, NV_KIND_SYSREG),		/* MSR_WRITE (refined by MSR below) */
	R(NV_KSRC_VMX, 44, NV_KIND_MMIO),		/* APIC_ACCESS */
	R(NV_KSRC_VMX, 45, NV_KIND_EOI),		/* EOI_INDUCED */
	R(NV_KSRC_VMX, 48, NV_KIND_S2FAULT),		/* EPT_VIOLATION */
	R(NV_KSRC_VMX, 49, NV_KIND_MMIO),		/* EPT_MISCONFIG: KVM's MMIO fast path */
	R(NV_KSRC_VMX, 52, NV_KIND_TIMER),		/* PREEMPTION_TIMER */
	R(NV_KSRC_VMX, 56, NV_KIND_IPI),		/* APIC_WRITE: ICR writes, judgement */
	/* x86 SVM exit codes */
	R(NV_KSRC_SVM, 0x60, NV_KIND_IRQ),		/* INTR */
	R(NV_KSRC_SVM, 0x64, NV_KIND_IRQ),		/* VINTR */
	R(NV_KSRC_SVM, 0x72, NV_KIND_SYSREG),		/* CPUID */
	R(NV_KSRC_SVM, 0x78, NV_KIND_WFI),		/* HLT */
	R(NV_KSRC_SVM, 0x7b, NV_KIND_MMIO),		/* IOIO */
	R(NV_KSRC_SVM, 0x7c, NV_KIND_SYSREG),		/* MSR */
	R(NV_KSRC_SVM, 0x81, NV_KIND_HVC),		/* VMMCALL */
	R(NV_KSRC_SVM, 0x400, NV_KIND_S2FAULT),		/* NPF */
	/* x86 MSR refinements */
	R(NV_KSRC_MSR, 0x830, NV_KIND_IPI),		/* x2APIC ICR */
	R(NV_KSRC_MSR, 0x80b, NV_KIND_EOI),		/* x2APIC EOI */
	R(NV_KSRC_MSR, 0x6e0, NV_KIND_TIMER),		/* TSC_DEADLINE */
	/* KVM userspace exits */
	R(NV_KSRC_USER, 2, NV_KIND_MMIO),		/* KVM_EXIT_IO: device I/O */
	R(NV_KSRC_USER, 3, NV_KIND_HVC),		/* KVM_EXIT_HYPERCALL */
	R(NV_KSRC_USER, 5, NV_KIND_WFI),		/* KVM_EXIT_HLT */
	R(NV_KSRC_USER, 6, NV_KIND_MMIO),		/* KVM_EXIT_MMIO */
	R(NV_KSRC_USER, 10, NV_KIND_IRQ),		/* KVM_EXIT_INTR */
	R(NV_KSRC_USER, 28, NV_KIND_MMIO),		/* KVM_EXIT_ARM_NISV */
	RR(NV_KSRC_USER, 29, 30, NV_KIND_SYSREG),	/* KVM_EXIT_X86_RDMSR / WRMSR */
	/* detail events of a host without kvm_exit (this machine's kvm_pvm) */
	R(NV_KSRC_EVENT, NV_EV_KVM_PIO, NV_KIND_MMIO),
	R(NV_KSRC_EVENT, NV_EV_KVM_MMIO, NV_KIND_MMIO),
	R(NV_KSRC_EVENT, NV_EV_KVM_MMIO_EMULATE, NV_KIND_MMIO),
	R(NV_KSRC_EVENT, NV_EV_KVM_MSR, NV_KIND_SYSREG),
	R(NV_KSRC_EVENT, NV_EV_KVM_CPUID, NV_KIND_SYSREG),
	R(NV_KSRC_EVENT, NV_EV_KVM_HYPERCALL, NV_KIND_HVC),
	R(NV_KSRC_EVENT, NV_EV_KVM_HVC_ARM64, NV_KIND_HVC),
	R(NV_KSRC_EVENT, NV_EV_KVM_WFX_ARM64, NV_KIND_WFI),
	R(NV_KSRC_EVENT, NV_EV_KVM_APIC_IPI, NV_KIND_IPI),
	R(NV_KSRC_EVENT, NV_EV_KVM_EOI, NV_KIND_EOI),
};

/* The name of a kind ("hvc"), "?" out of range. */
const char *nv_kind_name(enum nv_kind k)
{
	return (unsigned)k < NV_KIND__COUNT ? kind_names[k] : "?";
}

/* The kind named name, -1 if none. */
int nv_kind_of(const char *name)
{
	for (int k = 0; k < NV_KIND__COUNT; k++)
		if (!strcmp(name, kind_names[k]))
			return k;
	return -1;
}

/* The kind of a code: the first table row covering it, -1 if none. */
int nv_kind_lookup(enum nv_kind_src src, long code)
{
	for (size_t i = 0; i < sizeof(kind_table) / sizeof(kind_table[0]); i++)
		if (kind_table[i].src == src && code >= kind_table[i].lo && code <= kind_table[i].hi)
			return kind_table[i].kind;
	return -1;
}
