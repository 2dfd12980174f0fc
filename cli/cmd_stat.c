/*
 * nvtrace stat RUN.db [--vcpu N] [--sort count|time|max|mean] [--csv|--json]
 *
 * What `perf kvm stat report` gives, computed from the run database: per
 * exit reason the count, percent, and total/min/max/mean/stddev of the time
 * from exit to the next entry; overall and per vCPU.  stat_calc.h defines
 * exits and times for each kind of host.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "schema/db.h"
#include "view/json.h"
#include "replay/stat_calc.h"
#include "cli/run_open.h"
#include "cli/opts.h"

enum out_fmt { OUT_TEXT, OUT_CSV, OUT_JSON };

enum { OPT_VCPU = NV_OPT_CMD_BASE, OPT_SORT };

static const struct nv_opt stat_opts[] = {
	{ OPT_VCPU, "vcpu", "N", "only vCPU N: its index (vCPU 0, 1, ...) or its thread id", NVC_NONE, NULL },
	{ OPT_SORT, "sort", "KEY", "count (default), time (total), max or mean", NVC_WORDS,
	  "count time max mean" },
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: vcpu,tid,reason,count,percent,total_ns,min_ns,\n"
	  "max_ns,mean_ns,stddev_ns (vcpu 'all': every vCPU; then one row per vCPU)", NVC_NONE, NULL },
	NV_OPT_JSON,
	{ 0 }
};

const struct nv_cmd_spec nv_spec_stat = {
	"stat", "RUN.db [--vcpu N] [--sort count|time|max|mean] [--csv|--json]",
	"Exit statistics per exit reason (like perf kvm stat report): count, percent,\n"
	"and the time from each exit to the vCPU's next entry; overall and per vCPU.\n"
	"A vCPU is named by its index and its thread id: \"vCPU 0 (tid 108)\".",
	stat_opts, NVC_DB, NULL, 0,
};

/* Share of a reason in its table's exits. */
static double percent(const struct stat_table *t, const struct stat_row *r)
{
	return t->count ? 100.0 * r->count / t->count : 0;
}

/* One table as aligned columns; "-" where no exit was timed. */
static void print_text(const struct stat_table *t, const char *title)
{
	printf("%s: %lld exits\n\n", title, (long long)t->count);
	printf("%-28s %9s %8s %14s %10s %12s %12s %12s\n", "reason", "count", "percent",
	       "total_ns", "min_ns", "max_ns", "mean_ns", "stddev_ns");
	for (int i = 0; i < t->nrows; i++) {
		const struct stat_row *r = &t->rows[i];
		printf("%-28s %9lld %7.2f%%", r->reason, (long long)r->count, percent(t, r));
		if (r->timed)
			printf(" %14lld %10lld %12lld %12.0f %12.0f\n", (long long)r->total_ns,
			       (long long)r->min_ns, (long long)r->max_ns, r->mean, stat_stddev(r));
		else
			printf(" %14s %10s %12s %12s %12s\n", "-", "-", "-", "-", "-");
	}
	printf("\n");
}

/* One table's rows as CSV (vcpu "all" for every vCPU); empty fields where not timed. */
static void print_csv(const struct stat_table *t)
{
	for (int i = 0; i < t->nrows; i++) {
		const struct stat_row *r = &t->rows[i];
		if (t->vcpu >= 0)
			printf("%d,%d,", t->vcpu, t->pid);
		else
			printf("all,,");
		printf("%s,%lld,%.2f,", r->reason, (long long)r->count, percent(t, r));
		if (r->timed)
			printf("%lld,%lld,%lld,%.0f,%.0f\n", (long long)r->total_ns,
			       (long long)r->min_ns, (long long)r->max_ns, r->mean, stat_stddev(r));
		else
			printf(",,,,\n");
	}
}

/* One table as a JSON object. */
static void print_json_table(const struct stat_table *t)
{
	printf("{\"vcpu\": ");
	if (t->vcpu >= 0)
		printf("%d, \"pid\": %d", t->vcpu, t->pid);
	else
		printf("null");
	printf(", \"exits\": %lld, \"reasons\": [", (long long)t->count);
	for (int i = 0; i < t->nrows; i++) {
		const struct stat_row *r = &t->rows[i];
		printf("%s{\"reason\": ", i ? ", " : "");
		json_str(stdout, r->reason);
		printf(", \"count\": %lld, \"percent\": %.2f, \"timed\": %lld", (long long)r->count,
		       percent(t, r), (long long)r->timed);
		if (r->timed)
			printf(", \"total_ns\": %lld, \"min_ns\": %lld, \"max_ns\": %lld, "
			       "\"mean_ns\": %.0f, \"stddev_ns\": %.0f", (long long)r->total_ns,
			       (long long)r->min_ns, (long long)r->max_ns, r->mean, stat_stddev(r));
		printf("}");
	}
	printf("]}");
}

/* --sort KEY -> enum stat_sort; -1 for an unknown key. */
static int parse_sort(const char *s, enum stat_sort *by)
{
	static const struct { const char *name; enum stat_sort by; } keys[] = {
		{ "count", SORT_COUNT }, { "time", SORT_TIME }, { "max", SORT_MAX }, { "mean", SORT_MEAN },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(s, keys[i].name)) {
			*by = keys[i].by;
			return 0;
		}
	return -1;
}

