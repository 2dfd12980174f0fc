/*
 * The decode table (data): for each tracepoint, which of its fields fill
 * which canonical column, and how.  schema/event.h documents the meaning of
 * each column per event; this table is its executable form.
 */
#include <string.h>
#include "collector/decode.h"

enum dec_dst { D_REASON, D_EC, D_SYSREG, D_DIR, D_MODE, D_VCPU,
	       D_PC, D_ADDR, D_VALUE, D_AUX };

enum dec_op {
	OP_COPY,		/* the value as is */
	OP_ESR_EC,		/* ESR_ELx.EC: bits [31:26] */
	OP_NOT,			/* 1 - boolean (is_read -> write) */
	OP_SYSREG5,		/* Op0, Op1, CRn, CRm, Op2 -> NV_SYSREG */
	OP_SYSREG_KERNEL,	/* the kernel's sys_reg() packing -> NV_SYSREG */
};

struct dec_map { enum dec_dst dst; enum dec_op op; const char *src[5]; };

/*
 * One rule per event layout.  The first source of the first map is the key:
 * a rule applies to an event whose format has that field.  Later maps whose
 * field is missing are skipped (older kernels lack some fields).
 */
struct dec_rule {
	const char *event;
	enum nv_host_arch host;
	struct dec_map map[DEC_MAX_MAP];
};

#define M(d, f)        { D_##d, OP_COPY, { f } }
#define MOP(d, op, f)  { D_##d, OP_##op, { f } }

