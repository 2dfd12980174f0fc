/* Nested-exit reconstruction (see reconstruct.h): a per-vCPU state machine. */
#include <stdlib.h>
#include <string.h>
#include "replay/reconstruct.h"

#define EC_SYS64   0x18
#define EC_DABT    0x24
#define ESR_ISV    (1ull << 24)
#define HCR_TGE    (1ull << 27)
#define HCR_VM     (1ull << 0)
#define VMX_EXT_INTR 1
#define SVM_INTR   0x60
#define KVM_EXIT_IO_ 2
#define KVM_EXIT_MMIO_ 6

/* What a vCPU is doing, as far as the trace has told. */
struct vcpu_state {
	int32_t key;		/* thread id (or vCPU id when no thread) */
	int used;
	int32_t vcpu_id;	/* x86 vCPU id once an event carried it */
	int seen_nesting;	/* a nesting event of this vCPU was seen */
	int open;		/* a nested exit (or single-level exit) is open */
	struct nv_nested_exit cur;
	struct nv_trap *trap;	/* NV_RECON_TRAPS_MAX, allocated on first use */
	/* the last exit outside a nested exit: the candidate cause */
	int have_cause;
	int64_t cause_ts;
	int32_t cause_code, cause_isa, cause_sysreg, cause_msr, cause_mmio, cause_irq;
	int32_t last_intid;	/* last interrupt asserted (level 1) */
	int by_kvm_exit;	/* single-level: the open exit began with kvm_exit */
	int base_kind;		/* single-level: its kind before refinement */
	int pending_read;	/* single-level: the open exit is a read (its event type) */
	int swallow_read;	/* ...that userspace serves: its completion is no new exit */
};

struct nv_recon {
	enum nv_recon_mode mode;
	nv_recon_fn fn;
	void *ctx;
	struct vcpu_state *slot;
	size_t nslot, used;
	struct nv_recon_stats st;
};

/* A reconstructor with an empty vCPU table (it grows as threads appear). */
struct nv_recon *nv_recon_new(enum nv_recon_mode mode, nv_recon_fn fn, void *ctx)
{
	struct nv_recon *r = calloc(1, sizeof(*r));
	if (!r)
		return NULL;
	r->mode = mode;
	r->fn = fn;
	r->ctx = ctx;
	r->nslot = 16;
	r->slot = calloc(r->nslot, sizeof(*r->slot));
	if (!r->slot) {
		free(r);
		return NULL;
	}
	return r;
}

/* Free the vCPU table and every trap buffer. */
void nv_recon_free(struct nv_recon *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nslot; i++)
		free(r->slot[i].trap);
	free(r->slot);
	free(r);
}

/* What was counted so far. */
const struct nv_recon_stats *nv_recon_stats(const struct nv_recon *r) { return &r->st; }

/* The event types reconstruction reads: nesting, exits, and what names or refines them. */
static const uint16_t wanted[] = {
	NV_EV_KVM_EXIT, NV_EV_KVM_ENTRY, NV_EV_KVM_USERSPACE_EXIT, NV_EV_KVM_MMIO,
	NV_EV_KVM_MMIO_EMULATE, NV_EV_KVM_MMIO_NISV, NV_EV_KVM_SYS_ACCESS,
	NV_EV_KVM_FORWARD_SYSREG_TRAP, NV_EV_KVM_INJECT_NESTED_EXC, NV_EV_KVM_NESTED_ERET,
	NV_EV_VGIC_UPDATE_IRQ_PENDING, NV_EV_KVM_TIMER_UPDATE_IRQ, NV_EV_KVM_HVC_ARM64,
	NV_EV_KVM_WFX_ARM64, NV_EV_KVM_PIO, NV_EV_KVM_MSR, NV_EV_KVM_CPUID,
	NV_EV_KVM_HYPERCALL, NV_EV_KVM_APIC_IPI, NV_EV_KVM_EOI,
	NV_EV_KVM_NESTED_VMEXIT_INJECT, NV_EV_KVM_NESTED_VMENTER,
};

int nv_recon_wants(enum nv_event_type t)
{
	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++)
		if (wanted[i] == t)
			return 1;
	return 0;
}

/* Nesting events decide the mode; without them the host arch does. */
enum nv_recon_mode nv_recon_mode_for(int arm64_host, int has_arm_nesting, int has_x86_nesting)
{
	if (has_arm_nesting)
		return NV_RECON_ARM64_NESTED;
	if (has_x86_nesting)
		return NV_RECON_X86_NESTED;
	return arm64_host ? NV_RECON_ARM64_SINGLE : NV_RECON_X86_SINGLE;
}

