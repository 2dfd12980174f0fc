// SPDX-License-Identifier: GPL-2.0
/*
 * nvtrace record, BPF side: one tracepoint program per KVM event of
 * record_events.def.  Each copies the tracepoint's raw entry into one BPF ring
 * buffer; user space decodes it with libtraceevent like the tracefs backend.
 * Filtering by process happens here (a hash of tgids, children of traced
 * processes added on fork), and wake-ups are batched: records are
 * submitted with BPF_RB_NO_WAKEUP and the reader polls on a timer; the
 * record that fills the ring past wakeup_fill bytes wakes it early.
 * A wake-up per record costs several times the record itself
 * (tracing-here.md), and a per-CPU record counter to wake every N records
 * cost another map lookup per event.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "record.h"

char LICENSE[] SEC("license") = "GPL";

const volatile int filter_pids = 0;
const volatile unsigned long long wakeup_fill = 8 << 20;
int stopped = 0;
__u32 main_tgid = 0;	/* the usual traced process: checked before the hash */	/* set by the loader at the end: detaching takes ~80 ms a program */

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 32 << 20);
} samples SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 8192);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, REC_STAT__COUNT);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Add one to a per-CPU counter; returns the new value (0 if no slot). */
static __always_inline __u64 bump(__u32 stat)
{
	__u64 *c = bpf_map_lookup_elem(&stats, &stat);
	if (!c)
		return 0;
	return ++*c;
}

/*
 * Copy one tracepoint entry into the ring buffer, if its process is traced.
 * size is the entry's length in this kernel (a CO-RE constant per event), so
 * the copy is plain loads from ctx, unrolled and bounded by the verifier,
 * instead of a helper call per event.  Bytes 0-7 (the common header) are not
 * readable by tracepoint programs; the reader rebuilds them.
 */
static __always_inline int emit(void *ctx, __u32 event, __u32 size)
{
	if (stopped)
		return 0;
	if (filter_pids) {
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;
		if (tgid != main_tgid && !bpf_map_lookup_elem(&pids, &tgid))
			return 0;
	}
	struct rec_sample *s = bpf_ringbuf_reserve(&samples, sizeof(*s), 0);
	if (!s) {
		bump(REC_STAT_LOST);
		return 0;
	}
	if (size > REC_MAX_DATA)
		size = REC_MAX_DATA;
	s->ts = bpf_ktime_get_ns();
	s->pid = (__u32)bpf_get_current_pid_tgid();
	s->cpu = bpf_get_smp_processor_id();
	s->event = event;
	s->len = size;
	/*
	 * Every access at a constant offset (the verifier refuses ctx plus a
	 * variable): 8-byte words, then the 4-byte word and the bytes of the
	 * tail.  size is a constant here, so the verifier drops the dead arms.
	 */
	__u64 *dst8 = (__u64 *)s->data, *src8 = ctx;
	__u32 *dst4 = (__u32 *)s->data, *src4 = ctx;
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
			s->data[i] = src1[i];
	/* wake once, as the fill crosses the mark (not on every record above it) */
	__u64 fill = bpf_ringbuf_query(&samples, BPF_RB_AVAIL_DATA);
	int cross = fill >= wakeup_fill && fill < wakeup_fill + 2 * sizeof(*s) + 16;
	bpf_ringbuf_submit(s, cross ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
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
#include "record_events.def"
#undef RE

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
