/* The model behind the viz interface: microbenchmarks and per-exit evaluation. */
#ifndef NVTRACE_VIZ_MODEL_H
#define NVTRACE_VIZ_MODEL_H

#include "viz.h"
#include "model.h"
#include "replay.h"

#define VIZ_DEFAULT_GUEST "kvm-2017-nvhe"
#define VIZ_DEFAULT_COST  "xgene"

/* The model of one architecture among a replay's models (replay.h), or NULL. */
const struct nv_model *viz_models_get(const struct nv_models *ms, const char *arch);

/* The clock (GHz) of a cost table's platform. */
double viz_cost_ghz(const char *cost);

/* Fill a viz_op from an evaluated operation; label holds its op text. */
void viz_op_from_model(const struct nv_op_result *r, struct viz_op *o, char *label, size_t len);

/*
 * Evaluate one nested exit (e->traps/cycles set from the model), call
 * sink->exit, then sink->op per operation when want_ops.  Returns 0, 1 when
 * the profile has no path for the kind, -1 when the sink stopped.
 */
int viz_model_exit(const struct nv_model *m, struct viz_exit *e, enum nv_exit_kind kind,
		   struct nv_vcpu *v, int want_ops, const struct viz_sink *sink);

/*
 * Microbenchmarks: names, their exit kind, and the source of one of them
 * (bench NULL: every microbenchmark, one nested exit each, kind = its name).
 */
int viz_bench_kind(const char *name);
const char *viz_bench_name(int i);	/* NULL past the end */
struct viz_source *viz_source_bench(const char *bench, const char *guest, const char *cost,
				    char *err, size_t errlen);

#endif
