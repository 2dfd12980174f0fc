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

/* One event: what the program knows beside the entry, then the entry's bytes. */
struct rec_head {
	unsigned long long ts;	/* bpf_ktime_get_ns() */
	unsigned int pid;	/* thread id (the entry's common_pid is not kept) */
	unsigned short event;	/* enum rec_event */
	unsigned short len;	/* bytes of entry that follow; first 8: see on_sample */
};

/* What a ring record is (its first word). */
enum rec_tag { REC_TAG_SAMPLE = 1, REC_TAG_BATCH = 2 };

/* A ring record of one event: a program nested on a CPU, or batching off (top). */
struct rec_sample {
	unsigned int tag;	/* REC_TAG_SAMPLE */
	unsigned int cpu;
	struct rec_head h;
	unsigned char data[REC_MAX_DATA];
};

/*
 * A CPU's batch of events (per-CPU array map "stage"): programs append to it
 * and hand the used part to the ring buffer when it has no room for another
 * event or is older than REC_BATCH_NS, so the ring's lock is taken once per
 * batch, not per event.  Events are packed: a rec_head and its len bytes of
 * entry padded to 8 (an event of the fastest guest takes 32-56 bytes, where
 * a fixed slot took 120), so the kernel buffer holds more than twice the
 * events while the reader waits (record_defer.c).  The partial batches left
 * at the stop are read by user space from the map.
 */
#define REC_BATCH_BYTES 4096
#define REC_SLOT_MAX (sizeof(struct rec_head) + REC_MAX_DATA)	/* the largest event */
#define REC_SLOT_SIZE(len) (sizeof(struct rec_head) + (((len) + 7u) & ~7u))
#define REC_BATCH_NS 20000000ull	/* 20 ms: a batch is not held longer */

struct rec_batch {
	unsigned int tag;	/* REC_TAG_BATCH */
	unsigned int cpu;
	unsigned int n;		/* events in buf */
	unsigned int used;	/* bytes of buf used */
	unsigned long long busy;	/* a program is writing it (nesting on one CPU) */
	unsigned long long first_ts;
	unsigned char buf[REC_BATCH_BYTES];
};

/* Per-CPU counters of the BPF program (array map "stats"). */
enum rec_stat { REC_STAT_LOST, REC_STAT__COUNT };

#endif
