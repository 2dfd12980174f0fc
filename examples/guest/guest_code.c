/*
 * The code the guest runs: 32-bit protected mode, flat segments, no paging,
 * no IDT.  The host writes a struct nvguest_plan at NVGUEST_PLAN_GPA and the
 * code performs each kind of exit exactly plan.count[kind] times, in the
 * order of enum nvguest_exit, then halts the machine by a triple fault
 * (an exception with an empty IDT) so that the end is not one more exit of
 * a counted kind.  In loop mode it repeats port writes forever.
 *
 * Written as assembly because the exact instructions are the point: one
 * `out` per port exit, one 32-bit store per MMIO exit, one `hlt`, `vmcall`,
 * `cpuid` or `rdmsr` per exit of those kinds.
 */
#include "guest.h"

#define STR_(x) #x
#define STR(x) STR_(x)

__asm__(
	".pushsection .rodata\n"
	".globl nvguest_code_start\n"
	".globl nvguest_code_end\n"
	".code32\n"
	"nvguest_code_start:\n"
	/* port I/O: out %al,(%dx) to NVGUEST_PIO_PORT */
	"	mov " STR(NVGUEST_PLAN_GPA) "+0, %ecx\n"
	"	mov $" STR(NVGUEST_PIO_PORT) ", %dx\n"
	"1:	jecxz 2f\n"
	"	out %al, (%dx)\n"
	"	dec %ecx\n"
	"	jmp 1b\n"
	/* MMIO: a 32-bit store to an address no memory slot backs */
	"2:	mov " STR(NVGUEST_PLAN_GPA) "+4, %ecx\n"
	"	mov $" STR(NVGUEST_MMIO_GPA) ", %ebx\n"
	"3:	jecxz 4f\n"
	"	mov %ecx, (%ebx)\n"
	"	dec %ecx\n"
	"	jmp 3b\n"
	/* HLT: with no in-kernel irqchip every hlt returns to user space */
	"4:	mov " STR(NVGUEST_PLAN_GPA) "+8, %ecx\n"
	"5:	jecxz 6f\n"
	"	hlt\n"
	"	dec %ecx\n"
	"	jmp 5b\n"
	/* hypercall: vmcall with an unknown number (KVM answers -KVM_ENOSYS) */
	"6:	mov " STR(NVGUEST_PLAN_GPA) "+12, %ecx\n"
	"7:	jecxz 8f\n"
	"	mov %ecx, %esi\n"
	"	mov $" STR(NVGUEST_HC_NR) ", %eax\n"
	"	xor %ebx, %ebx\n"
	"	vmcall\n"
	"	cmp $-1000, %eax\n"	/* -KVM_ENOSYS: KVM handled it */
	"	jne 71f\n"
	"	incl " STR(NVGUEST_DONE_GPA) "+12\n"
	"71:	mov %esi, %ecx\n"
	"	dec %ecx\n"
	"	jmp 7b\n"
	/* CPUID leaf 0 */
	"8:	mov " STR(NVGUEST_PLAN_GPA) "+16, %esi\n"
	"9:	test %esi, %esi\n"
	"	jz 10f\n"
	"	xor %eax, %eax\n"
	"	xor %ecx, %ecx\n"
	"	cpuid\n"
	"	incl " STR(NVGUEST_DONE_GPA) "+16\n"
	"	dec %esi\n"
	"	jmp 9b\n"
	/* MSR read of IA32_SYSENTER_CS, which KVM keeps in the kernel */
	"10:	mov " STR(NVGUEST_PLAN_GPA) "+20, %esi\n"
	"11:	test %esi, %esi\n"
	"	jz 12f\n"
	"	mov $" STR(NVGUEST_MSR) ", %ecx\n"
	"	rdmsr\n"
	"	incl " STR(NVGUEST_DONE_GPA) "+20\n"
	"	dec %esi\n"
	"	jmp 11b\n"
	/* loop mode: port writes until the host stops calling KVM_RUN */
	"12:	mov " STR(NVGUEST_PLAN_GPA) "+24, %ecx\n"
	"	jecxz 14f\n"
	"	mov $" STR(NVGUEST_PIO_PORT) ", %dx\n"
	"13:	out %al, (%dx)\n"
	"	jmp 13b\n"
	/* the end: #UD with no IDT -> triple fault -> KVM_EXIT_SHUTDOWN */
	"14:	ud2\n"
	"nvguest_code_end:\n"
	".code64\n"
	".popsection\n");
