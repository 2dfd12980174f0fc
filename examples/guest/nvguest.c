/*
 * nvguest: a small real KVM guest (the KVM ioctl API, no QEMU) that makes an
 * exact number of exits of each kind, so that a recording of it can be
 * checked event by event.  See README.md for which tracepoints each kind
 * fires on this machine's kvm_pvm backend.
 *
 *   nvguest [--pio N] [--mmio N] [--hlt N] [--hypercall N] [--cpuid N]
 *           [--msr N] [--seconds S | --loop] [--cs-base B] [--quiet]
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/kvm.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "guest.h"

_Static_assert(offsetof(struct nvguest_plan, done) ==
	       NVGUEST_DONE_GPA - NVGUEST_PLAN_GPA, "plan layout");

static const char *const exit_names[NVG__COUNT] = {
	"pio", "mmio", "hlt", "hypercall", "cpuid", "msr",
};

struct options {
	unsigned int count[NVG__COUNT];
	double seconds;		/* > 0: loop on port writes for this long */
	int loop;		/* loop on port writes until SIGINT/SIGTERM */
	unsigned int cs_base;	/* the code segment's base (the code stays put) */
	int quiet;
};

/* What the host saw: exits handled in user space, by kind. */
struct tally {
	unsigned long long exits[NVG__COUNT];
	unsigned long long kvm_runs;	/* KVM_RUN calls that returned */
	int shutdown;			/* the guest reached its end */
};

struct vm {
	int kvm, vm, vcpu;
	struct kvm_run *run;
	size_t run_size;
	unsigned char *mem;
};

static volatile sig_atomic_t stop_requested;

/* SIGINT/SIGTERM: finish the current exit, print the summary, exit 0. */
static void on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: nvguest [--pio N] [--mmio N] [--hlt N] [--hypercall N]\n"
		"               [--cpuid N] [--msr N] [--seconds S | --loop] [--cs-base B]\n"
		"               [--quiet]\n"
		"Runs a tiny KVM guest that makes exactly N exits of each kind, in this\n"
		"order, then stops by a triple fault (KVM_EXIT_SHUTDOWN).\n"
		"  --pio N        out to port 0x%x        (KVM_EXIT_IO)\n"
		"  --mmio N       32-bit store to 0x%x  (KVM_EXIT_MMIO)\n"
		"  --hlt N        hlt                      (KVM_EXIT_HLT)\n"
		"  --hypercall N  vmcall, unknown number   (handled in the kernel)\n"
		"  --cpuid N      cpuid leaf 0             (handled in the kernel)\n"
		"  --msr N        rdmsr 0x%x              (handled in the kernel)\n"
		"  --seconds S    after those, port writes for S seconds\n"
		"  --loop         after those, port writes until SIGINT/SIGTERM\n"
		"  --cs-base B    give the code segment base B (a multiple of 16 up to\n"
		"                 0x%x); the code runs at the same place, at eip - B\n"
		"  --quiet        no summary line\n",
		NVGUEST_PIO_PORT, NVGUEST_MMIO_GPA, NVGUEST_MSR, NVGUEST_CODE_GPA);
}

/* Parse a count option; exits 2 on anything but a non-negative integer. */
static unsigned int parse_count(const char *opt, const char *arg)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || arg[0] == '-' || v > 0xffffffffUL) {
		fprintf(stderr, "nvguest: --%s: not a count: %s\n", opt, arg);
		exit(2);
	}
	return (unsigned int)v;
}

static void parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "pio", required_argument, NULL, 'p' },
		{ "mmio", required_argument, NULL, 'm' },
		{ "hlt", required_argument, NULL, 'h' },
		{ "hypercall", required_argument, NULL, 'c' },
		{ "cpuid", required_argument, NULL, 'i' },
		{ "msr", required_argument, NULL, 'r' },
		{ "seconds", required_argument, NULL, 's' },
		{ "loop", no_argument, NULL, 'l' },
		{ "cs-base", required_argument, NULL, 'b' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'H' },
		{ 0 },
	};
	/* option letter -> which count it sets (table, not a chain of ifs) */
	static const char count_opts[NVG__COUNT] = { 'p', 'm', 'h', 'c', 'i', 'r' };
	int c;

	memset(o, 0, sizeof(*o));
	while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		const char *hit = memchr(count_opts, c, sizeof(count_opts));
		if (hit && c) {
			int k = (int)(hit - count_opts);
			o->count[k] = parse_count(exit_names[k], optarg);
			continue;
		}
		switch (c) {
		case 's': {
			char *end;
			o->seconds = strtod(optarg, &end);
			if (end == optarg || *end || !(o->seconds > 0)) {
				fprintf(stderr, "nvguest: --seconds: not a duration: %s\n", optarg);
				exit(2);
			}
			break;
		}
		case 'l': o->loop = 1; break;
		case 'b': {
			char *end;
			unsigned long b = strtoul(optarg, &end, 0);
			if (end == optarg || *end || b > NVGUEST_CODE_GPA || b % 16) {
				fprintf(stderr, "nvguest: --cs-base: a multiple of 16 up to %#x, not %s\n",
					NVGUEST_CODE_GPA, optarg);
				exit(2);
			}
			o->cs_base = (unsigned int)b;
			break;
		}
		case 'q': o->quiet = 1; break;
		case 'H': usage(stdout); exit(0);
		default: usage(stderr); exit(2);
		}
	}
	if (optind < argc) {
		fprintf(stderr, "nvguest: unexpected argument: %s\n", argv[optind]);
		exit(2);
	}
}

