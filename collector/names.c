/* The kernel's symbolic names for KVM values (as its print formats use them). */
#include "collector/names.h"

#define TAB(name, arr) const struct nv_symtab name = { arr, sizeof(arr) / sizeof(arr[0]) }

/* include/uapi/linux/kvm.h KVM_EXIT_* */
static const struct nv_sym kvm_exit[] = {
	{ 0, "KVM_EXIT_UNKNOWN" }, { 1, "KVM_EXIT_EXCEPTION" }, { 2, "KVM_EXIT_IO" },
	{ 3, "KVM_EXIT_HYPERCALL" }, { 4, "KVM_EXIT_DEBUG" }, { 5, "KVM_EXIT_HLT" },
	{ 6, "KVM_EXIT_MMIO" }, { 7, "KVM_EXIT_IRQ_WINDOW_OPEN" }, { 8, "KVM_EXIT_SHUTDOWN" },
	{ 9, "KVM_EXIT_FAIL_ENTRY" }, { 10, "KVM_EXIT_INTR" }, { 11, "KVM_EXIT_SET_TPR" },
	{ 12, "KVM_EXIT_TPR_ACCESS" }, { 13, "KVM_EXIT_S390_SIEIC" }, { 14, "KVM_EXIT_S390_RESET" },
	{ 15, "KVM_EXIT_DCR" }, { 16, "KVM_EXIT_NMI" }, { 17, "KVM_EXIT_INTERNAL_ERROR" },
	{ 18, "KVM_EXIT_OSI" }, { 19, "KVM_EXIT_PAPR_HCALL" }, { 20, "KVM_EXIT_S390_UCONTROL" },
	{ 21, "KVM_EXIT_WATCHDOG" }, { 22, "KVM_EXIT_S390_TSCH" }, { 23, "KVM_EXIT_EPR" },
	{ 24, "KVM_EXIT_SYSTEM_EVENT" }, { 25, "KVM_EXIT_S390_STSI" }, { 26, "KVM_EXIT_IOAPIC_EOI" },
	{ 27, "KVM_EXIT_HYPERV" }, { 28, "KVM_EXIT_ARM_NISV" }, { 29, "KVM_EXIT_X86_RDMSR" },
	{ 30, "KVM_EXIT_X86_WRMSR" }, { 31, "KVM_EXIT_DIRTY_RING_FULL" },
	{ 32, "KVM_EXIT_AP_RESET_HOLD" }, { 33, "KVM_EXIT_X86_BUS_LOCK" }, { 34, "KVM_EXIT_XEN" },
	{ 35, "KVM_EXIT_RISCV_SBI" }, { 36, "KVM_EXIT_RISCV_CSR" }, { 37, "KVM_EXIT_NOTIFY" },
	{ 38, "KVM_EXIT_LOONGARCH_IOCSR" }, { 39, "KVM_EXIT_MEMORY_FAULT" },
};
TAB(nv_kvm_exit_syms, kvm_exit);

