/* Exit statistics: cut each thread's events into exits and time them (see stat_calc.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "schema/event.h"
#include "collector/names.h"
#include "replay/stat_calc.h"

/* One vCPU thread while walking the events. */
struct thread_state {
	int pid;
	int table;		/* index in r->vcpus, -1 before its first exit */
	int open;		/* an exit is in progress */
	int prio;		/* how specific the open exit's reason is */
	int64_t start;
	char reason[48];
	int mmio_pending;	/* after an unsatisfied MMIO read: its completion is no exit */
};

struct walk {
	struct stat_result *r;
	struct thread_state *th;
	int nth, cap;
};

typedef void (*name_fn)(const struct nv_event *ev, char *buf, size_t len);

/* Reason names of the exits of a host without kvm_exit, one per event kind. */
static void name_emulate(const struct nv_event *ev, char *b, size_t n)
{ (void)ev; snprintf(b, n, "EMULATE_INSN"); }
static void name_msr(const struct nv_event *ev, char *b, size_t n)
{ snprintf(b, n, "MSR_%s 0x%llx", ev->dir == 1 ? "WRITE" : "READ", (unsigned long long)ev->addr); }
static void name_cpuid(const struct nv_event *ev, char *b, size_t n)
{ (void)ev; snprintf(b, n, "CPUID"); }
static void name_hypercall(const struct nv_event *ev, char *b, size_t n)
{ (void)ev; snprintf(b, n, "HYPERCALL"); }
static void name_pio(const struct nv_event *ev, char *b, size_t n)
{ snprintf(b, n, "PIO_%s 0x%llx", ev->dir == 1 ? "WRITE" : "READ", (unsigned long long)ev->addr); }
static void name_mmio(const struct nv_event *ev, char *b, size_t n)
{ snprintf(b, n, "MMIO_%s", ev->reason == NV_MMIO_WRITE ? "WRITE" : "READ"); }
static void name_uexit(const struct nv_event *ev, char *b, size_t n)
{
	const char *s = nv_sym_name(&nv_kvm_exit_syms, ev->reason);
	if (s)
		snprintf(b, n, "%s", s);
	else
		snprintf(b, n, "KVM_EXIT_%d", ev->reason);
}

/* Exits of a host without kvm_exit: which events, how specific, how named. */
static const struct { enum nv_event_type type; int prio; name_fn name; } uexits[] = {
	{ NV_EV_KVM_USERSPACE_EXIT, 0, name_uexit },
	{ NV_EV_KVM_EMULATE_INSN, 1, name_emulate },
	{ NV_EV_KVM_MSR, 2, name_msr },
	{ NV_EV_KVM_CPUID, 2, name_cpuid },
	{ NV_EV_KVM_HYPERCALL, 2, name_hypercall },
	{ NV_EV_KVM_PIO, 3, name_pio },
	{ NV_EV_KVM_MMIO, 3, name_mmio },
};
#define NUEXITS (sizeof(uexits) / sizeof(uexits[0]))

/* The reason of a kvm_exit: arm64 exception type (+ EC), x86 exit reason. */
static void name_kvm_exit(const struct nv_event *ev, int arm64, char *b, size_t n)
{
	const char *s;
	if (arm64) {
		s = nv_sym_name(&nv_arm_ret_syms, ev->reason);
		if (ev->reason == 2)
			snprintf(b, n, "TRAP %s", nv_arm_ec_name(ev->ec));
		else if (s)
			snprintf(b, n, "%s", s);
		else
			snprintf(b, n, "EXCEPTION_%d", ev->reason);
		return;
	}
	s = nv_x86_exit_name(ev->ec, (unsigned)ev->reason);
	if (s)
		snprintf(b, n, "%s", s);
	else
		snprintf(b, n, "0x%x", (unsigned)ev->reason);
}

/* The row of a reason, added on first use. */
static struct stat_row *row_of(struct stat_table *t, const char *reason)
{
	for (int i = 0; i < t->nrows; i++)
		if (strcmp(t->rows[i].reason, reason) == 0)
			return &t->rows[i];
	if (t->nrows == t->cap) {
		int cap = t->cap ? t->cap * 2 : 16;
		struct stat_row *n = realloc(t->rows, cap * sizeof(*n));
		if (!n)
			return NULL;
		t->rows = n;
		t->cap = cap;
	}
	struct stat_row *row = &t->rows[t->nrows++];
	memset(row, 0, sizeof(*row));
	snprintf(row->reason, sizeof(row->reason), "%s", reason);
	return row;
}

