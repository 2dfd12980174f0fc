/* nvtrace validate: observed nested traps per kind against the model's prediction. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/symbols_cli.h"
#include "cli/progress.h"
#include "replay/trapmap.h"
#include "replay/validate.h"
#include "cli/run_open.h"
#include "cli/opts.h"
#include "view/json.h"

static const struct nv_opt validate_opts[] = {
	NV_OPT_ARCH("host architecture (default: the run's synth_arch_host, else v8.4)"),
	NV_OPT_GUEST("guest hypervisor (default: the run's, else " NV_DEFAULT_GUEST ")"),
	NV_OPT_COST("cost table (default: the run's, else " NV_DEFAULT_COST ")"),
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: kind,count,observed_traps,predicted_traps,error",
	  NVC_NONE, NULL },
	NV_OPT_JSON,
	{ 0 }
};

const struct nv_cmd_spec nv_spec_validate = {
	"validate", "RUN.db [--arch A] [--guest G] [--cost C] [--csv|--json]",
	"For a nested arm64 run: the guest-hypervisor traps the trace shows in each\n"
	"nested exit (between kvm_inject_nested_exception and kvm_nested_eret; the\n"
	"ERET trap included, the nested VM's own exit and host interrupts not) against\n"
	"the traps the model predicts for the host's architecture and guest hypervisor.\n"
	"Per kind: observed and predicted traps per nested exit and the error\n"
	"(observed - predicted); then every operation whose totals differ.  The guest\n"
	"profile is the run's, as in every command (see nvtrace replay --help).",
	validate_opts, NVC_DB, NULL, 0,
};

/* kind,count,observed_traps,predicted_traps,error per kind. */
static void print_csv(const struct nv_validate_result *r)
{
	printf("kind,count,observed_traps,predicted_traps,error\n");
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_validate_kind *v = &r->kind[k];
		if (!v->count)
			continue;
		printf("%s,%llu,%.4f,%.4f,%.4f\n", nv_kind_name(k), (unsigned long long)v->count,
		       ui_per(v->observed, v->count), ui_per(v->predicted, v->count),
		       ui_per(v->observed, v->count) - ui_per(v->predicted, v->count));
	}
}

/* Mean error of observed against predicted, as a share of observed (0 when none). */
static double rel_err(uint64_t obs, uint64_t pred)
{
	return obs ? ((double)pred - (double)obs) / (double)obs : (pred ? 1.0 : 0.0);
}

/* One row of the report card: a kind (all its variants) or one variant. */
static void print_row(const char *kind, const char *variant, uint64_t count, uint64_t obs,
		      uint64_t pred, const uint32_t *oh, const uint32_t *ph, uint64_t off)
{
	printf("%-8s %-26s %7llu %9.2f %9.2f %+7.1f%% %5d/%-5d %6llu\n", kind, variant,
	       (unsigned long long)count, ui_per(obs, count), ui_per(pred, count),
	       100.0 * rel_err(obs, pred), nv_validate_modal(oh), nv_validate_modal(ph),
	       (unsigned long long)off);
}

/*
 * The one-line verdict: every kind has a path, the modal trap count of
 * every kind and variant is the observed one, every kind's mean is within
 * 5% of the observed mean, nothing is unmodelled.
 */
static void print_verdict(const struct nv_validate_result *r)
{
	int nopath = 0, modal = 0, mean = 0;
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_validate_kind *v = &r->kind[k];
		if (!v->count)
			continue;
		nopath += v->unmodelled > 0;
		if (v->unmodelled == v->count)
			continue;
		mean += rel_err(v->observed, v->predicted) > 0.05 ||
			rel_err(v->observed, v->predicted) < -0.05;
		modal += nv_validate_modal(v->obs_hist) != nv_validate_modal(v->pred_hist);
		for (int i = 0; i < v->nvar; i++)
			modal += nv_validate_modal(v->var[i].obs_hist) !=
				 nv_validate_modal(v->var[i].pred_hist);
	}
	if (!nopath && !modal && !mean)
		printf("verdict: PASS (every kind has a path; modal traps equal per kind and variant;"
		       " means within 5%%; nothing unmodelled)\n");
	else
		printf("verdict: FAIL (%d kinds without a path, %d kind/variant modals differ,"
		       " %d kind means off by more than 5%%)\n", nopath, modal, mean);
}