/* A flat 4 GiB segment for 32-bit protected mode (code when type = 11). */
static struct kvm_segment flat_segment(unsigned short selector, unsigned char type)
{
	struct kvm_segment s = {
		.base = 0, .limit = 0xffffffff, .selector = selector,
		.type = type, .present = 1, .dpl = 0, .db = 1, .s = 1, .g = 1,
	};
	return s;
}

/* Close whatever vm_open made. */
static void vm_close(struct vm *v)
{
	if (v->run && v->run != MAP_FAILED)
		munmap(v->run, v->run_size);
	if (v->mem && v->mem != MAP_FAILED)
		munmap(v->mem, NVGUEST_MEM_SIZE);
	if (v->vcpu >= 0) close(v->vcpu);
	if (v->vm >= 0) close(v->vm);
	if (v->kvm >= 0) close(v->kvm);
}

/* Print "nvguest: what: strerror" and fail. */
static int fail(const char *what)
{
	fprintf(stderr, "nvguest: %s: %s\n", what, strerror(errno));
	return -1;
}

/*
 * Make the VM: 2 MiB of RAM at GPA 0 holding the code and the plan, one vCPU
 * in 32-bit protected mode with flat segments, no paging and an empty IDT
 * (so the final ud2 triple-faults).  No in-kernel irqchip: hlt exits to us.
 */
