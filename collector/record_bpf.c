/*
 * The BPF backend of nvtrace record: loads record.bpf.c through its
 * generated skeleton, attaches one program per enabled event and reads the
 * ring buffer.  Each sample holds the tracepoint's entry, which
 * record_decode.c decodes like a tracefs one.  An event gets its argument
 * program (built from the tracepoint's arguments: cheaper) when this kernel's
 * tracepoint takes the arguments that program was written for, else its
 * classic program (a copy of the entry the kernel built).
 */
#include <errno.h>
#include <stddef.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "collector/record_int.h"
#include "record.skel.h"

const int rec_bpf_built = 1;

/*
 * The ring: --buffer-size, by default 128 MiB, the kernel buffer a trace-cmd
 * path is given for two CPUs (64 MiB each in make bench), so that a reader
 * kept idle on a loaded host (record_defer.c) has room to wait: ~2.5 M
 * events of this machine's guest.  A power of two (the kernel's rule).
 */
static unsigned int ring_bytes(const struct rec_options *o)
{
	unsigned long long want = (unsigned long long)(o->buffer_mb > 0 ? o->buffer_mb :
						       REC_BUFFER_MB) << 20;
	unsigned long long n = 1u << 20;
	while (n < want && n < (1ull << 31))
		n <<= 1;
	return (unsigned int)n;
}

struct bpf_backend {
	struct record_bpf *skel;
	struct bpf_link *links[REC_EV__COUNT + 1];
	int nlinks;
	struct ring_buffer *rb;
	struct rec_state *s;
	int ncpus;
	int tep_id[REC_EV__COUNT];	/* the kernel's id of each event (common_type) */
	int type_off, pid_off;		/* where common_type and common_pid sit */
	int drain;			/* stopped: read the partial batches next poll */
	uint64_t stuck;			/* samples of batches still busy at the drain */
	/* the ring's consumer and producer positions, mapped read-only for fill */
	const volatile unsigned long *cons_pos, *prod_pos;
	size_t page;
};

static const char *const event_names[REC_EV__COUNT] = {
#define RE(name) #name,
#include "collector/record_events.def"
#undef RE
};

/*
 * The argument programs of record.bpf.c and the arguments each was written
 * for, after the tracepoint's leading void *: one letter per argument, an
 * integer's size in bytes (1, 2, 4, 8) or p for a pointer.  pvm: only where
 * kvm_pvm is the vendor module (where CS's base is kept; see the program).
 */
static const struct args_prog {
	int event;
	const char *args;
	int pvm;
} args_progs[] = {
	{ REC_EV_kvm_userspace_exit, "44", 0 },
	{ REC_EV_kvm_mmio, "448p", 0 },
	{ REC_EV_kvm_pio, "4444p", 0 },
	{ REC_EV_kvm_msr, "4481", 0 },
	{ REC_EV_kvm_cpuid, "44888811", 0 },
	{ REC_EV_kvm_hypercall, "88888", 0 },
	{ REC_EV_kvm_emulate_insn, "p1", 1 },
};

/* Silence libbpf's own messages (failures are reported in one line by us),
 * unless NVTRACE_LIBBPF_DEBUG is set: then the verifier's log, for developers. */
