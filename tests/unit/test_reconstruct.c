/*
 * Reconstruction on hand-written event sequences with known answers: arm64
 * nested (from the real trace's shapes), x86 nested, single-level (with and
 * without kvm_exit), incomplete spans and self-injections.
 */
#include <stdlib.h>
#include "tap.h"
#include "replay/reconstruct.h"

#define MAXX 32
struct got {
	int n;
	struct nv_nested_exit x[MAXX];
	struct nv_trap t[MAXX][8];
};

static void collect(void *ctx, const struct nv_nested_exit *x)
{
	struct got *g = ctx;
	if (g->n >= MAXX)
		return;
	g->x[g->n] = *x;
	for (uint32_t i = 0; i < x->ntrap && i < 8; i++)
		g->t[g->n][i] = x->trap[i];
	g->n++;
}

static struct nv_event ev(int64_t ts, int pid, int type)
{
	struct nv_event e;
	nv_event_clear(&e);
	e.ts = ts;
	e.pid = pid;
	e.type = type;
	return e;
}

/* arm64 kvm_exit: TRAP with an EC, or IRQ */
static struct nv_event a_exit(int64_t ts, int pid, int exc, int ec)
{
	struct nv_event e = ev(ts, pid, NV_EV_KVM_EXIT);
	e.reason = exc;
	e.ec = exc == NV_ARM_EXC_TRAP ? ec : 0;
	return e;
}

static struct nv_event sysacc(int64_t ts, int pid, int reg, int dir)
{
	struct nv_event e = ev(ts, pid, NV_EV_KVM_SYS_ACCESS);
	e.sysreg = reg;
	e.dir = dir;
	return e;
}

/* kvm_inject_nested_exception: type as the kernel prints it (0 sync, 0x80 irq) */
static struct nv_event inject(int64_t ts, int pid, int type, uint64_t esr, int mode, uint64_t hcr)
{
	struct nv_event e = ev(ts, pid, NV_EV_KVM_INJECT_NESTED_EXC);
	e.reason = type;
	e.value = esr;
	e.have = NV_HAVE_VALUE | NV_HAVE_AUX;
	e.ec = (int)(esr >> 26);
	e.mode = mode;
	e.aux = hcr;
	return e;
}

static struct nv_event eret(int64_t ts, int pid)
{
	struct nv_event e = ev(ts, pid, NV_EV_KVM_NESTED_ERET);
	e.mode = 5;	/* EL1h */
	return e;
}

static struct nv_event eret_hcr(int64_t ts, int pid, uint64_t hcr)
{
	struct nv_event e = eret(ts, pid);
	e.aux = hcr;
	e.have = NV_HAVE_AUX;
	return e;
}

static struct nv_event irqp(int64_t ts, int pid, int intid)
{
	struct nv_event e = ev(ts, pid, NV_EV_VGIC_UPDATE_IRQ_PENDING);
	e.vcpu = 0;	/* vgic's "VCPU: 0" is an index, not the thread */
	e.value = intid;
	e.aux = 1;
	e.have = NV_HAVE_VALUE | NV_HAVE_AUX;
	return e;
}

static void run(enum nv_recon_mode m, const struct nv_event *e, int n, struct got *g,
		struct nv_recon_stats *st)
{
	struct nv_recon *r = nv_recon_new(m, collect, g);
	g->n = 0;
	for (int i = 0; i < n; i++)
		nv_recon_feed(r, &e[i]);
	nv_recon_finish(r);
	*st = *nv_recon_stats(r);
	nv_recon_free(r);
}

#define HCR_L2 0x2403c807d223full	/* the real trace's: E2H set, TGE clear */
#define MDSCR NV_SYSREG(2, 0, 0, 2, 2)
#define ICH_MISR NV_SYSREG(3, 4, 12, 11, 2)

/*
 * The real trace's shapes: the trace opens inside L1 (an ERET first), an
 * hvc nested exit with 4 sysreg traps + the ERET trap and a host IRQ in
 * between, a timer IRQ forwarded (INTID 28 asserted), a self-injection from
 * vEL2, then a DABT forwarded and the trace ending before its ERET.
 */
