/*
 * nvtrace stat RUN.db [--vcpu N] [--sort count|time|max|mean] [--csv|--json]
 *
 * What `perf kvm stat report` gives, computed from the run database: per
 * exit reason the count, percent, and total/min/max/mean/stddev of the time
 * from exit to the next entry; overall and per vCPU.  stat_calc.h defines
 * exits and times for each kind of host.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "schema/db.h"
#include "view/json.h"
#include "replay/stat_calc.h"
#include "cli/run_open.h"

enum out_fmt { OUT_TEXT, OUT_CSV, OUT_JSON };

/* The --help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace stat RUN.db [--vcpu N] [--sort count|time|max|mean] [--csv|--json]\n\n"
		"Exit statistics per exit reason (like perf kvm stat report): count, percent,\n"
		"and the time from each exit to the vCPU's next entry; overall and per vCPU.\n\n"
		"options:\n"
		"  -v, --vcpu N     only vCPU N (arm64: threads numbered by first exit)\n"
		"  -s, --sort KEY   count (default), time (total), max or mean\n"
		"      --csv        CSV: reason,count,percent,total_ns,min_ns,max_ns,mean_ns,stddev_ns\n"
		"      --json       JSON\n"
		"  -h, --help       show this help\n");
}

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

/* One table as CSV with the fixed header; empty fields where not timed. */
static void print_csv(const struct stat_table *t)
{
	printf("reason,count,percent,total_ns,min_ns,max_ns,mean_ns,stddev_ns\n");
	for (int i = 0; i < t->nrows; i++) {
		const struct stat_row *r = &t->rows[i];
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
		for (int i = 0; i < r->nvcpu; i++)
			if (r->vcpus[i].vcpu == vcpu)
				sel = &r->vcpus[i];
		if (!sel) {
			fprintf(stderr, "nvtrace stat: %s: no vCPU %d (the run has %d)\n",
				path, vcpu, r->nvcpu);
			return NV_EXIT_ERR;
		}
	}
	if (fmt == OUT_CSV) {
		print_csv(sel ? sel : &r->all);
	} else if (fmt == OUT_JSON) {
		printf("{\"run\": ");
		json_str(stdout, path);
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
				snprintf(title, sizeof(title), "vCPU %d (thread %d)",
					 r->vcpus[i].vcpu, r->vcpus[i].pid);
				print_text(&r->vcpus[i], title);
			}
	}
	return NV_EXIT_OK;
}

/* Options, compute, sort, print. */
int cmd_stat(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "vcpu", required_argument, NULL, 'v' },
		{ "sort", required_argument, NULL, 's' },
		{ "csv", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	enum stat_sort by = SORT_COUNT;
	enum out_fmt fmt = OUT_TEXT;
	struct stat_result r;
	struct nvdb *db;
	char *end;
	int opt, vcpu = -1, status;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "v:s:h", opts, NULL)) != -1) {
		switch (opt) {
		case 'v':
			vcpu = (int)strtol(optarg, &end, 10);
			if (*end || vcpu < 0) {
				fprintf(stderr, "nvtrace stat: --vcpu wants a number, not '%s'\n", optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case 's':
			if (parse_sort(optarg, &by)) {
				fprintf(stderr, "nvtrace stat: --sort is count, time, max or mean, "
					"not '%s'\n", optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case 'C':
			fmt = OUT_CSV;
			break;
		case 'J':
			fmt = OUT_JSON;
			break;
		case 'h':
			usage(stdout);
			return NV_EXIT_OK;
		default:
			usage(stderr);
			return NV_EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
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