/* Print the chosen tables in the chosen format. */
static int report(struct stat_result *r, const char *path, int vcpu, enum out_fmt fmt)
{
	struct stat_table *sel = NULL;
	char title[128];
	if (vcpu >= 0) {
		for (int i = 0; i < r->nvcpu && !sel; i++)	/* an index, else a thread id */
			if (r->vcpus[i].vcpu == vcpu)
				sel = &r->vcpus[i];
		for (int i = 0; i < r->nvcpu && !sel; i++)
			if (r->vcpus[i].pid == vcpu)
				sel = &r->vcpus[i];
		if (!sel) {
			fprintf(stderr, "nvtrace stat: %s: no vCPU %d (the run has %d: ", path, vcpu, r->nvcpu);
			for (int i = 0; i < r->nvcpu; i++)
				fprintf(stderr, "%svCPU %d (tid %d)", i ? ", " : "", r->vcpus[i].vcpu,
					r->vcpus[i].pid);
			fprintf(stderr, ")\n");
			return NV_EXIT_ERR;
		}
	}
	if (fmt == OUT_CSV) {
		printf("vcpu,tid,reason,count,percent,total_ns,min_ns,max_ns,mean_ns,stddev_ns\n");
		if (!sel)
			print_csv(&r->all);
		for (int i = 0; i < r->nvcpu; i++)
			if (!sel || sel == &r->vcpus[i])
				print_csv(&r->vcpus[i]);
	} else if (fmt == OUT_JSON) {
		printf("{\"run\": ");
		json_str(stdout, path);
		ui_json_incomplete(stdout, path);
		printf(", \"exits_from\": \"%s\", \"all\": ", r->mode);
		print_json_table(sel ? sel : &r->all);
		printf(", \"vcpus\": [");
		for (int i = 0, n = 0; i < r->nvcpu; i++)
			if (!sel || sel == &r->vcpus[i]) {
				printf("%s", n++ ? ", " : "");
				print_json_table(&r->vcpus[i]);
			}
		printf("]}\n");
	} else {
		printf("%s\n\n", strcmp(r->mode, "kvm_exit") == 0 ?
		       "exits: kvm_exit; time: exit to the thread's next kvm_entry" :
		       "exits: PIO/MMIO/MSR/CPUID/hypercall/emulated instruction/userspace exit "
		       "(no kvm_exit on this host);\ntime: first event of the exit to re-entry "
		       "(kvm_fpu load) or to the next trap");
		if (!sel)
			print_text(&r->all, "all vCPUs");
		for (int i = 0; i < r->nvcpu; i++)
			if (!sel || sel == &r->vcpus[i]) {
				snprintf(title, sizeof(title), "vCPU %d (tid %d)",
					 r->vcpus[i].vcpu, r->vcpus[i].pid);
				print_text(&r->vcpus[i], title);
			}
	}
	return NV_EXIT_OK;
}

/* Options, compute, sort, print. */
int cmd_stat(int argc, char **argv)
{
	enum stat_sort by = SORT_COUNT;
	enum out_fmt fmt = OUT_TEXT;
	struct stat_result r;
	struct nv_optparse p;
	struct nvdb *db;
	char *end;
	int opt, vcpu = -1, status;

	nv_opt_init(&p, &nv_spec_stat, argc, argv);
	while ((opt = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (opt) {
		case NV_OPT_STOP:
			return p.status;
		case OPT_VCPU:
			vcpu = (int)strtol(p.arg, &end, 10);
			if (*end || !*p.arg || vcpu < 0)
				return nv_usage_error(&nv_spec_stat, "--vcpu wants a vCPU index or thread id, "
						      "not '%s'", p.arg);
			break;
		case OPT_SORT:
			if (parse_sort(p.arg, &by))
				return nv_usage_error(&nv_spec_stat, "--sort is count, time, max or mean, "
						      "not '%s'", p.arg);
			break;
		case NV_OPT_CSV_KEY:
			fmt = OUT_CSV;
			break;
		case NV_OPT_JSON_KEY:
			fmt = OUT_JSON;
			break;
		}
	}
	if (argc - p.ind != 1)
		return nv_usage_error(&nv_spec_stat, argc == p.ind ? "wants a RUN.db" :
				      "wants one RUN.db, not %d arguments", argc - p.ind);
	optind = p.ind;
	db = ui_open_run("stat", argv[optind], 0);
	if (!db)
		return NV_EXIT_ERR;
	if (stat_compute(db, &r)) {
		fprintf(stderr, "nvtrace stat: %s: %s\n", argv[optind], nvdb_errmsg(db));
		stat_free(&r);
		nvdb_close(db);
		return NV_EXIT_ERR;
	}
	stat_sort(&r.all, by);
	for (int i = 0; i < r.nvcpu; i++)
		stat_sort(&r.vcpus[i], by);
	status = report(&r, argv[optind], vcpu, fmt);
	stat_free(&r);
	nvdb_close(db);
	return status;
}
