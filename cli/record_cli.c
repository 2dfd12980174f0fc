/* Command-line options and the end summary shared by `record` and `top`. */
#include <errno.h>
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

int rec_cli_parse(int argc, char **argv, const struct nv_cmd_spec *spec, struct rec_cli *cli)
{
	const char *cmd = spec->name;
	struct nv_optparse p;
	int c;

	memset(cli, 0, sizeof(*cli));
	cli->events = calloc((size_t)argc, sizeof(*cli->events));
	cli->pids = calloc((size_t)argc, sizeof(*cli->pids));
	if (!cli->events || !cli->pids) {
		fprintf(stderr, "nvtrace %s: out of memory\n", cmd);
		return NV_EXIT_ERR;
	}
	/* spec->stop_at_operand: options end at COMMAND, whose own options are not ours */
	nv_opt_init(&p, spec, argc, argv);
	while ((c = nv_opt_next(&p)) != NV_OPT_DONE) {
		switch (c) {
		case NV_OPT_STOP:
			return p.status;
		case 'o':
			cli->output = p.arg;
			break;
		case 'b':
			if (!strcmp(p.arg, "bpf"))
				cli->opts.backend = REC_BACKEND_BPF;
			else if (!strcmp(p.arg, "tracefs"))
				cli->opts.backend = REC_BACKEND_TRACEFS;
			else
				return nv_usage_error(spec, "--backend: bpf or tracefs, not %s", p.arg);
			break;
		case 'p': {
			int pid = parse_pid(p.arg);
			if (pid < 0)
				return nv_usage_error(spec, "-p: not a pid: %s", p.arg);
			cli->pids[cli->opts.npids++] = pid;
			break;
		}
		case 'd':
			cli->opts.seconds = parse_seconds(p.arg);
			if (cli->opts.seconds < 0)
				return nv_usage_error(spec, "-d: not a duration in seconds: %s", p.arg);
			break;
		case 'e':
			cli->events[cli->opts.nevents++] = p.arg;
			break;
		case 'q':
			cli->opts.quiet = 1;
			break;
		case REC_OPT_ONCE:
			cli->once = 1;
			break;
		case REC_OPT_BPF_CLASSIC:
			cli->opts.bpf_classic = 1;
			break;
		case REC_OPT_ALL_FIELDS:
			cli->opts.all_fields = 1;
			break;
		case REC_OPT_BUFFER_SIZE: {
			char *end;
			errno = 0;
			long mb = strtol(p.arg, &end, 10);
			if (errno || end == p.arg || *end || mb < 1 || mb > 2048)
				return nv_usage_error(spec, "--buffer-size: MiB from 1 to 2048, not %s",
						      p.arg);
			cli->opts.buffer_mb = (int)mb;
			break;
		}
		case NV_OPT_FORCE_KEY:
			cli->force = 1;
			break;
		}
	}
	optind = p.ind;
	cli->opts.events = cli->opts.nevents ? cli->events : NULL;
	cli->opts.pids = cli->pids;
	if (optind < argc)
		cli->opts.command = argv + optind;
	if (cli->opts.command && cli->opts.npids)
		return nv_usage_error(spec, "-p and COMMAND exclude each other");
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
	if (res->reader_deferred)
		fprintf(f, "  kernel buffer: %d.%d%% at most; the reader was idle while it had room"
			", lifted %d times\n", res->buffer_peak_fill / 10, res->buffer_peak_fill % 10,
			res->reader_lifts);
	if (res->lost)
		fprintf(f, "nvtrace %s: warning: the kernel dropped %llu events\n", cmd,
			(unsigned long long)res->lost);
}
