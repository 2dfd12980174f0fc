/*
 * Importing traces into a run database: trace.dat files (libtracecmd) and
 * text traces (trace-cmd report, tracefs trace / trace_pipe).  Both paths
 * turn each event into struct nv_event through the decode table.
 */
#ifndef NVTRACE_IMPORT_H
#define NVTRACE_IMPORT_H

#include <stddef.h>
#include <stdint.h>
#include "schema/err.h"
#include "schema/db.h"
#include "schema/event.h"
#include "schema/threads.h"
#include "collector/import_src.h"

struct import_ctx {
	struct nvdb *db;
	enum nv_host_arch host;		/* detected host arch, ANY until known */
	char host_kernel[256];		/* uname of the traced host, if the file says */
	int cpus;			/* highest cpu count seen */
	int64_t lost;			/* events the kernel dropped (when known) */
	int64_t undecoded;		/* events of known kinds whose text did not parse */
	int64_t unreadable;		/* text lines that look like events but could not be read */
	int64_t events;			/* events imported from all files */
	struct nvdb_threads threads;	/* threads already written */
	/* progress: called now and then with the bytes (text) or events (dat) done */
	void (*progress)(uint64_t done);
	char err[NV_ERR_LEN];			/* "FILE: problem" on failure */
};

/* Import one opened input (import_src.h) into c->db; 0 ok, -1 with c->err set. */
int import_dat(struct import_ctx *c, struct import_src *src);
int import_text(struct import_ctx *c, struct import_src *src);

/* Skip the parse of a trace.dat's kallsyms while on (collector/dat_overrides.c). */
void import_skip_kallsyms(int on);

/*
 * Give back the memory of compressed chunks already read while on; 0 forgets
 * them all, before the handle is closed (collector/dat_zchunk.c).
 */
void import_drop_zchunks(int on);
/* Bytes of decompressed chunks given back so far (for tests). */
uint64_t import_zchunk_dropped(void);

/* Write a thread's name the first time its pid is seen. */
void import_thread(struct import_ctx *c, int pid, const char *comm);

/* Note the host arch an event implies; -1 if it contradicts an earlier one. */
int import_note_host(struct import_ctx *c, enum nv_host_arch host);

const char *import_host_name(enum nv_host_arch host);

/* Add to c->lost, saturating. */
void import_add_lost(struct import_ctx *c, int64_t n);

#endif