static const struct dec_rule rules[] = {
	/* arm64 (arch/arm64/kvm/trace_arm.h, trace_handle_exit.h, vgic/trace.h) */
	{ "kvm_exit", NV_HOST_ARM64, { M(REASON, "ret"), M(EC, "esr_ec"), M(PC, "vcpu_pc") } },
	{ "kvm_entry", NV_HOST_ARM64, { M(PC, "vcpu_pc") } },
	{ "kvm_sys_access", NV_HOST_ARM64, {
		{ D_SYSREG, OP_SYSREG5, { "Op0", "Op1", "CRn", "CRm", "Op2" } },
		M(DIR, "is_write"), M(PC, "vcpu_pc") } },
	{ "kvm_forward_sysreg_trap", NV_HOST_ARM64, {
		MOP(SYSREG, SYSREG_KERNEL, "sysreg"), MOP(DIR, NOT, "is_read"), M(PC, "pc") } },
	{ "kvm_forward_sysreg_trap", NV_HOST_ARM64, {	/* text: the five fields printed */
		{ D_SYSREG, OP_SYSREG5, { "Op0", "Op1", "CRn", "CRm", "Op2" } },
		MOP(DIR, NOT, "is_read"), M(PC, "pc") } },
	{ "kvm_handle_sys_reg", NV_HOST_ARM64, { M(VALUE, "hsr"), MOP(EC, ESR_EC, "hsr") } },
	{ "kvm_hvc_arm64", NV_HOST_ARM64, { M(PC, "vcpu_pc"), M(VALUE, "r0"), M(AUX, "imm") } },
	{ "kvm_wfx_arm64", NV_HOST_ARM64, { M(PC, "vcpu_pc"), M(REASON, "is_wfe") } },
	{ "kvm_guest_fault", NV_HOST_ARM64, { M(ADDR, "ipa"), M(PC, "vcpu_pc"), M(VALUE, "hsr"),
		M(AUX, "hxfar"), MOP(EC, ESR_EC, "hsr") } },
	{ "kvm_access_fault", NV_HOST_ARM64, { M(ADDR, "ipa") } },
	{ "kvm_mmio_emulate", NV_HOST_ARM64, { M(PC, "vcpu_pc"), M(VALUE, "instr"), M(AUX, "cpsr") } },
	{ "kvm_mmio_nisv", NV_HOST_ARM64, { M(ADDR, "ipa"), M(PC, "vcpu_pc"), M(VALUE, "esr"),
		M(AUX, "far"), MOP(EC, ESR_EC, "esr") } },
	{ "kvm_inject_nested_exception", NV_HOST_ARM64, { M(REASON, "type"), M(VALUE, "esr_el2"),
		MOP(EC, ESR_EC, "esr_el2"), M(PC, "pc"), M(ADDR, "spsr_el2"),
		M(MODE, "source_mode"), M(AUX, "hcr_el2") } },
	{ "kvm_nested_eret", NV_HOST_ARM64, { M(PC, "elr_el2"), M(ADDR, "spsr_el2"),
		M(MODE, "target_mode"), M(AUX, "hcr_el2") } },
	{ "kvm_irq_line", NV_HOST_ARM64, { M(REASON, "type"), M(VCPU, "vcpu_idx"),
		M(VALUE, "irq_num"), M(AUX, "level") } },
	{ "kvm_timer_update_irq", NV_HOST_ARM64, { M(VCPU, "vcpu_id"), M(VALUE, "irq"), M(AUX, "level") } },
	{ "kvm_get_timer_map", NV_HOST_ARM64, { M(VCPU, "vcpu_id"), M(REASON, "direct_vtimer"),
		M(VALUE, "direct_ptimer"), M(ADDR, "emul_vtimer"), M(AUX, "emul_ptimer") } },
	{ "kvm_timer_save_state", NV_HOST_ARM64, { M(REASON, "timer_idx"), M(VALUE, "ctl"), M(AUX, "cval") } },
	{ "kvm_timer_restore_state", NV_HOST_ARM64, { M(REASON, "timer_idx"), M(VALUE, "ctl"), M(AUX, "cval") } },
	{ "kvm_timer_hrtimer_expire", NV_HOST_ARM64, { M(REASON, "timer_idx") } },
	{ "kvm_timer_emulate", NV_HOST_ARM64, { M(REASON, "timer_idx"), M(AUX, "should_fire") } },
	{ "vgic_update_irq_pending", NV_HOST_ARM64, { M(VCPU, "vcpu_id"), M(VALUE, "irq"), M(AUX, "level") } },
	{ "kvm_set_way_flush", NV_HOST_ARM64, { M(PC, "vcpu_pc"), M(VALUE, "cache") } },
	{ "kvm_toggle_cache", NV_HOST_ARM64, { M(PC, "vcpu_pc"), M(VALUE, "was"), M(AUX, "now") } },

	/* x86 (arch/x86/kvm/trace.h) */
	{ "kvm_exit", NV_HOST_X86, { M(REASON, "exit_reason"), M(EC, "isa"), M(VCPU, "vcpu_id"),
		M(PC, "guest_rip"), M(VALUE, "info1"), M(AUX, "info2") } },
	{ "kvm_entry", NV_HOST_X86, { M(VCPU, "vcpu_id"), M(PC, "rip") } },
	{ "kvm_pio", NV_HOST_X86, { M(ADDR, "port"), M(DIR, "rw"), M(AUX, "size"), M(VALUE, "val") } },
	{ "kvm_msr", NV_HOST_X86, { M(ADDR, "ecx"), M(DIR, "write"), M(VALUE, "data"),
		M(REASON, "exception") } },
	{ "kvm_cpuid", NV_HOST_X86, { M(ADDR, "function"), M(VALUE, "rax"), M(AUX, "index") } },
	{ "kvm_hypercall", NV_HOST_X86, { M(VALUE, "nr"), M(ADDR, "a0") } },
	{ "kvm_emulate_insn", NV_HOST_X86, { M(PC, "rip"), M(REASON, "failed"), M(AUX, "len") } },
	{ "kvm_nested_vmexit", NV_HOST_X86, { M(REASON, "exit_reason"), M(EC, "isa"),
		M(VCPU, "vcpu_id"), M(PC, "guest_rip"), M(VALUE, "info1"), M(AUX, "info2") } },
	{ "kvm_nested_vmexit", NV_HOST_X86, { M(REASON, "exit_code"), M(EC, "isa"),
		M(PC, "rip"), M(VALUE, "exit_info1"), M(AUX, "exit_info2") } },
	{ "kvm_nested_vmexit_inject", NV_HOST_X86, { M(REASON, "exit_code"), M(EC, "isa"),
		M(VALUE, "exit_info1"), M(AUX, "exit_info2") } },
	{ "kvm_nested_vmenter", NV_HOST_X86, { M(PC, "rip"), M(ADDR, "vmcb"),
		M(AUX, "nested_rip"), M(EC, "isa") } },
	{ "kvm_nested_intr_vmexit", NV_HOST_X86, { M(PC, "rip") } },
	{ "kvm_inj_exception", NV_HOST_X86, { M(REASON, "exception"), M(VALUE, "error_code") } },
	{ "kvm_page_fault", NV_HOST_X86, { M(ADDR, "fault_address"), M(VCPU, "vcpu_id"),
		M(PC, "guest_rip"), M(VALUE, "error_code") } },
	{ "kvm_cr", NV_HOST_X86, { M(REASON, "cr"), M(DIR, "rw"), M(VALUE, "val") } },

	/* both (virt/kvm/kvm_main.c, include/trace/events/kvm.h) */
	{ "kvm_mmio", NV_HOST_ANY, { M(REASON, "type"), M(ADDR, "gpa"), M(VALUE, "val"), M(AUX, "len") } },
	{ "kvm_userspace_exit", NV_HOST_ANY, { M(REASON, "reason"), M(VALUE, "errno") } },
	{ "kvm_fpu", NV_HOST_ANY, { M(VALUE, "load") } },
	{ "kvm_vcpu_wakeup", NV_HOST_ANY, { M(VALUE, "ns"), M(REASON, "waited"), M(AUX, "valid") } },
	{ "kvm_age_hva", NV_HOST_ANY, { M(ADDR, "start"), M(AUX, "end") } },
	{ "kvm_test_age_hva", NV_HOST_ANY, { M(ADDR, "hva") } },
	{ "kvm_unmap_hva_range", NV_HOST_ANY, { M(ADDR, "start"), M(AUX, "end") } },
	{ "kvm_halt_poll_ns", NV_HOST_ANY, { M(VCPU, "vcpu_id"), M(VALUE, "new"), M(AUX, "old"),
		M(REASON, "grow") } },
	{ "kvm_set_irq", NV_HOST_ANY, { M(VALUE, "gsi"), M(AUX, "level"), M(REASON, "irq_source_id") } },
	{ "kvm_ack_irq", NV_HOST_ANY, { M(VALUE, "pin"), M(REASON, "irqchip") } },
};