/* arch/x86/include/uapi/asm/vmx.h VMX_EXIT_REASONS */
static const struct nv_sym vmx[] = {
	{ 0, "EXCEPTION_NMI" }, { 1, "EXTERNAL_INTERRUPT" }, { 2, "TRIPLE_FAULT" },
	{ 3, "INIT_SIGNAL" }, { 4, "SIPI_SIGNAL" }, { 7, "INTERRUPT_WINDOW" }, { 8, "NMI_WINDOW" },
	{ 9, "TASK_SWITCH" }, { 10, "CPUID" }, { 12, "HLT" }, { 13, "INVD" }, { 14, "INVLPG" },
	{ 15, "RDPMC" }, { 16, "RDTSC" }, { 18, "VMCALL" }, { 19, "VMCLEAR" }, { 20, "VMLAUNCH" },
	{ 21, "VMPTRLD" }, { 22, "VMPTRST" }, { 23, "VMREAD" }, { 24, "VMRESUME" },
	{ 25, "VMWRITE" }, { 26, "VMOFF" }, { 27, "VMON" }, { 28, "CR_ACCESS" },
	{ 29, "DR_ACCESS" }, { 30, "IO_INSTRUCTION" }, { 31, "MSR_READ" }, { 32, "MSR_WRITE" },
	{ 33, "INVALID_STATE" }, { 34, "MSR_LOAD_FAIL" }, { 36, "MWAIT_INSTRUCTION" },
	{ 37, "MONITOR_TRAP_FLAG" }, { 39, "MONITOR_INSTRUCTION" }, { 40, "PAUSE_INSTRUCTION" },
	{ 41, "MCE_DURING_VMENTRY" }, { 43, "TPR_BELOW_THRESHOLD" }, { 44, "APIC_ACCESS" },
	{ 45, "EOI_INDUCED" }, { 46, "GDTR_IDTR" }, { 47, "LDTR_TR" }, { 48, "EPT_VIOLATION" },
	{ 49, "EPT_MISCONFIG" }, { 50, "INVEPT" }, { 51, "RDTSCP" }, { 52, "PREEMPTION_TIMER" },
	{ 53, "INVVPID" }, { 54, "WBINVD" }, { 55, "XSETBV" }, { 56, "APIC_WRITE" },
	{ 57, "RDRAND" }, { 58, "INVPCID" }, { 59, "VMFUNC" }, { 60, "ENCLS" }, { 61, "RDSEED" },
	{ 62, "PML_FULL" }, { 63, "XSAVES" }, { 64, "XRSTORS" }, { 67, "UMWAIT" },
	{ 68, "TPAUSE" }, { 74, "BUS_LOCK" }, { 75, "NOTIFY" }, { 77, "TDCALL" },
	{ 84, "MSR_READ_IMM" }, { 85, "MSR_WRITE_IMM" },
};
TAB(nv_vmx_exit_syms, vmx);

/* arch/x86/include/uapi/asm/svm.h SVM_EXIT_REASONS */
static const struct nv_sym svm[] = {
	{ 0x000, "read_cr0" }, { 0x002, "read_cr2" }, { 0x003, "read_cr3" }, { 0x004, "read_cr4" },
	{ 0x008, "read_cr8" }, { 0x010, "write_cr0" }, { 0x012, "write_cr2" }, { 0x013, "write_cr3" },
	{ 0x014, "write_cr4" }, { 0x018, "write_cr8" }, { 0x020, "read_dr0" }, { 0x021, "read_dr1" },
	{ 0x022, "read_dr2" }, { 0x023, "read_dr3" }, { 0x024, "read_dr4" }, { 0x025, "read_dr5" },
	{ 0x026, "read_dr6" }, { 0x027, "read_dr7" }, { 0x030, "write_dr0" }, { 0x031, "write_dr1" },
	{ 0x032, "write_dr2" }, { 0x033, "write_dr3" }, { 0x034, "write_dr4" }, { 0x035, "write_dr5" },
	{ 0x036, "write_dr6" }, { 0x037, "write_dr7" }, { 0x040, "DE excp" }, { 0x041, "DB excp" },
	{ 0x043, "BP excp" }, { 0x044, "OF excp" }, { 0x045, "BR excp" }, { 0x046, "UD excp" },
	{ 0x047, "NM excp" }, { 0x048, "DF excp" }, { 0x04a, "TS excp" }, { 0x04b, "NP excp" },
	{ 0x04c, "SS excp" }, { 0x04d, "GP excp" }, { 0x04e, "PF excp" }, { 0x050, "MF excp" },
	{ 0x051, "AC excp" }, { 0x052, "MC excp" }, { 0x053, "XF excp" }, { 0x060, "interrupt" },
	{ 0x061, "nmi" }, { 0x062, "smi" }, { 0x063, "init" }, { 0x064, "vintr" },
	{ 0x065, "cr0_sel_write" }, { 0x066, "read_idtr" }, { 0x067, "read_gdtr" },
	{ 0x068, "read_ldtr" }, { 0x069, "read_rt" }, { 0x06a, "write_idtr" },
	{ 0x06b, "write_gdtr" }, { 0x06c, "write_ldtr" }, { 0x06d, "write_rt" }, { 0x06e, "rdtsc" },
	{ 0x06f, "rdpmc" }, { 0x070, "pushf" }, { 0x071, "popf" }, { 0x072, "cpuid" },
	{ 0x073, "rsm" }, { 0x074, "iret" }, { 0x075, "swint" }, { 0x076, "invd" },
	{ 0x077, "pause" }, { 0x078, "hlt" }, { 0x079, "invlpg" }, { 0x07a, "invlpga" },
	{ 0x07b, "io" }, { 0x07c, "msr" }, { 0x07d, "task_switch" }, { 0x07e, "ferr_freeze" },
	{ 0x07f, "shutdown" }, { 0x080, "vmrun" }, { 0x081, "hypercall" }, { 0x082, "vmload" },
	{ 0x083, "vmsave" }, { 0x084, "stgi" }, { 0x085, "clgi" }, { 0x086, "skinit" },
	{ 0x087, "rdtscp" }, { 0x088, "icebp" }, { 0x089, "wbinvd" }, { 0x08a, "monitor" },
	{ 0x08b, "mwait" }, { 0x08d, "xsetbv" }, { 0x08f, "write_efer_trap" },
	{ 0x090, "write_cr0_trap" }, { 0x094, "write_cr4_trap" }, { 0x098, "write_cr8_trap" },
	{ 0x0a2, "invpcid" }, { 0x0a5, "buslock" }, { 0x0a6, "idle-halt" }, { 0x400, "npf" },
	{ 0x401, "avic_incomplete_ipi" }, { 0x402, "avic_unaccelerated_access" },
	{ 0x403, "vmgexit" }, { -1, "invalid_guest_state" },
};
TAB(nv_svm_exit_syms, svm);