/* The slot of key in an open-addressed table of n (a power of two) slots. */
static size_t slot_of(const struct vcpu_state *s, size_t n, int32_t key)
{
	size_t h = ((uint32_t)key * 2654435761u) & (n - 1);
	while (s[h].used && s[h].key != key)
		h = (h + 1) & (n - 1);
	return h;
}

/* Double the open-addressed vCPU table (vCPUs are few; this happens rarely). */
static int grow(struct nv_recon *r)
{
	size_t n = r->nslot * 2;
	struct vcpu_state *s = calloc(n, sizeof(*s));
	if (!s)
		return -1;
	for (size_t i = 0; i < r->nslot; i++)
		if (r->slot[i].used)
			s[slot_of(s, n, r->slot[i].key)] = r->slot[i];
	free(r->slot);
	r->slot = s;
	r->nslot = n;
	return 0;
}

/* The state of the vCPU an event belongs to (threads key vCPUs: arm64 events carry no id). */
static struct vcpu_state *vcpu_of(struct nv_recon *r, const struct nv_event *ev)
{
	int32_t key = ev->pid >= 0 ? ev->pid : ev->vcpu;
	if ((r->used + 1) * 2 > r->nslot && grow(r))
		return NULL;
	size_t h = slot_of(r->slot, r->nslot, key);
	struct vcpu_state *v = &r->slot[h];
	if (!v->used) {
		v->used = 1;
		v->key = key;
		v->vcpu_id = -1;
		v->last_intid = -1;
		r->used++;
		r->st.vcpus++;
	}
	/* x86 names vCPUs by id; arm64 by thread (its vgic/timer "VCPU" is an index) */
	if (ev->vcpu >= 0 && (r->mode == NV_RECON_X86_NESTED || r->mode == NV_RECON_X86_SINGLE))
		v->vcpu_id = ev->vcpu;
	return v;
}

/* Start a nested exit on v at ts. */
static void open_exit(struct vcpu_state *v, int64_t ts, int nested)
{
	memset(&v->cur, 0, sizeof(v->cur));
	v->cur.vcpu = v->vcpu_id >= 0 ? v->vcpu_id : v->key;
	v->cur.ts_start = ts;
	v->cur.nested = nested;
	v->cur.kind = NV_KIND_OTHER;
	v->open = 1;
}

/* End v's open nested exit at ts and hand it to the callback. */
static void close_exit(struct nv_recon *r, struct vcpu_state *v, int64_t ts)
{
	v->cur.ts_end = ts;
	v->cur.trap = v->trap;
	v->open = 0;
	r->st.exits++;
	if (r->fn)
		r->fn(r->ctx, &v->cur);
}

/* Count a guest-hypervisor trap; list it while the buffer has room. */
static void add_trap(struct vcpu_state *v, int32_t code, const struct nv_event *ev)
{
	v->cur.traps++;
	if (v->cur.ntrap >= NV_RECON_TRAPS_MAX)
		return;
	if (!v->trap && !(v->trap = malloc(NV_RECON_TRAPS_MAX * sizeof(*v->trap))))
		return;
	v->trap[v->cur.ntrap++] = (struct nv_trap){ code, -1, -1,
		(ev->have & NV_HAVE_PC) ? ev->pc : 0 };
}

/* Name the last trap by its register, when the trace says which. */
static void name_last_trap(struct vcpu_state *v, const struct nv_event *ev)
{
	if (!v->cur.ntrap)
		return;
	struct nv_trap *t = &v->trap[v->cur.ntrap - 1];
	if (t->code == EC_SYS64 && t->sysreg < 0) {
		t->sysreg = ev->sysreg;
		t->dir = ev->dir;
		if (!t->pc && (ev->have & NV_HAVE_PC))
			t->pc = ev->pc;
	}
}

/* The kind of a code, or dflt when the table has no row for it. */
static int lookup_or(enum nv_kind_src src, long code, int dflt)
{
	int k = nv_kind_lookup(src, code);
	return k >= 0 ? k : dflt;
}

/* The kind of an interrupt, refined by the INTID last asserted. */
static enum nv_kind irq_kind(const struct vcpu_state *v)
{
	return v->last_intid >= 0 ? lookup_or(NV_KSRC_INTID, v->last_intid, NV_KIND_IRQ)
				  : NV_KIND_IRQ;
}

