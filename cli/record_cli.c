/* Command-line options and the end summary shared by `record` and `top`. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include "cli/commands.h"
#include "cli/record_cli.h"

/* A positive number of seconds, or -1. */
static double parse_seconds(const char *s)
{
	char *end;
	errno = 0;
	double v = strtod(s, &end);
	return (errno || end == s || *end || !(v > 0)) ? -1 : v;
}

/* A pid: a positive integer, or -1. */
static int parse_pid(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return (errno || end == s || *end || v <= 0 || v > 1 << 30) ? -1 : (int)v;
}

int rec_cli_parse(int argc, char **argv, const char *cmd, struct rec_cli *cli,
		  void (*usage)(FILE *))
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "backend", required_argument, NULL, 'b' },
		{ "pid", required_argument, NULL, 'p' },
		{ "duration", required_argument, NULL, 'd' },
		{ "event", required_argument, NULL, 'e' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "once", no_argument, NULL, '1' },
		{ "bpf-classic", no_argument, NULL, 'C' },
		{ "all-fields", no_argument, NULL, 'A' },
		{ "force", no_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	memset(cli, 0, sizeof(*cli));
	cli->events = calloc((size_t)argc, sizeof(*cli->events));
	cli->pids = calloc((size_t)argc, sizeof(*cli->pids));
	if (!cli->events || !cli->pids) {
		fprintf(stderr, "nvtrace %s: out of memory\n", cmd);
		return NV_EXIT_ERR;
	}
	optind = 1;
	/* "+": stop at COMMAND, whose own options are not ours */
	while ((c = getopt_long(argc, argv, "+o:b:p:d:e:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			cli->output = optarg;
			break;
		case 'b':
			if (!strcmp(optarg, "bpf"))
				cli->opts.backend = REC_BACKEND_BPF;
			else if (!strcmp(optarg, "tracefs"))
				cli->opts.backend = REC_BACKEND_TRACEFS;
			else {
				fprintf(stderr, "nvtrace %s: --backend: bpf or tracefs, not %s\n", cmd, optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case 'p': {
			int pid = parse_pid(optarg);
			if (pid < 0) {
				fprintf(stderr, "nvtrace %s: -p: not a pid: %s\n", cmd, optarg);
				return NV_EXIT_USAGE;
			}
			cli->pids[cli->opts.npids++] = pid;
			break;
		}
		case 'd':
			cli->opts.seconds = parse_seconds(optarg);
			if (cli->opts.seconds < 0) {
				fprintf(stderr, "nvtrace %s: -d: not a duration in seconds: %s\n", cmd, optarg);
				return NV_EXIT_USAGE;
			}
			break;
		case 'e':
			cli->events[cli->opts.nevents++] = optarg;
			break;
		case 'q':
			cli->opts.quiet = 1;
			break;
		case '1':
			cli->once = 1;
			break;
		case 'C':
			cli->opts.bpf_classic = 1;
			break;
		case 'A':
			cli->opts.all_fields = 1;
			break;
		case 'F':
			cli->force = 1;
			break;
		case 'h':
			usage(stdout);
			return NV_EXIT_OK;
		default:
			usage(stderr);
			return NV_EXIT_USAGE;
		}
	}
	if (cli->output && !strcmp(cmd, "top")) {
		fprintf(stderr, "nvtrace top: -o: top writes no database (use nvtrace record)\n");
		return NV_EXIT_USAGE;
	}
	if (cli->once && strcmp(cmd, "top")) {
		fprintf(stderr, "nvtrace %s: --once is an option of nvtrace top\n", cmd);
		return NV_EXIT_USAGE;
	}
	cli->opts.events = cli->opts.nevents ? cli->events : NULL;
	cli->opts.pids = cli->pids;
	if (optind < argc)
		cli->opts.command = argv + optind;
	if (cli->opts.command && cli->opts.npids) {
		fprintf(stderr, "nvtrace %s: -p and COMMAND exclude each other\n", cmd);
		return NV_EXIT_USAGE;
	}
	return -1;
}

void rec_cli_free(struct rec_cli *cli)
{
	free(cli->events);
	free(cli->pids);
}

void rec_print_summary(FILE *f, const char *cmd, const char *out,
		       const struct rec_result *res)
{
	fprintf(f, "nvtrace %s: %llu events in %.2f s (%s backend), %llu lost%s%s%s\n", cmd,
		(unsigned long long)res->events, res->seconds, rec_backend_name(res->backend),
		(unsigned long long)res->lost, out ? " -> " : "", out ? out : "",
		res->stopped_by_signal ? " (stopped by signal)" : "");
	for (int i = 0; i < res->nkinds; i++)
		if (res->kinds[i] && res->kinds[i]->count)
			fprintf(f, "  %-28s %12llu\n", res->kinds[i]->name,
				(unsigned long long)res->kinds[i]->count);
	if (res->lost)
		fprintf(f, "nvtrace %s: warning: the kernel dropped %llu events\n", cmd,
			(unsigned long long)res->lost);
}