#define NRULES (sizeof(rules) / sizeof(rules[0]))

/* Does this rule fit the event: same name, compatible host, key field present? */
static int rule_fits(const struct dec_rule *r, const char *event, enum nv_host_arch host,
		     dec_lookup_fn lookup, void *ctx)
{
	if (strcmp(r->event, event) != 0)
		return 0;
	if (host != NV_HOST_ANY && r->host != NV_HOST_ANY && r->host != host)
		return 0;
	return lookup(ctx, r->map[0].src[0]) >= 0;
}

/* Pick the rule of this event (see decode.h) and resolve its fields once. */
void dec_plan_build(struct dec_plan *p, const char *event, enum nv_host_arch host,
		    dec_lookup_fn lookup, void *ctx)
{
	const struct dec_rule *r = NULL;

	memset(p, 0, sizeof(*p));
	p->type = nv_event_type_of(event);
	p->arch = nv_event_type_host(p->type);
	for (size_t i = 0; i < NRULES && !r; i++)
		if (rule_fits(&rules[i], event, host, lookup, ctx))
			r = &rules[i];
	if (!r)
		return;
	p->decoded = 1;
	p->arch = r->host;
	for (int m = 0; m < DEC_MAX_MAP && r->map[m].src[0]; m++) {
		struct dec_step s = { .dst = r->map[m].dst, .op = r->map[m].op };
		int ok = 1;
		for (int k = 0; k < 5; k++) {
			s.src[k] = -1;
			if (r->map[m].src[k] && (s.src[k] = lookup(ctx, r->map[m].src[k])) < 0)
				ok = 0;
		}
		if (ok)
			p->step[p->nstep++] = s;
	}
}

/* Compute one step's value from its source fields. */
static uint64_t step_value(const struct dec_step *s, const uint64_t *v)
{
	uint64_t x = v[s->src[0]];
	switch (s->op) {
	case OP_ESR_EC:
		return (x >> 26) & 0x3f;
	case OP_NOT:
		return x == 0;
	case OP_SYSREG5:
		return NV_SYSREG(x & 3, v[s->src[1]] & 7, v[s->src[2]] & 15,
				 v[s->src[3]] & 15, v[s->src[4]] & 7);
	case OP_SYSREG_KERNEL: /* sys_reg(op0,op1,crn,crm,op2): 19,16,12,8,5 */
		return NV_SYSREG((x >> 19) & 3, (x >> 16) & 7, (x >> 12) & 15,
				 (x >> 8) & 15, (x >> 5) & 7);
	default:
		return x;
	}
}

/* Run a plan over one event's values: the per-event hot path, no lookups. */
void dec_apply(const struct dec_plan *p, const uint64_t *vals, struct nv_event *ev)
{
	ev->type = (uint16_t)p->type;
	for (int i = 0; i < p->nstep; i++) {
		const struct dec_step *s = &p->step[i];
		uint64_t x = step_value(s, vals);
		switch (s->dst) {
		case D_REASON: ev->reason = (int32_t)x; break;
		case D_EC:     ev->ec = (int32_t)x; break;
		case D_SYSREG: ev->sysreg = (int32_t)x; break;
		case D_DIR:    ev->dir = x != 0; break;
		case D_MODE:   ev->mode = (int32_t)x; break;
		case D_VCPU:   ev->vcpu = (int32_t)x; break;
		case D_PC:     ev->pc = x;    ev->have |= NV_HAVE_PC; break;
		case D_ADDR:   ev->addr = x;  ev->have |= NV_HAVE_ADDR; break;
		case D_VALUE:  ev->value = x; ev->have |= NV_HAVE_VALUE; break;
		case D_AUX:    ev->aux = x;   ev->have |= NV_HAVE_AUX; break;
		}
	}
}

/* arm64-only and x86-only event names tell which host a trace is from. */
enum nv_host_arch dec_host_of_event(const char *event)
{
	return nv_event_type_host(nv_event_type_of(event));
}