/* The kind of an arm64 trap with this EC, refined by register / MMIO evidence. */
static enum nv_kind arm_trap_kind(int ec, int sysreg, int mmio, int forwarded)
{
	int k = lookup_or(NV_KSRC_ARM_EC, ec, NV_KIND_OTHER);
	if (ec == EC_SYS64 && sysreg >= 0)
		k = lookup_or(NV_KSRC_SYSREG, sysreg, k);
	/* L0 itself: a data abort is MMIO only when L0 emulated one */
	if (ec == EC_DABT && !forwarded && !mmio)
		k = NV_KIND_S2FAULT;
	return k;
}

/* The kind of an x86 exit reason (VMX unless the isa says SVM), refined by MSR. */
static enum nv_kind x86_kind(int isa, int reason, int msr)
{
	int k = lookup_or(isa == 2 ? NV_KSRC_SVM : NV_KSRC_VMX, reason, NV_KIND_OTHER);
	if (k == NV_KIND_SYSREG && msr >= 0)
		k = lookup_or(NV_KSRC_MSR, msr, k);
	return k;
}

/* Remember an exit outside nested exits: the next injection's cause. */
static void note_cause(struct vcpu_state *v, const struct nv_event *ev)
{
	v->have_cause = 1;
	v->cause_ts = ev->ts;
	v->cause_code = ev->type == NV_EV_KVM_EXIT ? ev->reason : -1;
	v->cause_isa = ev->ec;
	v->cause_sysreg = v->cause_msr = -1;
	v->cause_mmio = 0;
	v->cause_irq = 0;
}

/* Detail events that refine the cause or name a trap, common to all modes. */
static void note_detail(struct vcpu_state *v, const struct nv_event *ev)
{
	switch (ev->type) {
	case NV_EV_VGIC_UPDATE_IRQ_PENDING:
	case NV_EV_KVM_TIMER_UPDATE_IRQ:
		if ((ev->have & NV_HAVE_AUX) && ev->aux == 1 && (ev->have & NV_HAVE_VALUE))
			v->last_intid = (int32_t)ev->value;
		break;
	case NV_EV_KVM_SYS_ACCESS:
	case NV_EV_KVM_FORWARD_SYSREG_TRAP:
		if (v->open && v->cur.nested)
			name_last_trap(v, ev);
		else if (v->have_cause && v->cause_sysreg < 0)
			v->cause_sysreg = ev->sysreg;
		break;
	case NV_EV_KVM_MSR:
		if (v->have_cause)
			v->cause_msr = (int32_t)ev->addr;
		break;
	case NV_EV_KVM_MMIO:
	case NV_EV_KVM_MMIO_EMULATE:
	case NV_EV_KVM_MMIO_NISV:
		if (v->have_cause)
			v->cause_mmio = 1;
		break;
	default:
		break;
	}
}

/*
 * Is this injection/ERET a world switch with the nested VM?  Not when the
 * guest hypervisor takes the exception from (or returns to) itself: vEL2,
 * or its own EL1/EL0 world, which runs with its virtual HCR_EL2.TGE set
 * (VHE host) or stage 2 off (VM clear: a non-VHE host kernel calling vEL2).
 * See tracing-here.md and kvm_inject_nested() in emulate-nested.c.
 */
static int is_nested_world(int mode, int have_hcr, uint64_t hcr)
{
	if (mode >= 0 && (mode & 0xc) == 0x8)	/* EL2t / EL2h */
		return 0;
	if (have_hcr && ((hcr & HCR_TGE) || !(hcr & HCR_VM)))
		return 0;
	return 1;
}

/* kvm_inject_nested_exception type as 0..3 (the kernel's 0/0x80/0x100/0x180 too). */
static int inject_type(int32_t t)
{
	return t >= 0x80 ? t >> 7 : t;
}

/*
 * The event that resumes the nested VM (arm64 ERET, x86 VMENTER): it closes
 * the open nested exit, or counts why there was none to close (the trace
 * began inside one, or an event was lost).
 */
static void end_span(struct nv_recon *r, struct vcpu_state *v, int64_t ts)
{
	if (v->open)
		close_exit(r, v, ts);
	else if (!v->seen_nesting)
		r->st.incomplete_start++;
	else
		r->st.unmatched++;
	v->seen_nesting = 1;
	v->have_cause = 0;
}