/* Add one exit (dt < 0: not timed) to a table. */
static void add_sample(struct stat_table *t, const char *reason, int64_t dt)
{
	struct stat_row *row = row_of(t, reason);
	if (!row)
		return;
	row->count++;
	t->count++;
	if (dt < 0)
		return;
	if (row->timed == 0 || dt < row->min_ns)
		row->min_ns = dt;
	if (dt > row->max_ns)
		row->max_ns = dt;
	row->timed++;
	row->total_ns += dt;
	double d = dt - row->mean;
	row->mean += d / row->timed;
	row->m2 += d * (dt - row->mean);
}

/* The walking state of a thread, added on first use. */
static struct thread_state *thread_of(struct walk *w, int pid)
{
	for (int i = 0; i < w->nth; i++)
		if (w->th[i].pid == pid)
			return &w->th[i];
	if (w->nth == w->cap) {
		int cap = w->cap ? w->cap * 2 : 16;
		struct thread_state *n = realloc(w->th, cap * sizeof(*n));
		if (!n)
			return NULL;
		w->th = n;
		w->cap = cap;
	}
	struct thread_state *t = &w->th[w->nth++];
	memset(t, 0, sizeof(*t));
	t->pid = pid;
	t->table = -1;
	return t;
}

/* The per-vCPU table of a thread, made at its first exit. */
static struct stat_table *vcpu_table(struct walk *w, struct thread_state *t, int vcpu)
{
	struct stat_result *r = w->r;
	if (t->table < 0) {
		struct stat_table *n = realloc(r->vcpus, (r->nvcpu + 1) * sizeof(*n));
		if (!n)
			return NULL;
		r->vcpus = n;
		memset(&n[r->nvcpu], 0, sizeof(*n));
		n[r->nvcpu].vcpu = vcpu >= 0 ? vcpu : r->nvcpu;
		n[r->nvcpu].pid = t->pid;
		t->table = r->nvcpu++;
	}
	return &r->vcpus[t->table];
}

/* An exit of thread t begins. */
static void open_exit(struct thread_state *t, int64_t ts, int prio, const char *reason)
{
	t->open = 1;
	t->start = ts;
	t->prio = prio;
	snprintf(t->reason, sizeof(t->reason), "%s", reason);
}

/* Thread t's exit ends at end (-1: unknown, counted but not timed). */
static void close_exit(struct walk *w, struct thread_state *t, int64_t end)
{
	struct stat_table *v = &w->r->vcpus[t->table];
	int64_t dt = end >= 0 ? end - t->start : -1;
	add_sample(&w->r->all, t->reason, dt);
	add_sample(v, t->reason, dt);
	t->mmio_pending = strcmp(t->reason, "MMIO_READ") == 0 && end >= 0;
	t->open = 0;
}

/* kvm_exit mode: exit at kvm_exit, entry at kvm_entry. */
static void walk_kvm_exit(struct walk *w, const struct nv_event *ev, int arm64)
{
	struct thread_state *t = thread_of(w, ev->pid);
	char reason[48];
	if (!t)
		return;
	if (ev->type == NV_EV_KVM_EXIT) {
		if (!vcpu_table(w, t, ev->vcpu))
			return;
		if (t->open)
			close_exit(w, t, -1);
		name_kvm_exit(ev, arm64, reason, sizeof(reason));
		open_exit(t, ev->ts, 0, reason);
	} else if (t->open) {
		close_exit(w, t, ev->ts);
	}
}

/* No-kvm_exit mode: see stat_calc.h. */
static void walk_userspace(struct walk *w, const struct nv_event *ev)
{
	struct thread_state *t = thread_of(w, ev->pid);
	char reason[48];
	size_t k;
	if (!t)
		return;
	if (ev->type == NV_EV_KVM_ENTRY || (ev->type == NV_EV_KVM_FPU && ev->value == 1)) {
		if (t->open)
			close_exit(w, t, ev->ts);
		return;
	}
	for (k = 0; k < NUEXITS && uexits[k].type != ev->type; k++)
		;
	if (k == NUEXITS)
		return;
	if (ev->type == NV_EV_KVM_MMIO && ev->reason == NV_MMIO_READ && t->mmio_pending) {
		t->mmio_pending = 0;	/* the data of the read the VMM just did */
		return;
	}
	uexits[k].name(ev, reason, sizeof(reason));
	if (!vcpu_table(w, t, ev->vcpu))
		return;
	if (t->open && uexits[k].prio > t->prio) {
		t->prio = uexits[k].prio;	/* more specific: same exit, better name */
		snprintf(t->reason, sizeof(t->reason), "%s", reason);
		return;
	}
	if (t->open && ev->type == NV_EV_KVM_USERSPACE_EXIT)
		return;				/* the open exit goes on to the VMM */
	if (t->open)
		close_exit(w, t, ev->ts);	/* trapped again without leaving KVM */
	open_exit(t, ev->ts, uexits[k].prio, reason);
}

