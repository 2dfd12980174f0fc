/* The observed flame graph of a nested run (see flame_observed.h). */
#include <stdio.h>
#include <string.h>
#include "collector/symtab_db.h"
#include "replay/advise.h"
#include "replay/trapmap.h"
#include "view/flame_observed.h"

/* See flame_observed.h: one leaf per trap site, merged by kind, function, operation. */
struct flame *flame_build_observed(const struct nv_observed *o, const struct nv_model *m,
				   enum flame_weight weight, const char *title,
				   char *err, size_t errlen)
{
	struct flame *f = flame_new("all");
	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->mode = FLAME_GRAPH;
	f->weight = weight;
	for (size_t i = 0; i < o->nsite; i++) {
		const struct nv_obs_site *s = &o->site[i];
		char fn[160], op[80];
		uint64_t cy1 = nv_advise_trap_cycles(m, &s->trap);
		if (s->sym)
			snprintf(fn, sizeof(fn), "%s", s->sym->name);
		else
			snprintf(fn, sizeof(fn), "0x%llx", (unsigned long long)s->trap.pc);
		nv_trap_name(&s->trap, op, sizeof(op));
		for (int k = 0; k < NV_KIND__COUNT; k++) {
			uint64_t n = s->per_kind[k];
			if (!n)
				continue;
			int nk = flame_child(f, 0, nv_kind_name((enum nv_kind)k), FC_KIND);
			int nf = nk < 0 ? -1 : flame_child(f, nk, fn, FC_PHASE);
			int no = nf < 0 ? -1 : flame_child(f, nf, op, FC_OP);
			int nt = no < 0 ? -1 : flame_child(f, no, "trap", FC_TRAP);
			if (nt < 0) {
				flame_free(f);
				snprintf(err, errlen, "out of memory");
				return NULL;
			}
			flame_add(f, nt, weight == FLAME_TRAPS ? n : n * cy1, 0, n * cy1, n);
		}
	}
	flame_sort_root(f);
	snprintf(f->title, sizeof(f->title), "%s: observed traps (%s)", title,
		 weight == FLAME_TRAPS ? "traps" : "cycles at one trap's model cost");
	snprintf(f->subtitle, sizeof(f->subtitle),
		 "kind; guest hypervisor function (or PC); operation; fate -- as the trace shows "
		 "them, priced on %s", nv_arch_name(nv_model_arch(m)));
	return f;
}

/* See flame_observed.h. */
struct flame *flame_observed_open(const char *path, const char *arch, const char *guest,
				  const char *cost, enum flame_weight weight, char *err, size_t errlen)
{
	struct nvdb *db = nvdb_open(path, 0, err, errlen);
	struct nv_symtab *syms = NULL;
	struct nv_observed o;
	struct nv_models ms;
	struct flame *f = NULL;
	if (!db)
		return NULL;
	if (nv_models_open(&ms, arch, guest, cost, err, errlen))
		goto out_db;
	if (nv_symtab_load(db, &syms, err, errlen) ||
	    nv_observed_run(db, syms, NULL, &o, err, errlen))
		goto out_models;
	f = flame_build_observed(&o, ms.m[0], weight, path, err, errlen);
	nv_observed_free(&o);
out_models:
	nv_models_close(&ms);
	nv_symtab_free(syms);
out_db:
	nvdb_close(db);
	return f;
}