static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level;
	if (getenv("NVTRACE_LIBBPF_DEBUG"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

const char *rec_bpf_unavailable(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return "no BTF (/sys/kernel/btf/vmlinux)";
	return NULL;
}

/* One event -> rec_deliver: its header, entry bytes (h->len, checked) and CPU. */
static int deliver_event(struct bpf_backend *b, const struct rec_head *h, const unsigned char *data,
			 unsigned int cpu)
{
	unsigned char entry[REC_MAX_DATA];
	struct tep_record rec;

	if (h->event >= REC_EV__COUNT || h->len < 8 || h->len > REC_MAX_DATA)
		return 0;
	/* rebuild the common header the kernel overwrote (see record_bpf_shared.h) */
	memcpy(entry, data, h->len);
	memset(entry, 0, 8);
	uint16_t type = (uint16_t)b->tep_id[h->event];
	int32_t pid = (int32_t)h->pid;
	memcpy(entry + b->type_off, &type, sizeof(type));
	memcpy(entry + b->pid_off, &pid, sizeof(pid));
	memset(&rec, 0, sizeof(rec));
	rec.ts = h->ts;
	rec.cpu = (int)cpu;
	rec.size = h->len;
	rec.data = entry;
	return rec_deliver(b->s, &rec) < 0 ? -1 : 0;
}

/* The events of one batch, in order; `used` bytes of its buf are there to read. */
static int deliver_batch(struct bpf_backend *b, const struct rec_batch *bt, size_t used)
{
	size_t off = 0;
	if (used > bt->used)
		used = bt->used;
	for (unsigned int i = 0; i < bt->n && off + sizeof(struct rec_head) <= used; i++) {
		const struct rec_head *h = (const void *)(bt->buf + off);
		size_t step = REC_SLOT_SIZE(h->len);
		if (h->len > REC_MAX_DATA || off + step > used)
			break;	/* not what the program writes: the rest is unreadable */
		if (deliver_event(b, h, (const unsigned char *)(h + 1), bt->cpu) < 0)
			return -1;
		off += step;
	}
	return 0;
}

/* Ring buffer callback: a batch, or a single event (a nested program's). */
static int on_sample(void *ctx, void *data, size_t size)
{
	struct bpf_backend *b = ctx;
	unsigned int tag = size >= sizeof(tag) ? *(const unsigned int *)data : 0;
	if (tag == REC_TAG_BATCH && size >= offsetof(struct rec_batch, buf))
		return deliver_batch(b, data, size - offsetof(struct rec_batch, buf));
	if (tag == REC_TAG_SAMPLE && size >= sizeof(struct rec_sample)) {
		const struct rec_sample *smp = data;
		return deliver_event(b, &smp->h, smp->data, smp->cpu);
	}
	return 0;
}

/*
 * After the stop: wait until no program is inside a batch (each takes its
 * batch's busy flag before it reads stopped), read the ring once more (such
 * a program may have handed a full batch to it), then deliver the partial
 * batches the CPUs still hold.  A CPU still busy after a second (a program
 * preempted that long) has its batch counted as lost, not read half-written.
 */
static int drain_batches(struct bpf_backend *b)
{
	size_t n = (size_t)b->ncpus;
	struct rec_batch *v = calloc(n, sizeof(*v));
	__u32 zero = 0;
	int rc = 0, busy = 1;
	if (!v)
		return rec_fail(b->s, "out of memory");
	for (int tries = 0; busy && tries < 1000; tries++) {
		if (bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.stage), &zero, v)) {
			free(v);
			return rec_fail(b->s, "BPF: batch map: %s", strerror(errno));
		}
		busy = 0;
		for (size_t i = 0; i < n; i++)
			busy |= v[i].busy != 0;
		if (busy)
			usleep(1000);
	}
	int c = ring_buffer__consume(b->rb);
	if (c < 0 && c != -EINTR)
		rc = b->s->sink_failed ? -1 : rec_fail(b->s, "BPF: ring buffer: %s", strerror(-c));
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (v[i].busy)
			b->stuck += v[i].n;
		else
			rc = deliver_batch(b, &v[i], sizeof(v[i].buf));
	}
	free(v);
	return rc;
}

/*
 * Choose each enabled event's program: the argument program where the
 * kernel's tracepoint matches it (and, for pvm ones, kvm_pvm is loaded),
 * else the classic one.  Lists the argument-program events in s->bpf_args.
 */
static void choose_programs(struct rec_state *s, struct bpf_backend *b, int classic_only)
{
	struct btf *btf = classic_only ? NULL : btf__load_vmlinux_btf();
	if (libbpf_get_error(btf))
		btf = NULL;	/* no BTF to check against: classic programs */
	int pvm = access("/sys/module/kvm_pvm", F_OK) == 0;
	size_t used = 0;

	s->bpf_args[0] = 0;
	for (int e = 0; e < s->nenabled; e++) {
		int ev = s->enabled_idx[e], args = 0;
		if (ev < 0)
			continue;
		for (size_t i = 0; btf && i < sizeof(args_progs) / sizeof(args_progs[0]); i++)
			if (args_progs[i].event == ev && (!args_progs[i].pvm || pvm))
				args = rec_bpf_args_match(btf, event_names[ev], args_progs[i].args);
		char name[96];
		snprintf(name, sizeof(name), "ta_%s", event_names[ev]);
		struct bpf_program *ta = bpf_object__find_program_by_name(b->skel->obj, name);
		snprintf(name, sizeof(name), "tp_%s", event_names[ev]);
		struct bpf_program *tp = bpf_object__find_program_by_name(b->skel->obj, name);
		args = args && ta;
		if (ta)
			bpf_program__set_autoload(ta, args);
		if (tp)
			bpf_program__set_autoload(tp, !args);
		if (args && used + strlen(event_names[ev]) + 2 < sizeof(s->bpf_args))
			used += (size_t)snprintf(s->bpf_args + used, sizeof(s->bpf_args) - used,
						 "%s%s", used ? " " : "", event_names[ev]);
	}
	btf__free(btf);
}

