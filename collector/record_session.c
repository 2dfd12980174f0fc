/*
 * The recording session loop shared by `record` and `top`: checks the
 * environment, chooses the events and the backend, starts COMMAND paused
 * until tracing is on, then reads events until COMMAND exits, -d elapses or
 * a signal asks to stop, and finally drains what is still buffered.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <tracefs.h>
#include "collector/record_defer.h"
#include "collector/record_int.h"

#define POLL_MS 100

static const char *const default_events[] = {
#define RE(name) #name,
#include "collector/record_events.def"
#undef RE
};
#define NDEFAULT ((int)(sizeof(default_events) / sizeof(default_events[0])))

static volatile sig_atomic_t stop_signal, stop_count;

/* SIGINT/SIGTERM: remember it; the loop stops (or passes it to COMMAND; a second one kills it). */
static void on_stop_signal(int sig)
{
	stop_signal = sig;
	stop_count++;
}

/* Seconds COMMAND has to exit after it was passed SIGINT/SIGTERM, before SIGKILL. */
#define CHILD_GRACE 10.0
/* Seconds to wait for a COMMAND that SIGKILL did not end (stuck in the kernel) before finishing. */
#define CHILD_GIVE_UP 5.0

const char *rec_backend_name(enum rec_backend b)
{
	static const char *const names[] = { "auto", "bpf", "tracefs" };
	return b <= REC_BACKEND_TRACEFS ? names[b] : "?";
}

int rec_event_known(const char *name)
{
	for (int i = 0; i < NDEFAULT; i++)
		if (!strcmp(default_events[i], name))
			return 1;
	return 0;
}

