/*
 * The BPF backend of a build without BPF (no clang or bpftool when it was
 * built): it is never chosen automatically, and --backend bpf fails with one
 * line; the tracefs backend records as usual.
 */
#include <stddef.h>
#include "collector/record_int.h"

const int rec_bpf_built = 0;

/* Why BPF cannot run: always, in this build. */
const char *rec_bpf_unavailable(void)
{
	return "nvtrace was built without BPF (clang or bpftool missing at build time); use --backend tracefs";
}

/* Never reached (choose_backend checks rec_bpf_unavailable first); fails with the same line. */
static int nobpf_open(struct rec_state *s)
{
	return rec_fail(s, "%s", rec_bpf_unavailable());
}

static int nobpf_start(struct rec_state *s) { (void)s; return -1; }
static int nobpf_poll(struct rec_state *s, int timeout_ms) { (void)s; (void)timeout_ms; return -1; }
static void nobpf_stop(struct rec_state *s) { (void)s; }
static uint64_t nobpf_lost(struct rec_state *s) { (void)s; return 0; }
static void nobpf_close(struct rec_state *s) { (void)s; }

const struct rec_backend_ops rec_bpf_ops = {
	.id = REC_BACKEND_BPF, .open = nobpf_open, .start = nobpf_start, .poll = nobpf_poll,
	.stop = nobpf_stop, .lost = nobpf_lost, .close = nobpf_close,
};
