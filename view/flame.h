/*
 * A flame tree: the stacks of nested exits (kind; guest hypervisor function;
 * register or instruction; L0 handler or fate), merged, with a weight per
 * node; inverted, the same frames from the handler or fate down to the kind.  Built
 * once from a viz source, then written as SVG, folded stacks or speedscope
 * JSON.  Nodes live in one array and refer to each other by index; a hash
 * of (parent, name) finds a child in O(1) so that large runs merge quickly.
 */
#ifndef NVTRACE_FLAME_H
#define NVTRACE_FLAME_H

#include <stdint.h>
#include <stdio.h>
#include "view/viz.h"

/* Colour classes of a frame. */
enum flame_class {
	FC_ROOT, FC_LANE, FC_KIND, FC_PHASE /* guest hypervisor function */, FC_OP,
	FC_TRAP, FC_MEMORY, FC_REDIRECT, FC_NATIVE, FC_OTHER,
	FC_UNMODELLED		/* exits the profile has no path for (FLAME_UNMODELLED) */
};

/*
 * The frame of the nested exits a kind's profile has no path for (no cost
 * under any architecture): in a graph, kind; FLAME_UNMODELLED (inverted:
 * FLAME_UNMODELLED; kind), weighted so that its share of the picture is
 * their share of the run's observed traps -- the share the unmodelled line
 * of compare, replay and validate prints (of the nested exits when the
 * trace shows no traps).
 */
#define FLAME_UNMODELLED "[unmodelled]"

struct flame_node {
	char *name;
	char *detail;		/* shown on hover, "" when none */
	char *detail_b;		/* diff: the same operation under B */
	uint64_t value;		/* inclusive weight (A) */
	uint64_t value_b;	/* diff: inclusive weight under B */
	uint64_t cycles, traps, count;	/* for the details line */
	double x, w;		/* chart blocks: placement on the axis (w < 0: laid out) */
	int64_t t0, t1;		/* chart blocks: real time span (ns), -1 none */
	enum flame_class cls;
	int parent, first, last, next;	/* indices, -1 none */
	int depth;
	int hashed;		/* found by name through the hash */
};

enum flame_mode { FLAME_GRAPH, FLAME_CHART };
enum flame_weight { FLAME_CYCLES, FLAME_TRAPS, FLAME_OPS };

/* Names of the weights, for options and titles ("cycles", "traps", "operations"). */
const char *flame_weight_name(enum flame_weight w);
/* The weight called name ("ops" too), or -1. */
int flame_weight_find(const char *name);

#define FLAME_MINWIDTH 0.1	/* px: default: narrower SVG frames are left out */

struct flame {
	struct flame_node *n;
	int len, cap;
	int *hash;		/* open addressing: node index or -1 */
	int hcap;
	enum flame_mode mode;
	enum flame_weight weight;
	int diff;		/* value_b is meaningful */
	int lanes;		/* chart: root's children are vCPU lanes, drawn apart */
	double span;		/* chart: the axis length in its units */
	int time_axis;		/* chart: axis in ns of the run (else in weight) */
	int64_t ts_first;
	double ghz;		/* chart on time: cycles per ns */
	double minwidth;	/* SVG: frames narrower (px) are left out, kinds apart */
	uint64_t unmodelled;	/* nested exits drawn as FLAME_UNMODELLED */
	uint64_t unmodelled_observed;	/* their observed traps */
	char title[512];
	char subtitle[512];
	char arch_a[32], arch_b[32];
};

/* Options of flame_build. */
struct flame_opts {
	enum flame_mode mode;
	enum flame_weight weight;
	const char *arch;	/* graph/chart under this architecture */
	const char *arch_b;	/* non-NULL: differential against this one */
	int columns;		/* chart: pixel columns exits are merged into (an SVG's
				   drawing); 0: only consecutive exits of one kind merge,
				   so that data outputs never hold "mixed" blocks */
	int inverted;		/* graph: handler or fate first, down to the kind */
	const char *title;	/* non-NULL: the picture's title */
};

/* A new tree holding only its root; NULL when out of memory. */
struct flame *flame_new(const char *root_name);
void flame_free(struct flame *f);

/* The child of parent called name, made (with cls) when missing. -1 on error. */
int flame_child(struct flame *f, int parent, const char *name, enum flame_class cls);

/* A new child that is never merged with a sibling of the same name. */
int flame_append(struct flame *f, int parent, const char *name, enum flame_class cls);

/* Add weight to a node and every ancestor. */
void flame_add(struct flame *f, int node, uint64_t value, uint64_t value_b,
	       uint64_t cycles, uint64_t traps);

/* Set a node's detail text (first call wins; b: the diff side). */
int flame_detail(struct flame *f, int node, int b, const char *text);

/* The class of a leaf from the operation's fate. */
enum flame_class flame_fate_class(const char *fate);

/* Build the tree of a source; returns NULL and a message in err on error. */
struct flame *flame_build(struct viz_source *s, const struct flame_opts *o,
			  char *err, size_t errlen);

/* Sort the root's children (exit kinds) by weight, heaviest first. */
void flame_sort_root(struct flame *f);

#define FLAME_WIDTH      1200	/* px: an SVG's default width, flamegraph.pl's */
#define FLAME_WIDTH_MAX  2400	/* px: the most a default width grows to */
#define FLAME_HEAVIEST   5	/* functions the SVG names under the graph */

/*
 * The default width of a graph's SVG: FLAME_WIDTH, or wider (at most
 * FLAME_WIDTH_MAX) so that each of the FLAME_HEAVIEST heaviest guest
 * hypervisor functions has a frame wide enough for its whole name.
 */
int flame_svg_width(const struct flame *f);

/* Writers; each returns 0, or -1 with errno on a write error (SVG: width 0 = flame_svg_width). */
int flame_write_svg(const struct flame *f, FILE *out, int width);
int flame_write_folded(const struct flame *f, FILE *out);
int flame_write_speedscope(const struct flame *f, FILE *out);	/* a graph */

/* speedscope's opening (schema, name, exporter), up to the first key after them. */
void speedscope_head(FILE *out, const char *title);

/*
 * A chart (o->mode ignored) as speedscope JSON streamed from s: a profile
 * per vCPU, one stack per nested exit, at its time in the run (ns) when it
 * has timestamps; 0, or -1 with err.
 */
int flame_write_speedscope_chart(struct viz_source *s, const struct flame_opts *o, FILE *out,
				 char *err, size_t errlen);

/* The name of a vCPU's lane: "vCPU INDEX (tid VCPU)" (vcpu < 0: "tid ?"). */
void flame_lane_name(char *buf, size_t len, int index, int vcpu);

/* Write s escaped for XML (JSON: view/json.h). */
void xml_escape(FILE *out, const char *s);

#endif
