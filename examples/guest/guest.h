/*
 * nvguest: a tiny KVM guest that makes an exact number of exits of each
 * kind.  Shared between the host side (nvguest.c) and the guest code
 * (guest_code.c).
 */
#ifndef NVGUEST_H
#define NVGUEST_H

#define NVGUEST_MEM_SIZE  0x200000	/* 2 MiB of guest RAM at GPA 0 */
#define NVGUEST_CODE_GPA  0x1000	/* where the code is copied, = rip */
#define NVGUEST_PLAN_GPA  0x500		/* struct nvguest_plan */
#define NVGUEST_DONE_GPA  0x520		/* = &plan.done, counts the guest keeps */
#define NVGUEST_PIO_PORT  0x10		/* port written by --pio and --loop */
#define NVGUEST_MMIO_GPA  0x10000000	/* unbacked: stores become MMIO exits */
#define NVGUEST_HC_NR     0x7f00	/* no such KVM hypercall */
#define NVGUEST_MSR       0x174		/* IA32_SYSENTER_CS */

/* The kinds of exit, in the order the guest performs them. */
enum nvguest_exit {
	NVG_PIO, NVG_MMIO, NVG_HLT, NVG_HYPERCALL, NVG_CPUID, NVG_MSR,
	NVG__COUNT
};

/* What the host asks the guest to do; 32-bit words read by guest code. */
struct nvguest_plan {
	unsigned int count[NVG__COUNT];
	unsigned int loop;		/* 1: port writes forever after */
	unsigned int pad;
	unsigned int done[NVG__COUNT];	/* in-kernel exits the guest saw succeed */
};

extern const unsigned char nvguest_code_start[], nvguest_code_end[];

#endif
