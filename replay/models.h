/*
 The models of a replay, one per architecture (replay/models.c).
 */
#ifndef NVTRACE_MODELS_H
#define NVTRACE_MODELS_H

#include <stddef.h>
#include "model/model.h"
#include "model/whatif.h"

#define NV_REPLAY_MAX_ARCH 8

/*
 * The models of a replay: one per architecture, sharing a profile and a
 * cost table.  Used by replay, validate and synth.
 */
struct nv_models {
	int n;
	const struct nv_arch *arch[NV_REPLAY_MAX_ARCH];
	struct nv_model *m[NV_REPLAY_MAX_ARCH];
	struct nv_profile *profile;
	const struct nv_cost *cost;
	struct nv_cost *owned_cost;	/* a cost table read from a .cost file */
};

/* Parse the arch list and load the profile and cost table (a built-in name,
 * or else a .cost file: model/cost_parse.c); -1 with err. */
int nv_models_open(struct nv_models *ms, const char *archs, const char *guest,
		   const char *cost, char *err, size_t errlen);
/* The same with what-if edits applied to the profile and every model (w may be NULL). */
int nv_models_open_whatif(struct nv_models *ms, const char *archs, const char *guest,
			  const char *cost, const struct nv_whatif *w, char *err, size_t errlen);
void nv_models_close(struct nv_models *ms);
/*
 * The guest name a replay is stored and looked up under: the profile, plus
 * its what-if edits in brackets ("kvm-vhe [set tda=0]").
 */
void nv_replay_guest_key(const char *guest, const struct nv_whatif *w, char *buf, size_t len);
/* The normalised list of architecture names of a model set ("vm,v8.3"). */
void nv_models_arch_list(const struct nv_models *ms, char *buf, size_t len);

#endif