/* Does the run have kvm_exit events (which decides how exits are cut)? */
static int has_kvm_exit(struct nvdb *db)
{
	sqlite3_stmt *st;
	char q[96];
	int found = 0;
	snprintf(q, sizeof(q), "SELECT 1 FROM events WHERE type = %d LIMIT 1", NV_EV_KVM_EXIT);
	if (sqlite3_prepare_v2(nvdb_sql(db), q, -1, &st, NULL) != SQLITE_OK)
		return -1;
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* One pass over the exit/entry events of the run in time order. */
int stat_compute(struct nvdb *db, struct stat_result *r)
{
	struct walk w = { .r = r };
	struct nvdb_iter *it;
	struct nv_event ev;
	char where[256], arch[32] = "";
	int exits = has_kvm_exit(db), arm64, rc;

	memset(r, 0, sizeof(*r));
	r->all.vcpu = r->all.pid = -1;
	if (exits < 0)
		return -1;
	nvdb_meta_get(db, NVDB_META_HOST_ARCH, arch, sizeof(arch));
	arm64 = strcmp(arch, "arm64") == 0;
	r->mode = exits ? "kvm_exit" : "userspace";
	if (exits) {
		snprintf(where, sizeof(where), "type IN (%d, %d)", NV_EV_KVM_EXIT, NV_EV_KVM_ENTRY);
	} else {
		int n = snprintf(where, sizeof(where), "type IN (%d, %d", NV_EV_KVM_ENTRY, NV_EV_KVM_FPU);
		for (size_t k = 0; k < NUEXITS; k++)
			n += snprintf(where + n, sizeof(where) - n, ", %d", uexits[k].type);
		snprintf(where + n, sizeof(where) - n, ")");
	}
	it = nvdb_iter_new(db, where);
	if (!it)
		return -1;
	while ((rc = nvdb_iter_next(it, &ev)) == 1) {
		if (exits)
			walk_kvm_exit(&w, &ev, arm64);
		else
			walk_userspace(&w, &ev);
	}
	for (int i = 0; i < w.nth; i++)		/* exits the trace ends in: not timed */
		if (w.th[i].open)
			close_exit(&w, &w.th[i], -1);
	nvdb_iter_free(it);
	free(w.th);
	return rc < 0 ? -1 : 0;
}

/* Free the tables of a result. */
void stat_free(struct stat_result *r)
{
	free(r->all.rows);
	for (int i = 0; i < r->nvcpu; i++)
		free(r->vcpus[i].rows);
	free(r->vcpus);
}

/* Sample standard deviation of the timed exits of a row. */
double stat_stddev(const struct stat_row *row)
{
	return row->timed > 1 ? sqrt(row->m2 / (row->timed - 1)) : 0;
}

/* The value a row is sorted by. */
static double sort_key(const struct stat_row *r, enum stat_sort by)
{
	switch (by) {
	case SORT_TIME: return (double)r->total_ns;
	case SORT_MAX:  return (double)r->max_ns;
	case SORT_MEAN: return r->timed ? r->mean : 0;
	default:        return (double)r->count;
	}
}

/* Order rows by a key, largest first, ties by reason name. */
void stat_sort(struct stat_table *t, enum stat_sort by)
{
	/* insertion sort: a few dozen reasons at most; biggest first, then by name */
	for (int i = 1; i < t->nrows; i++) {
		struct stat_row x = t->rows[i];
		int j = i - 1;
		while (j >= 0 && (sort_key(&t->rows[j], by) < sort_key(&x, by) ||
				  (sort_key(&t->rows[j], by) == sort_key(&x, by) &&
				   strcmp(t->rows[j].reason, x.reason) > 0))) {
			t->rows[j + 1] = t->rows[j];
			j--;
		}
		t->rows[j + 1] = x;
	}
}
