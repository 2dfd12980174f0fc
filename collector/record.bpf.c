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

/* raw entry size of each event, filled by the loader from the format files */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, REC_EV__COUNT);
	__type(key, __u32);
	__type(value, __u32);
} sizes SEC(".maps");

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

/* Copy one tracepoint entry into the ring buffer, if its process is traced. */
static __always_inline int emit(void *ctx, __u32 event)
{
	if (stopped)
		return 0;
	if (filter_pids) {
		__u32 tgid = bpf_get_current_pid_tgid() >> 32;
		if (tgid != main_tgid && !bpf_map_lookup_elem(&pids, &tgid))
			return 0;
	}
	__u32 *size = bpf_map_lookup_elem(&sizes, &event);
	if (!size)
		return 0;
	__u32 len = *size;
	if (len > REC_MAX_DATA)
		len = REC_MAX_DATA;
	struct rec_sample *s = bpf_ringbuf_reserve(&samples, sizeof(*s), 0);
	if (!s) {
		bump(REC_STAT_LOST);
		return 0;
	}
	s->ts = bpf_ktime_get_ns();
	s->pid = (__u32)bpf_get_current_pid_tgid();
	s->cpu = bpf_get_smp_processor_id();
	s->event = event;
	s->len = len;
	if (bpf_probe_read_kernel(s->data, len, ctx))
		s->len = 0;
	/* wake once, as the fill crosses the mark (not on every record above it) */
	__u64 fill = bpf_ringbuf_query(&samples, BPF_RB_AVAIL_DATA);
	int cross = fill >= wakeup_fill && fill < wakeup_fill + 2 * sizeof(*s) + 16;
	bpf_ringbuf_submit(s, cross ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP);
	return 0;
}

#define RE(name) \
	SEC("tracepoint/kvm/" #name) \
	int tp_##name(void *ctx) { return emit(ctx, REC_EV_##name); }
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