static void test_arm64(void)
{
	const int P = 108, Q = 109;
	struct nv_event e[] = {
		a_exit(1, P, NV_ARM_EXC_TRAP, 0x1a), eret(2, P),
		a_exit(10, P, NV_ARM_EXC_TRAP, 0x16), inject(11, P, 0, 0x5a000000, 5, HCR_L2),
		a_exit(12, P, NV_ARM_EXC_TRAP, 0x18), sysacc(13, P, MDSCR, 0),
		a_exit(14, P, NV_ARM_EXC_TRAP, 0x18), sysacc(15, P, MDSCR, 1),
		a_exit(16, P, NV_ARM_EXC_IRQ, 0),
		a_exit(17, P, NV_ARM_EXC_TRAP, 0x18), sysacc(18, P, ICH_MISR, 0),
		a_exit(19, P, NV_ARM_EXC_TRAP, 0x18), sysacc(20, P, MDSCR, 1),
		a_exit(21, P, NV_ARM_EXC_TRAP, 0x1a), eret(22, P),
		/* another vCPU, interleaved: a sysreg exit of L2 writing ICC_SGI1R_EL1 */
		a_exit(23, Q, NV_ARM_EXC_TRAP, 0x18), sysacc(24, Q, NV_SYSREG(3, 0, 12, 11, 5), 1),
		inject(25, Q, 0, 0x62000000, 5, HCR_L2),
		irqp(30, P, 28), inject(31, P, 0x80, 0, 5, HCR_L2),
		/* vEL2 takes an exception from itself: not a nested exit */
		inject(32, P, 0, 0x5a000000, 9, HCR_L2),
		/* a non-VHE guest hypervisor's host kernel (vEL1, stage 2 off) calls vEL2 */
		a_exit(32, P, NV_ARM_EXC_TRAP, 0x16), inject(32, P, 0, 0x5a000000, 5, HCR_L2 & ~1ull),
		a_exit(32, P, NV_ARM_EXC_TRAP, 0x1a), eret_hcr(32, P, HCR_L2 & ~1ull),
		a_exit(33, P, NV_ARM_EXC_TRAP, 0x24),
		a_exit(34, P, NV_ARM_EXC_TRAP, 0x1a), eret(35, P),
		a_exit(36, Q, NV_ARM_EXC_TRAP, 0x1a), eret(37, Q),
		a_exit(40, P, NV_ARM_EXC_TRAP, 0x24), inject(41, P, 0, 0x93d38045, 5, HCR_L2),
		a_exit(42, P, NV_ARM_EXC_TRAP, 0x18),
	};
	struct got g;
	struct nv_recon_stats st;
	run(NV_RECON_ARM64_NESTED, e, sizeof(e) / sizeof(e[0]), &g, &st);
	T_EQ_INT(st.exits, 3, "arm64: three complete nested exits");
	T_EQ_INT(st.incomplete_start, 1, "arm64: the ERET before any injection is an incomplete start");
	T_EQ_INT(st.incomplete_end, 1, "arm64: the DABT still open at the end is incomplete");
	T_EQ_INT(st.self_injections, 3, "arm64: injections from vEL2 / the L1 host, and the ERET back, are not nested exits");
	T_EQ_INT(st.vcpus, 2, "arm64: two vCPU threads");
	if (g.n != 3)
		return;
	T_EQ_STR(nv_kind_name(g.x[0].kind), "hvc", "arm64: first is hvc");
	T_EQ_INT(g.x[0].traps, 5, "arm64: hvc: 4 sysreg traps + ERET");
	T_EQ_INT(g.x[0].host_irqs, 1, "arm64: the IRQ exit is not a trap");
	T_EQ_INT(g.x[0].ts_start, 10, "arm64: starts at the nested VM's exit");
	T_EQ_INT(g.x[0].ts_end, 22, "arm64: ends at the ERET");
	T_EQ_INT(g.x[0].vcpu, P, "arm64: vCPU is the thread");
	T_EQ_INT(g.t[0][0].sysreg, MDSCR, "arm64: trap 1 named MDSCR_EL1");
	T_EQ_INT(g.t[0][0].dir, 0, "arm64: trap 1 is a read");
	T_EQ_INT(g.t[0][2].sysreg, ICH_MISR, "arm64: trap 3 named ICH_MISR_EL2");
	T_EQ_INT(g.t[0][4].code, 0x1a, "arm64: trap 5 is the ERET");
	T_EQ_INT(g.t[0][4].sysreg, -1, "arm64: ERET has no register");
	T_EQ_STR(nv_kind_name(g.x[1].kind), "timer", "arm64: IRQ with INTID 28 pending is timer");
	T_EQ_INT(g.x[1].vcpu, P, "arm64: still named by thread after a vgic event with VCPU 0");
	T_EQ_INT(g.x[1].traps, 4, "arm64: timer: DABT, HVC, ERET of the L1 host, ERET");
	T_EQ_STR(nv_kind_name(g.x[2].kind), "ipi", "arm64: SYS64 of ICC_SGI1R_EL1 is ipi");
	T_EQ_INT(g.x[2].vcpu, Q, "arm64: second vCPU");
	T_EQ_INT(g.x[2].traps, 1, "arm64: ipi: just the ERET");
}