static int vm_open(struct vm *v, const struct nvguest_plan *plan, unsigned int cs_base)
{
	v->kvm = v->vm = v->vcpu = -1;
	v->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (v->kvm < 0)
		return fail("/dev/kvm");
	if (ioctl(v->kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		fprintf(stderr, "nvguest: /dev/kvm: unexpected KVM API version\n");
		return -1;
	}
	v->vm = ioctl(v->kvm, KVM_CREATE_VM, 0);
	if (v->vm < 0)
		return fail("KVM_CREATE_VM");
	v->mem = mmap(NULL, NVGUEST_MEM_SIZE, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (v->mem == MAP_FAILED)
		return fail("mmap guest memory");
	size_t code_len = (size_t)(nvguest_code_end - nvguest_code_start);
	memcpy(v->mem + NVGUEST_CODE_GPA, nvguest_code_start, code_len);
	memcpy(v->mem + NVGUEST_PLAN_GPA, plan, sizeof(*plan));

	struct kvm_userspace_memory_region region = {
		.slot = 0, .guest_phys_addr = 0, .memory_size = NVGUEST_MEM_SIZE,
		.userspace_addr = (unsigned long)v->mem,
	};
	if (ioctl(v->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail("KVM_SET_USER_MEMORY_REGION");
	v->vcpu = ioctl(v->vm, KVM_CREATE_VCPU, 0);
	if (v->vcpu < 0)
		return fail("KVM_CREATE_VCPU");
	int size = ioctl(v->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size < (int)sizeof(struct kvm_run))
		return fail("KVM_GET_VCPU_MMAP_SIZE");
	v->run_size = (size_t)size;
	v->run = mmap(NULL, v->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->vcpu, 0);
	if (v->run == MAP_FAILED)
		return fail("mmap kvm_run");

	struct kvm_sregs sregs;
	if (ioctl(v->vcpu, KVM_GET_SREGS, &sregs) < 0)
		return fail("KVM_GET_SREGS");
	sregs.cs = flat_segment(0x08, 11);
	sregs.cs.base = cs_base;	/* the stack and data keep base 0 */
	sregs.ds = sregs.es = sregs.fs = sregs.gs = sregs.ss = flat_segment(0x10, 3);
	sregs.idt.base = 0;
	sregs.idt.limit = 0;
	sregs.cr0 = 0x11;	/* PE | ET: protected mode, no paging */
	if (ioctl(v->vcpu, KVM_SET_SREGS, &sregs) < 0)
		return fail("KVM_SET_SREGS");
	struct kvm_regs regs = { .rip = NVGUEST_CODE_GPA - cs_base, .rflags = 0x2,
				 .rsp = NVGUEST_CODE_GPA };
	if (ioctl(v->vcpu, KVM_SET_REGS, &regs) < 0)
		return fail("KVM_SET_REGS");
	return 0;
}

/* Monotonic time in seconds. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Check one user-space exit against what the guest code does and count it.
 * Returns 1 to run again, 0 when the guest reached its end, -1 on anything
 * the guest should not have done.
 */
static int handle_exit(const struct kvm_run *run, const struct options *o, struct tally *t)
{
	switch (run->exit_reason) {
	case KVM_EXIT_IO:
		if (run->io.direction != KVM_EXIT_IO_OUT || run->io.port != NVGUEST_PIO_PORT ||
		    run->io.size != 1 || run->io.count != 1)
			break;
		t->exits[NVG_PIO]++;
		return 1;
	case KVM_EXIT_MMIO:
		if (!run->mmio.is_write || run->mmio.phys_addr != NVGUEST_MMIO_GPA ||
		    run->mmio.len != 4)
			break;
		t->exits[NVG_MMIO]++;
		return 1;
	case KVM_EXIT_HLT:
		t->exits[NVG_HLT]++;
		return 1;
	case KVM_EXIT_SHUTDOWN:
		t->shutdown = 1;
		return 0;
	case KVM_EXIT_INTERNAL_ERROR:
		/* kvm_pvm fails to emulate the final ud2 when CS has a base;
		 * verify() still checks that every planned exit happened */
		if (o->cs_base && run->internal.suberror == KVM_INTERNAL_ERROR_EMULATION) {
			t->shutdown = 1;
			return 0;
		}
		break;
	}
	fprintf(stderr, "nvguest: unexpected exit (reason %u) after %llu exits\n",
		run->exit_reason, t->kvm_runs);
	return -1;
}

/* Run the vCPU until the guest's end, a signal, or the --seconds deadline. */
static int run_guest(struct vm *v, const struct options *o, struct tally *t)
{
	double deadline = o->seconds > 0 ? now() + o->seconds : 0;

	for (;;) {
		if (stop_requested)
			return 0;
		if (deadline && (t->kvm_runs & 1023) == 0 && now() >= deadline)
			return 0;
		if (ioctl(v->vcpu, KVM_RUN, 0) < 0) {
			if (errno == EINTR)
				continue;	/* a signal: stop_requested says */
			return fail("KVM_RUN");
		}
		t->kvm_runs++;
		int r = handle_exit(v->run, o, t);
		if (r <= 0)
			return r;
	}
}

/*
 * Compare what happened with the plan.  Port, MMIO and hlt exits are
 * counted here; hypercall/cpuid/msr exits never reach user space, so the
 * guest counts those it saw succeed (plan.done) and we read its counts.
 */
static int verify(const struct options *o, const struct tally *t,
		  const struct nvguest_plan *seen)
{
	int looping = o->loop || o->seconds > 0;
	int ok = 1;

	for (int k = 0; k < NVG__COUNT; k++) {
		unsigned long long got = k <= NVG_HLT ? t->exits[k] : seen->done[k];
		if (k == NVG_PIO && looping)
			ok &= got >= o->count[k];
		else if (got != o->count[k]) {
			fprintf(stderr, "nvguest: %s: asked %u, got %llu\n",
				exit_names[k], o->count[k], got);
			ok = 0;
		}
	}
	if (!looping && !t->shutdown) {
		fprintf(stderr, "nvguest: the guest did not reach its end\n");
		ok = 0;
	}
	return ok ? 0 : -1;
}

int main(int argc, char **argv)
{
	struct options o;
	struct nvguest_plan plan = { 0 };
	struct tally t = { 0 };
	struct vm v = { 0 };

	parse_options(argc, argv, &o);
	if (access("/dev/kvm", F_OK) != 0) {
		fprintf(stderr, "nvguest: /dev/kvm: no KVM on this machine\n");
		return 1;
	}
	if (o.count[NVG_HYPERCALL] && access("/sys/module/kvm_pvm", F_OK) == 0) {
		fprintf(stderr, "nvguest: --hypercall: kvm_pvm re-patches vmcall forever,"
			" not supported on this backend (see README.md)\n");
		return 1;
	}
	memcpy(plan.count, o.count, sizeof(plan.count));
	plan.loop = o.loop || o.seconds > 0;

	struct sigaction sa = { .sa_handler = on_signal };	/* no SA_RESTART */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	double t0 = now();
	int rc = vm_open(&v, &plan, o.cs_base);
	if (rc == 0)
		rc = run_guest(&v, &o, &t);
	double elapsed = now() - t0;
	struct nvguest_plan seen;
	if (rc == 0)
		memcpy(&seen, v.mem + NVGUEST_PLAN_GPA, sizeof(seen));
	vm_close(&v);
	if (rc == 0)
		rc = verify(&o, &t, &seen);
	if (rc != 0)
		return 1;

	if (!o.quiet) {
		printf("nvguest: pio %llu mmio %llu hlt %llu hypercall %u cpuid %u msr %u"
		       " | user-space exits %llu (+%d shutdown) | %.3f s\n",
		       t.exits[NVG_PIO], t.exits[NVG_MMIO], t.exits[NVG_HLT],
		       seen.done[NVG_HYPERCALL], seen.done[NVG_CPUID], seen.done[NVG_MSR],
		       t.kvm_runs - (unsigned long long)t.shutdown, t.shutdown, elapsed);
	}
	return 0;
}