/* arm64 nested run: injections open, nested ERETs close, TRAP exits between are traps. */
static void arm64_nested(struct nv_recon *r, struct vcpu_state *v, const struct nv_event *ev)
{
	switch (ev->type) {
	case NV_EV_KVM_EXIT:
		if (v->open) {
			if (ev->reason == NV_ARM_EXC_TRAP)
				add_trap(v, ev->ec, ev);
			else
				v->cur.host_irqs++;
		} else {
			r->st.outside_exits++;
			note_cause(v, ev);
			v->cause_code = ev->reason == NV_ARM_EXC_TRAP ? ev->ec : -1;
		}
		break;
	case NV_EV_KVM_INJECT_NESTED_EXC: {
		if (!is_nested_world(ev->mode, ev->have & NV_HAVE_AUX, ev->aux)) {
			r->st.self_injections++;
			break;
		}
		if (v->open)
			r->st.unmatched++;	/* the previous one lost its ERET */
		v->seen_nesting = 1;
		int64_t start = v->have_cause ? v->cause_ts : ev->ts;
		open_exit(v, start, 1);
		int type = inject_type(ev->reason);
		int ec = ev->ec >= 0 ? ev->ec : (int)((ev->value >> 26) & 0x3f);
		if (type == 0) {
			v->cur.cause = ec;
			v->cur.kind = arm_trap_kind(ec, v->have_cause && v->cause_code == ec
						    ? v->cause_sysreg : -1, 1, 1);
			/* KVM emulates MMIO only with a valid syndrome (ISV): without it
			 * the forwarded data abort is a stage-2 fault */
			if (ec == EC_DABT && (ev->have & NV_HAVE_VALUE) && !(ev->value & ESR_ISV))
				v->cur.kind = NV_KIND_S2FAULT;
		} else if (type == 3) {
			v->cur.cause = -1;
			v->cur.kind = NV_KIND_OTHER;
		} else {
			v->cur.cause = -1;
			v->cur.kind = irq_kind(v);
		}
		v->have_cause = 0;
		break;
	}
	case NV_EV_KVM_NESTED_ERET:
		if (!is_nested_world(ev->mode, ev->have & NV_HAVE_AUX, ev->aux)) {
			r->st.self_injections++;
			break;
		}
		end_span(r, v, ev->ts);
		break;
	default:
		note_detail(v, ev);
	}
}

/* x86 nested run: vmexit_inject opens, vmenter closes, kvm_exits between are traps. */
static void x86_nested(struct nv_recon *r, struct vcpu_state *v, const struct nv_event *ev)
{
	switch (ev->type) {
	case NV_EV_KVM_EXIT:
		if (v->open) {
			int ext = ev->ec == 2 ? ev->reason == SVM_INTR : ev->reason == VMX_EXT_INTR;
			if (ext)
				v->cur.host_irqs++;
			else
				add_trap(v, ev->reason, ev);
		} else {
			r->st.outside_exits++;
			note_cause(v, ev);
		}
		break;
	case NV_EV_KVM_NESTED_VMEXIT_INJECT:
		if (v->open)
			r->st.unmatched++;
		v->seen_nesting = 1;
		open_exit(v, v->have_cause ? v->cause_ts : ev->ts, 1);
		v->cur.cause = ev->reason;
		v->cur.kind = x86_kind(v->have_cause ? v->cause_isa : 1, ev->reason,
				       v->have_cause ? v->cause_msr : -1);
		v->have_cause = 0;
		break;
	case NV_EV_KVM_NESTED_VMENTER:
		end_span(r, v, ev->ts);
		break;
	default:
		note_detail(v, ev);
	}
}

/* The kind of a single-level exit opened by kvm_exit, from what followed it. */
static enum nv_kind single_exit_kind(const struct vcpu_state *v, int arm64)
{
	if (arm64) {
		if (v->cause_code == -1)
			return irq_kind(v);
		return arm_trap_kind(v->cause_code, v->cause_sysreg, v->cause_mmio, 0);
	}
	return x86_kind(v->cause_isa, v->cause_code, v->cause_msr);
}

/* Single-level: close the open exit, deciding its kind now that details are in. */
static void single_close(struct nv_recon *r, struct vcpu_state *v, int64_t ts)
{
	if (!v->open)
		return;
	if (v->by_kvm_exit)
		v->cur.kind = single_exit_kind(v, r->mode == NV_RECON_ARM64_SINGLE);
	v->have_cause = 0;
	close_exit(r, v, ts);
}

/* Events that are a VM exit by themselves on a host without kvm_exit. */
static int is_primary(const struct nv_event *ev)
{
	return ev->type != NV_EV_KVM_EXIT && ev->type != NV_EV_KVM_USERSPACE_EXIT &&
	       nv_kind_lookup(NV_KSRC_EVENT, ev->type) >= 0;
}

