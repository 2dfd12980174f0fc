/* The model behind the viz interface: microbenchmarks and per-exit evaluation. */
#ifndef NVTRACE_VIZ_MODEL_H
#define NVTRACE_VIZ_MODEL_H

#include "view/viz.h"
#include "model/model.h"
#include "replay/replay.h"

#define VIZ_DEFAULT_GUEST NV_DEFAULT_GUEST
#define VIZ_DEFAULT_COST  NV_DEFAULT_COST

/* The model of one architecture among a replay's models (replay.h), or NULL. */
const struct nv_model *viz_models_get(const struct nv_models *ms, const char *arch);

/* The clock (GHz) of a cost table's platform. */
double viz_cost_ghz(const char *cost);

/* Fill a viz_op from an evaluated operation; label holds its op text. */
void viz_op_from_model(const struct nv_op_result *r, struct viz_op *o, char *label, size_t len);

/*
 * The microbenchmarks of model/microbench.h as a source: one of them, or (bench
 * NULL) all, each one "exit" whose kind is the benchmark's name.
 */
struct viz_source *viz_source_bench(const char *bench, const char *guest, const char *cost,
				    char *err, size_t errlen);

#endif
