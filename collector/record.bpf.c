// SPDX-License-Identifier: GPL-2.0
/*
 * nvtrace record, BPF side: one tracepoint program per KVM event of
 * record_events.def.  Each copies the tracepoint's raw entry into one BPF ring
 * buffer; user space decodes it with libtraceevent like the tracefs backend.
 * Filtering by process happens here (a hash of tgids, children of traced
 * processes added on fork).  Records go to the ring in per-CPU batches
 * (struct rec_batch): reserving a ring record takes the ring's lock, about
 * 65 ns an event here, as much as the rest of a program.  Wake-ups are
 * batched too: records are submitted with BPF_RB_NO_WAKEUP and the reader
 * polls on a timer; the record that fills the ring past wakeup_fill bytes
 * wakes it early.  A wake-up per record costs several times the record
 * itself (tracing-here.md).
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include "collector/record_bpf_shared.h"

char LICENSE[] SEC("license") = "GPL";

const volatile int filter_pids = 0;
const volatile unsigned long long wakeup_fill = 8 << 20;
const volatile int batching = 1;	/* 0: a ring record per event (nvtrace top) */
int stopped = 0;	/* set by the loader at the end: detaching takes ~80 ms a program */
__u32 main_tgid = 0;	/* the usual traced process: checked before the hash */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20);	/* the loader sets the size (RING_BYTES) */
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rec_batch);
} stage SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, REC_STAT__COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Add n to a per-CPU counter. */
static __always_inline void bump(__u32 stat, __u64 n)
{
	__u64 *c = bpf_map_lookup_elem(&stats, &stat);
	if (c)
		*c += n;
}

/* Where a program writes its event: in this CPU's batch, or its own ring record. */
struct slot {
	struct rec_head *h;
	__u8 *data;		/* the entry: right after h */
	struct rec_sample *s;	/* the ring record, when not in a batch */
	struct rec_batch *b;	/* NULL: s is a ring record */
};

/* Wake-up flag for a record entering the ring: wake once, as the fill crosses the mark. */
static __always_inline __u64 wake_flag(__u64 size)
{
	__u64 fill = bpf_ringbuf_query(&samples, BPF_RB_AVAIL_DATA);
	return fill >= wakeup_fill && fill < wakeup_fill + 2 * size + 16 ?
	       BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
}

/*
 * Find room for one event of `size` entry bytes, if its process is traced:
 * the end of this CPU's batch (submit always leaves room for the largest
 * event), or (batch busy: a program nested on this CPU; or batching off) a
 * ring record.  Returns 0 when stopped, filtered out or the ring is full
 * (counted).  The busy flag is taken before stopped is read, so that once
 * user space has set stopped and seen every flag clear, no program writes a
 * batch again.
 */
static __always_inline int begin(struct slot *o, __u32 event, __u32 size)
{
	if (stopped)
		return 0;
	__u64 id = bpf_get_current_pid_tgid();
	if (filter_pids) {
		__u32 tgid = id >> 32;
		if (tgid != main_tgid && !bpf_map_lookup_elem(&pids, &tgid))
			return 0;
	}
	__u64 ts = bpf_ktime_get_ns();
	__u32 zero = 0;
	struct rec_batch *b = batching ? bpf_map_lookup_elem(&stage, &zero) : NULL;
	struct rec_head *h;
	if (b && !__sync_lock_test_and_set(&b->busy, 1)) {
		if (stopped) {
			__sync_lock_test_and_set(&b->busy, 0);
			return 0;
		}
		__u32 off = b->used;
		if (off > REC_BATCH_BYTES - REC_SLOT_MAX) {	/* never: submit keeps room */
			bump(REC_STAT_LOST, b->n);
			b->n = 0;
			off = 0;
		}
		if (b->n == 0) {
			b->tag = REC_TAG_BATCH;
			b->first_ts = ts;
			b->cpu = bpf_get_smp_processor_id();
		}
		h = (struct rec_head *)&b->buf[off];
		o->b = b;
		o->s = NULL;
	} else {
		struct rec_sample *s = bpf_ringbuf_reserve(&samples, sizeof(*s), 0);
		if (!s) {
			bump(REC_STAT_LOST, 1);
			return 0;
		}
		s->tag = REC_TAG_SAMPLE;
		s->cpu = bpf_get_smp_processor_id();
		h = &s->h;
		o->b = NULL;
		o->s = s;
	}
	h->ts = ts;
	h->pid = (__u32)id;
	h->event = event;
	h->len = size > REC_MAX_DATA ? REC_MAX_DATA : size;
	o->h = h;
	o->data = (__u8 *)(h + 1);
	return 1;
}

