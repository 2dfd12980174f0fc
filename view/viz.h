/*
 * What the pictures of nvtrace draw (flame graphs and charts, the terminal
 * UI, plots, exports), independent of where it comes from: a source walks
 * nested exits in time order, and for each one, when asked, the operations
 * of the guest hypervisor as the model evaluated them under one
 * architecture.  Sources: a run database with replay results
 * (viz_source_run), one microbenchmark of the model (viz_source_bench), or a
 * fixed table in a unit test.  The writers only see this interface.
 */
#ifndef NVTRACE_VIZ_H
#define NVTRACE_VIZ_H

#include <stdint.h>
#include <stdio.h>
#include "schema/err.h"
#include "replay/progress_cb.h"

/* One operation of the guest hypervisor inside one nested exit. */
struct viz_op {
	const char *phase;	/* "exit", "handle", "entry", ... */
	const char *op;		/* "MRS ESR_EL2", "ERET", "MMIO GICH_VMCR" */
	const char *reg;	/* register name, or "" */
	const char *fate;	/* "native", "trap", "memory", "redirect" */
	const char *handler;	/* L0 handler when it traps, else "" */
	uint64_t cycles;
	unsigned traps;		/* traps to L0 this operation costs */
	const char *fn;		/* guest hypervisor function it runs in, NULL or "": use phase */
};

/* One nested exit as replay stored it (totals under one architecture). */
struct viz_exit {
	int64_t id;
	int vcpu;		/* -1 when unknown */
	const char *kind;	/* hvc, sysreg, mmio, ... */
	int64_t ts_start;	/* ns, -1 when the trace has no time */
	int64_t ts_end;
	uint64_t traps;
	uint64_t cycles;
	uint64_t count;		/* exits this one stands for (grouped walks), else 1 */
	uint64_t ops_key;	/* non-zero: exits of one walk with the same key have the
				   same operations (lets a picture reuse its work), 0: unknown */
	uint64_t observed;	/* guest-hypervisor traps the trace shows, summed over those exits */
};

/*
 * What a walk calls: exit() once per nested exit, then op() for each of its
 * operations when the walk was asked for them.  A non-zero return stops.
 */
struct viz_sink {
	void *ctx;
	int (*exit)(void *ctx, const struct viz_exit *e);
	int (*op)(void *ctx, const struct viz_exit *e, const struct viz_op *op);
};

#define VIZ_MAX_ARCH 8

struct viz_source {
	char title[256];	/* "run.db (trace.dat, 4 vCPUs)" or "hypercall" */
	int narch;
	const char *arch[VIZ_MAX_ARCH];	/* the architectures it has results for */
	int has_time;		/* exits carry real timestamps */
	int64_t ts_first, ts_last;
	double ghz;		/* clock of the cost table, to turn cycles into time */
	char *info;		/* "key: value" lines about the run (malloc'ed), or NULL */
	uint64_t mismatched;	/* exits whose operations did not add up to their stored totals */
	const struct nv_progress *progress;	/* told how far walks got; NULL: quiet */
	/* Walk every nested exit in time order under arch (ops when want_ops). */
	int (*walk)(struct viz_source *s, const char *arch, int want_ops,
		    const struct viz_sink *sink);
	/*
	 * Optional, for merged pictures: every distinct nested exit (same kind,
	 * same operations and costs) once, with e->count the exits it stands
	 * for, always with its operations.  NULL: use walk.
	 */
	int (*walk_grouped)(struct viz_source *s, const char *arch, const struct viz_sink *sink);
	/* The operations of one nested exit (id from the walk) under arch. */
	int (*exit_ops)(struct viz_source *s, int64_t id, const char *arch,
			const struct viz_sink *sink);
	void (*free)(struct viz_source *s);
	void *priv;
	char err[NV_ERR_LEN];		/* why the last call failed */
};

/* Totals of one nested exit kind under every architecture of a source. */
#define VIZ_MAX_KIND 32
struct viz_kind_stat {
	char kind[24];
	uint64_t count;
	uint64_t traps[VIZ_MAX_ARCH];
	uint64_t cycles[VIZ_MAX_ARCH];
	uint64_t min_cycles[VIZ_MAX_ARCH], max_cycles[VIZ_MAX_ARCH];
	int64_t real_ns;	/* sum of the recorded spans (ts_end - ts_start) */
};

struct viz_summary {
	int narch;
	int nkind;		/* kinds beyond VIZ_MAX_KIND are added to "other" */
	struct viz_kind_stat kind[VIZ_MAX_KIND];
	struct viz_kind_stat total;	/* kind "total" */
};

/* Walk every architecture of s (no operations) into per-kind totals. */
int viz_summarize(struct viz_source *s, struct viz_summary *sum);

/* Index of arch in s->arch, or -1. */
int viz_arch_index(const struct viz_source *s, const char *arch);

/* err = "no results for architecture ARCH (only for vm, v8.3, ...)": the one message. */
void viz_no_arch(const struct viz_source *s, const char *arch, char *err, size_t len);

/* The frame every picture groups an operation under: its function, else its phase. */
const char *viz_op_fn(const struct viz_op *op);

/* Close a source (NULL is fine). */
void viz_source_free(struct viz_source *s);

#endif
