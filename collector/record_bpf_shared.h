/*
 * What the BPF program (record.bpf.c) and its loader (record_bpf.c) share:
 * the event list's indexes and the ring buffer record.  A record carries the
 * tracepoint's raw entry (fields laid out as in the tracefs format file), so
 * both backends decode it with the same libtraceevent plan.  The kernel hands
 * BPF tracepoint programs the entry with its first 8 bytes (the common
 * header) overwritten by a pt_regs pointer, so the program sends the event
 * index and pid beside it and user space rebuilds the header.
 */
#ifndef NVTRACE_RECORD_H
#define NVTRACE_RECORD_H

enum rec_event {
#define RE(name) REC_EV_##name,
#include "collector/record_events.def"
#undef RE
	REC_EV__COUNT
};

#define REC_MAX_DATA 96		/* bytes of raw entry copied; KVM entries are smaller */

struct rec_sample {
	unsigned long long ts;	/* bpf_ktime_get_ns() */
	unsigned int cpu;	/* in a batch: see rec_batch.cpu */
	unsigned short len;	/* bytes of data used */
	unsigned short event;	/* enum rec_event */
	unsigned int pid;	/* thread id (the entry's common_pid is not kept) */
	unsigned int pad;
	unsigned char data[REC_MAX_DATA];	/* first 8 bytes: see on_sample */
};

/*
 * A CPU's batch of samples (per-CPU array map "stage"): programs fill it and
 * hand it to the ring buffer whole when full or older than REC_BATCH_NS, so
 * the ring's lock is taken once per batch, not per event.  The partial
 * batches left at the stop are read by user space from the map.
 */
#define REC_BATCH 32			/* a power of two (the index is masked) */
#define REC_BATCH_NS 20000000ull	/* 20 ms: a batch is not held longer */

struct rec_batch {
	unsigned int n;		/* samples used */
	unsigned int cpu;
	unsigned long long busy;	/* a program is writing it (nesting on one CPU) */
	unsigned long long first_ts;
	struct rec_sample s[REC_BATCH];
};

/* Per-CPU counters of the BPF program (array map "stats"). */
enum rec_stat { REC_STAT_LOST, REC_STAT__COUNT };

#endif
