/* nvtrace synth: a synthetic run of a workload shape, stored like a recorded run. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "replay/replay.h"
#include "replay/synth.h"
#include "cli/opts.h"

enum { OPT_VCPUS = NV_OPT_CMD_BASE, OPT_ARCH_HOST, OPT_SEED };

static const struct nv_opt synth_opts[] = {
	{ 'w', "workload", "NAME", "hypercall, device-io, virtual-ipi, virtual-eoi, kernbench,\n"
	  "hackbench, netperf-rr, netperf-stream, memcached, apache,\nnginx, mysql, or a workload file",
	  NVC_WORDS, "hypercall device-io virtual-ipi virtual-eoi kernbench hackbench netperf-rr "
	  "netperf-stream memcached apache nginx mysql" },
	{ 'd', "duration", "S", "length of the run in seconds (default 1)", NVC_NONE, NULL },
	{ 'd', "seconds", "S", NULL, NVC_NONE, NULL },	/* the old name */
	{ OPT_VCPUS, "vcpus", "N", "vCPUs (default 1)", NVC_NONE, NULL },
	{ OPT_ARCH_HOST, "arch-host", "ARCH", "record as a nested host of ARCH (e.g. v8.4)", NVC_ARCH, NULL },
	NV_OPT_GUEST("guest-hypervisor profile ({guests}); default " NV_DEFAULT_GUEST),
	NV_OPT_COST("cost table ({costs}); default " NV_DEFAULT_COST),
	{ OPT_SEED, "seed", "N", "random seed (default 1)", NVC_NONE, NULL },
	NV_OPT_OUTPUT("RUN.db", "the run database to write (required)"),
	{ 0 }
};

const struct nv_cmd_spec nv_spec_synth = {
	"synth", "--workload NAME -o RUN.db [--duration S] [--vcpus N] [--arch-host ARCH]\n"
	"--workload NAME -o RUN.db [--guest G] [--cost C] [--seed N]",
	"Make a synthetic run of a workload (examples/workloads/NAME.txt: its exit mix\n"
	"and rate, stated as assumptions there).  Without --arch-host the run is a\n"
	"single-level VM; with it, every exit is a nested exit as an arm64 host of that\n"
	"architecture records it (inject, the traps the model predicts, ERET), each\n"
	"lasting the cycles the model gives it on that host at the cost table's clock.\n"
	"A progress bar shows on a terminal (nothing when stderr is piped).",
	synth_opts, NVC_NONE, NULL, 0,
};

/* Parse options and build the run. */
int cmd_synth(int argc, char **argv)
{
	struct nv_synth_opts o = {
		.seconds = 1, .vcpus = 1, .seed = 1,
		.guest = NV_DEFAULT_GUEST, .cost = NV_DEFAULT_COST,
	};
	char err[NV_ERR_LEN], *end;
	int64_t events = 0;
	struct nv_optparse p;
	int c;

	nv_opt_init(&p, &nv_spec_synth, argc, argv);
	while ((c = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (c) {
		case NV_OPT_STOP: return p.status;
		case 'w': o.workload = p.arg; break;
		case 'd':
			o.seconds = strtod(p.arg, &end);
			if (*end || !*p.arg || !(o.seconds > 0))
				return nv_usage_error(&nv_spec_synth, "--duration wants a positive number of "
						      "seconds, not '%s'", p.arg);
			break;
		case OPT_VCPUS:
			o.vcpus = (int)strtol(p.arg, &end, 10);
			if (*end || !*p.arg || o.vcpus < 1 || o.vcpus > 4096)
				return nv_usage_error(&nv_spec_synth, "--vcpus wants 1..4096, not '%s'", p.arg);
			break;
		case OPT_ARCH_HOST: o.arch_host = p.arg; break;
		case 'g': o.guest = p.arg; break;
		case 'c': o.cost = p.arg; break;
		case OPT_SEED:
			o.seed = strtoull(p.arg, &end, 10);
			if (*end || !*p.arg)
				return nv_usage_error(&nv_spec_synth, "--seed wants a number, not '%s'", p.arg);
			break;
		case 'o': o.out = p.arg; break;
		}
	}
	if (!o.workload)
		return nv_usage_error(&nv_spec_synth, "which workload? (-w NAME)");
	if (!o.out)
		return nv_usage_error(&nv_spec_synth, "where to? (-o RUN.db)");
	if (p.ind != argc)
		return nv_usage_error(&nv_spec_synth, "unexpected argument '%s'", argv[p.ind]);
	o.progress = isatty(STDERR_FILENO) ? &progress_bar : NULL;
	if (nv_synth_run(&o, &events, err, sizeof(err))) {
		fprintf(stderr, "nvtrace synth: %s\n", err);
		return NV_EXIT_ERR;
	}
	printf("synthesised %lld events of %s (%g s, %d vCPU%s%s%s) into %s\n",
	       (long long)events, o.workload, o.seconds, o.vcpus, o.vcpus > 1 ? "s" : "",
	       o.arch_host ? ", nested on " : "", o.arch_host ? o.arch_host : "", o.out);
	return NV_EXIT_OK;
}