/* Per kind, and the operations that differ, as one JSON object. */
static void print_json(const char *path, const struct nv_validate_result *r, const char *arch,
		       const struct nv_run_defaults *d)
{
	int first = 1;
	printf("{\"run\": ");
	json_str(stdout, path);
	ui_json_incomplete(stdout, path);
	printf(", \"host\": ");
	json_str(stdout, arch);
	printf(", \"guest\": ");
	json_str(stdout, d->guest);
	printf(", \"cost\": ");
	json_str(stdout, d->cost);
	printf(", \"nested_exits\": %lld, \"kinds\": [", (long long)r->st.exits);
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_validate_kind *v = &r->kind[k];
		if (!v->count && !v->unlearned)
			continue;
		printf("%s\n {\"kind\": \"%s\", \"count\": %llu, \"observed_traps\": %.4f, "
		       "\"predicted_traps\": %.4f, \"host_irqs\": %llu, \"differ\": [", first ? "" : ",",
		       nv_kind_name(k), (unsigned long long)v->count, ui_per(v->observed, v->count),
		       ui_per(v->predicted, v->count), (unsigned long long)v->host_irqs);
		first = 0;
		for (int i = 0, n = 0; i < v->nops; i++) {
			char name[64];
			if (v->op[i].observed == v->op[i].predicted)
				continue;
			nv_trap_name(&v->op[i].trap, name, sizeof(name));
			printf("%s{\"op\": ", n++ ? ", " : "");
			json_str(stdout, name);
			printf(", \"observed\": %llu, \"predicted\": %llu}",
			       (unsigned long long)v->op[i].observed, (unsigned long long)v->op[i].predicted);
		}
		printf("], \"unmodelled\": %llu, \"unlearned\": %llu, \"modal_observed\": %d, \"modal_predicted\": %d, "
		       "\"off\": %llu, \"variants\": [", (unsigned long long)v->unmodelled,
		       (unsigned long long)v->unlearned,
		       nv_validate_modal(v->obs_hist), nv_validate_modal(v->pred_hist),
		       (unsigned long long)v->off);
		for (int i = 0; i < v->nvar; i++) {
			const struct nv_validate_variant *x = &v->var[i];
			printf("%s{\"variant\": ", i ? ", " : "");
			json_str(stdout, x->label);
			printf(", \"count\": %llu, \"observed_traps\": %.4f, \"predicted_traps\": %.4f, "
			       "\"modal_observed\": %d, \"modal_predicted\": %d, \"off\": %llu}",
			       (unsigned long long)x->count, ui_per(x->observed, x->count),
			       ui_per(x->predicted, x->count), nv_validate_modal(x->obs_hist),
			       nv_validate_modal(x->pred_hist), (unsigned long long)x->off);
		}
		printf("]}");
	}
	printf("], \"unmodelled\": %lld, \"unmodelled_traps\": %llu, \"unlearned\": %llu, "
	       "\"unlearned_traps\": %llu, \"observed_traps\": %llu}\n",
	       (long long)r->unmodelled, (unsigned long long)r->unmodelled_traps,
	       (unsigned long long)r->unlearned, (unsigned long long)r->unlearned_traps,
	       (unsigned long long)r->total_traps);
}

/* The exits of a kind that match no variant of a learned profile ("variants exhaustive"). */
static void print_unlearned(const char *kind, const struct nv_validate_kind *v)
{
	if (v->unlearned)
		printf("%-8s %-26s %7llu %9.2f %9s   matched no learned variant\n", kind,
		       kind[0] ? "(unlearned)" : "  (unlearned)", (unsigned long long)v->unlearned,
		       ui_per(v->unlearned_traps, v->unlearned), "-");
}