/* The event is written: hand the batch (when it has no room left, or is old) or the record to the ring. */
static __always_inline void submit(struct slot *o)
{
	struct rec_batch *b = o->b;
	if (!b) {
		bpf_ringbuf_submit(o->s, wake_flag(sizeof(*o->s)));
		return;
	}
	__u32 used = b->used + REC_SLOT_SIZE(o->h->len);
	b->used = used;
	b->n++;
	if (used > REC_BATCH_BYTES - REC_SLOT_MAX || o->h->ts - b->first_ts >= REC_BATCH_NS) {
		__u64 size = __builtin_offsetof(struct rec_batch, buf) + (__u64)used;
		if (size > sizeof(*b))
			size = sizeof(*b);
		if (bpf_ringbuf_output(&samples, b, size, wake_flag(size)))
			bump(REC_STAT_LOST, b->n);
		b->n = 0;
		b->used = 0;
	}
	__sync_lock_test_and_set(&b->busy, 0);
}

/*
 * Copy one tracepoint entry into the ring buffer (the classic programs).
 * size is the entry's length in this kernel (a CO-RE constant per event), so
 * the copy is plain loads from ctx, unrolled and bounded by the verifier,
 * instead of a helper call per event.  Bytes 0-7 (the common header) are not
 * readable by tracepoint programs; the reader rebuilds them.
 */
static __always_inline int emit(void *ctx, __u32 event, __u32 size)
{
	struct slot o;
	if (!begin(&o, event, size))
		return 0;
	__u8 *data = o.data;
	if (size > REC_MAX_DATA)
		size = REC_MAX_DATA;
	/*
	 * Every access at a constant offset (the verifier refuses ctx plus a
	 * variable): 8-byte words, then the 4-byte word and the bytes of the
	 * tail.  size is a constant here, so the verifier drops the dead arms.
	 */
	__u64 *dst8 = (__u64 *)data, *src8 = ctx;
	__u32 *dst4 = (__u32 *)data, *src4 = ctx;
	__u8 *src1 = ctx;
	__u32 words = size & ~7u, halves = size & ~3u;
#pragma unroll
	for (int i = 1; i < REC_MAX_DATA / 8; i++)
		if ((i + 1) * 8 <= words)
			dst8[i] = src8[i];
#pragma unroll
	for (int i = 2; i < REC_MAX_DATA / 4; i++)
		if (i * 4 >= words && i * 4 + 4 <= halves)
			dst4[i] = src4[i];
#pragma unroll
	for (int i = 8; i < REC_MAX_DATA; i++)
		if (i >= halves && i < size)
			data[i] = src1[i];
	submit(&o);
	return 0;
}