/* Open the skeleton, choose its programs and load them; 0 or -errno. */
static int load_skeleton(struct rec_state *s, struct bpf_backend *b, int classic_only)
{
	b->skel = record_bpf__open();
	if (!b->skel)
		return -errno;
	b->skel->rodata->filter_pids = s->filter;
	/* the reader is woken early when the ring is a quarter full; else a timer */
	b->skel->rodata->wakeup_fill = ring_bytes(s->o) / 4;
	bpf_map__set_max_entries(b->skel->maps.samples, ring_bytes(s->o));
	b->skel->rodata->batching = !s->o->unbatched;
	/* nothing loads unless chosen: programs of events not enabled stay out */
	struct bpf_program *p;
	bpf_object__for_each_program(p, b->skel->obj)
		bpf_program__set_autoload(p, false);
	bpf_program__set_autoload(b->skel->progs.follow_fork, s->filter);
	choose_programs(s, b, classic_only);
	return record_bpf__load(b->skel);
}

/* Open and load the skeleton: only the programs of enabled events load. */
static int bpf_open(struct rec_state *s)
{
	struct bpf_backend *b = calloc(1, sizeof(*b));
	if (!b)
		return rec_fail(s, "out of memory");
	s->backend = b;
	b->s = s;
	libbpf_set_print(libbpf_quiet);
	int err = load_skeleton(s, b, s->o->bpf_classic);
	if (err && !s->o->bpf_classic) {	/* a verifier that refuses them: classic ones */
		if (!s->o->quiet)
			fprintf(stderr, "nvtrace: BPF argument programs refused (%s), "
				"using classic tracepoint programs\n", strerror(-err));
		record_bpf__destroy(b->skel);
		err = load_skeleton(s, b, 1);
	}
	if (err)
		return rec_fail(s, "BPF: cannot load the program: %s", strerror(-err));
	for (int e = 0; e < s->nenabled; e++) {	/* for rebuilding common_type */
		struct tep_event *ev = tep_find_event_by_name(s->tep, "kvm", s->enabled[e]);
		if (ev)
			b->tep_id[s->enabled_idx[e]] = ev->id;
	}
	b->rb = ring_buffer__new(bpf_map__fd(b->skel->maps.samples), on_sample, b, NULL);
	if (!b->rb)
		return rec_fail(s, "BPF: cannot open the ring buffer: %s", strerror(errno));
	b->ncpus = libbpf_num_possible_cpus();
	b->page = (size_t)sysconf(_SC_PAGESIZE);
	int fd = bpf_map__fd(b->skel->maps.samples);
	void *c = mmap(NULL, b->page, PROT_READ, MAP_SHARED, fd, 0);
	void *p = mmap(NULL, b->page, PROT_READ, MAP_SHARED, fd, (off_t)b->page);
	b->cons_pos = c == MAP_FAILED ? NULL : c;	/* no fill then: the reader is not deferred */
	b->prod_pos = p == MAP_FAILED ? NULL : p;
	b->type_off = 0;
	b->pid_off = 4;
	if (s->nenabled) {	/* the common fields' offsets, from a format file */
		struct tep_event *ev = tep_find_event_by_name(s->tep, "kvm", s->enabled[0]);
		for (struct tep_format_field *f = ev ? ev->format.common_fields : NULL; f; f = f->next) {
			if (!strcmp(f->name, "common_type") && f->offset + 2 <= 8)
				b->type_off = f->offset;
			if (!strcmp(f->name, "common_pid") && f->offset + 4 <= 8)
				b->pid_off = f->offset;
		}
	}
	return 0;
}

