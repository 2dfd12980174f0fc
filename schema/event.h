/*
 * The canonical event: what every source (BPF, tracefs, trace.dat, text,
 * synth) turns a KVM tracepoint into, and what the events table stores.
 *
 * Small integer fields use -1 for "not present" (stored as NULL).  The four
 * 64-bit fields say whether they are present in the `have` mask.
 *
 * Field use per event (arm64 unless marked x86); collector/decode.c is the
 * table that fills them, from the kernel's field names:
 *   kvm_exit           reason = exception type as the kernel stores it
 *                      (0 IRQ, 1 SERROR, 2 TRAP, 3 ILLEGAL, 0xbadca11 HYP_GONE),
 *                      ec = ESR EC (0 unless TRAP), pc = vcpu_pc;
 *                      x86: reason = exit_reason, ec = isa (1 VMX, 2 SVM),
 *                      vcpu, pc = guest_rip, value = info1, aux = info2
 *   kvm_entry          pc = vcpu_pc;  x86: vcpu, pc = rip
 *   kvm_sys_access     sysreg (from Op0..Op2), dir (1 = write), pc; the
 *                      register's name is not stored (a kernel pointer in
 *                      a trace.dat): name it from the encoding
 *   kvm_forward_sysreg_trap  sysreg, dir (1 = write, i.e. !is_read), pc
 *   kvm_handle_sys_reg value = hsr (ESR), ec = EC of it
 *   kvm_hvc_arm64      pc, value = r0, aux = imm
 *   kvm_wfx_arm64      pc, reason = is_wfe
 *   kvm_guest_fault    pc, addr = ipa, value = hsr, aux = hxfar, ec = EC of hsr
 *   kvm_mmio_nisv      pc, addr = ipa, value = esr, aux = far, ec = EC of esr
 *   kvm_access_fault   addr = ipa
 *   kvm_mmio_emulate   pc, value = instr, aux = cpsr
 *   kvm_mmio           reason = type (NV_MMIO_*), addr = gpa, value = val,
 *                      aux = len
 *   kvm_inject_nested_exception  reason = type as the kernel stores it
 *                      (0 SYNC, 0x80 IRQ, 0x100 FIQ, 0x180 SERROR),
 *                      value = esr_el2, ec = EC of esr_el2,
 *                      pc = elr (pc at injection), addr = spsr_el2,
 *                      mode = source mode (PSR M bits), aux = hcr_el2
 *   kvm_nested_eret    pc = elr_el2, addr = spsr_el2, mode = target mode,
 *                      aux = hcr_el2
 *   kvm_irq_line       reason = type, vcpu = vcpu_idx, value = irq_num,
 *                      aux = level
 *   kvm_timer_update_irq, vgic_update_irq_pending  vcpu, value = irq,
 *                      aux = level
 *   kvm_timer_save_state / restore_state  reason = timer index,
 *                      value = ctl, aux = cval
 *   kvm_timer_hrtimer_expire  reason = timer index
 *   kvm_timer_emulate  reason = timer index, aux = should_fire
 *   kvm_get_timer_map  vcpu, reason = direct_vtimer, value = direct_ptimer,
 *                      addr = emul_vtimer, aux = emul_ptimer (-1 = none)
 *   kvm_set_way_flush  pc, value = cache;  kvm_toggle_cache  pc, value = was,
 *                      aux = now
 *   kvm_userspace_exit reason = KVM_EXIT_* code, value = errno
 *   kvm_fpu            value = load (1) / unload (0)
 *   kvm_vcpu_wakeup    value = ns, reason = waited, aux = valid
 *   kvm_age_hva, kvm_unmap_hva_range  addr = start, aux = end;
 *   kvm_test_age_hva   addr = hva
 *   kvm_halt_poll_ns   vcpu, value = new, aux = old, reason = grow
 *   kvm_set_irq        value = gsi, aux = level, reason = irq_source_id
 *   kvm_ack_irq        value = pin, reason = irqchip
 *   kvm_pio (x86)      dir (1 = write), addr = port, aux = size, value = val
 *   kvm_msr (x86)      dir, addr = ecx (MSR index), value = data,
 *                      reason = exception (1 = #GP)
 *   kvm_cpuid (x86)    addr = function, value = rax, aux = index
 *   kvm_hypercall      value = nr, addr = a0
 *   kvm_emulate_insn   pc = rip, reason = failed, aux = len
 *   kvm_nested_vmexit (x86)  as kvm_exit (newer kernels); older: reason =
 *                      exit_code, ec = isa, pc = rip, value = exit_info1,
 *                      aux = exit_info2
 *   kvm_nested_vmexit_inject (x86)  reason = exit_code, ec = isa,
 *                      value = exit_info1, aux = exit_info2
 *   kvm_nested_vmenter (x86) pc = rip, addr = vmcb/vmcs12, aux = nested_rip,
 *                      ec = isa
 *   kvm_nested_intr_vmexit (x86)  pc = rip
 *   kvm_inj_exception (x86)  reason = exception, value = error_code
 *   kvm_page_fault (x86)  vcpu, pc = guest_rip, addr = fault_address,
 *                      value = error_code
 *   kvm_cr (x86)       reason = cr, dir, value = val
 *   anything else      name and raw fields only
 */