/* the entry of each event as this kernel lays it out: only __data's offset is used */
#define RE(name) \
	struct trace_event_raw_##name##___nv { char __data[0]; }; \
	SEC("tracepoint/kvm/" #name) \
	int tp_##name(void *ctx) \
	{ \
		return emit(ctx, REC_EV_##name, \
			    bpf_core_field_offset(struct trace_event_raw_##name##___nv, __data)); \
	}
#include "collector/record_events.def"
#undef RE

/*
 * Argument programs (tp_btf): for the events whose entry is a plain function
 * of the tracepoint's arguments, build the entry from the arguments, as the
 * kernel's TP_fast_assign does, at the offsets of this kernel's entry struct
 * (CO-RE).  This skips the perf trace buffer a classic program is handed
 * (about 100 ns an event here).  The loader checks each tracepoint's argument
 * list against what these expect (record_bpf.c) and falls back to the
 * classic program of an event otherwise.
 */
#define ENTRY_SIZE(name) bpf_core_field_offset(struct trace_event_raw_##name, __data)
/* the entry of event `name` in this program's sample, or return */
#define BEGIN(name) \
	struct slot o; \
	if (!begin(&o, REC_EV_##name, ENTRY_SIZE(name))) \
		return 0; \
	struct trace_event_raw_##name *e = (void *)o.data

SEC("tp_btf/kvm_userspace_exit")
int BPF_PROG(ta_kvm_userspace_exit, __u32 reason, int err)
{
	BEGIN(kvm_userspace_exit);
	e->reason = reason;
	e->errno = err;
	submit(&o);
	return 0;
}

SEC("tp_btf/kvm_mmio")
int BPF_PROG(ta_kvm_mmio, int type, int len, __u64 gpa, void *val)
{
	BEGIN(kvm_mmio);
	__u64 v[2] = { 0, 0 };	/* room for the verifier's bound on n */
	__u64 n = (__u32)len < 8 ? (__u32)len : 8;
	asm volatile("%[n] &= 15" : [n] "+r"(n));	/* a bound the verifier sees */
	if (val && n)
		bpf_probe_read_kernel(v, n, val);
	e->type = type;
	e->len = len;
	e->gpa = gpa;
	e->val = v[0];
	submit(&o);
	return 0;
}

#ifdef __TARGET_ARCH_x86
SEC("tp_btf/kvm_pio")
int BPF_PROG(ta_kvm_pio, unsigned int rw, unsigned int port, unsigned int size,
	     unsigned int count, const void *data)
{
	BEGIN(kvm_pio);
	unsigned int v = 0;
	bpf_probe_read_kernel(&v, size == 1 ? 1 : size == 2 ? 2 : 4, data);
	e->rw = rw;
	e->port = port;
	e->size = size;
	e->count = count;
	e->val = v;
	submit(&o);
	return 0;
}

SEC("tp_btf/kvm_msr")
int BPF_PROG(ta_kvm_msr, unsigned int write, __u32 ecx, __u64 data, bool exception)
{
	BEGIN(kvm_msr);
	e->write = write;
	e->ecx = ecx;
	e->data = data;
	e->exception = exception;
	submit(&o);
	return 0;
}

SEC("tp_btf/kvm_cpuid")
int BPF_PROG(ta_kvm_cpuid, unsigned int function, unsigned int index, unsigned long rax,
	     unsigned long rbx, unsigned long rcx, unsigned long rdx, bool found,
	     bool used_max_basic)
{
	BEGIN(kvm_cpuid);
	e->function = function;
	e->index = index;
	e->rax = rax;
	e->rbx = rbx;
	e->rcx = rcx;
	e->rdx = rdx;
	e->found = found;
	e->used_max_basic = used_max_basic;
	submit(&o);
	return 0;
}

SEC("tp_btf/kvm_hypercall")
int BPF_PROG(ta_kvm_hypercall, unsigned long nr, unsigned long a0, unsigned long a1,
	     unsigned long a2, unsigned long a3)
{
	BEGIN(kvm_hypercall);
	e->nr = nr;
	e->a0 = a0;
	e->a1 = a1;
	e->a2 = a2;
	e->a3 = a3;
	submit(&o);
	return 0;
}

/* kvm_pvm's vCPU: only what kvm_emulate_insn's csbase needs (CO-RE) */
struct vcpu_pvm___nv {
	struct kvm_vcpu vcpu;
	struct kvm_segment seg[8];
} __attribute__((preserve_access_index));

/* the emulator's mode -> the entry's flags (kei_decode_mode in Linux) */
static __always_inline __u8 emul_flags(int mode)
{
	switch (mode) {
	case X86EMUL_MODE_REAL:		return 0;
	case X86EMUL_MODE_VM86:		return 1 << 1;
	case X86EMUL_MODE_PROT16:	return 1 << 0;
	case X86EMUL_MODE_PROT32:	return 1 << 0 | 1 << 2;
	case X86EMUL_MODE_PROT64:	return 1 << 0 | 1 << 3;
	}
	return 0xff;
}

extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;

/*
 * The emulator's state is read straight from its struct (plain loads, no
 * helper calls).  Linux's len is fetch.ptr - fetch.data, the bytes decoded;
 * the decoder advances _eip with fetch.ptr from eip, so right after decoding
 * (failed = 0) len is _eip - eip.  After a failed emulation _eip may have
 * moved, so then the fetch pointer's offset is read (one helper call).
 * csbase comes from the vendor's get_segment_base(), which a program cannot
 * call, so this program runs only where the loader knows where that keeps
 * CS (kvm_pvm: the vCPU's segment cache).
 */
SEC("tp_btf/kvm_emulate_insn")
int BPF_PROG(ta_kvm_emulate_insn, struct kvm_vcpu *vcpu, __u8 failed)
{
	BEGIN(kvm_emulate_insn);
	struct x86_emulate_ctxt *c = vcpu->arch.emulate_ctxt;
	__u8 len = c->_eip - c->eip;
	if (failed) {
		unsigned long base = 0;	/* the context's address, as a number */
		bpf_probe_read_kernel(&base, sizeof(base), &vcpu->arch.emulate_ctxt);
		len = (unsigned long)c->fetch.ptr -
		      (base + bpf_core_field_offset(struct x86_emulate_ctxt, fetch.data));
	}
	struct vcpu_pvm___nv *pvm = bpf_rdonly_cast((void *)vcpu -
		bpf_core_field_offset(struct vcpu_pvm___nv, vcpu),
		bpf_core_type_id_kernel(struct vcpu_pvm___nv));
	e->csbase = pvm->seg[VCPU_SREG_CS].base;
	e->len = len;
	e->rip = c->_eip - len;
#pragma unroll
	for (int i = 0; i < sizeof(e->insn); i++)
		e->insn[i] = c->fetch.data[i];
	e->flags = emul_flags(c->mode);
	e->failed = failed;
	submit(&o);
	return 0;
}
#endif

/* Follow the children of traced processes (-- COMMAND forks, threads). */
SEC("tracepoint/sched/sched_process_fork")
int follow_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	if (!filter_pids)
		return 0;
	__u32 tgid = bpf_get_current_pid_tgid() >> 32;
	if (!bpf_map_lookup_elem(&pids, &tgid))
		return 0;
	__u32 child = ctx->child_pid;
	__u8 one = 1;
	bpf_map_update_elem(&pids, &child, &one, BPF_ANY);
	return 0;
}
