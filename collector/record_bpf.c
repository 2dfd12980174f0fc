/*
 * The BPF backend of nvtrace record: loads record.bpf.c through its
 * generated skeleton, attaches one tracepoint program per enabled event and
 * reads the ring buffer.  Each sample holds the raw tracepoint entry, which
 * record_decode.c decodes like a tracefs one.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "record_int.h"
#include "record.skel.h"

/* wake the reader early when the 32 MiB ring is a quarter full; else a timer */
#define WAKEUP_FILL (8ull << 20)

struct bpf_backend {
	struct record_bpf *skel;
	struct bpf_link *links[REC_EV__COUNT + 1];
	int nlinks;
	struct ring_buffer *rb;
	struct rec_state *s;
	int ncpus;
	int tep_id[REC_EV__COUNT];	/* the kernel's id of each event (common_type) */
	int type_off, pid_off;		/* where common_type and common_pid sit */
};

static const char *const program_names[REC_EV__COUNT] = {
#define RE(name) "tp_" #name,
#include "record_events.def"
#undef RE
};

/* Silence libbpf's own messages: failures are reported in one line by us. */
static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	(void)level; (void)fmt; (void)ap;
	return 0;
}

const char *rec_bpf_unavailable(void)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return "no BTF (/sys/kernel/btf/vmlinux)";
	return NULL;
}

/* Ring buffer callback: one sample -> rec_deliver. */
static int on_sample(void *ctx, void *data, size_t size)
{
	struct bpf_backend *b = ctx;
	const struct rec_sample *smp = data;
	unsigned char entry[REC_MAX_DATA];
	struct tep_record rec;

	if (size < sizeof(*smp) || smp->event >= REC_EV__COUNT || smp->len < 8)
		return 0;
	/* rebuild the common header the kernel overwrote (see record.h) */
	memcpy(entry, smp->data, smp->len);
	memset(entry, 0, 8);
	uint16_t type = (uint16_t)b->tep_id[smp->event];
	int32_t pid = (int32_t)smp->pid;
	memcpy(entry + b->type_off, &type, sizeof(type));
	memcpy(entry + b->pid_off, &pid, sizeof(pid));
	memset(&rec, 0, sizeof(rec));
	rec.ts = smp->ts;
	rec.cpu = (int)smp->cpu;
	rec.size = smp->len;
	rec.data = entry;
	return rec_deliver(b->s, &rec) < 0 ? -1 : 0;
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
	b->skel = record_bpf__open();
	if (!b->skel)
		return rec_fail(s, "BPF: cannot open the program: %s", strerror(errno));
	b->skel->rodata->filter_pids = s->filter;
	b->skel->rodata->wakeup_fill = WAKEUP_FILL;
	for (int i = 0; i < REC_EV__COUNT; i++) {
		struct bpf_program *p =
			bpf_object__find_program_by_name(b->skel->obj, program_names[i]);
		int want = 0;
		for (int e = 0; e < s->nenabled; e++)
			want |= s->enabled_idx[e] == i;
		if (p)
			bpf_program__set_autoload(p, want);
	}
	if (!s->filter)
		bpf_program__set_autoload(b->skel->progs.follow_fork, false);
	int err = record_bpf__load(b->skel);
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
	return 0;
}

/*
 * Stop: the programs return at once from now on, so nothing new enters the
 * ring.  (Detaching is left to bpf_close: it costs ~80 ms per program here.)
 */
static void bpf_stop(struct rec_state *s)
{
	struct bpf_backend *b = s->backend;
	__atomic_store_n(&b->skel->bss->stopped, 1, __ATOMIC_SEQ_CST);
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
	uint64_t total = 0;
	__u64 *v = calloc((size_t)b->ncpus, sizeof(*v));
	if (v && bpf_map_lookup_elem(bpf_map__fd(b->skel->maps.stats), &key, v) == 0)
		for (int i = 0; i < b->ncpus; i++)
			total += v[i];
	free(v);
	return total;
}

static void bpf_close(struct rec_state *s)
{
	struct bpf_backend *b = s->backend;
	if (!b)
		return;
	detach_all(b);
	ring_buffer__free(b->rb);
	record_bpf__destroy(b->skel);
	free(b);
	s->backend = NULL;
}

const struct rec_backend_ops rec_bpf_ops = {
	.id = REC_BACKEND_BPF, .open = bpf_open, .start = bpf_start, .poll = bpf_poll,
	.stop = bpf_stop, .lost = bpf_lost, .close = bpf_close,
};
