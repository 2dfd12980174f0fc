/*
 * The flame graph of what a nested run's guest hypervisor was observed to
 * trap on: nested exit kind; function (or PC without symbols); register or
 * instruction and direction; "trap" -- beside the model's graph of the same
 * run.  Widths are traps, or cycles at the model's cost of one trap.
 */
#ifndef NVTRACE_FLAME_OBSERVED_H
#define NVTRACE_FLAME_OBSERVED_H

#include "view/flame.h"
#include "replay/observed.h"

/* Build the tree; m prices a trap (its architecture and cost table). NULL with err. */
struct flame *flame_build_observed(const struct nv_observed *o, const struct nv_model *m,
				   enum flame_weight weight, const char *title,
				   char *err, size_t errlen);

/*
 * The same from a run database: its symbols (if any), its observed traps,
 * priced by the model of arch/guest/cost.  NULL with err.
 */
struct flame *flame_observed_open(const char *path, const char *arch, const char *guest,
				  const char *cost, enum flame_weight weight, char *err, size_t errlen);

#endif