/* A read whose value userspace may supply (then the kernel traces it again on completion). */
static int is_read(const struct nv_event *ev)
{
	if (ev->type == NV_EV_KVM_MMIO)
		return ev->reason == NV_MMIO_READ;
	return ev->type == NV_EV_KVM_PIO && ev->dir == 0;
}

/* Single-level VM: every VM exit is one nested exit of a what-if replay. */
static void single(struct nv_recon *r, struct vcpu_state *v, const struct nv_event *ev)
{
	if (ev->type == NV_EV_KVM_EXIT) {
		single_close(r, v, ev->ts);
		open_exit(v, ev->ts, 0);
		note_cause(v, ev);
		if (r->mode == NV_RECON_ARM64_SINGLE)
			v->cause_code = ev->reason == NV_ARM_EXC_TRAP ? ev->ec : -1;
		v->cur.cause = ev->reason == NV_ARM_EXC_TRAP && r->mode == NV_RECON_ARM64_SINGLE
			       ? ev->ec : ev->reason;
		v->by_kvm_exit = 1;
		v->pending_read = v->swallow_read = 0;
		return;
	}
	if (ev->type == NV_EV_KVM_ENTRY) {
		single_close(r, v, ev->ts);
		return;
	}
	note_detail(v, ev);
	if (v->open && v->by_kvm_exit)
		return;		/* details of a kvm_exit: already noted */
	if (ev->type == NV_EV_KVM_USERSPACE_EXIT) {
		int k = nv_kind_lookup(NV_KSRC_USER, ev->reason);
		if (k < 0)
			k = NV_KIND_OTHER;
		/* it ends the open exit when it is that exit going to userspace */
		if (v->open && v->base_kind != k)
			single_close(r, v, ev->ts);
		if (!v->open) {
			open_exit(v, ev->ts, 0);
			v->by_kvm_exit = 0;
			v->base_kind = k;
			v->cur.cause = ev->reason;
			v->cur.kind = k;
		}
		v->swallow_read = ev->reason == KVM_EXIT_IO_ || ev->reason == KVM_EXIT_MMIO_
				  ? v->pending_read : 0;
		v->pending_read = 0;
		single_close(r, v, ev->ts);
		return;
	}
	if (!is_primary(ev))
		return;
	int swallow = is_read(ev) && v->swallow_read == ev->type;
	v->swallow_read = 0;
	if (swallow)
		return;		/* the completion of a read userspace served */
	single_close(r, v, ev->ts);
	open_exit(v, ev->ts, 0);
	v->by_kvm_exit = 0;
	v->cur.cause = ev->type;
	v->cur.kind = v->base_kind = nv_kind_lookup(NV_KSRC_EVENT, ev->type);
	if (ev->type == NV_EV_KVM_MSR)
		v->cur.kind = lookup_or(NV_KSRC_MSR, (long)ev->addr, v->cur.kind);
	v->pending_read = (ev->type == NV_EV_KVM_PIO && ev->dir == 0) ||
			  (ev->type == NV_EV_KVM_MMIO && ev->reason == NV_MMIO_READ_UNSATISFIED)
			  ? (int)ev->type : 0;
}

/* One event, in time order, to its vCPU's state machine. */
void nv_recon_feed(struct nv_recon *r, const struct nv_event *ev)
{
	struct vcpu_state *v = vcpu_of(r, ev);
	r->st.events++;
	if (!v)
		return;
	switch (r->mode) {
	case NV_RECON_ARM64_NESTED: arm64_nested(r, v, ev); break;
	case NV_RECON_X86_NESTED:   x86_nested(r, v, ev); break;
	case NV_RECON_ARM64_SINGLE:
	case NV_RECON_X86_SINGLE:   single(r, v, ev); break;
	}
}

/* End of trace: open nested exits are incomplete; a detail-event exit is complete. */
void nv_recon_finish(struct nv_recon *r)
{
	for (size_t i = 0; i < r->nslot; i++) {
		struct vcpu_state *v = &r->slot[i];
		if (!v->used || !v->open)
			continue;
		if (r->mode >= NV_RECON_ARM64_SINGLE && !v->by_kvm_exit) {
			/* a detail-event exit is complete once seen */
			single_close(r, v, v->cur.ts_start);
			continue;
		}
		v->open = 0;
		r->st.incomplete_end++;
	}
}