/* Index of a name in record_events.def, or -1. */
static int default_index(const char *name)
{
	for (int i = 0; i < NDEFAULT; i++)
		if (!strcmp(default_events[i], name))
			return i;
	return -1;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Root, tracefs mounted, and a kernel with KVM tracepoints; else one line. */
static int check_environment(struct rec_state *s)
{
	const char *dir = tracefs_tracing_dir();
	char path[512];

	if (geteuid() != 0)
		return rec_fail(s, "recording needs root (tracefs and BPF are root-only)");
	if (!dir)
		return rec_fail(s, "tracefs is not mounted (mount -t tracefs nodev /sys/kernel/tracing)");
	snprintf(path, sizeof(path), "%s/events/kvm", dir);
	if (access(path, F_OK) != 0)
		return rec_fail(s, "%s: no KVM tracepoints in this kernel", path);
	return 0;
}

int rec_preflight(char *err, size_t errlen)
{
	struct rec_state s = { .err = err, .errlen = errlen };
	return check_environment(&s);
}

int rec_thread_comm(int pid, char *buf, size_t len)
{
	char path[64];
	if (pid == 0) {
		snprintf(buf, len, "<idle>");
		return 0;
	}
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	int ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (!ok)
		return -1;
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

/*
 * Load the kvm formats and choose the events: -e names (each must exist) or
 * the default list minus what this kernel lacks (listed once on stderr
 * when recording starts, so that an error stays one line).
 */
static int choose_events(struct rec_state *s)
{
	static const char *systems[] = { "kvm", NULL };
	char *missing = s->missing;
	size_t mlen = 0, msize = sizeof(s->missing);

	s->tep = tracefs_local_events_system(NULL, systems);
	if (!s->tep)
		return rec_fail(s, "%s/events/kvm: cannot read the event formats",
				tracefs_tracing_dir());
	const char **names = s->o->events ? s->o->events : (const char **)default_events;
	int n = s->o->events ? s->o->nevents : NDEFAULT;
	for (int i = 0; i < n && s->nenabled < REC_MAX_ENABLED; i++) {
		if (!tep_find_event_by_name(s->tep, "kvm", names[i])) {
			if (s->o->events)
				return rec_fail(s, "-e %s: no such KVM event in this kernel", names[i]);
			mlen += (size_t)snprintf(missing + mlen, mlen < msize ? msize - mlen : 0,
					 " %s", names[i]);
			continue;
		}
		s->enabled[s->nenabled] = names[i];
		s->enabled_idx[s->nenabled++] = default_index(names[i]);
	}
	if (s->nenabled == 0)
		return rec_fail(s, "none of the KVM events to record exist in this kernel");
	return 0;
}

/* The host arch, for the decode rules (arm64 vs x86 layouts of kvm_exit). */
static enum nv_host_arch host_arch(void)
{
	struct utsname u;
	if (uname(&u) == 0 && !strcmp(u.machine, "aarch64"))
		return NV_HOST_ARM64;
	return NV_HOST_X86;
}

/* The backend to use: --backend, else BPF where it can run, else tracefs. */
static const struct rec_backend_ops *choose_backend(struct rec_state *s)
{
	if (s->o->backend == REC_BACKEND_TRACEFS)
		return &rec_tracefs_ops;
	if (s->o->backend == REC_BACKEND_AUTO) {
		const char *why = rec_bpf_unavailable();
		if (!why)
			for (int e = 0; e < s->nenabled; e++)
				if (s->enabled_idx[e] < 0)
					why = "an -e event outside the BPF program's list";
		if (why) {
			if (!s->o->quiet)
				fprintf(stderr, "nvtrace: BPF backend unavailable (%s), using tracefs\n", why);
			return &rec_tracefs_ops;
		}
	} else if (rec_bpf_unavailable()) {
		rec_fail(s, "--backend bpf: %s", rec_bpf_unavailable());
		return NULL;
	} else {
		for (int e = 0; e < s->nenabled; e++)
			if (s->enabled_idx[e] < 0) {
				rec_fail(s, "--backend bpf: -e %s is not in the BPF program's list"
					 " (use --backend tracefs)", s->enabled[e]);
				return NULL;
			}
	}
	return &rec_bpf_ops;
}

/* Add a pid to the filter (once). */
static void add_pid(struct rec_state *s, pid_t pid)
{
	for (int i = 0; i < s->npids; i++)
		if (s->pids[i] == pid)
			return;
	if (s->npids < (int)(sizeof(s->pids) / sizeof(s->pids[0])))
		s->pids[s->npids++] = pid;
}

/*
 * Add a process and all its threads to the pid filter: BPF matches the
 * tgid, but tracefs' set_event_pid matches threads (a QEMU's vCPU threads
 * exist before we start; event-fork only catches new ones).
 */
static int add_process(struct rec_state *s, pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return rec_fail(s, "-p %d: no such process", (int)pid);
	for (struct dirent *de; (de = readdir(d)) != NULL;)
		if (de->d_name[0] != '.')
			add_pid(s, (pid_t)atoi(de->d_name));
	closedir(d);
	add_pid(s, pid);
	for (int i = 0; i < s->npids - 1; i++)	/* last: BPF checks it before its hash */
		if (s->pids[i] == pid) {
			s->pids[i] = s->pids[s->npids - 1];
			s->pids[s->npids - 1] = pid;
		}
	return 0;
}

/*
 * Fork COMMAND, stopped before exec until *go is written.  exec failures
 * come back through a close-on-exec pipe so they can be reported in one line.
 */
static pid_t spawn_paused(struct rec_state *s, char **argv, int *go_fd, int *err_fd)
{
	int go[2], er[2];
	if (pipe2(go, O_CLOEXEC) || pipe2(er, O_CLOEXEC)) {
		rec_fail(s, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t parent = getpid(), pid = fork();
	if (pid < 0) {
		rec_fail(s, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		char c;
		close(go[1]);
		close(er[0]);
		/* COMMAND dies with the recorder (even by SIGKILL): never left running */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent || read(go[0], &c, 1) != 1)
			_exit(127);	/* the recorder gave up or died */
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		execvp(argv[0], argv);
		int e = errno;
		if (write(er[1], &e, sizeof(e)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(er[1]);
	*go_fd = go[1];
	*err_fd = er[0];
	return pid;
}

/* Let COMMAND exec; -1 with the reason if exec failed. */
static int release_child(struct rec_state *s, int go_fd, int err_fd, char *cmd)
{
	int e = 0;
	ssize_t n = write(go_fd, "g", 1);
	close(go_fd);
	if (n == 1)
		n = read(err_fd, &e, sizeof(e));
	close(err_fd);
	if (n == (ssize_t)sizeof(e))
		return rec_fail(s, "%s: %s", cmd, strerror(e));
	return 0;
}

/* Free the decoder's kinds unless they went to res. */
static void free_kinds(struct rec_kind **kinds, int n)
{
	for (int i = 0; i < n; i++)
		free(kinds[i]);
	free(kinds);
}

void rec_result_free(struct rec_result *res)
{
	free_kinds(res->kinds, res->nkinds);
	res->kinds = NULL;
	res->nkinds = 0;
}

/* The read loop: until COMMAND exits, -d elapses or a signal. */
static int read_loop(struct rec_state *s, const struct rec_backend_ops *be, pid_t child,
		     double t0, struct rec_result *res)
{
	double deadline = s->o->seconds > 0 ? t0 + s->o->seconds : 0, next_tick = t0;
	double forwarded_at = 0, killed_at = 0;
	int forwarded = 0, child_done = child <= 0;

	for (;;) {
		if (be->poll(s, POLL_MS) < 0)
			return -1;
		double t = now();
		if (s->sink->tick && t >= next_tick) {
			s->sink->tick(s->sink->ctx, t - t0, s->events, be->lost(s));
			next_tick = t + POLL_MS / 1000.0;
		}
		if (!child_done && waitpid(child, &res->command_status, WNOHANG) == child)
			child_done = 1;
		if (child <= 0 || child_done) {
			if (child > 0 || stop_signal || (deadline && t >= deadline))
				break;
			continue;
		}
		if (stop_signal && !forwarded) {	/* COMMAND stops; we read to its end */
			kill(child, stop_signal);
			forwarded = 1;
			forwarded_at = t;
		}
		if (deadline && t >= deadline && !forwarded) {
			kill(child, SIGTERM);
			forwarded = 1;
			forwarded_at = t;
		}
		/* a second signal, or COMMAND ignoring the first: SIGKILL */
		if (forwarded && !killed_at && (stop_count >= 2 || t - forwarded_at > CHILD_GRACE)) {
			kill(child, SIGKILL);
			killed_at = t;
		}
		if (killed_at && t - killed_at > CHILD_GIVE_UP)
			break;	/* stuck in the kernel: the database is finished without it */
	}
	res->stopped_by_signal = stop_signal != 0;
	return 0;
}

int rec_run(const struct rec_options *o, struct rec_sink *sink,
	    struct rec_result *res, char *err, size_t errlen)
{
	struct rec_state s = { .o = o, .sink = sink, .err = err, .errlen = errlen };
	const struct rec_backend_ops *be = NULL;
	struct sigaction sa = { .sa_handler = on_stop_signal }, old_int, old_term;
	pid_t child = -1;
	int go_fd = -1, err_fd = -1, rc = -1;
	struct rec_defer defer = { 0 };

	memset(res, 0, sizeof(*res));
	trace_seq_init(&s.seq);
	s.host = host_arch();
	stop_signal = stop_count = 0;
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	if (o->backend == REC_BACKEND_BPF && !rec_bpf_built) {	/* before root and tracefs */
		rec_fail(&s, "--backend bpf: %s", rec_bpf_unavailable());
		goto out;
	}
	if (check_environment(&s))
		goto out;
	for (int i = 0; i < o->npids; i++)
		if (add_process(&s, o->pids[i]))
			goto out;
	if (choose_events(&s))
		goto out;
	s.filter = o->npids > 0 || o->command;
	if (!(be = choose_backend(&s)))
		goto out;
	if (be->open(&s)) {
		if (o->backend != REC_BACKEND_AUTO || be != &rec_bpf_ops)
			goto out;
		if (!o->quiet)	/* no BPF permission: fall back, once */
			fprintf(stderr, "nvtrace: BPF backend unavailable (%s), using tracefs\n", err);
		be->close(&s);
		be = &rec_tracefs_ops;
		if (be->open(&s))
			goto out;
	}
	if (o->command) {
		child = spawn_paused(&s, o->command, &go_fd, &err_fd);
		if (child < 0)
			goto out;
		s.pids[s.npids++] = child;
	}
	if (be->start(&s))
		goto out;
	double t0 = now();
	if (child > 0) {
		int r = release_child(&s, go_fd, err_fd, o->command[0]);
		go_fd = err_fd = -1;
		if (r) {
			waitpid(child, NULL, 0);
			child = -1;
			goto out;
		}
	}
	if (s.missing[0] && !o->quiet)
		fprintf(stderr, "nvtrace: not in this kernel, skipped:%s\n", s.missing);
	if (!o->quiet && !o->command) {	/* tells a user (and the tests) it has begun */
		fprintf(stderr, "nvtrace: recording with the %s backend; Ctrl-C to stop\n",
			rec_backend_name(be->id));
		fflush(stderr);
	}
	/* top reads live: its reader keeps its priority */
	res->reader_deferred = !o->unbatched &&
		rec_defer_start(&defer, &s, be, child, o->seconds > 0 ? t0 + o->seconds : 0,
				&stop_signal);
	if (read_loop(&s, be, child, t0, res))
		goto out;
	child = -1;	/* reaped by the loop, or none */
	rec_defer_end(&defer);	/* what is left is read at normal priority */
	be->stop(&s);
	if (be->poll(&s, 0) < 0)	/* drain what was buffered before the stop */
		goto out;
	res->seconds = now() - t0;
	rc = 0;
out:
	rec_defer_end(&defer);
	res->reader_lifts = defer.lifts;
	res->buffer_peak_fill = defer.peak_fill;
	if (go_fd >= 0)
		close(go_fd);	/* a paused COMMAND reads EOF and exits */
	if (err_fd >= 0)
		close(err_fd);
	if (child > 0) {
		kill(child, SIGTERM);
		waitpid(child, &res->command_status, 0);
	}
	if (be) {
		res->lost = be->lost(&s);
		res->backend = be->id;
		be->close(&s);
	}
	res->events = s.events;
	if (be == &rec_bpf_ops)
		snprintf(res->bpf_args, sizeof(res->bpf_args), "%s", s.bpf_args);
	res->ncpus = (int)sysconf(_SC_NPROCESSORS_CONF);
	res->kinds = s.kinds;
	res->nkinds = s.nkinds;
	trace_seq_destroy(&s.seq);
	if (s.tep)
		tep_free(s.tep);
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	return rc;
}