#ifndef NVTRACE_EVENT_H
#define NVTRACE_EVENT_H

#include <stdint.h>

enum nv_event_type {
#define X(e, sys, name, host) NV_EV_##e,
#include "schema/event_types.def"
#undef X
	NV_EV__COUNT
};

enum nv_host_arch { NV_HOST_ANY = 0, NV_HOST_ARM64 = 1, NV_HOST_X86 = 2 };

/* arm64 kvm_exit "ret" (ARM_EXCEPTION_*) as printed by kvm_arm_exception_type */
enum nv_arm_exc { NV_ARM_EXC_IRQ = 0, NV_ARM_EXC_EL1_SERROR = 1,
		  NV_ARM_EXC_TRAP = 2, NV_ARM_EXC_IL = 3,
		  NV_ARM_EXC_HYP_GONE = 4, NV_ARM_EXC_HYP_REQ = 5 };

/* kvm_mmio type (KVM_TRACE_MMIO_*) */
enum nv_mmio_type { NV_MMIO_READ_UNSATISFIED = 0, NV_MMIO_READ = 1,
		    NV_MMIO_WRITE = 2 };

/* have-mask bits for the 64-bit fields */
#define NV_HAVE_PC    0x1u
#define NV_HAVE_ADDR  0x2u
#define NV_HAVE_VALUE 0x4u
#define NV_HAVE_AUX   0x8u

/*
 * A system register encoding packed so that its hex digits read as
 * Op0,Op1,CRn,CRm,Op2: NV_SYSREG(3,4,1,1,0) == 0x34110 (HCR_EL2).
 */
#define NV_SYSREG(op0, op1, crn, crm, op2) \
	(((op0) << 16) | ((op1) << 12) | ((crn) << 8) | ((crm) << 4) | (op2))
#define NV_SYSREG_OP0(r) (((r) >> 16) & 0x3)
#define NV_SYSREG_OP1(r) (((r) >> 12) & 0x7)
#define NV_SYSREG_CRN(r) (((r) >> 8) & 0xf)
#define NV_SYSREG_CRM(r) (((r) >> 4) & 0xf)
#define NV_SYSREG_OP2(r) ((r) & 0x7)

struct nv_event {
	int64_t ts;		/* ns since the trace clock's origin */
	int32_t cpu;
	int32_t pid;		/* thread id: the vCPU key on arm64 */
	int32_t vcpu;		/* -1 when the event does not say */
	uint16_t type;		/* enum nv_event_type */
	uint16_t have;		/* NV_HAVE_* */
	int32_t name_id;	/* interned tracepoint name (event_names.id) */
	int32_t reason;		/* see the table above; -1 if none */
	int32_t ec;		/* arm64 exception class; -1 if none */
	int32_t sysreg;		/* NV_SYSREG() encoding; -1 if none */
	int32_t dir;		/* 0 read, 1 write; -1 if none */
	int32_t mode;		/* PSR mode of nested events; -1 if none */
	uint64_t pc;
	uint64_t addr;
	uint64_t value;
	uint64_t aux;
	const char *raw;	/* raw fields "k=v ..." for undecoded events, or NULL */
};

/* Reset an event to "nothing present". */
void nv_event_clear(struct nv_event *ev);

/* Tracepoint name, system and host arch of a type; NULL/"" for OTHER. */
const char *nv_event_type_name(enum nv_event_type t);
const char *nv_event_type_system(enum nv_event_type t);
enum nv_host_arch nv_event_type_host(enum nv_event_type t);

/* The type of a tracepoint name, NV_EV_OTHER when nvtrace does not decode it. */
enum nv_event_type nv_event_type_of(const char *name);

/* Names of arm64 exception types and classes, as the kernel prints them. */
const char *nv_arm_exc_name(int exc);
int nv_arm_exc_of(const char *name);
const char *nv_arm_ec_name(int ec);
int nv_arm_ec_of(const char *name);

#endif
