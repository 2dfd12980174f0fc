/* nvtrace synth: a synthetic run of a workload shape, stored like a recorded run. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include "schema/err.h"
#include "cli/commands.h"
#include "cli/progress.h"
#include "replay/replay.h"
#include "replay/synth.h"

/* The help text. */
static void usage(FILE *f)
{
	fprintf(f,
		"usage: nvtrace synth --workload NAME [--seconds S] [--vcpus N] [--arch-host ARCH]\n"
		"                     [--guest G] [--cost C] [--seed N] -o RUN.db\n\n"
		"Make a synthetic run of a workload (examples/workloads/NAME.txt: its exit mix\n"
		"and rate, stated as assumptions there).  Without --arch-host the run is a\n"
		"single-level VM; with it, every exit is a nested exit as an arm64 host of that\n"
		"architecture records it (inject, the traps the model predicts, ERET).\n\n"
		"  -w, --workload NAME  hypercall, device-io, virtual-ipi, virtual-eoi, kernbench,\n"
		"                       hackbench, netperf-rr, netperf-stream, memcached, apache,\n"
		"                       nginx, mysql, or a workload file\n"
		"  -s, --seconds S      length of the run (default 1)\n"
		"  -n, --vcpus N        vCPUs (default 1)\n"
		"  -A, --arch-host ARCH record as a nested host of ARCH (e.g. v8.4)\n"
		"  -g, --guest G        guest-hypervisor profile (default kvm-vhe with --arch-host,\n"
		"                       else %s, which only times the exits)\n"
		"  -c, --cost C         cost table (default %s)\n"
		"      --seed N         random seed (default 1)\n"
		"  -o, --output RUN.db  the run database to write\n"
		"  -h, --help           this help\n", NV_REPLAY_DEFAULT_GUEST, NV_REPLAY_DEFAULT_COST);
}

/* Parse options and build the run. */
int cmd_synth(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "workload", required_argument, NULL, 'w' },
		{ "seconds", required_argument, NULL, 's' },
		{ "vcpus", required_argument, NULL, 'n' },
		{ "arch-host", required_argument, NULL, 'A' },
		{ "guest", required_argument, NULL, 'g' },
		{ "cost", required_argument, NULL, 'c' },
		{ "seed", required_argument, NULL, 'S' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct nv_synth_opts o = {
		.seconds = 1, .vcpus = 1, .seed = 1,
		.cost = NV_REPLAY_DEFAULT_COST,
	};
	char err[NV_ERR_LEN], *end;
	int64_t events = 0;
	int c;

	while ((c = getopt_long(argc, argv, "w:s:n:A:g:c:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'w': o.workload = optarg; break;
		case 's':
			o.seconds = strtod(optarg, &end);
			if (*end || o.seconds <= 0) {
				fprintf(stderr, "nvtrace synth: --seconds: not a positive number: %s\n", optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case 'n':
			o.vcpus = (int)strtol(optarg, &end, 10);
			if (*end || o.vcpus < 1 || o.vcpus > 4096) {
				fprintf(stderr, "nvtrace synth: --vcpus: 1..4096: %s\n", optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case 'A': o.arch_host = optarg; break;
		case 'g': o.guest = optarg; break;
		case 'c': o.cost = optarg; break;
		case 'S': o.seed = strtoull(optarg, NULL, 10); break;
		case 'o': o.out = optarg; break;
		case 'h': usage(stdout); return NV_EXIT_OK;
		default: usage(stderr); return NV_EXIT_USAGE;
		}
	}
	if (!o.workload || !o.out || optind != argc) {
		usage(stderr);
		return NV_EXIT_USAGE;
	}
	if (!o.guest)	/* a nested host runs today's KVM; a VM's exits are only timed */
		o.guest = o.arch_host ? "kvm-vhe" : NV_REPLAY_DEFAULT_GUEST;
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
