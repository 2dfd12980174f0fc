/*
 * The sub-commands of nvtrace: one function per command, each in its own
 * cli/cmd_NAME.c, listed once in the table of cli/main.c.
 * Each returns the exit status: 0 ok, 1 runtime error, 2 usage error.
 */
#ifndef NVTRACE_COMMANDS_H
#define NVTRACE_COMMANDS_H

#define NV_EXIT_OK    0
#define NV_EXIT_ERR   1
#define NV_EXIT_USAGE 2

#define NV_COMMANDS(X) \
	X(import,   "import trace.dat or text traces into a run database") \
	X(info,     "show a run's metadata and event counts") \
	X(stat,     "exit statistics per reason, like perf kvm stat") \
	X(record,   "record KVM events live (BPF or tracefs) into a run database") \
	X(explain,  "list every operation of one nested exit and its fate") \
	X(regs,     "the system register table and each register's fate") \
	X(compare,  "compare architectures on a run or on the microbenchmarks") \
	X(replay,   "cut a run into nested exits and run them through the model") \
	X(validate, "compare observed nested traps with the model's prediction") \
	X(synth,    "make a synthetic run of a workload") \
	X(flame,    "flame graphs and charts of exit multiplication") \
	X(ui,       "interactive terminal UI") \
	X(top,      "live counts per second while recording, like kvm_stat") \
	X(plot,     "plots through gnuplot") \
	X(export,   "export a run as Perfetto JSON or CSV") \
	X(symbols,  "store the guest hypervisor's kallsyms/System.map in a run") \
	X(advise,   "which guest-hypervisor traps cost most and what would remove them") \
	X(profile,  "profile from RUN.db: learn a guest-hypervisor profile from a run")

#define X(name, help) int cmd_##name(int argc, char **argv);
NV_COMMANDS(X)
#undef X

#endif