/* Fill the pid map, then attach every loaded program. */
static int bpf_start(struct rec_state *s)
{
	struct bpf_backend *b = s->backend;
	__u8 one = 1;
	if (s->npids)
		b->skel->bss->main_tgid = (__u32)s->pids[s->npids - 1];	/* COMMAND, or the last -p */
	for (int i = 0; i < s->npids; i++) {
		__u32 pid = (__u32)s->pids[i];
		if (bpf_map_update_elem(bpf_map__fd(b->skel->maps.pids), &pid, &one, BPF_ANY))
			return rec_fail(s, "BPF: pid map: %s", strerror(errno));
	}
	struct bpf_program *p;
	bpf_object__for_each_program(p, b->skel->obj) {
		if (!bpf_program__autoload(p))
			continue;
		struct bpf_link *l = bpf_program__attach(p);
		if (!l)
			return rec_fail(s, "BPF: cannot attach %s: %s", bpf_program__name(p),
					strerror(errno));
		b->links[b->nlinks++] = l;
	}
	return 0;
}

/* Wait for a wake-up (or the timeout), then read whatever is there. */
static int bpf_poll(struct rec_state *s, int timeout_ms)
{
	struct bpf_backend *b = s->backend;
	int n = ring_buffer__poll(b->rb, timeout_ms);
	if (n >= 0)
		n = ring_buffer__consume(b->rb);	/* records that did not wake us */
	if (n < 0 && n != -EINTR)
		return s->sink_failed ? -1 : rec_fail(s, "BPF: ring buffer: %s", strerror(-n));
	if (b->drain) {		/* the stop: what the batches still hold */
		b->drain = 0;
		return drain_batches(b);
	}
	return 0;
}

/*
 * Stop: the programs return at once from now on, so nothing new enters the
 * ring; the next poll reads what is left in the batches.  (Detaching is left to bpf_close: it costs ~80 ms per program here.)
 */
static void bpf_stop(struct rec_state *s)
{
	struct bpf_backend *b = s->backend;
	__atomic_store_n(&b->skel->bss->stopped, 1, __ATOMIC_SEQ_CST);
	b->drain = 1;
}

static void *destroy_link(void *link)
{
	bpf_link__destroy(link);
	return NULL;
}

/* Detach every program, all at once: each waits for its own RCU grace period. */
static void detach_all(struct bpf_backend *b)
{
	pthread_t th[REC_EV__COUNT + 1];
	int started[REC_EV__COUNT + 1] = { 0 };
	for (int i = 0; i < b->nlinks; i++)
		started[i] = pthread_create(&th[i], NULL, destroy_link, b->links[i]) == 0;
	for (int i = 0; i < b->nlinks; i++) {
		if (started[i])
			pthread_join(th[i], NULL);
		else
			bpf_link__destroy(b->links[i]);
	}
	b->nlinks = 0;
}

/* Samples the ring buffer had no room for, summed over CPUs. */
static uint64_t bpf_lost(struct rec_state *s)
{
	struct bpf_backend *b = s->backend;
	__u32 key = REC_STAT_LOST;
	uint64_t total = b->stuck;
	__u64 *v = calloc((size_t)b->ncpus, sizeof(*v));
	if (v && bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.stats), &key, v) == 0)
		for (int i = 0; i < b->ncpus; i++)
			total += v[i];
	free(v);
	return total;
}

/* Permille of the ring the reader has not consumed (batches held per CPU aside). */
static int bpf_fill(struct rec_state *s)
{
	struct bpf_backend *b = s->backend;
	if (!b->cons_pos || !b->prod_pos)
		return -1;
	unsigned long cons = __atomic_load_n(b->cons_pos, __ATOMIC_ACQUIRE);
	unsigned long prod = __atomic_load_n(b->prod_pos, __ATOMIC_ACQUIRE);
	unsigned long size = bpf_map__max_entries(b->skel->maps.samples);
	return size ? (int)((prod - cons) * 1000 / size) : -1;
}

static void bpf_close(struct rec_state *s)
{
	struct bpf_backend *b = s->backend;
	if (!b)
		return;
	if (b->cons_pos)
		munmap((void *)b->cons_pos, b->page);
	if (b->prod_pos)
		munmap((void *)b->prod_pos, b->page);
	detach_all(b);
	ring_buffer__free(b->rb);
	record_bpf__destroy(b->skel);
	free(b);
	s->backend = NULL;
}

const struct rec_backend_ops rec_bpf_ops = {
	.id = REC_BACKEND_BPF, .open = bpf_open, .start = bpf_start, .poll = bpf_poll,
	.stop = bpf_stop, .lost = bpf_lost, .close = bpf_close, .fill = bpf_fill,
};
