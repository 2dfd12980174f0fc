/*
 * nvtrace costs: the constants of a cost table with their provenance
 * (measured, derived, fitted, assumed, placeholder) and source, the table
 * as an editable .cost file, and the leave-one-out check of the X-Gene
 * calibration (fit on the VM and v8.3 figures, predict NEVE).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/model_cli.h"
#include "cli/opts.h"

enum { OPT_DUMP = NV_OPT_CMD_BASE, OPT_LOO };

static const struct nv_opt costs_opts[] = {
	NV_OPT_COST("cost table ({costs}, or a .cost file); default " NV_DEFAULT_COST),
	{ NV_OPT_CSV_KEY, "csv", NULL, "CSV on stdout: group,name,cycles,provenance,source", NVC_NONE, NULL },
	{ OPT_DUMP, "dump", NULL, "the table as a .cost file (edit it, pass it back with --cost)", NVC_NONE, NULL },
	{ OPT_LOO, "loo", NULL, "leave-one-out: fit on the seed's VM and v8.3 hypercall figures,\n"
	  "predict NEVE's 92,385 cycles, print the error", NVC_NONE, NULL },
	NV_OPT_GUEST("profile for --loo; default kvm-2017-nvhe (the seed's)"),
	{ 0 }
};

const struct nv_cmd_spec nv_spec_costs = {
	"costs", "[--cost C] [--csv | --dump | --loo [--guest G]]",
	"Every constant of a cost table: its cycles, where the value comes from\n"
	"(measured, derived, fitted, assumed, placeholder) and its source.",
	costs_opts, NVC_NONE, NULL, 0,
};

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
	const char *cost_name = NV_DEFAULT_COST, *guest = "kvm-2017-nvhe";
	int csv = 0, dump = 0, do_loo = 0, o, rc;
	const struct nv_cost *c;
	struct nv_optparse p;

	nv_opt_init(&p, &nv_spec_costs, argc, argv);
	while ((o = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (o) {
		case NV_OPT_STOP: return p.status;
		case 'c': cost_name = p.arg; break;
		case 'g': guest = p.arg; break;
		case NV_OPT_CSV_KEY: csv = 1; break;
		case OPT_DUMP: dump = 1; break;
		case OPT_LOO: do_loo = 1; break;
		}
	}
	if (p.ind < argc)
		return nv_usage_error(&nv_spec_costs, "unexpected argument '%s'", argv[p.ind]);
	if (csv + dump + do_loo > 1)
		return nv_usage_error(&nv_spec_costs, "--csv, --dump and --loo exclude each other");
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