static struct nv_event x_exit(int64_t ts, int vcpu, int reason)
{
	struct nv_event e = ev(ts, 500 + vcpu, NV_EV_KVM_EXIT);
	e.vcpu = vcpu;
	e.reason = reason;
	e.ec = 1;	/* VMX */
	return e;
}

static struct nv_event x_nested(int64_t ts, int vcpu, int type, int reason)
{
	struct nv_event e = ev(ts, 500 + vcpu, type);
	e.reason = reason;
	return e;
}

/* x86: vmexit_inject opens, vmenter closes; L1's VMREADs etc. are its traps. */
static void test_x86(void)
{
	struct nv_event e[] = {
		x_nested(1, 0, NV_EV_KVM_NESTED_VMENTER, 0),		/* starts inside */
		x_exit(10, 0, 18),					/* L2 VMCALL */
		x_nested(11, 0, NV_EV_KVM_NESTED_VMEXIT_INJECT, 18),
		x_exit(12, 0, 23), x_exit(13, 0, 23), x_exit(14, 0, 25), x_exit(15, 0, 1),
		x_exit(16, 0, 24),					/* VMRESUME */
		x_nested(17, 0, NV_EV_KVM_NESTED_VMENTER, 0),
		x_exit(20, 1, 48), x_nested(21, 1, NV_EV_KVM_NESTED_VMEXIT_INJECT, 48),
		x_exit(22, 1, 24), x_nested(23, 1, NV_EV_KVM_NESTED_VMENTER, 0),
		x_exit(30, 0, 12), x_nested(31, 0, NV_EV_KVM_NESTED_VMEXIT_INJECT, 12),
	};
	struct got g;
	struct nv_recon_stats st;
	run(NV_RECON_X86_NESTED, e, sizeof(e) / sizeof(e[0]), &g, &st);
	T_EQ_INT(st.exits, 2, "x86: two complete nested exits");
	T_EQ_INT(st.incomplete_start, 1, "x86: vmenter first is an incomplete start");
	T_EQ_INT(st.incomplete_end, 1, "x86: HLT still open at the end");
	if (g.n != 2)
		return;
	T_EQ_STR(nv_kind_name(g.x[0].kind), "hvc", "x86: VMCALL is hvc");
	T_EQ_INT(g.x[0].traps, 4, "x86: VMREAD, VMREAD, VMWRITE, VMRESUME");
	T_EQ_INT(g.x[0].host_irqs, 1, "x86: external interrupt is not a trap");
	T_EQ_INT(g.x[0].vcpu, 0, "x86: vCPU id");
	T_EQ_INT(g.t[0][2].code, 25, "x86: third trap is VMWRITE");
	T_EQ_STR(nv_kind_name(g.x[1].kind), "s2fault", "x86: EPT violation is s2fault");
	T_EQ_INT(g.x[1].vcpu, 1, "x86: second vCPU");
	T_EQ_INT(g.x[1].ts_start, 20, "x86: starts at L2's exit");
}