/* kvm_mode_names (PSR M bits) */
static const struct nv_sym modes[] = {
	{ 0x00, "EL0t" }, { 0x04, "EL1t" }, { 0x05, "EL1h" }, { 0x08, "EL2t" }, { 0x09, "EL2h" },
	{ 0x0c, "EL3t" }, { 0x0d, "EL3h" }, { 0x10, "32-bit USR" }, { 0x11, "32-bit FIQ" },
	{ 0x12, "32-bit IRQ" }, { 0x13, "32-bit SVC" }, { 0x17, "32-bit ABT" },
	{ 0x1a, "32-bit HYP" }, { 0x1b, "32-bit UND" }, { 0x1f, "32-bit SYS" },
};
TAB(nv_arm_mode_syms, modes);

/* kvm_arm_exception_type: the kvm_exit "ret" values */
static const struct nv_sym rets[] = {
	{ 0, "IRQ" }, { 1, "SERROR" }, { 2, "TRAP" }, { 3, "ILLEGAL" }, { 0xbadca11, "HYP_GONE" },
};
TAB(nv_arm_ret_syms, rets);

/* kvm_exception_type_names: enum exception_type (vector offsets) */
static const struct nv_sym injects[] = {
	{ 0x000, "SYNC" }, { 0x080, "IRQ" }, { 0x100, "FIQ" }, { 0x180, "SERROR" },
};
TAB(nv_arm_inject_syms, injects);

/* Linear search: the tables are short and only used for printing and parsing. */
const char *nv_sym_name(const struct nv_symtab *t, long long value)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->sym[i].value == value)
			return t->sym[i].name;
	return NULL;
}

/* VMX keeps flags in the high bits of exit_reason: only the low 16 name it. */
const char *nv_x86_exit_name(int isa, long long reason)
{
	if (isa == 1)
		return nv_sym_name(&nv_vmx_exit_syms, reason & 0xffff);
	return nv_sym_name(&nv_svm_exit_syms, reason);
}