/* Per kind and variant, every operation whose totals differ, unmodelled share, verdict. */
static void print_text(const char *path, const struct nv_validate_result *r, const char *arch,
		       const struct nv_run_defaults *d, struct nvdb *db)
{
	const struct nv_recon_stats *s = &r->st;
	int differ = 0;
	printf("%s: %lld nested exits; host %s, guest %s (%s), cost %s\n", path, (long long)s->exits,
	       arch, d->guest, d->why, d->cost);
	printf("not counted: %lld incomplete at start, %lld at end, %lld unmatched;"
	       " %lld self-injections\n\n", (long long)s->incomplete_start,
	       (long long)s->incomplete_end, (long long)s->unmatched,
	       (long long)s->self_injections);
	printf("%-8s %-26s %7s %9s %9s %8s %11s %6s   (traps per nested exit)\n", "kind",
	       "variant", "count", "observed", "predicted", "error", "modal o/p", "off");
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_validate_kind *v = &r->kind[k];
		if (!v->count) {
			print_unlearned(nv_kind_name(k), v);
			continue;
		}
		if (v->unmodelled == v->count) {
			printf("%-8s %-26s %7llu %9.2f %9s   UNMODELLED: the profile has no path\n",
			       nv_kind_name(k), "(all)", (unsigned long long)v->count,
			       ui_per(v->observed, v->count), "-");
			continue;
		}
		print_row(nv_kind_name(k), "(all)", v->count, v->observed, v->predicted, v->obs_hist,
			  v->pred_hist, v->off);
		for (int i = 0; i < v->nvar; i++) {
			const struct nv_validate_variant *x = &v->var[i];
			char label[80];
			snprintf(label, sizeof(label), "  %s", x->label);
			print_row("", label, x->count, x->observed, x->predicted, x->obs_hist,
				  x->pred_hist, x->off);
		}
		print_unlearned("", v);
	}
	symbols_cli_sites("validate", db);
	printf("(error: predicted - observed mean, share of observed; modal o/p: the most frequent"
	       " trap count observed / predicted; off: exits whose count differs)\n");
	printf("\noperations that differ (totals over the kind's nested exits):\n");
	for (int k = 0; k < NV_KIND__COUNT; k++) {
		const struct nv_validate_kind *v = &r->kind[k];
		for (int i = 0; i < v->nops; i++) {
			const struct nv_validate_op *o = &v->op[i];
			char name[64];
			if (o->observed == o->predicted)
				continue;
			nv_trap_name(&o->trap, name, sizeof(name));
			printf("  %-8s %-28s observed %8llu  predicted %8llu  (%+lld)\n",
			       nv_kind_name(k), name, (unsigned long long)o->observed,
			       (unsigned long long)o->predicted,
			       (long long)o->observed - (long long)o->predicted);
			differ++;
		}
	}
	if (!differ)
		printf("  none\n");
	char line[160];
	nv_unmodelled_line((uint64_t)r->unmodelled, r->unmodelled_traps, (uint64_t)s->exits,
			   r->total_traps, line, sizeof(line));
	printf("\n%s\n", line);
	if (r->unlearned)
		printf("unlearned: %llu of %lld nested exits (%.1f%%), %llu of %llu observed traps (%.1f%%):"
		       " no learned variant matches them (not in the figures above)\n",
		       (unsigned long long)r->unlearned, (long long)s->exits,
		       100.0 * ui_per(r->unlearned, (uint64_t)s->exits), (unsigned long long)r->unlearned_traps,
		       (unsigned long long)r->total_traps, 100.0 * ui_per(r->unlearned_traps, r->total_traps));
	print_verdict(r);
}

/* Parse options (defaults from a synthetic run's metadata), validate, print. */
int cmd_validate(int argc, char **argv)
{
	const char *o_arch = NULL, *o_guest = NULL, *o_cost = NULL;
	struct nv_optparse p;
	char err[NV_ERR_LEN];
	int fmt = 0, c;

	nv_opt_init(&p, &nv_spec_validate, argc, argv);
	while ((c = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'a': o_arch = p.arg; break;
		case 'g': o_guest = p.arg; break;
		case 'c': o_cost = p.arg; break;
		default: fmt = c; break;
		}
	}
	if (argc - p.ind != 1)
		return nv_usage_error(&nv_spec_validate, "wants one RUN.db, not %d arguments", argc - p.ind);
	optind = p.ind;
	struct nvdb *db = ui_open_run("validate", argv[optind], 1);
	if (!db)
		return NV_EXIT_ERR;
	/* the run's host (a synthetic run says which made it) and the one default guest */
	struct ui_run_host h;
	ui_run_host(db, o_arch, o_guest, o_cost, &h);
	const char *arch = h.arch;
	const struct nv_run_defaults *d = &h.run;
	struct nv_validate_result *r = malloc(sizeof(*r));
	int rc = NV_EXIT_OK;
	if (!r || nv_validate_run(db, arch, d->guest, d->cost, isatty(STDERR_FILENO) ? &progress_bar : NULL, r, err,
				  sizeof(err))) {
		fprintf(stderr, "nvtrace validate: %s\n", r ? err : "out of memory");
		rc = NV_EXIT_ERR;
	} else if (fmt == NV_OPT_CSV_KEY) {
		print_csv(r);
	} else if (fmt == NV_OPT_JSON_KEY) {
		print_json(argv[optind], r, arch, d);
	} else {
		print_text(argv[optind], r, arch, d, db);
	}
	free(r);
	nvdb_close(db);
	return rc;
}