/* Single-level, this machine's kvm_pvm: no kvm_exit, detail events only. */
static void test_single_pvm(void)
{
	struct nv_event e[12];
	int n = 0;
	struct nv_event pio_out = ev(1, 7, NV_EV_KVM_PIO);
	pio_out.dir = 1;
	e[n++] = pio_out;
	struct nv_event ue = ev(2, 7, NV_EV_KVM_USERSPACE_EXIT);
	ue.reason = 2;	/* KVM_EXIT_IO */
	e[n++] = ue;
	struct nv_event pio_in = ev(3, 7, NV_EV_KVM_PIO);
	pio_in.dir = 0;
	e[n++] = pio_in;
	ue.ts = 4;
	e[n++] = ue;
	pio_in.ts = 5;	/* completion of the IN: the same exit */
	e[n++] = pio_in;
	struct nv_event cpuid = ev(6, 7, NV_EV_KVM_CPUID);
	e[n++] = cpuid;
	struct nv_event msr = ev(7, 7, NV_EV_KVM_MSR);
	msr.addr = 0x830;
	msr.have = NV_HAVE_ADDR;
	e[n++] = msr;
	struct nv_event emu = ev(8, 7, NV_EV_KVM_EMULATE_INSN);
	e[n++] = emu;
	struct nv_event hlt = ev(9, 7, NV_EV_KVM_USERSPACE_EXIT);
	hlt.reason = 5;	/* KVM_EXIT_HLT */
	e[n++] = hlt;
	struct got g;
	struct nv_recon_stats st;
	run(NV_RECON_X86_SINGLE, e, n, &g, &st);
	T_EQ_INT(st.exits, 5, "pvm: out, in, cpuid, msr, hlt = 5 exits");
	T_EQ_INT(st.incomplete_end, 0, "pvm: nothing incomplete");
	if (g.n != 5)
		return;
	T_EQ_STR(nv_kind_name(g.x[0].kind), "mmio", "pvm: OUT is device I/O (mmio)");
	T_EQ_INT(g.x[0].ts_end, 2, "pvm: OUT ends at its userspace exit");
	T_EQ_STR(nv_kind_name(g.x[2].kind), "sysreg", "pvm: CPUID is sysreg");
	T_EQ_STR(nv_kind_name(g.x[3].kind), "ipi", "pvm: WRMSR x2APIC ICR is ipi");
	T_EQ_STR(nv_kind_name(g.x[4].kind), "wfi", "pvm: HLT is wfi");
	T_EQ_INT(g.x[4].nested, 0, "pvm: replayed as nested, not observed nested");
}

/* Single-level arm64 with kvm_exit/kvm_entry: DABT with kvm_mmio is mmio, without is s2fault. */
static void test_single_arm64(void)
{
	struct nv_event mm = ev(2, 3, NV_EV_KVM_MMIO);
	struct nv_event e[] = {
		a_exit(1, 3, NV_ARM_EXC_TRAP, 0x24), mm, ev(3, 3, NV_EV_KVM_ENTRY),
		a_exit(4, 3, NV_ARM_EXC_TRAP, 0x24), ev(5, 3, NV_EV_KVM_ENTRY),
		a_exit(6, 3, NV_ARM_EXC_TRAP, 0x01), ev(7, 3, NV_EV_KVM_ENTRY),
		irqp(8, 3, 27), a_exit(9, 3, NV_ARM_EXC_IRQ, 0), ev(10, 3, NV_EV_KVM_ENTRY),
		a_exit(11, 3, NV_ARM_EXC_TRAP, 0x16),
	};
	struct got g;
	struct nv_recon_stats st;
	run(NV_RECON_ARM64_SINGLE, e, sizeof(e) / sizeof(e[0]), &g, &st);
	T_EQ_INT(st.exits, 4, "arm64 single: four complete exits");
	T_EQ_INT(st.incomplete_end, 1, "arm64 single: the last HVC has no entry");
	if (g.n != 4)
		return;
	T_EQ_STR(nv_kind_name(g.x[0].kind), "mmio", "arm64 single: DABT + kvm_mmio is mmio");
	T_EQ_STR(nv_kind_name(g.x[1].kind), "s2fault", "arm64 single: DABT alone is s2fault");
	T_EQ_STR(nv_kind_name(g.x[2].kind), "wfi", "arm64 single: WFx is wfi");
	T_EQ_STR(nv_kind_name(g.x[3].kind), "timer", "arm64 single: IRQ after INTID 27 is timer");
	T_EQ_INT(g.x[3].ts_end - g.x[3].ts_start, 1, "arm64 single: exit to entry");
}

int main(void)
{
	test_arm64();
	test_x86();
	test_single_pvm();
	test_single_arm64();
	return t_done();
}
