/*
 * The decode table: how each KVM tracepoint's fields (by name, as the
 * kernel's event format calls them) become the columns of struct nv_event.
 *
 * Both import paths use it.  A source (trace.dat or a parsed text line)
 * builds a plan once per event kind, telling the planner where each named
 * field sits in its own value array; then, per event, it fills that array
 * and dec_apply() writes the canonical fields.
 */
#ifndef NVTRACE_DECODE_H
#define NVTRACE_DECODE_H

#include <stdint.h>
#include "schema/event.h"

#define DEC_MAX_MAP 8

struct dec_step {
	uint8_t dst;		/* enum dec_dst */
	uint8_t op;		/* enum dec_op */
	int16_t src[5];		/* index of each source field in the source's array */
};

struct dec_plan {
	enum nv_event_type type;
	enum nv_host_arch arch;	/* host the matched rule belongs to (ANY if common) */
	int decoded;		/* 1 when a rule matched: no raw fields needed */
	int nstep;
	struct dec_step step[DEC_MAX_MAP];
};

/* Where a field is in the source: its index, or -1 when the event lacks it. */
typedef int (*dec_lookup_fn)(void *ctx, const char *field);

/*
 * Build the plan of one event kind.  host is the file's host arch when known
 * (NV_HOST_ANY otherwise): it decides between rules of the same event name;
 * else the first rule whose key field exists wins.
 */
void dec_plan_build(struct dec_plan *p, const char *event, enum nv_host_arch host,
		    dec_lookup_fn lookup, void *ctx);

/* Fill ev's decoded fields from vals (indexed as the plan's lookup said). */
void dec_apply(const struct dec_plan *p, const uint64_t *vals, struct nv_event *ev);

/* The host arch an event name alone implies (arm64-only or x86-only events). */
enum nv_host_arch dec_host_of_event(const char *event);

#endif
