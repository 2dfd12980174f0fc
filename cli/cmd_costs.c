/*
 * nvtrace costs: the constants of a cost table with their provenance
 * (measured, derived, fitted, assumed, placeholder) and source, the table
 * as an editable .cost file, and the leave-one-out check of the X-Gene
 * calibration (fit on the VM and v8.3 figures, predict NEVE).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/model_cli.h"

static void usage(FILE *f)
{
	char costs[256];
	model_cli_names(costs, sizeof costs, MODEL_CLI_COSTS);
	fprintf(f,
		"usage: nvtrace costs [--cost C] [--csv | --dump | --loo [--guest G]]\n"
		"Every constant of a cost table: its cycles, where the value comes from\n"
		"(measured, derived, fitted, assumed, placeholder) and its source.\n\n"
		"  -c, --cost C    table (%s, or a .cost file); default xgene\n"
		"      --csv       CSV: group,name,cycles,provenance,source\n"
		"      --dump      the table as a .cost file (edit it, pass it back with --cost)\n"
		"      --loo       leave-one-out: fit on the seed's VM and v8.3 hypercall figures,\n"
		"                  predict NEVE's 92,385 cycles, print the error\n"
		"  -g, --guest G   profile for --loo (default kvm-2017-nvhe, the seed's)\n"
		"  -h, --help      this help\n", costs);
}

/* A CSV field: quoted when it holds a comma or a quote. */
static void csv_field(const char *s)
{
	if (!strpbrk(s, ",\"\n")) {
		fputs(s, stdout);
		return;
	}
	putchar('"');
	for (; *s; s++) {
		if (*s == '"')
			putchar('"');
		putchar(*s);
	}
	putchar('"');
}

/* Which architectures a table's figures are hypothetical for. */
static void print_header(const struct nv_cost *c)
{
	printf("cost %s: %s\nhost: %s\n", nv_cost_name(c), nv_cost_desc(c), nv_cost_host(c));
	for (int i = 0; i < nv_arch_count(); i++)
		if (nv_cost_hypothetical(c, nv_arch_at(i)))
			printf("hypothetical: %s figures with this table (%s)\n", nv_arch_name(nv_arch_at(i)),
			       nv_cost_hypothetical_why(c, nv_arch_at(i)));
}

static int list(const struct nv_cost *c, int csv)
{
	struct nv_cost_const k;
	int count[NV_PROV__COUNT] = { 0 };

	if (csv)
		puts("group,name,cycles,provenance,source");
	else
		print_header(c);
	if (!csv)
		printf("%-8s %-26s %8s  %-11s %s\n", "group", "name", "cycles", "provenance", "source");
	for (int i = 0; !nv_cost_const_at(c, i, &k); i++) {
		count[k.prov]++;
		if (csv) {
			printf("%s,%s,%u,%s,", k.group, k.name, k.value, nv_prov_name(k.prov));
			csv_field(k.source);
			putchar('\n');
		} else {
			printf("%-8s %-26s %8u  %-11s %s\n", k.group, k.name, k.value, nv_prov_name(k.prov), k.source);
		}
	}
	if (!csv) {
		printf("constants:");
		for (int p = 0; p < NV_PROV__COUNT; p++)
			printf(" %s %d", nv_prov_name(p), count[p]);
		putchar('\n');
	}
	return NV_EXIT_OK;
}

static int loo(const struct nv_cost *c, const struct nv_profile *p)
{
	struct nv_loo r;
	char a[32], b[32], d[32];

	if (nv_cost_loo(p, c, &r)) {
		fprintf(stderr, "nvtrace costs: leave-one-out: profile %s has no hypercall path to fit on\n",
			nv_profile_name(p));
		return NV_EXIT_ERR;
	}
	printf("leave-one-out: cost %s, guest %s, the seed's hypercall with NEVE left out\n",
	       nv_cost_name(c), nv_profile_name(p));
	printf("  fit on vm %s cycles:    kvm_handle_hvc = %s\n", model_cli_thousands(a, sizeof a, r.target_vm),
	       model_cli_thousands(b, sizeof b, r.kvm_handle_hvc));
	printf("  tie:                      sysreg emulation h = kvm_handle_hvc = %s (both: the guest kernel's handling of one exit)\n",
	       model_cli_thousands(a, sizeof a, r.h));
	printf("  fit on v8.3 %s cycles: vcpu_put_load = %s\n", model_cli_thousands(a, sizeof a, r.target_v83),
	       model_cli_thousands(b, sizeof b, r.vcpu_put_load));
	printf("  figures of this fit:      vm %s, v8.3 %s\n", model_cli_thousands(a, sizeof a, r.vm),
	       model_cli_thousands(b, sizeof b, r.v83));
	printf("  predicted neve:           %s cycles, published %s: error %+.1f%%\n",
	       model_cli_thousands(a, sizeof a, r.neve), model_cli_thousands(b, sizeof b, r.target_neve), r.error_pct);
	printf("  with neve in the fit:     %s cycles (%+.2f%%): the table's figure is calibration, not prediction\n",
	       model_cli_thousands(d, sizeof d, r.neve_full),
	       100.0 * ((double)r.neve_full - (double)r.target_neve) / (double)r.target_neve);
	return NV_EXIT_OK;
}

int cmd_costs(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "cost", required_argument, NULL, 'c' }, { "guest", required_argument, NULL, 'g' },
		{ "csv", no_argument, NULL, 'C' }, { "dump", no_argument, NULL, 'D' },
		{ "loo", no_argument, NULL, 'L' }, { "help", no_argument, NULL, 'h' }, { 0 } };
	const char *cost_name = MODEL_CLI_DEFAULT_COST, *guest = MODEL_CLI_DEFAULT_GUEST;
	int csv = 0, dump = 0, do_loo = 0, o, rc;
	const struct nv_cost *c;

	optind = 1;
	while ((o = getopt_long(argc, argv, "c:g:h", opts, NULL)) != -1) {
		switch (o) {
		case 'c': cost_name = optarg; break;
		case 'g': guest = optarg; break;
		case 'C': csv = 1; break;
		case 'D': dump = 1; break;
		case 'L': do_loo = 1; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default: usage(stderr); return NV_EXIT_USAGE;
		}
	}
	if (optind < argc || csv + dump + do_loo > 1) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	if ((rc = model_cli_cost("costs", cost_name, &c)))
		return rc;
	if (dump) {
		size_t n = nv_cost_format(c, NULL, 0);
		char *buf = malloc(n + 1);
		if (!buf)
			return NV_EXIT_ERR;
		nv_cost_format(c, buf, n + 1);
		fputs(buf, stdout);
		free(buf);
		return NV_EXIT_OK;
	}
	if (do_loo) {
		struct nv_profile *p;
		if ((rc = model_cli_guest("costs", guest, &p)))
			return rc;
		rc = loo(c, p);
		nv_profile_free(p);
		return rc;
	}
	return list(c, csv);
}
